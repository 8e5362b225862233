"""Round 7 of the pattern layer: dismissals, slang insults, dehumanising language, identity attacks,
violence as desert; and the line between calls for violence (abuse) and calls for legal punishment (not)."""

from __future__ import annotations

import re

import pytest

from bot.abuse.detector import AbuseDetector
from bot.abuse.fallback import ProfanityScorer
from bot.abuse.patterns import pattern_hits

from .conftest import LABELLED_SETS, read_labelled


@pytest.fixture(scope="module")
def detector() -> AbuseDetector:
    return AbuseDetector(ProfanityScorer())


def _precision_recall(detector: AbuseDetector, rows: list[dict[str, object]]) -> tuple[float, float, list[str]]:
    flags = detector.detect_many([str(r["text"]) for r in rows])
    tp = sum(1 for r, f in zip(rows, flags, strict=True) if f and r["abuse"])
    fp = [str(r["text"]) for r, f in zip(rows, flags, strict=True) if f and not r["abuse"]]
    fn = [str(r["text"]) for r, f in zip(rows, flags, strict=True) if not f and r["abuse"]]
    return tp / (tp + len(fp)) if tp + len(fp) else 1.0, tp / (tp + len(fn)), fp + fn


@pytest.mark.parametrize("name", LABELLED_SETS)
def test_precision_stays_high_on_every_labelled_set(detector: AbuseDetector, name: str) -> None:
    precision, _, wrong = _precision_recall(detector, read_labelled(name))
    assert precision >= 0.95, wrong


def test_round7_set_is_balanced_and_covers_its_kinds() -> None:
    rows = read_labelled("forum_abuse_identity")
    assert len(rows) >= 60
    assert 0.4 <= sum(1 for r in rows if r["abuse"]) / len(rows) <= 0.6
    assert {"insult", "identity", "incitement", "threat", "factual", "quote", "criticism"} <= {r["kind"] for r in rows}


def test_round7_recall(detector: AbuseDetector) -> None:
    """First measured at recall 0.33 (see data/README.md); identity attacks and dehumanising rows all caught."""
    rows = read_labelled("forum_abuse_identity")
    precision, recall, wrong = _precision_recall(detector, rows)
    assert precision >= 0.95 and recall >= 0.9, wrong
    identity = [r for r in rows if r["kind"] == "identity"]
    assert _precision_recall(detector, identity)[1] == 1.0


@pytest.mark.parametrize(("text", "kind"), [
    ("those parents are vile and should never see daylight again", "insult"),
    ("you're a bigot hiding behind a keyboard, get lost", "insult"),
    ("go back to your own country if you don't like it here", "identity_attack"),
    ("those pigs should be made to feel what the lad felt", "incitement"),
    ("you absolute weapon, read the evidence before posting", "insult"),
    ("anyone who hurts disabled kids deserves a beating", "incitement"),
    ("you utter spanner, the verdict was unanimous", "insult"),
    ("nobody asked you, pal", "insult"),
    ("crawl back under your rock", "insult"),
    ("they should ship the lot of them back on the next plane", "identity_attack"),
    ("the whole family are savages", "insult"),
    ("hopefully the other prisoners sort him out", "incitement"),
    ("she's not even human.", "insult"),
    ("you are an utter liability, log off", "insult"),
    ("nobody cares what you think", "insult"),
    ("men like him are a stain on humanity", "insult"),
    ("all immigrants are the same", "identity_attack"),
    ("we should never have let them into the country", "identity_attack"),
    ("I'd do time for him, honestly", "threat"),
    ("the world would be a better place without him", "incitement"),
    ("everyone knows what happens to grasses", "threat"),
    ("hope she gets a good hiding when she's released", "incitement"),
    ("the ringleaders should be tracked down and taught a lesson", "incitement"),
])
def test_novel_abuse_phrasings_are_caught(text: str, kind: str) -> None:
    hits = pattern_hits(text)
    assert kind in {h.label for h in hits}, hits


@pytest.mark.parametrize("text", [
    "He deserves a long sentence for what he did.",
    "Lock him up and throw away the key.",
    "I hope he never gets out of prison.",
    "Whoever leaked the footage should be prosecuted.",
    "Anyone who hurts a child deserves to face the full force of the law.",
    "Nobody deserves to suffer like that child did.",
    "She did not deserve to die.",
    "No child deserves a beating, whatever they did.",
    "The weapon was never found despite a search of the canal.",
    "You absolute legend, thanks for the summary.",
    "Did you complete the form before the deadline?",
    "The pigs were kept on the farm where the body was found.",
    "Those pigs were sold at auction before the trial.",
    "The family were treated like animals by custody staff.",
    "The judge said he was an animal lover who kept dogs.",
    "The remains were not human, the forensic report confirmed.",
    "The officers were evil to leave him in the cell, the family say.",
    "His behaviour was vile, the judge said.",
    "He came to this country as a child and was granted asylum.",
    "The Home Office tried to send him back to Albania in 2019.",
    "The flat was full of rats and the council did nothing.",
    "Nobody asked the neighbours whether they had heard anything.",
    "He got lost on the way to court.",
    "Go back to page 4 of the judgment.",
    "I hope his cellmates give evidence too.",
    "He was made to suffer for years by his stepfather, the court heard.",
    "You're an absolute beginner at this, read the guide first.",
    "The victim had a short, tragic little life, the coroner said.",
    "Nobody cares about the victims in this system.",
    "Racism is a cancer on society.",
    "Knife crime is a blight on society and this case shows it.",
    "All immigrants are entitled to legal advice under the scheme.",
    "The neighbour let them in at 10pm, the jury heard.",
    "The border force let them into the country without checks, the report says.",
    "Those responsible should be found and dealt with by the courts.",
    "The world would be better off without knife crime.",
    "Police will find out who you are if you post threats, so don't.",
    "I hope he gets a good lawyer.",
    "He deserves whatever he gets from the court.",
    "She got a beating from her stepfather almost weekly.",
    "He was convicted after telling a neighbour to go back to his own country.",
    "He was told to go back to his own country by the accused, the court heard.",
])
def test_legal_punishment_and_literal_senses_are_not_abuse(text: str) -> None:
    assert pattern_hits(text) == []


def test_round7_reasons_name_the_kind_and_never_the_words() -> None:
    texts = ["Gregory Smallbone is vermin.", "go back to your own country Smallbone",
             "you absolute Smallbone, read it", "Smallbone deserves a good kicking"]
    for text in texts:
        hits = pattern_hits(text)
        assert hits, text
        for hit in hits:
            assert re.match(r"(insult|identity attack|incitement|threat): ", hit.reason)
            assert not re.search("smallbone|gregory|vermin|kicking", hit.reason, re.I)


def test_untuned_round9_is_precise_and_its_recall_is_what_was_measured(detector: AbuseDetector) -> None:
    """Never tuned on (see data/README.md): first measured P 1.00 / R 0.22. Precision must hold; recall is
    a floor that records the honest estimate for novel phrasings, not a target."""
    precision, recall, wrong = _precision_recall(detector, read_labelled("forum_abuse_round9"))
    assert precision >= 0.95, wrong
    assert recall >= 0.2, wrong
