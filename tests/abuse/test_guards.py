"""Precision guards: calls for a legal sentence and moderation requests / peer correction set model labels aside.

The guards act on text and label names only, so a stub scorer that calls everything abuse stands in for any
model scorer here: what is asserted is which flags survive the guards, not how a model scores.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.abuse.detector import AbuseDetector
from bot.abuse.guards import ALL_MODEL_LABELS, GUARDED_LABELS, guarded_labels, peer_request_only
from bot.abuse.scorer import Scores


class EverythingIsAbuse:
    """A model scorer that scores every text as abusive on every label it has (the worst case for precision)."""

    name = "stub: everything is abuse"
    key = "stub"
    is_fallback = False
    skip_untargeted = True
    labels = ("abuse", "insult", "threat", "intimidation", "doxxing", "sexual_harassment")

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        return [dict.fromkeys(self.labels, 0.95) for _ in texts]


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector(EverythingIsAbuse())


@pytest.mark.parametrize("text", [
    "@gateshead_gill could you take that post down, it gives the name of her nursery",
    "@blyth_bernie please delete it, the trial is still going",
    "why would you put his mum's street up on here? edit it out",
    "Can everyone please stop trying to work out who the boy is",
    "Mod note: three comments removed for naming the girl. This is your final warning.",
    "@seaham_sue that's over the line, there's a fourteen year old involved",
    "@consett_col respectfully, the judge ruled on that yesterday, it's not coming in",
    "I've reported it, best not to reply to it at all",
    "@jarrow_jo knock it off, both of you",
])
def test_requests_and_corrections_have_every_model_label_set_aside(detector: AbuseDetector, text: str) -> None:
    assert peer_request_only(text)
    assert guarded_labels(text) == ALL_MODEL_LABELS
    assert detector.detect(text) == []


@pytest.mark.parametrize("text", [
    "@gateshead_gill take that post down or I'll come round and do it for you",
    "@blyth_bernie delete it, I know where you work and so do my mates",
    "@seaham_sue stop posting or see what happens to your car",
    "@consett_col you're a spineless little weasel, take it down",
    "@jarrow_jo please stop, or I'll find out which house is yours",
    "Why would you post that? DM me a picture instead, sweetheart",
    "@hebburn_hal delete it before I smash your face in",
])
def test_a_threat_an_insult_or_sexual_attention_stands_the_guard_aside(detector: AbuseDetector, text: str) -> None:
    assert not peer_request_only(text)
    assert guarded_labels(text) == frozenset()
    (flag,) = detector.detect(text)
    assert "target:" in flag.reason


def test_guarded_model_labels_never_hide_a_pattern_hit() -> None:
    """The pattern layer is not guarded: a request that also matches an abuse pattern still flags."""
    detector = AbuseDetector(EverythingIsAbuse())
    text = "@washington_wes take it down, you absolute waste of oxygen"
    # the stand-aside already finds the insult here; force the guard on to show patterns survive it
    results = detector.score_many([text])
    results[0].guarded = ALL_MODEL_LABELS
    (flags,) = detector.flags_for(results)
    assert [f.detector for f in flags] == ["abuse:patterns"]


def test_the_legal_punishment_guard_keeps_its_own_labels() -> None:
    assert guarded_labels("Lock him up and lose the key, he deserves nothing less") >= GUARDED_LABELS
    assert not peer_request_only("Lock him up and lose the key, he deserves nothing less")


@pytest.mark.parametrize("text", [
    "The jury retired at half past two",
    "He groomed her through a gaming app for a year, the court heard",
    "the take-up of the new scheme has been poor",
])
def test_ordinary_messages_are_not_guarded(text: str) -> None:
    assert guarded_labels(text) == frozenset()
