"""Mechanisms added after the sixteenth first-look thread (tests/data/fresh/camborne-dog-attack): a name run
into a forum member's @name is that member; a first name next to words for a show or book character is the
character; a first name cut to its first syllable ("Dem"), also with an initial ("Dem R") or after "Little"
opening a sentence; a case label's clause is not its head ("the dog" of "the boy who was walking the dog");
"a named school" is no school."""

from __future__ import annotations

import pytest

from bot.detectors.identifying import IdentifyingDetailDetector
from bot.flags import Category
from bot.recognizers.ties import TieFinder
from bot.registry import pet_forms
from tests.identity_helpers import case_engine, flags_of

CASE = """
id = "round8d"
[[protected]]
label = "the boy who was walking the dog"
basis = "youth defendant, 15; YJCEA 1999 s.45 direction"
names = ["Kit Polglase"]
[[protected]]
label = "the girl who saw it"
basis = "child witness, 10; YJCEA 1999 s.45 direction"
names = ["Josephine Quarrendon"]
[[public]]
label = "the dog's owner"
names = ["Barnaby Stoddart"]
"""


def categories(text: str, *, members: tuple[str, ...] = ()) -> set[Category]:
    engine = case_engine(CASE)
    engine.add_members("t", members)
    flags = flags_of(engine, text, thread_id="t")
    return {f.category for f in flags}


def test_a_name_inside_a_members_at_name_is_the_member() -> None:
    text = "@kit_from_hayle the girl's statement was read out today"
    assert Category.PROTECTED_IDENTITY not in categories(text, members=("kit_from_hayle",))
    assert Category.PROTECTED_IDENTITY in categories("the boy Kit was there, the statement says so")


@pytest.mark.parametrize("text", [
    "Rewatching the series, Josephine's still the best character in it",
    "the actress who played Josephine was brilliant, she won an award",
])
def test_a_character_is_not_the_party(text: str) -> None:
    assert Category.PROTECTED_IDENTITY not in categories(text)


@pytest.mark.parametrize("text", [
    "Little Jos has been off school since, her mum says",
    "Jos Q is in year 5 now, her mum walks her in",
])
def test_a_first_syllable_pet_form_with_a_tie(text: str) -> None:
    assert "jos" in pet_forms("josephine")
    assert Category.PROTECTED_IDENTITY in categories(text)


def test_a_first_syllable_pet_form_alone_is_nothing() -> None:
    assert Category.PROTECTED_IDENTITY not in categories("Jos has been off work since")


def test_a_labels_clause_is_not_its_head() -> None:
    finder = TieFinder([("the boy who was walking the dog", "youth defendant, 15")])
    assert [t.label for t in finder.find("the boy was scared")] == ["the boy who was walking the dog"]
    assert not [t for t in finder.find("the dog was kept on the balcony") if t.label]


def test_a_named_school_is_no_school() -> None:
    details = IdentifyingDetailDetector().analyse("A parent's job at a named school identifies the boy.").details
    assert not [d for d in details if d.kind in ("school", "workplace")]
