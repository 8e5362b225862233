"""Wave 9 (idcorpus9): a lower-case registered first name that is an ordinary word, as the subject of a
sentence about the person (name.person_verbs); compound case labels' earlier nouns (tie.label_compound)."""

from __future__ import annotations

import pytest

from bot.matcher import ProtectedMatcher
from bot.recognizers.ties import TieFinder
from bot.registry import ProtectedRegistry


@pytest.fixture(scope="module")
def matcher() -> ProtectedMatcher:
    registry = ProtectedRegistry(b"wave9-test-key")
    registry.add_party("the witness", names=["Will Quarrendon"])
    return ProtectedMatcher(registry)


@pytest.mark.parametrize("text", [
    "will was seen outside the chippy the night it happened",
    "will drives a van for the council, everyone knows",
    "tbh will coaches the juniors on tuesdays",
    "will's the tall one who coaches the juniors",
])
def test_lower_common_first_name_as_person_subject(matcher: ProtectedMatcher, text: str) -> None:
    assert matcher.find(text), text


@pytest.mark.parametrize("text", [
    "will the trial finish before christmas",
    "i will say the police took ages",
    "will was the word he used in court",
    "he will drive down tomorrow",
    "will has gone, he changed it last year",
])
def test_modal_or_noun_will_is_not_a_name(matcher: ProtectedMatcher, text: str) -> None:
    assert not matcher.find(text), text


def test_gate_agrees_with_full_matcher(matcher: ProtectedMatcher) -> None:
    for text in ("will walks the dog round the park", "will was spotted at the chippy"):
        assert matcher.might_match(text) and matcher.find(text)


def test_compound_label_heads() -> None:
    finder = TieFinder([("the allotment witness", "adult witness"), ("the care-home complainant", "adult")])
    assert [t.label for t in finder.find("the allotment bloke has the plot by the gate")] == ["the allotment witness"]
    assert [t.label for t in finder.find("the care home lad")] == ["the care-home complainant"]
    mum = finder.find("the allotment's mum") + finder.find("the carehome's mum works at the Spar")
    assert mum and all(t.relative for t in mum)
    assert not finder.find("the allotment was flooded again")
    assert not finder.find("my allotment is at the top of the hill")


def test_generic_label_words_are_no_heads() -> None:
    finder = TieFinder([("the key witness", "adult"), ("the prosecution witness", "adult")])
    assert finder.compound_heads == {}


@pytest.fixture(scope="module")
def family_matcher() -> ProtectedMatcher:
    registry = ProtectedRegistry(b"wave9-test-key")
    registry.add_party("the boy", names=["Jack Quarrendon"])
    registry.add_party("the colleague", names=["Danielle Hargreaves", "Danni Hargreaves"])
    return ProtectedMatcher(registry)


@pytest.mark.parametrize("text", [
    "jack's older brother drives a black corsa, always outside the chippy",
    "jack's mum works at the big tesco",
    "Jack's little sister is in year 7",
    "Danni works in the baby room at the nursery",
    "danni was seen at the bus station",
])
def test_first_name_or_nickname_owning_a_relative_or_doing_a_persons_verb(
        family_matcher: ProtectedMatcher, text: str) -> None:
    assert family_matcher.find(text), text


@pytest.mark.parametrize("text", [
    "the car jack's handle snapped",
    "jack's older car broke down again",
    "hit the jack pot on the fruit machine",
])
def test_jack_the_word_is_not_the_boy(family_matcher: ProtectedMatcher, text: str) -> None:
    assert not family_matcher.find(text), text


@pytest.mark.parametrize("text", [
    "jack's mum is lovely, she did the teas",
    "danni was seen at the bus station",
    "jack's older brother drives a black corsa",
])
def test_pre_check_lets_through_what_the_full_matcher_accepts(family_matcher: ProtectedMatcher, text: str) -> None:
    assert family_matcher.find(text), text
    assert family_matcher.might_match(text), text
