"""Mechanisms added after the thirteenth first-look thread (tests/data/fresh/grimsby-driving-instructor): a
known first name talked about as someone (a she/he pronoun after it) goes to review; a first name that is also
a word opens a sentence as a person when a subject verb and a pronoun follow; a name spelt out letter by letter
keeps its surname initial apart; pet forms of a registered first name ("-zza", "-s")."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.flags import Action, Category, Message
from bot.normalize import normalize, tokenize
from bot.registry import pet_forms
from tests.identity_helpers import case_engine, flags_of

CASE = """
id = "round8"
[[protected]]
label = "the learner"
basis = "Sexual Offences (Amendment) Act 1992 s.1; complainant"
names = ["Hope Marchbank"]
[[protected]]
label = "the witness"
basis = "reporting direction; prosecution witness"
names = ["Lorraine Applethwaite"]
[[public]]
label = "the defendant"
names = ["Barnaby Stoddart"]
"""


def engine() -> IdentityEngine:
    return case_engine(CASE)


def protected(text: str) -> list[Action]:
    flags = flags_of(engine(), text)
    return [f.suggested for f in flags if f.category is Category.PROTECTED_IDENTITY]


@pytest.mark.parametrize("text", [
    "Lorraine? She has been on that reception desk for as long as I can remember",
    "lorraine got her hours cut after she spoke up",
    "Hope only passed her test in May, she was made up with it",
    "Lozza from the office has been off sick since, her husband says she is in bits",
])
def test_a_first_name_talked_about_as_someone_goes_to_review(text: str) -> None:
    assert protected(text) == [Action.REVIEW]


@pytest.mark.parametrize("text", [
    "Hope the jury sees sense, he deserves everything coming to him",
    "Hope she gets the justice she deserves",
    "Lorraine. Anyway, back to the case. The trial starts Monday and he denies all of it",
    "Lorraine went to the shops",
    "Lorraine is a lovely old name, my nan was one",
    "Lozza from the office has been off sick since",
    "the lorry was parked on her road",
])
def test_no_person_clause_no_flag(text: str) -> None:
    assert protected(text) == []


@pytest.mark.parametrize("text", ["H.o.p.e M. is all I'm saying", "H o p e M was in my class"])
def test_spelt_out_first_name_keeps_its_initial_apart(text: str) -> None:
    assert protected(text) == [Action.HOLD]


def test_join_stops_at_a_capital_after_small_letters() -> None:
    words = [t.text for t in tokenize(normalize("H.o.p.e M. and S U M M E R"))]
    assert words == ["hope", "m", "and", "summer"]


def test_pet_forms_are_rare_words_from_the_opening_syllable() -> None:
    assert {"loz", "lozza", "lors"} <= set(pet_forms("lorraine"))
    assert "lorry" not in pet_forms("lorraine")  # an English word: something else as often as not
    assert {"tams", "tammo"} <= set(pet_forms("tamsin"))
    assert pet_forms("amy") == []


def test_pet_forms_are_checked_against_english_in_plain_letters() -> None:
    from bot.case import parse_case as parse
    from bot.engine import IdentityEngine as Engine

    case = parse('id = "pets"\n[[protected]]\nlabel = "the girl"\nbasis = "child complainant"\n'
                 'names = ["Lobelia Quarrendon"]\n')
    engine = Engine.from_case(case, b"round8-pets-key-0123456789abcdef")
    # "lobby" would be a pet form of Lobelia, but it is an English word (an "l" must not hide it as "iobby")
    text = "the girl waited in the lobby with her mum"
    flags = engine.check(Message(id="m", author="someone", content=text)).flags
    assert not [f for f in flags if f.category is Category.PROTECTED_IDENTITY]
