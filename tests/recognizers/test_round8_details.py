"""Mechanisms added after the fourteenth first-look thread (tests/data/fresh/bristol-nursery-ill-treatment): the
head noun of a case label with a clause after it ("the apprentice who filmed it") ties; "lives with her nan in
<area>"; a bus by its route number and when; a post on a described counter or ward."""

from __future__ import annotations

import pytest

from bot.detectors.identifying import IdentifyingDetailDetector
from bot.engine import IdentityEngine
from bot.flags import Category
from bot.recognizers.ties import TieFinder
from tests.identity_helpers import case_engine, flags_of

CASE = """
id = "round8b"
[[protected]]
label = "child A"
basis = "YJCEA 1999 s.45 direction; child, 3"
names = ["Peregrine Oduya"]
[[protected]]
label = "the trainee who reported it"
basis = "reporting direction; prosecution witness"
names = ["Bathsheba Quillfeather"]
[[public]]
label = "the defendant"
names = ["Barnaby Stoddart"]
"""


def engine() -> IdentityEngine:
    return case_engine(CASE)


def identity(text: str) -> bool:
    flags = flags_of(engine(), text)
    return any(f.category in (Category.IDENTIFYING_DETAIL, Category.PROTECTED_IDENTITY) for f in flags)


def test_label_head_before_a_clause_ties() -> None:
    finder = TieFinder([("the trainee who reported it", "prosecution witness")])
    ties = finder.find("the trainee was brave")
    assert [t.label for t in ties if t.label] == ["the trainee who reported it"]
    assert not [t for t in finder.find("the reported incident") if t.label]


@pytest.mark.parametrize("text", [
    "the trainee lives with her aunt in Lockleaze, gets the number 24 every morning",
    "the mum works on the cheese counter at the Tesco in Filton, drives a blue Fiesta",
    "his nan catches the 76 bus to Southmead every weekday with him",
])
def test_described_details_are_flagged(text: str) -> None:
    assert identity(text)


@pytest.mark.parametrize("text", [
    "the number 24 was late again this morning",
    "I work on the cheese counter at the Tesco in Filton",
    "she lives with her gran in fear of him",
])
def test_near_misses_are_not(text: str) -> None:
    assert not identity(text)


def test_recognizers_find_the_details() -> None:
    det = IdentifyingDetailDetector()
    text = "she lives with her nan in Hartcliffe and gets the number 9 every day"
    kinds = {d.kind for d in det.analyse(text).details}
    assert {"area", "routine"} <= kinds


def test_family_home_is_a_weak_tie_only_when_a_child_is_protected() -> None:
    child = TieFinder([("child A", "YJCEA 1999 s.45 direction; child, 3")])
    adult = TieFinder([("the complainant", "Sexual Offences (Amendment) Act 1992 s.1; adult")])
    text = "they live on Longmead Avenue, the one with the caravan"
    assert [t.who for t in child.find(text)] == ["a third party's family"]
    assert adult.find(text) == []
    assert child.find("they said in court it was all lies") == []
    assert identity(text)


def test_the_older_one_is_a_definite_tie_to_a_party() -> None:
    finder = TieFinder([("learner A", "Sexual Offences (Amendment) Act 1992 s.1; complainant")])
    (tie,) = finder.find("the older one works on the tills at the Asda in Filton")
    assert tie.definite and tie.label is None
    assert finder.find("the older ones were cheaper") == []
    assert finder.find("the second one of the hearings") == []
