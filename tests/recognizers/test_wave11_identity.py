"""Wave 11 (iddetail11): a party described by its age rank (tie.age_rank) or by what it did or had done to it
(tie.described_role); a named team with a squad number or position (trait.team_place); a relative's conviction,
prison term or news story (trait.record); a weak street or a car said with when it is where no longer keeps the
learned scorer from reading a sentence."""

from __future__ import annotations

import pytest

from bot.flags import Category
from bot.recognizers.ties import TieFinder
from tests.identity_helpers import case_engine, flags_of

SISTERS = [("the first complainant", "Sexual Offences (Amendment) Act 1992 s.1; 14-year-old complainant"),
           ("the second complainant", "Sexual Offences (Amendment) Act 1992 s.1; 12-year-old complainant")]
BOYS = [("the older boy", "CYPA 1933 s.49; 15-year-old defendant"),
        ("the younger boy", "CYPA 1933 s.49; 13-year-old defendant"),
        ("the injured boy", "YJCEA 1999 s.45 direction; 11-year-old victim"),
        ("the girl who filmed it", "YJCEA 1999 s.45 direction; 16-year-old prosecution witness")]

CASE = """
id = "wave11"
title = "Man, 31, denies wounding a boy, 14; a girl, 15, saw it"
jurisdiction = "GB"
[[protected]]
label = "the victim"
basis = "YJCEA 1999 s.45 direction; 14-year-old victim"
names = ["Kieran Testcase"]
[[protected]]
label = "Child W"
basis = "YJCEA 1999 s.45 direction; 15-year-old witness"
names = ["Shannon Testcase"]
[[public]]
label = "the defendant"
names = ["Darren Publicman"]
"""


@pytest.mark.parametrize(("parties", "text", "label"), [
    (SISTERS, "the older girl works Saturdays at the chippy", "the first complainant"),
    (SISTERS, "the youngest's dad drives a taxi", "the second complainant"),
    (SISTERS, "Eldest is at the college doing childcare", "the first complainant"),
    (BOYS, "younger one's stepdad drives for a taxi firm", "the younger boy"),
    (BOYS, "the older lad's mam works on the tills", "the older boy"),
    (BOYS, "the injured lad's family live above the bookies", "the injured boy"),
    (BOYS, "the lad who got burnt is in year 6", "the injured boy"),
    (BOYS, "the lass who saw it plays netball", "the girl who filmed it"),
])
def test_described_referents(parties: list[tuple[str, str]], text: str, label: str) -> None:
    assert label in {t.label for t in TieFinder(parties).find(text)}, text


@pytest.mark.parametrize("text", [
    "her older sister works Saturdays at the chippy",  # a relative, not a party
])
def test_rank_words_that_describe_no_party(text: str) -> None:
    assert not {t.label for t in TieFinder(SISTERS).find(text)} & {label for label, _ in SISTERS}, text


def test_rank_needs_two_stated_ages_or_a_label() -> None:
    one = [("the girl", "Sexual Offences (Amendment) Act 1992 s.1; 14-year-old complainant")]
    assert all(t.label is None for t in TieFinder(one).find("the older one drives a van"))


@pytest.mark.parametrize("text", [
    "the lad who got stabbed plays for Fulwood Youth, number 9, left back",
    "the victim's uncle is in Preston prison, he was in the paper for the post office robbery",
    "the victim's mum drives a black Qashqai, parks it at the Tesco by the ring road every teatime",
    "the girl who saw it walks down Garstang Road to the bus station at 7.40 every day",
])
def test_details_said_of_a_party(text: str) -> None:
    flags = flags_of(case_engine(CASE), text)
    assert any(f.category is Category.IDENTIFYING_DETAIL for f in flags), text


@pytest.mark.parametrize("text", [
    "the victim was remanded... no, the defendant is in prison already",
    "Darren Publicman's brother was in the paper for the post office robbery",
    "my lad plays for Fulwood Youth, number 9, left back",
    "the victim was walking down Garstang Road when it happened, the court heard",
    "the victim's mum drives a black Qashqai",
])
def test_quiet(text: str) -> None:
    flags = flags_of(case_engine(CASE), text)
    assert not any(f.category is Category.IDENTIFYING_DETAIL for f in flags), text


@pytest.mark.parametrize(("text", "label"), [
    ("passenger lad's mam does the school run", "the passenger"),
    ("ok. Driver's brother got locked up", "the driver"),
])
def test_a_label_head_opening_a_clause(text: str, label: str) -> None:
    finder = TieFinder([("the driver", "s.49; 16-year-old defendant"), ("the passenger", "s.45; 15-year-old witness")])
    assert label in {t.label for t in finder.find(text)}, text


def test_a_bare_label_head_needs_a_person_noun_or_a_possessive() -> None:
    finder = TieFinder([("the driver", "s.49; 16-year-old defendant")])
    assert finder.find("driver was doing 70 in a 30") == []


@pytest.mark.parametrize(("text", "relative"), [
    ("her lad is 12 and goes to the high school", "son"),
    ("his eldest works at the garage", "eldest child"),
])
def test_relatives_said_plainly(text: str, relative: str) -> None:
    assert any(t.who.endswith(relative) for t in TieFinder(SISTERS).find(text)), text


def test_an_estate_placed_by_its_district_and_a_club_someone_goes_to() -> None:
    from bot.recognizers.routine import RoutineRecognizer
    from bot.recognizers.traits import TraitRecognizer

    assert any(d.kind == "area" and "estate" in d.evidence
               for d in TraitRecognizer().find("they were all from the same estate in Harraby"))
    found = RoutineRecognizer().find("she goes to the slimming club in Keswick on a Tuesday")
    assert any(d.kind == "routine" for d in found)
