"""Evidence gating of the static family's model labels (bot.abuse.evidence, bot/rules/abuse/evidence.toml).

Every sentence here was written for this test; none is a bundled thread's message.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from bot.abuse.detector import AbuseDetector, AbuseScores, build_flag
from bot.abuse.evidence import SHORT_BAR, SHORT_WORDS, evidence_rules, unevidenced, word_count
from bot.abuse.labels import AbuseThresholds
from bot.abuse.scorer import Scores
from bot.abuse.static import StaticScorer
from bot.abuse.targeting import find_target

LABELS = ("abuse", "insult", "threat", "violence", "intimidation", "sexual_harassment", "self_harm",
          "identity_attack", "doxxing")


class FixedScorer:
    """A model scorer of the static family answering fixed scores for every text."""

    key = "fixed"
    name = "fixed"
    is_fallback = False
    skip_untargeted = True

    def __init__(self, scores: Scores, *, needs_evidence: bool = True):
        self.labels = LABELS
        self.scores = scores
        self.needs_evidence = needs_evidence

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        return [dict(self.scores) for _ in texts]


def _flag(text: str, scores: Scores, *, needs_evidence: bool = True):
    detector = AbuseDetector(FixedScorer(scores, needs_evidence=needs_evidence), use_patterns=False)
    return detector.detect(text)


def test_every_specific_label_of_the_static_heads_has_evidence_rules() -> None:
    rules = evidence_rules()
    assert set(LABELS) - {"abuse"} <= set(rules)
    assert "abuse" not in rules  # the generic label is gated through the specific ones


@pytest.mark.parametrize(("label", "text"), [
    ("self_harm", "@gorsey_bank you could always do the whole forum a favour and not wake up"),
    ("identity_attack", "People from the travelling community are all thieves, every last one of them"),
    ("doxxing", "She does the early shift at the bakery on Chapel Street if anyone fancies popping in to tell her"),
    ("sexual_harassment", "@lyme_lass bet your legs look great in that netball kit, inbox me"),
    ("insult", "@kiln_kev you're as dim as a two-watt bulb"),
    ("intimidation", "Shame if her boss heard what she's been saying before she gives evidence"),
    ("violence", "hope someone catches him in the showers and leaves him needing a new set of teeth"),
])
def test_a_cue_of_the_harm_is_evidence(label: str, text: str) -> None:
    assert label not in unevidenced(text, {label})


@pytest.mark.parametrize(("label", "text"), [
    ("self_harm", "@gorsey_bank why would you think that"),
    ("identity_attack", "That academy trust should be closed and its board struck off"),
    ("identity_attack", "The refuge does brilliant work with women in her situation"),  # a group, no derogation
    ("doxxing", "His brother runs the tyre place on the ring road, nice bloke by all accounts"),
    ("sexual_harassment", "@lyme_lass and you'd know all about the appeal process, would you?"),
    ("insult", "The lollipop man who gave evidence is a proper hero"),
    ("intimidation", "she must have seen something, surely"),
    ("violence", "fair play to him"),
])
def test_ordinary_talk_has_no_evidence_for_the_label_it_was_scored_on(label: str, text: str) -> None:
    assert unevidenced(text, {label}) == {label}


def test_an_identity_attack_needs_a_group_and_derogation() -> None:
    no_group = "The governors never answer their emails, typical"
    assert "identity_attack" in unevidenced(no_group, {"identity_attack"})
    assert "identity_attack" in unevidenced("Polish families run half the shops on the parade", {"identity_attack"})
    assert not unevidenced("Polish families are all scroungers, send them back", {"identity_attack"})


def test_a_label_without_evidence_does_not_flag_and_takes_the_generic_label_with_it() -> None:
    text = "@gorsey_bank that is not what the judge said at all, read the sentencing remarks again"
    assert find_target(text) is not None
    assert _flag(text, {"self_harm": 0.95, "abuse": 0.9}) == []
    assert _flag(text, {"self_harm": 0.95, "abuse": 0.9}, needs_evidence=False)  # ungated scorers unchanged


def test_a_label_with_evidence_flags_and_keeps_its_kind() -> None:
    text = "@gorsey_bank do the whole forum a favour and log off for good, nobody would miss you"
    flags = _flag(text, {"self_harm": 0.8, "abuse": 0.9})
    assert flags and flags[0].kind == "self_harm" and "self_harm 0.80" in flags[0].reason


def test_only_the_labels_without_evidence_are_set_aside() -> None:
    text = "@kiln_kev you're as dim as a two-watt bulb"
    flags = _flag(text, {"insult": 0.8, "self_harm": 0.9, "abuse": 0.6})
    assert flags and flags[0].kind == "insult" and "self_harm" not in flags[0].reason


def test_a_short_message_needs_the_short_bar() -> None:
    text = "@kiln_kev you pathetic little troll"
    assert word_count(text) <= SHORT_WORDS
    assert _flag(text, {"insult": SHORT_BAR - 0.05}) == []
    assert _flag(text, {"insult": SHORT_BAR + 0.05})
    longer = "@kiln_kev you are a pathetic little troll and everybody on this forum can see it"
    assert word_count(longer) > SHORT_WORDS and _flag(longer, {"insult": SHORT_BAR - 0.05})


def test_word_count_ignores_mentions_and_links() -> None:
    assert word_count("@a_b @c.d see https://example.org/x?y=1 now") == 2


def test_build_flag_applies_the_guilds_own_bars() -> None:
    result = AbuseScores(scores={"insult": 0.6}, targeted=True, target=find_target("@x you muppet"),
                         gated=True, short=False)
    assert build_flag(result, AbuseThresholds()) is None  # under the default insult bar 0.7
    assert build_flag(result, AbuseThresholds(insult=0.55)) is not None


@pytest.fixture(scope="module")
def static_detector() -> AbuseDetector:
    return AbuseDetector(StaticScorer())


def test_static_scorer_keeps_quiet_on_curt_forum_replies(static_detector: AbuseDetector) -> None:
    replies = [
        "@wharfedale_wendy why would you though",
        "good on her",
        "@ripon_rob you really should know better by now",
        "The foster carer who spoke up is a hero, no question",
        "That academy should be shut down tomorrow",
        "I hope the family get every penny they're owed",
        "@nidd_nina come on, you're better than that",
    ]
    flagged = [text for text, flags in zip(replies, static_detector.detect_many(replies), strict=True) if flags]
    assert flagged == []


def test_static_scorer_still_flags_abuse_with_its_cue(static_detector: AbuseDetector) -> None:
    texts = [
        "@wharfedale_wendy nobody on here would miss you if you logged off for good and never came back",
        "Knaresborough lot are all inbred, every last one of them should be run out of the county",
        "@ripon_rob nice pics on your profile, bet you look even better with nothing on, DM me",
    ]
    assert all(static_detector.detect_many(texts))


def test_static_default_flags_none_of_the_forum_replies_set(static_detector: AbuseDetector) -> None:
    """tests/abuse/data/forum_replies.txt: 246 ordinary forum lines of the kinds a surface scorer misreads
    (short replies, @-replies, praise, compensation wishes, institutions to shut, details asked about), written
    for wave 6 and never trained on. One false alarm per thread already breaks a thread's precision."""
    path = Path(__file__).parent / "data" / "forum_replies.txt"
    lines = [x.strip() for x in path.read_text(encoding="utf-8").splitlines()
             if x.strip() and not x.startswith("#")]
    assert len(lines) > 200
    flagged = [t for t, f in zip(lines, static_detector.detect_many(lines), strict=True) if f]
    assert flagged == []
