"""Mechanisms added after the seventh first-look thread (tests/data/fresh/stockport-netball-coach): a child noun
later in the same sentence ties a first name, a sound spelling with a dropped letter (tied only), sport nouns and
bare relatives as party nouns, and a lower-case initial after a first name that is also a word."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.flags import Category
from tests.identity_helpers import case_engine, flags_of

CASE = """
id = "round7"
[[protected]]
label = "the girl"
basis = "Sexual Offences (Amendment) Act 1992 s.1; child complainant"
names = ["Wilhelmina Lindqvist"]
[[protected]]
label = "the witness"
basis = "anonymity order; prosecution witness"
names = ["Rose Pellinore"]
[[public]]
label = "the defendant"
names = ["Barnaby Stoddart"]
"""


def engine() -> IdentityEngine:
    return case_engine(CASE)


def categories(text: str) -> set[Category]:
    return {f.category for f in flags_of(engine(), text)}


@pytest.mark.parametrize("text", [
    "Wilhelmina was always the first one at training, lovely girl",
    "its the linquist lass isnt it",
    "rose p from the leisure centre, everyone knows it was her",
    "rose p",  # the whole message: a common first name and the surname's initial, for review (wave 12,
               # name.initial_common; until then a near miss)
])
def test_round7_names_are_flagged(text: str) -> None:
    assert Category.PROTECTED_IDENTITY in categories(text)


@pytest.mark.parametrize("text", [
    "Wilhelmina went to the shops with friends on Tuesday. The girl next door is another story",
    "Wilhelmina Linquest posted",  # two edits with no case around it: another name
    "Wilhelmina Linquist posted",  # two edits never pair with the first name (test_short_names_get_no_misspellings)
    "rose p said it at the meeting",
    "prices rose pretty quickly from there",
])
def test_round7_near_misses_are_not_names(text: str) -> None:
    assert Category.PROTECTED_IDENTITY not in categories(text)


@pytest.mark.parametrize("text", [
    "The goal defence in the under 16s, the tall one whose mum does the tuck shop on Saturdays",
    "the netballer from Bramhall, the one who got picked for the county trials, lives on Hall Lane",
    "the older sister plays for the Vipers as well and the dad drives the minibus to away games",
])
def test_round7_party_nouns_carry_a_jigsaw(text: str) -> None:
    assert Category.IDENTIFYING_DETAIL in categories(text)


@pytest.mark.parametrize("text", [
    "Stoddart was the keeper at Ketley Bank Rangers and lives in Wellington now",
    "the brother of the defendant works at the Aldi in Hadley",
])
def test_round7_nouns_that_describe_someone_else_carry_nothing(text: str) -> None:
    assert not categories(text)


# wave 8: the same with the initial's dot ("rose p. from ..."); a known first name owning a relative
@pytest.mark.parametrize("text", [
    "rose p. from the leisure centre, everyone knows it was her",
    "Rose's grandad runs the garage on the corner",
])
def test_wave8_names_are_flagged(text: str) -> None:
    assert Category.PROTECTED_IDENTITY in categories(text)


@pytest.mark.parametrize("text", ["rose p. is a lovely hybrid tea", "my grandad Rose"])
def test_wave8_near_misses_are_not_names(text: str) -> None:
    assert Category.PROTECTED_IDENTITY not in categories(text)
