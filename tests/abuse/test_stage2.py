"""The learned second stage beside the per-label evidence cues (bot.abuse.stage2): it only adds flags, and only
where a specific label near its bar has its own evidence, a target and no guard."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.abuse.detector import AbuseDetector, AbuseScores, build_flag
from bot.abuse.labels import AbuseThresholds
from bot.abuse.stage2 import STAGE2_PATH, Stage2, analyse, feature_names, shipped_stage2
from bot.abuse.stage2_train import choose
from bot.abuse.targeting import find_target


@pytest.fixture(scope="module")
def stage2() -> Stage2:
    model = shipped_stage2()
    assert model is not None, f"{STAGE2_PATH} is missing or does not match the evidence rules"
    return model


@pytest.fixture(scope="module")
def static_detector() -> AbuseDetector:
    from bot.abuse.static import StaticScorer

    return AbuseDetector(StaticScorer())


def test_the_shipped_stage2_matches_the_rules_and_the_head(stage2: Stage2) -> None:
    from bot.abuse.static import STATIC_HEAD, StaticHead

    assert stage2.labels == StaticHead.load(STATIC_HEAD).labels
    assert list(stage2.names) == feature_names(stage2.labels) and stage2.coef.shape == (len(stage2.names),)
    assert 0.5 <= stage2.threshold < 1.0


def _high(labels: tuple[str, ...]) -> dict[str, float]:
    return {label: 0.49 for label in labels}


def test_no_target_no_evidence_or_a_lone_detail_and_stage2_stays_silent(stage2: Stage2) -> None:
    text = "the little liar should be ashamed of herself"
    assert stage2.flags(text, _high(stage2.labels), None) is None
    bare = "her dad drives a white Transit, parks it outside their house every night"
    _, may = analyse(bare, {**dict.fromkeys(stage2.labels, 0.0), "doxxing": 0.49, "abuse": 0.9}, stage2.labels,
                     find_target(bare))
    assert not may  # doxxing's evidence alone never lets the second stage speak
    plain = "Pass the salt please, she said, and he did"
    _, may = analyse(plain, _high(stage2.labels), stage2.labels, find_target(plain))
    assert not may  # no cue of any harm in it


def test_a_stage2_result_flags_under_the_label_with_evidence_and_says_so() -> None:
    scores = {"abuse": 0.49, "insult": 0.46, "intimidation": 0.48, "threat": 0.1}
    result = AbuseScores(scores=scores, targeted=True, target=find_target("the little liar should be ashamed"),
                         gated=True, unevidenced=frozenset({"intimidation"}), stage2=0.9)
    flag = build_flag(result, AbuseThresholds())
    assert flag is not None and flag.kind == "insult" and "second stage 0.90" in flag.reason
    assert build_flag(AbuseScores(scores=scores, targeted=True, target=result.target, gated=True,
                                  unevidenced=frozenset({"intimidation"})), AbuseThresholds()) is None


def test_stage2_only_adds_flags_and_not_on_calls_for_a_sentence(static_detector: AbuseDetector) -> None:
    texts = ["Hope he gets life and never sees daylight again", "@x please take that down, it names her street",
             "Bloody hell, what a shambles of a trial", "the little liar should be ashamed of herself",
             "@x you want to be careful walking home",
             "The inspector's report said the pickers were housed like cattle",
             "his sister is only nine and she has to give evidence on video, poor kid"]
    results = static_detector.score_many(texts)
    with_stage2 = static_detector.flags_for(results)
    without = [build_flag(AbuseScores(**{**{f: getattr(r, f) for f in r.__dataclass_fields__}, "stage2": None}),
                          static_detector.thresholds) for r in results]
    assert all(bool(a) or not b for a, b in zip(with_stage2, without, strict=True))  # never removes a flag
    assert results[0].stage2 is None and results[1].stage2 is None and results[2].stage2 is None
    assert results[5].stage2 is None and results[6].stage2 is None  # a topic cue alone does not let it speak


def test_the_switch_turns_it_off(monkeypatch: pytest.MonkeyPatch) -> None:
    shipped_stage2.cache_clear()
    monkeypatch.setenv("ABUSE_STAGE2", "0")
    try:
        assert shipped_stage2() is None
    finally:
        shipped_stage2.cache_clear()
    monkeypatch.delenv("ABUSE_STAGE2")
    assert shipped_stage2() is not None


def test_the_threshold_is_the_lowest_that_keeps_the_target_precision() -> None:
    truth = np.array([True, True, False, True, False])
    base = np.array([True, False, False, False, False])
    eligible = np.ones(5, dtype=bool)
    p = np.array([0.0, 0.9, 0.605, 0.7, 0.535])
    assert choose(p, base, eligible, truth, target=1.0) == 0.61
    assert choose(p, base, eligible, truth, target=0.75) == 0.54


def test_a_missing_or_stale_artefact_fails_closed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from bot.abuse import stage2 as module
    from bot.errors import ConfigError

    stale = tmp_path / "stage2.json"
    stale.write_text(STAGE2_PATH.read_text(encoding="utf-8").replace('"rule:', '"rule:gone.', 1), encoding="utf-8")
    for path in (tmp_path / "absent.json", stale):
        monkeypatch.setattr(module, "STAGE2_PATH", path)
        shipped_stage2.cache_clear()
        try:
            with pytest.raises(ConfigError, match="ABUSE_STAGE2=0"):
                shipped_stage2()
        finally:
            shipped_stage2.cache_clear()


def test_hard_negatives_that_share_abuse_surface_weigh_more_in_the_fit() -> None:
    from bot.abuse.corpus import Example
    from bot.abuse.stage2_train import HARD_NEGATIVE_CATEGORIES, HARD_NEGATIVE_WEIGHT, sample_weights

    rows = [Example("you muppet", ("insult",), "insult", "x"), Example("thinking of you", (), "support", "x"),
            Example("@x take that down", (), "peer", "x"), Example("the bus was late", (), "chatter", "x")]
    assert {"support", "peer", "moderation", "quoting"} <= HARD_NEGATIVE_CATEGORIES
    assert sample_weights(rows).tolist() == [1.0, HARD_NEGATIVE_WEIGHT, HARD_NEGATIVE_WEIGHT, 1.0]


def test_the_shipped_stage2_records_its_weighting(stage2: Stage2) -> None:
    from bot.abuse.stage2_train import HARD_NEGATIVE_WEIGHT

    assert stage2.info.get("hard_negative_weight") == HARD_NEGATIVE_WEIGHT
