"""Mechanisms added after the fifteenth first-look thread (tests/data/fresh/aberdeen-taxi-driver): more
occupations; a home town after "oot o"/"out of"; a course year ("her second year at ..."); where a car is
parked every night; a regular performance ("plays in the band at <venue> on a Thursday"); pet forms made of a
first name's letters up to its second vowel ("Morvs")."""

from __future__ import annotations

import pytest

from bot.detectors.identifying import IdentifyingDetailDetector
from bot.engine import IdentityEngine
from bot.flags import Category
from bot.registry import pet_forms
from tests.identity_helpers import case_engine, flags_of

CASE = """
id = "round8c"
[[protected]]
label = "the complainant"
basis = "sexual offence complainant"
names = ["Morven Quillfeather"]
[[protected]]
label = "the flatmate who called the police"
basis = "vulnerable witness order"
names = ["Bathsheba Oduya"]
[[public]]
label = "the accused"
names = ["Barnaby Stoddart"]
"""


def engine() -> IdentityEngine:
    return case_engine(CASE)


def categories(text: str) -> set[Category]:
    return {f.category for f in flags_of(engine(), text)}


def kinds(text: str) -> set[str]:
    return {d.kind for d in IdentifyingDetailDetector().analyse(text).details}


@pytest.mark.parametrize(("text", "kind"), [
    ("her da's a trawlerman oot o Fraserburgh", "area"),
    ("her da's a trawlerman oot o Fraserburgh", "occupation"),
    ("she's in her final year doing law at the uni", "age"),
    ("she parks her car outside the library every night", "routine"),
    ("he plays in a covers band at the Blue Lamp on Fridays", "routine"),
])
def test_recognizers_find_the_details(text: str, kind: str) -> None:
    assert kind in kinds(text)


@pytest.mark.parametrize("text", [
    "the band played at the Blue Lamp on Friday",
    "in the final year of his sentence",
    "we ran out of time at the hearing",
])
def test_near_misses_find_nothing_of_the_kind(text: str) -> None:
    assert not kinds(text) & {"routine", "age", "area"}


@pytest.mark.parametrize("text", [
    "the flatmate drives a wee red Corsa, parks it behind the flats every night",
    "the flatmate's boyfriend plays in the band at the Blue Lamp on a Friday",
    "Her dad's a trawlerman oot o Fraserburgh, everybody kens who she is",
])
def test_jigsaws_are_flagged(text: str) -> None:
    assert Category.IDENTIFYING_DETAIL in categories(text) or Category.PROTECTED_IDENTITY in categories(text)


def test_pet_form_up_to_the_second_vowel() -> None:
    assert "morvs" in pet_forms("morven")
    assert Category.PROTECTED_IDENTITY in categories("Morvs has had a rough time, her mum says she's not eating")


@pytest.mark.parametrize("text", [
    "M.Q. is in her second year at the uni",
    "M. Q. has been through enough, leave her alone",
])
def test_dotted_initials_with_a_tie(text: str) -> None:
    assert Category.PROTECTED_IDENTITY in categories(text)


@pytest.mark.parametrize("text", [
    "M.Q. and the rest of the band played",  # nothing ties them to the case
    "MQ is in second year at the uni",  # no dots and no pronoun: letters, not initials
    "M Q was on the radio",  # undotted and nothing ties them (round 9: tied undotted initials go to review)
    "the P.C. said she saw nothing",
])
def test_initials_without_dots_or_a_tie_are_not_names(text: str) -> None:
    assert Category.PROTECTED_IDENTITY not in categories(text)


def test_run_together_initials_opening_a_sentence_about_her_are_a_name() -> None:
    """Wave 12 (name.initials_run_together): run-together capitals with a she/he pronoun after them are someone
    talked about by their initials; round 8 had this message as letters, not initials."""
    assert Category.PROTECTED_IDENTITY in categories("MQ is in her second year at the uni")


def test_a_person_word_after_dotted_initials_ties_them() -> None:
    assert Category.PROTECTED_IDENTITY in categories("M.Q. works Saturdays at the chippy on the front")


@pytest.mark.parametrize("text", [
    "M.Q. works at the chippy", "M . Q. works at the chippy", "M. Q. has been through enough, leave her alone",
    "mq works at the chippy", "a m q b works there", "the ms. quarrendon girl", "é.Q. from the café, she",
    "Mo Q. works there, she says", "members. queue here", "M.Q", "it is mq and she is here",
])
def test_the_pre_check_never_skips_dotted_initials(text: str) -> None:
    from bot.matcher import ProtectedMatcher
    from bot.registry import ProtectedRegistry

    registry = ProtectedRegistry(b"round8c-gate-key")
    registry.add_party("the complainant", names=["Morven Quillfeather"])
    matcher = ProtectedMatcher(registry)
    for _ in range(2):  # the second time with the pre-check's caches warm
        assert matcher.find(text) == matcher.find(text, gate=False)
