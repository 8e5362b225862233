"""Wave 13 forms of registered names and identifiers: a name cut inside a word across two messages, sound-alike
surnames after the exact first name, hyphened initials, collar numbers split by separators, and the guards for
a nickname used as the verb it is and a surname that is also a town. Every name here is invented."""

from __future__ import annotations

import pytest

from bot.detectors.base import ScanContext
from bot.detectors.protected import ProtectedPartyDetector
from bot.flags import Action, Message
from bot.registry import ProtectedRegistry

KEY = b"wave13-protected-test-key-0123456789"


@pytest.fixture(scope="module")
def detector() -> ProtectedPartyDetector:
    reg = ProtectedRegistry(KEY)
    reg.add_party("the boy", names=["Jordan Pennock", "Skid"], identifiers=["PC 5180"])
    reg.add_party("the girl", names=["Carys-Mae Tarrant"])
    reg.add_party("the witness", names=["Declan Spurway"])
    return ProtectedPartyDetector(reg)


def flagged(detector: ProtectedPartyDetector, text: str, before: str | None = None) -> bool:
    history = (Message("p", "author", before),) if before is not None else ()
    ctx = ScanContext(Message("m", "author", text), history=history)
    return bool(detector.triggered_on(ctx))


@pytest.mark.parametrize(("before", "text"), [
    ("honestly the kid who did it was Jor", "dan pennock, everyone knew"),
    ("ye ken fine it wis jordan penn", "ock, him fae the flats"),
    ("the lad's name is Decl", "an Spurway and he saw the lot"),
])
def test_name_cut_inside_a_word(detector: ProtectedPartyDetector, before: str, text: str) -> None:
    ctx = ScanContext(Message("m", "author", text), history=(Message("p", "author", before),))
    split = detector._split_across(ctx)
    assert [m.kind for m in split] == ["full_name"]
    assert split[0].start == 0 and any(how.startswith("split") for how in split[0].how)
    assert flagged(detector, text, before)


@pytest.mark.parametrize(("before", "text"), [
    ("we drove past the jor", "dan river on the news last night"),
    ("the shop was closed.", "pennies everywhere on the floor"),
    ("went to see declan", "and then home"),
])
def test_no_name_across_ordinary_messages(detector: ProtectedPartyDetector, before: str, text: str) -> None:
    ctx = ScanContext(Message("m", "author", text), history=(Message("p", "author", before),))
    assert detector._split_across(ctx) == []


@pytest.mark.parametrize("text", ["declan spurwey is the lad, everyone knows", "it was Declan Sperway from the flats",
                                  "declan spirway again"])
def test_sound_alike_surname_after_the_first_name_is_held(detector: ProtectedPartyDetector, text: str) -> None:
    [m] = detector.find(text)
    assert m.kind == "full_name" and m.suggested is Action.HOLD


@pytest.mark.parametrize("text", ["declan sprayed the fence", "Declan said nothing", "declan and sam went home"])
def test_first_name_then_an_ordinary_word(detector: ProtectedPartyDetector, text: str) -> None:
    assert all(m.kind != "full_name" for m in detector.find(text))


@pytest.mark.parametrize("text", ["collar number 51 80, always by the chippy", "it was PC 51/80 again",
                                  "pc 51-80 nicked him", "PC 51.80 was on the door"])
def test_collar_number_split_by_separators(detector: ProtectedPartyDetector, text: str) -> None:
    assert detector.find(text)


@pytest.mark.parametrize("text", ["the score was 51-80 at full time", "it happened on 5/18", "we won 51 80"])
def test_numbers_without_a_cue_are_not_split_collars(detector: ProtectedPartyDetector, text: str) -> None:
    assert detector.find(text) == []


@pytest.mark.parametrize("text", ["what really skids me is the lies", "it skid right off the road",
                                  "the car will skid on that ice"])
def test_nickname_used_as_a_word(detector: ProtectedPartyDetector, text: str) -> None:
    assert detector.find(text) == []


def test_hyphened_initials_said_to_be_a_person(detector: ProtectedPartyDetector) -> None:
    assert detector.find("C-M's mam was outside the court")
    assert detector.find("the C-M lass was in bits")
    assert detector.find("C-M was outside the court") == []
    assert detector.find("the C-M offices") == []
