"""Policy: flags to actions, caps for untrusted detectors, and the per-guild dict forms."""

from __future__ import annotations

import json

import pytest

from bot.flags import Action, Category, Flag
from bot.policy import DEFAULT_RULES, Policy, Rule


def flag(category: Category, score: float, kind: str = "", detector: str = "d") -> Flag:
    return Flag(category, detector, score, "reason", kind=kind)


@pytest.mark.parametrize(
    ("f", "action"),
    [
        (flag(Category.PROTECTED_IDENTITY, 0.95, "full_name"), Action.REMOVE),
        (flag(Category.PROTECTED_IDENTITY, 0.9, "identifier"), Action.REMOVE),
        (flag(Category.PROTECTED_IDENTITY, 0.95, "handle"), Action.REMOVE),
        (flag(Category.PROTECTED_IDENTITY, 0.6, "surname"), Action.HOLD),
        (flag(Category.PROTECTED_IDENTITY, 0.95, "surname"), Action.HOLD),
        (flag(Category.PROTECTED_IDENTITY, 0.85, "identifier_number"), Action.REMOVE),
        (flag(Category.PROTECTED_IDENTITY, 0.5, "first_name"), Action.HOLD),
        (flag(Category.PROTECTED_IDENTITY, 0.4, "first_name"), Action.REVIEW),
        (flag(Category.IDENTIFYING_DETAIL, 0.85, "address"), Action.HOLD),
        (flag(Category.IDENTIFYING_DETAIL, 0.9, "jigsaw"), Action.HOLD),
        (flag(Category.IDENTIFYING_DETAIL, 0.5, "phone"), Action.REVIEW),
        (flag(Category.ABUSE, 0.99, "insult"), Action.REVIEW),
    ],
)
def test_default_actions(f: Flag, action: Action) -> None:
    assert Policy().action_for(f) is action


def test_decide_takes_the_strongest_action() -> None:
    p = Policy()
    assert p.decide([]) is Action.NONE
    assert p.decide([flag(Category.ABUSE, 0.9), flag(Category.IDENTIFYING_DETAIL, 0.7)]) is Action.HOLD
    assert p.decide([flag(Category.IDENTIFYING_DETAIL, 0.7),
                     flag(Category.PROTECTED_IDENTITY, 0.95, "full_name")]) is Action.REMOVE


def test_offline_fallback_abuse_never_removes_even_when_configured_to() -> None:
    p = Policy.from_dict({"abuse": "remove"})
    assert p.action_for(flag(Category.ABUSE, 1.0, detector="abuse:detoxify")) is Action.REMOVE
    assert p.action_for(flag(Category.ABUSE, 1.0, detector="abuse:fallback")) is Action.REVIEW


def test_round_trip_through_json() -> None:
    p = Policy(rules=(Rule(Category.ABUSE, Action.HOLD, 0.8, frozenset({"threat"})), *DEFAULT_RULES),
               caps={"fallback": Action.REVIEW, "experimental": Action.HOLD})
    again = Policy.from_dict(json.loads(json.dumps(p.to_dict())))
    assert again == p
    assert again.action_for(flag(Category.ABUSE, 0.85, "threat")) is Action.HOLD
    assert again.action_for(flag(Category.ABUSE, 0.85, "insult")) is Action.REVIEW


def test_guild_flat_overrides() -> None:
    p = Policy.from_dict({"identifying_detail": "review", "identifying_detail:address": "remove"})
    assert p.action_for(flag(Category.IDENTIFYING_DETAIL, 0.9, "jigsaw")) is Action.REVIEW
    assert p.action_for(flag(Category.IDENTIFYING_DETAIL, 0.9, "address")) is Action.REMOVE
    # other categories keep their defaults
    assert p.action_for(flag(Category.PROTECTED_IDENTITY, 0.95, "full_name")) is Action.REMOVE


def test_unknown_override_is_rejected() -> None:
    with pytest.raises(ValueError):
        Policy.from_dict({"nonsense": "hold"})
    with pytest.raises(ValueError):
        Policy.from_dict({"abuse": "explode"})


def test_unmatched_flag_gets_the_default() -> None:
    p = Policy(rules=(Rule(Category.ABUSE, Action.HOLD),))
    assert p.action_for(flag(Category.IDENTIFYING_DETAIL, 0.9)) is Action.REVIEW
