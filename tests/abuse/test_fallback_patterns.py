"""The offline fallback with the pattern layer, measured on an invented forum-style labelled set."""

from __future__ import annotations

import re

import pytest

from bot.abuse.detector import AbuseDetector
from bot.abuse.fallback import ProfanityScorer
from bot.abuse.patterns import mask_attributed_quotes, neutralise, pattern_hits
from bot.flags import Action

from .conftest import LABELLED_SETS, TUNED_SETS, UNTUNED_SET, read_labelled


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector(ProfanityScorer())


def _measure(detector: AbuseDetector, rows: list[dict[str, object]]) -> tuple[float, float, list[str]]:
    flags = detector.detect_many([str(r["text"]) for r in rows])
    tp = fp = fn = 0
    wrong = []
    for row, found in zip(rows, flags, strict=True):
        if found and row["abuse"]:
            tp += 1
        elif found:
            fp += 1
            wrong.append(f"false alarm: {row['text']}")
        elif row["abuse"]:
            fn += 1
            wrong.append(f"missed: {row['text']}")
    return (tp / (tp + fp) if tp + fp else 1.0), tp / (tp + fn), wrong


def test_labelled_set_is_balanced_and_varied() -> None:
    rows = read_labelled()
    assert len(rows) >= 80
    abusive = sum(1 for r in rows if r["abuse"])
    assert 0.35 <= abusive / len(rows) <= 0.65
    kinds = {r["kind"] for r in rows}
    assert {"threat", "incitement", "insult", "factual", "criticism", "quote"} <= kinds


@pytest.mark.parametrize("name", TUNED_SETS)
def test_fallback_with_patterns_on_the_sets_it_was_tuned_on(detector: AbuseDetector, name: str) -> None:
    precision, recall, wrong = _measure(detector, read_labelled(name))
    assert precision >= 0.9, wrong
    assert recall >= 0.85, wrong


def test_fallback_with_patterns_on_the_set_it_never_saw(detector: AbuseDetector) -> None:
    """Novel non-profane threats and insults: precise, but about half are missed (see data/README.md)."""
    precision, recall, wrong = _measure(detector, read_labelled(UNTUNED_SET))
    assert precision >= 0.9, wrong
    assert recall >= 0.45, wrong


def test_patterns_are_needed_for_threats(detector: AbuseDetector) -> None:
    rows = [r for r in read_labelled() if r["kind"] in ("threat", "incitement")]
    bare = AbuseDetector(ProfanityScorer(), use_patterns=False)
    _, recall_bare, _ = _measure(bare, rows)
    _, recall, _ = _measure(detector, rows)
    assert recall_bare < 0.5 <= recall


def test_factual_discussion_of_sexual_offences_is_never_flagged(detector: AbuseDetector) -> None:
    factual = [str(r["text"]) for name in LABELLED_SETS for r in read_labelled(name) if r["kind"] == "factual"]
    assert len(factual) >= 40
    for text, flags in zip(factual, detector.detect_many(factual), strict=True):
        assert flags == [], text


def test_offence_vocabulary_is_what_the_bare_scorer_trips_on() -> None:
    scorer = ProfanityScorer()
    text = "She gave evidence that he raped her and sent sexual messages."
    raw, guarded = scorer.score_many([text, neutralise(text)])
    assert guarded["profanity"] < raw["profanity"]
    assert guarded["profanity"] < 0.5


def test_attributed_quotes_are_masked_but_unattributed_ones_are_not() -> None:
    assert "idiot" not in mask_attributed_quotes('He texted her "you are an idiot" twice.')
    assert "idiot" not in mask_attributed_quotes("the report quotes him: 'you're a stupid idiot'")
    assert "idiot" in mask_attributed_quotes('"you are an idiot"')
    assert pattern_hits('The messages said "I know where you live".') == []
    assert [h.label for h in pattern_hits("I know where you live.")] == ["threat"]


def test_reasons_never_repeat_the_message(detector: AbuseDetector) -> None:
    texts = ["someone should batter Gregory Smallbone outside the court",
             "you're a spineless Smallbone apologist", "Smallbone deserves a beating"]
    for text, flags in zip(texts, detector.detect_many(texts), strict=True):
        assert flags, text
        assert not re.search("smallbone|gregory", flags[0].reason, re.I)
        assert flags[0].suggested is Action.REVIEW


@pytest.mark.parametrize("text", [
    "Let's see what happens at the appeal.",
    "I know where you're coming from, but the judgment says otherwise.",
    "Someone should kick up a fuss with the council.",
    "The police need to smash the county lines gangs.",
    "He should be sacked and prosecuted.",
    "We should all write to the chief constable.",
    "Killing time until the verdict comes in.",
    "You're right, the hearing was adjourned.",
    "If you're a parent at that school, the letter explains the process.",
    "Do you know any lawyers who take these cases?",
    "It makes you sick to read the report.",
    "Thank you, that's a really helpful summary.",
    "It's a rat run past the school at 8am.",
    "The whole inquiry is a clown show.",
    "My dad was a copper for thirty years.",
    "I was an idiot to believe the first press release.",
    "The school was shut down after the inspection.",
    "The officer shot him twice, the inquest heard.",
    "We know which court it is in now.",
    "The troll farms are pushing the same rumours again.",
    "The rat run past the court is closed this week.",
    "He should have got life, the sentence is far too short.",
])
def test_ordinary_phrasings_do_not_trip_patterns(text: str) -> None:
    assert pattern_hits(text) == []


def test_a_call_for_a_sentence_sets_doxxing_aside_only_without_a_locating_detail() -> None:
    from bot.abuse.guards import GUARDED_LABELS, guarded_labels

    assert "doxxing" in guarded_labels("Lock him up and lose the key, he deserves the lot")
    assert "doxxing" not in guarded_labels("Lock him up and lose the key, he lives at 14 Hawthorn Road")
    assert guarded_labels("Lock him up and lose the key, he lives at 14 Hawthorn Road") == GUARDED_LABELS
    assert guarded_labels("The hearing resumes on Monday") == frozenset()
