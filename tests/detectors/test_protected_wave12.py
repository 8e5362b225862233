"""Wave 12 (idprot12): a common first name with a lower-case initial and no person word (name.initial_common), a
short name that is a word as the object of an act in the case (name.case_object) or after "its", disguised names
(name.disguised), numbers read out with "double" and no trunk zero, street names that share a surname
(name.street_after), and the first part of a hyphenated first name before the surname (form.hyphenated_first).
Fictional names only; the matcher is asked directly."""

from __future__ import annotations

import pytest

from bot.flags import Action
from bot.matcher import ProtectedMatcher
from bot.normalize import digits_said
from bot.registry import ProtectedRegistry

KEY = b"wave12-idprot12-test-key-000000000"


@pytest.fixture(scope="module")
def matcher() -> ProtectedMatcher:
    reg = ProtectedRegistry(KEY)
    reg.add_party("the officer", names=["Jack Ormerod"], identifiers=["PC 3318"])
    reg.add_party("the girl", names=["Dot Rainford"], identifiers=["07700 900274"])
    reg.add_party("the sister", names=["Tansy-Mae Colclough"], identifiers=[])
    return ProtectedMatcher(reg)


@pytest.mark.parametrize("text", [
    "jack o",
    "jack o.",
    "it's jack o",
    "its jack o, traffic",
    "jack o 3318",
    "jack o 3318 skelmersdale",
    "jack o, ormskirk",
    "honestly it was jack o",
    "the case against dot fell apart",
    "nobody believes dot",
    "they've all turned on dot, she's fourteen",
    "its dot",
    "everyone knows it was dot",
    "t4nsy-m4e was the one on the bus",
    "saw t4nsy at the shops",
])
def test_reviewed(matcher: ProtectedMatcher, text: str) -> None:
    found = matcher.find(text)
    assert found and all(m.suggested in (Action.REVIEW, Action.HOLD) for m in found), found


@pytest.mark.parametrize("text", [
    "jack o said it in court",
    "jack o and the rest of them",
    "jack o lantern on the doorstep",
    "the dot on the map is the court",
    "believe dot matrix printers still exist",
    "put the kettle on dot",
    "its dot pattern is everywhere",
    "colclough road is shut again",
    "tansy is a herb my nan grew",
])
def test_not_found(matcher: ProtectedMatcher, text: str) -> None:
    assert matcher.find(text) == []


@pytest.mark.parametrize("text", [
    "double seven, double oh, nine double oh, two seven four, if anyone wants her",
    "o seven seven o o, nine o o, two seven four",
    "oh seven seven zero zero. nine zero zero. two seven four",
])
def test_numbers_read_out(matcher: ProtectedMatcher, text: str) -> None:
    assert {m.kind for m in matcher.find(text)} == {"identifier"}


def test_no_number_in_ordinary_words() -> None:
    assert digits_said("o dear, one of them said two") is None


@pytest.mark.parametrize("text", ["Tansy Colclough", "tansy c", "Tansy C was on the bus"])
def test_first_part_of_a_hyphenated_first_name(matcher: ProtectedMatcher, text: str) -> None:
    assert matcher.find(text)
