"""Mechanisms added after the wave-3 first-look threads (tests/data/fresh/leicester-*, telford-*): a title with
a protected surname's initial, a bare relative word that narrows no one down, and the thread-level path."""

from __future__ import annotations

import pytest

from bot.case import parse_case
from bot.engine import IdentityEngine, ThreadHistory
from bot.flags import Category, Message
from bot.registry import TITLE_INITIAL

CASE = """
id = "round3"
[[protected]]
label = "the girl"
basis = "Sexual Offences (Amendment) Act 1992 s.1; child complainant"
names = ["Wilhelmina Quarrendon"]
[[public]]
label = "the defendant"
names = ["Barnaby Stoddart"]
"""


def engine(case: str = CASE) -> IdentityEngine:
    return IdentityEngine.from_case(parse_case(case), b"round3-test-key-0123456789abcdef")


def protected_kinds(e: IdentityEngine, text: str) -> set[str]:
    v = e.check(Message(id="m", author="someone", content=text))
    return {f.kind for f in v.flags if f.category is Category.PROTECTED_IDENTITY}


@pytest.mark.parametrize("text", [
    "wonder if Mrs Q will go in the box too",
    "Mr Q who coaches the Tuesday swimming club",
    "apparently Miss Q. gave evidence today",
    "it was mrs q",
])
def test_title_with_the_surname_initial_is_held(text: str) -> None:
    assert TITLE_INITIAL in protected_kinds(engine(), text)


@pytest.mark.parametrize("text", [
    "Mrs Q Smith was in court today",  # someone's first initial and surname
    "Mr S was in the dock",  # the public defendant's initial
    "Mrs B gave evidence",  # another initial
    "the mrs quite liked it",
])
def test_other_initials_and_full_names_are_not(text: str) -> None:
    assert TITLE_INITIAL not in protected_kinds(engine(), text)


def test_an_initial_shared_with_a_public_party_is_evidence_of_neither() -> None:
    shared = CASE.replace("Barnaby Stoddart", "Barnaby Quigley")
    assert TITLE_INITIAL not in protected_kinds(engine(shared), "Mr Q was in the dock")


def thread_flags(lines: list[tuple[str, str]]) -> list[set[str]]:
    e, history, out = engine(), ThreadHistory(), []
    e.add_members("t", {a for a, _ in lines})
    for k, (author, text) in enumerate(lines):
        m = Message(id=f"m{k}", author=author, content=text, thread_id="t",
                    timestamp=f"2026-12-01T10:{k:02d}:00+00:00")
        out.append({f.kind or "" for f in e.check(m, history.recent(m)).flags
                    if f.category is Category.IDENTIFYING_DETAIL})
        history.add(m)
    return out


def test_a_bare_relative_word_adds_nothing_to_an_earlier_street() -> None:
    flags = thread_flags([("member_a", "the girl's family are known all along Mill Road"),
                          ("member_a", "@member_b free speech innit, she had her own daughter cut")])
    assert "jigsaw" not in flags[1]


def test_a_relative_with_a_detail_still_completes_the_jigsaw() -> None:
    flags = thread_flags([("member_a", "the girl lives on Mill Road"),
                          ("member_a", "and her dad drives the number 12 bus")])
    assert "jigsaw" in flags[1]


SCHOOL_CASE = CASE.replace('names = ["Wilhelmina Quarrendon"]\n',
                           'names = ["Wilhelmina Quarrendon"]\nidentifiers = ["Pellinore Brook Academy"]\n', 1)


@pytest.mark.parametrize("text", [
    "that poor kid Wilhemina, she's only little",  # a letter dropped, a cue word near
    "the girl Wilhelmnia was there",  # two letters swapped
])
def test_a_misspelt_first_name_with_a_cue_is_found(text: str) -> None:
    assert "first_name" in protected_kinds(engine(), text)


def test_a_misspelt_first_name_without_a_cue_is_not() -> None:
    assert protected_kinds(engine(), "Wilhemina went to the shops") == set()


@pytest.mark.parametrize("text", [
    "Pelinore Brook sent a letter home",
    "she's at Pellinore Brok now",
])
def test_a_registered_school_with_one_word_misspelt_is_found(text: str) -> None:
    assert "identifier_part" in protected_kinds(engine(SCHOOL_CASE), text)


@pytest.mark.parametrize("text", ["Pelinore was lovely", "a brook runs past it"])
def test_one_word_of_a_school_alone_and_misspelt_is_not(text: str) -> None:
    assert protected_kinds(engine(SCHOOL_CASE), text) == set()


def test_institution_words_survive_the_stored_registry() -> None:
    from bot.matcher import ProtectedMatcher
    from bot.registry import ProtectedRegistry

    key = b"round3-test-key-0123456789abcdef"
    e = engine(SCHOOL_CASE)
    assert e.registry is not None
    again = ProtectedRegistry.from_records(e.registry.to_records(), key)
    kinds = {m.kind for m in ProtectedMatcher(again).find("Pelinore Brook sent a letter home")}
    assert kinds == {"identifier_part"}


@pytest.mark.parametrize("text", ["the letter went to every school in the borough",
                                  "it goes to any school that asks", "they went to which school?"])
def test_a_quantified_school_is_no_school_in_particular(text: str) -> None:
    from bot.recognizers.school import SchoolRecognizer

    assert SchoolRecognizer().find(text) == []


def test_a_lower_case_named_school_after_a_verb_still_counts() -> None:
    from bot.recognizers.school import SchoolRecognizer

    assert [d.kind for d in SchoolRecognizer().find("he went to hollins park school")] == ["school"]


PHONE_CASE = CASE.replace('names = ["Wilhelmina Quarrendon"]\n',
                          'names = ["Wilhelmina Quarrendon"]\nidentifiers = ["07700 900158"]\n', 1)


@pytest.mark.parametrize("text", ["call her, O77OO 9OO l58", "ring 077OO 9OO 158", "0770O 90O I58 is hers",
                                  "077OO 9OO 1SB"])
def test_a_registered_phone_in_three_groups_with_look_alike_letters(text: str) -> None:
    assert "identifier" in protected_kinds(engine(PHONE_CASE), text)


@pytest.mark.parametrize("text", ["ring O77OO 9OO l59", "lol lol lol lol lol", "Il Il Il 1 2 3 4"])
def test_other_numbers_and_letter_runs_are_not_the_phone(text: str) -> None:
    assert "identifier" not in protected_kinds(engine(PHONE_CASE), text)
