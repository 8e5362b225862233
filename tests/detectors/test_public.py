"""Public parties: details about them, and public facts, are not evidence about a protected party."""

from __future__ import annotations

import pytest

from bot.case import parse_case
from bot.engine import IdentityEngine
from bot.errors import CaseFileError
from bot.flags import Category, Message
from bot.registry import ProtectedRegistry

CASE = """
id = "t"
[[protected]]
label = "the boy"
basis = "child complainant"
names = ["Alfie Quennell"]

[[public]]
label = "the defendant"
names = ["Desmond Pryor"]

[[public]]
label = "the club"
names = ["Hartcliffe Boxing Club"]

[[public]]
label = "the court"
names = ["Bristol Crown Court"]
"""


def flagged(engine: IdentityEngine, text: str) -> set[str]:
    v = engine.check(Message(id="m", author="a", content=text, thread_id="t"))
    return {f.category for f in v.flags} & {Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL}


@pytest.fixture
def engine() -> IdentityEngine:
    return IdentityEngine.from_case(parse_case(CASE), b"k" * 32)


@pytest.mark.parametrize("text", [
    "Pryor, 52, of Hartcliffe, appeared at Bristol Crown Court and lives on Bishport Avenue",
    "Mr P who coaches the Tuesday juniors at Hartcliffe Boxing Club, he is 52 and lives in Hartcliffe",
    "Desmond Pryor coached at Hartcliffe Boxing Club and lives on Bishport Avenue",
])
def test_details_about_public_parties_are_not_evidence(engine: IdentityEngine, text: str) -> None:
    assert flagged(engine, text) == set()


def test_without_public_parties_the_same_details_count() -> None:
    case = parse_case(CASE)
    case.public = []
    text = "Mr P who coaches the Tuesday juniors at Hartcliffe Boxing Club, he is 52 and lives in Hartcliffe"
    assert flagged(IdentityEngine.from_case(case, b"k" * 32), text) == {Category.IDENTIFYING_DETAIL}


def test_protected_still_wins(engine: IdentityEngine) -> None:
    assert flagged(engine, "Alfie Quennell trained at Hartcliffe Boxing Club") >= {Category.PROTECTED_IDENTITY}
    assert flagged(engine, "the boy lives on Bishport Avenue with his nan") == {Category.IDENTIFYING_DETAIL}


def test_public_parties_are_hashed_and_parsed() -> None:
    case = parse_case(CASE)
    assert [p.label for p in case.public] == ["the defendant", "the club", "the court"]
    assert "Pryor" not in repr(case.public)
    reg = ProtectedRegistry.public_from_case(case, b"k" * 32)
    assert reg is not None and "pryor" not in repr(reg.to_records()).lower()
    with pytest.raises(CaseFileError, match="longer than 100"):
        parse_case(CASE + '\n[[public]]\nlabel = "x"\nnames = ["' + "y" * 101 + '"]\n')


SCHOOL_CASE = """
id = "fire"
[[protected]]
label = "the girl who saw it"
basis = "child witness"
names = ["Tilly Marchbank"]

[[public]]
label = "the school that burned"
names = ["Ashcombe Primary"]
"""


@pytest.mark.parametrize("public", [True, False])
def test_a_public_party_named_in_an_earlier_message_is_no_jigsaw_evidence(public: bool) -> None:
    """An author names the (public) school earlier, then gives a child witness's age: school and age point to no
    one when the school is the public scene of the case; when the school is not public, the same pair counts."""
    case = parse_case(SCHOOL_CASE)
    if not public:
        case.public = []
    engine = IdentityEngine.from_case(case, b"k" * 32)
    earlier = Message(id="1", author="a", thread_id="t", timestamp="2026-12-06T10:00:00+00:00",
                      content="A 15-year-old boy appeared at Exeter Youth Court today charged with arson at "
                              "Ashcombe Primary. He was remanded into local authority care.")
    engine.check(earlier)
    later = Message(id="2", author="a", thread_id="t", timestamp="2026-12-06T10:05:00+00:00",
                    content="Apparently a younger girl spotted him by the gates and rang the police. "
                            "She's 11 and will be a witness.")
    kinds = {f.kind for f in engine.check(later, [earlier]).flags}
    assert ("jigsaw" in kinds) is not public


SHARED_SURNAME = """
id = "s"
[[protected]]
label = "the boy"
basis = "child complainant, 12"
names = ["Jaxon Pellowe"]

[[public]]
label = "the boy's father, who spoke to the press"
names = ["Martin Pellowe"]
"""


@pytest.mark.parametrize(("text", "protected"), [
    ("Martin Pellowe told the local paper he wants answers", False),
    ("good on martin pellowe for going on the radio", False),
    ("Martin Pellowe's petition has 4,000 signatures", False),
    ("Jaxon Pellowe is the boy, everyone knows", True),
    ("the Pellowe lad is the one who got hurt", True),
    ("J. Pellowe, that's him", True),
    ("Martin Pellowe is the dad of Jaxon Pellowe", True),
])
def test_a_public_full_name_shields_the_surname_it_shares(text: str, protected: bool) -> None:
    engine = IdentityEngine.from_case(parse_case(SHARED_SURNAME), b"k" * 32)
    v = engine.check(Message(id="m", author="a", content=text, thread_id="t"))
    assert (Category.PROTECTED_IDENTITY in {f.category for f in v.flags}) is protected
