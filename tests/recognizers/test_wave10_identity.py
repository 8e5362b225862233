"""Wave 10 (idgen10): a registered first name equated to a party (name.equated); plural party nouns after
'both' (tie.child_nouns params.determiners); a school of a kind in a named town (school.in_town); a business
someone has on a named street (workplace.owns); a car left at a named place (routine.parked_at_place)."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.flags import Category, Message
from bot.matcher import ProtectedMatcher
from bot.recognizers.school import SchoolRecognizer
from bot.recognizers.ties import TieFinder
from bot.registry import ProtectedRegistry
from tests.identity_helpers import case_engine


@pytest.fixture(scope="module")
def matcher() -> ProtectedMatcher:
    registry = ProtectedRegistry(b"wave10-test-key")
    registry.add_party("the younger girl", names=["Hope Ellerby"])
    registry.add_party("the apprentice who reported it", names=["Declan Moorcroft"])
    registry.add_party("the physio", names=["Anjali Treharne"])
    return ProtectedMatcher(registry)


@pytest.mark.parametrize(("text", "label"), [
    ("one of the sisters is hope, everyone at the chapel knows", "the younger girl"),
    ("the kid who got hurt was Hope.", "the younger girl"),
    ("the second one is hope apparently", "the younger girl"),
    ("it's hope from the cottages by the quarry", "the younger girl"),
    ("the lad who went to the police is declan", "the apprentice who reported it"),
    ("the apprentice who blew the whistle was definitely Declan", "the apprentice who reported it"),
    ("that's declan, the ginger one in the team photo", "the apprentice who reported it"),
    ("the physio they're protecting is anjali", "the physio"),
])
def test_first_name_equated_to_a_party(matcher: ProtectedMatcher, text: str, label: str) -> None:
    assert label in {m.label for m in matcher.find(text)}, text


@pytest.mark.parametrize("text", [
    "it's hope that keeps the family going",
    "the verdict is hope for the other victims",
    "the only thing left is hope tbh",
    "one of the jurors is declan something, saw it on the court list",
    "my granddaughter is hope too, so i flinch every time",
    "the best outcome is hope and a long sentence",
    "the younger girl's email is hope.ellerby2009@example.com",
])
def test_equation_guards(matcher: ProtectedMatcher, text: str) -> None:
    assert not matcher.find(text), text


def test_both_with_a_plural_party_noun_is_a_tie() -> None:
    finder = TieFinder([("the older boy", "child complainant, 15"), ("the younger boy", "child complainant, 12")])
    ties = finder.find("both lads get the school bus from outside the chip shop")
    assert any(t.definite for t in ties)
    assert not any(t.definite for t in finder.find("both of us went there as kids"))


@pytest.mark.parametrize(("text", "found"), [
    ("the girls were at the same primary in Wrangle till year 4", True),
    ("he goes to the catholic high school in Louth", True),
    ("the school in the village was shut", False),
    ("at the school gates every day", False),
    ("she goes to a primary school in Didsbury", False),
    ("her mum is a dinner lady at the primary in Pool", False),
    ("he works as a caretaker at the high school in Holt", False),
])
def test_school_of_a_kind_in_a_named_town(text: str, found: bool) -> None:
    assert bool(SchoolRecognizer().find(text)) is found, text


CASE = """
id = "w10"
title = "Night porter on trial for assaulting two residents"
[[protected]]
label = "the resident"
basis = "vulnerable adult complainant; s.46 direction"
names = ["Gwen Pettifer"]

[[protected]]
label = "the whistleblower"
basis = "care worker who reported the abuse; s.46 direction"
names = ["Marcus Oduya"]

[[public]]
label = "the defendant"
names = ["Royston Fell"]
"""


def _engine() -> IdentityEngine:
    return case_engine(CASE)


def _flags(engine: IdentityEngine, texts: list[str]) -> list[set[Category]]:
    out = []
    for k, text in enumerate(texts):
        v = engine.check(Message(id=f"m{k}", author=f"a{k}", content=text, thread_id="t"))
        out.append({f.category for f in v.flags} & {Category.IDENTIFYING_DETAIL, Category.PROTECTED_IDENTITY})
    return out


@pytest.mark.parametrize("text", [
    "the whistleblower's wife has the little flower shop on Mercer Street",
    "the whistleblower drives a blue Skoda estate, leaves it behind the Co-op on Dyke Road before his night shifts",
])
def test_a_role_nouns_business_or_car_at_a_named_place(text: str) -> None:
    assert _flags(_engine(), [text]) == [{Category.IDENTIFYING_DETAIL}]


@pytest.mark.parametrize("text", [
    "hope was the girl who got hurt, everyone at the chapel knows",
    "Declan is one of the apprentices who went to the police",
    "honestly hope's the younger one",
])
def test_party_equated_to_a_name_that_opens_the_clause(matcher: ProtectedMatcher, text: str) -> None:
    assert matcher.find(text), text


@pytest.mark.parametrize("text", [
    "hope is the only thing keeping the family going",
    "Hope the jury sees through him",
    "hope was a word the barrister used a lot",
])
def test_a_word_opening_a_clause_is_not_equated(matcher: ProtectedMatcher, text: str) -> None:
    assert not matcher.find(text), text
