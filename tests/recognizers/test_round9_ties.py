"""Ties added in identity round 9: the accused as the case's title describes them is someone who is not
protected (``tie.title_accused``), and a narrow place tied only by a pronoun that resolves to a party this
author named goes to review."""

from __future__ import annotations

import pytest

from bot.detectors.identifying import IdentifyingDetailDetector
from bot.flags import Action, Category, Message
from bot.recognizers.ties import TieFinder, accused_nouns
from tests.identity_helpers import case_engine

PARTIES = [("the complainant", "adult complainant"), ("the boy who walked the dog", "youth defendant, 15")]


@pytest.mark.parametrize(("title", "nouns"), [
    ("Sports physiotherapist, 45, denies assaulting two patients", ["physiotherapist"]),
    ("Nursery worker and manager on trial over ill-treatment", ["worker", "manager"]),
    ("Former swimming coach, 58, on trial", ["coach"]),
    ("Stepfather jailed for cruelty to girl, 9", []),  # a relative of a protected child identifies her
    ("Dog owner and teenage walker on trial", ["owner"]),  # someone young may be protected
    ("Man, 29, denies assault", []),  # a word for anyone
    ("Inquest into a death in custody", []),
])
def test_accused_nouns_from_a_headline_title(title: str, nouns: list[str]) -> None:
    assert accused_nouns(title, PARTIES) == nouns


def test_the_accused_and_a_shortened_form_are_other_people() -> None:
    finder = TieFinder(PARTIES, accused_nouns("Sports physiotherapist, 45, denies ...", PARTIES))
    assert finder.others("the physio's wife did the books at the clinic")
    assert finder.others("Ann Smith, 45, a sports physiotherapist from Halton, is on trial")
    assert not finder.others("she's a physiotherapist at the Royal")  # no apposition: she may be the party
    assert not TieFinder(PARTIES).others("the physio's wife did the books at the clinic")


CASE = """
id = "round9-ties"
title = "Sports physiotherapist, 45, denies assaulting two patients at his clinic"
[[protected]]
label = "the complainant"
basis = "adult complainant"
names = ["Wilhelmina Quarrendon"]
"""


def test_a_detail_of_the_accused_in_an_earlier_message_is_no_jigsaw_evidence() -> None:
    engine = case_engine(CASE)
    first = Message(id="1", author="a", content="Ann Smith, 45, a sports physiotherapist from Halton, is on trial")
    engine.check(first)
    later = engine.check(Message(id="2", author="a", content="the complainant told her mum the same evening"),
                         history=[first])
    assert not [f for f in later.flags if f.category is Category.IDENTIFYING_DETAIL]


def test_a_narrow_place_tied_by_a_pronoun_to_the_named_party_goes_to_review() -> None:
    det = IdentifyingDetailDetector(PARTIES)
    engine = case_engine(CASE)
    history = [Message(id="1", author="a", content="the complainant is a lovely woman, known her for years")]
    verdict = engine.check(Message(id="2", author="a", content="she works at the nail bar next to the chippy"),
                           history=history)
    (flag,) = [f for f in verdict.flags if f.kind == "workplace"]
    assert flag.suggested is Action.REVIEW and flag.label == "the complainant"
    assert det.analyse("she works at the nail bar next to the chippy").details
    alone = engine.check(Message(id="3", author="b", content="she works at the nail bar next to the chippy"))
    assert not [f for f in alone.flags if f.kind == "workplace"]  # nobody named: a bare pronoun is no tie
