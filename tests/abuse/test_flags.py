"""Thresholds and the flag builder: what turns label scores into an abuse flag."""

from __future__ import annotations

import pytest

from bot.abuse.detector import AbuseScores, build_flag
from bot.abuse.labels import AbuseThresholds
from bot.abuse.patterns import PatternHit
from bot.errors import ConfigError
from bot.flags import Action, Category


def test_reason_names_labels_over_threshold_highest_first() -> None:
    result = AbuseScores(
        scores={"toxicity": 0.62, "insult": 0.74, "threat": 0.91, "obscene": 0.1, "female": 0.99},
        scorer="onnx-int8",
    )
    flag = build_flag(result, AbuseThresholds())
    assert flag is not None
    assert flag.category is Category.ABUSE
    assert flag.reason.startswith("threat 0.91, insult 0.74")
    assert "toxicity" not in flag.reason  # under its 0.80 threshold
    assert "female" not in flag.reason  # identity-mention labels never flag
    assert flag.kind == "threat"
    assert flag.score == pytest.approx(0.91)
    assert flag.detector == "abuse:onnx-int8"
    assert flag.suggested is Action.HOLD  # a model's threat at or over ``hold``


def test_nothing_over_threshold_is_no_flag() -> None:
    assert build_flag(AbuseScores(scores={"toxicity": 0.3, "insult": 0.2}), AbuseThresholds()) is None


def test_guild_thresholds_change_the_outcome() -> None:
    result = AbuseScores(scores={"toxicity": 0.6, "insult": 0.2}, scorer="detoxify")
    assert build_flag(result, AbuseThresholds()) is None
    strict = AbuseThresholds.from_dict({"toxicity": 0.5})
    flag = build_flag(result, strict)
    assert flag is not None and flag.reason.startswith("toxicity 0.60")
    assert flag.suggested is Action.REVIEW


def test_fallback_never_suggests_more_than_review() -> None:
    result = AbuseScores(scores={"profanity": 0.99}, scorer="fallback", fallback=True,
                         patterns=[PatternHit("threat", "threat: x", 0.9)])
    flag = build_flag(result, AbuseThresholds(hold=0.5))
    assert flag is not None
    assert flag.suggested is Action.REVIEW
    assert "offline fallback" in flag.reason and "review only" in flag.reason


def test_pattern_only_flag_is_attributed_to_patterns() -> None:
    result = AbuseScores(scores={"profanity": 0.05}, scorer="fallback", fallback=True,
                         patterns=[PatternHit("incitement", "incitement: calls for violence", 0.9)])
    flag = build_flag(result, AbuseThresholds())
    assert flag is not None
    assert flag.detector == "abuse:patterns" and flag.kind == "incitement"


def test_thresholds_round_trip_and_validate() -> None:
    custom = AbuseThresholds(threat=0.3, profanity=0.9)
    assert AbuseThresholds.from_dict(custom.to_dict()) == custom
    assert AbuseThresholds.from_dict(None) == AbuseThresholds()
    with pytest.raises(ConfigError, match="unknown abuse threshold"):
        AbuseThresholds.from_dict({"threats": 0.5})
    with pytest.raises(ConfigError, match="between 0 and 1"):
        AbuseThresholds.from_dict({"insult": 1.5})
