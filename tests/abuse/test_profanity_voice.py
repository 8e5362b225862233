"""The static scorer's gated profanity voice (bot.abuse.profanity_voice) and corroborated veiled harm (detector)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.abuse.detector import CORROBORATED_FRACTION, AbuseDetector
from bot.abuse.profanity_voice import ProfanityVoice, direct_target, profane_words, targeted_sentences
from bot.abuse.scorer import Scores
from tests.abuse.test_evidence import LABELS


@pytest.fixture(scope="module")
def voice() -> ProfanityVoice:
    return ProfanityVoice()


@pytest.mark.parametrize("text", [
    "@gorse_gary you're a gutless little shit and the whole forum knows it",
    "Shut your mouth you thick bitch, nobody asked",
    "Go fuck yourself Darren, you sad case",
    "Marjorie is a lying cunt and always has been",
])
def test_swearing_aimed_at_someone_counts(voice: ProfanityVoice, text: str) -> None:
    assert voice.scores([text])[0] >= 0.8


@pytest.mark.parametrize("text", [
    "Fucking hell, the defence barrister just asked her what she'd been drinking",
    "@pier_pat are you fucking kidding me, they've adjourned again?",
    "@pier_pat agreed, the CPS handling was shit from start to finish",
    "Absolute fucking disgrace that Humberside Police sat on the complaint",
    "If you're sick of this shit thread just mute it",
    "@marsh_mel too bloody right, the jury got it wrong",
    "The jury heard he exposed his penis to the boy in the changing room",
    "Dennis should rot in jail for what he did",
])
def test_swearing_for_emphasis_or_about_a_thing_does_not(voice: ProfanityVoice, text: str) -> None:
    assert voice.scores([text])[0] < 0.8


def test_the_gate_is_the_models_own_vocabulary_less_court_words() -> None:
    words = profane_words()
    assert {"fuck", "idiot", "cunt"} <= words
    assert not {"rapist", "penis", "gay"} & words  # court reporting and identity words do not open the gate


def test_a_mention_alone_is_a_vocative_only_when_short() -> None:
    assert direct_target("@harbour_hal absolute waste of space")
    assert not direct_target("@harbour_hal agreed, the magistrates were a waste of space on Friday afternoon")
    assert not direct_target("Lancashire Police are useless")  # an institution is not a named person


def test_one_sentence_counts_and_the_other_does_not(voice: ProfanityVoice) -> None:
    text = "Bloody hell, what a day in court. You are a pathetic fucking coward, Keith."
    assert targeted_sentences(text) and len(targeted_sentences(text)) == 1
    assert voice.scores([text, "What a day in court."])[1] == 0.0


class Fixed:
    key = "fixed"
    name = "fixed"
    is_fallback = False
    skip_untargeted = True
    needs_evidence = True
    labels = LABELS

    def __init__(self, scores: Scores):
        self.scores = scores

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        return [dict(self.scores) for _ in texts]


def _detect(text: str, scores: Scores) -> list:
    return AbuseDetector(Fixed(scores), use_patterns=False).detect(text)


def test_veiled_harm_under_its_bar_flags_when_its_evidence_corroborates() -> None:
    just_under = CORROBORATED_FRACTION * 0.5 + 0.01
    menace = "That barrister wants to be careful walking to her car after dark, lots can happen on that road"
    assert _detect(menace, {"intimidation": just_under})
    assert not _detect("That barrister did a careful job with the jury this afternoon", {"intimidation": just_under})
    assert not _detect(menace, {"intimidation": CORROBORATED_FRACTION * 0.5 - 0.05})  # too far under
    assert not _detect(menace, {"doxxing": just_under})  # doxxing is never corroborated


def test_a_topic_cue_does_not_lift_a_label_under_its_bar() -> None:
    """Witness talk ("going to the police") lets intimidation over its bar stand; it does not lift one under it."""
    just_under = CORROBORATED_FRACTION * 0.5 + 0.05
    assert not _detect("she's the one going to the police, everyone round here knows it", {"intimidation": just_under})
    assert _detect("she's the one going to the police, everyone round here knows it", {"intimidation": 0.6})
    # praise ("good on her FOR going to the police") is no witness-pressure cue at all (wave 10)
    assert not _detect("good on her for going to the police, that took guts", {"intimidation": 0.6})
