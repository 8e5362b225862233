"""Name forms no cut of the written name makes (bot.name_variants): pet forms from the curated dataset, an
institution cut to its leading words or its initials, a pet ending dropped; and how the matcher weighs them.
All names here are invented for these tests."""

from __future__ import annotations

import json

import pytest

from bot.matcher import ProtectedMatcher
from bot.name_variants import dataset_pets, dropped_ends, institution_acronyms, institution_cuts, surname_pets
from bot.registry import FULL_NAME, IDENTIFIER_PART, NAME_INITIAL, NICKNAME, ProtectedRegistry

KEY = b"name-variants-test-key-0123456789"


def test_dataset_pets_before_a_surname_and_alone() -> None:
    pets = dataset_pets("Margaret")
    assert {"peggy", "meg", "maggie"} <= set(pets.with_surname)
    assert {"peggy", "meg"} <= set(pets.alone)
    william = dataset_pets("William")
    assert {"bill", "will", "billy"} <= set(william.with_surname)
    assert not {"bill", "will", "bell"} & set(william.alone)  # common English words never stand alone
    assert "lena" not in dataset_pets("Catherine").alone  # a pet form of sixteen names is anyone's
    assert dataset_pets("Zebulonia") == dataset_pets("zz")  # no such name: nothing
    assert "pip" in dataset_pets("Philippa").alone  # not listed: read as the name it is formed from (Philip)


def test_institution_cuts_and_acronyms_are_guarded() -> None:
    assert institution_cuts(["Bramwell", "Fold"]) == [["Bramwell"]]
    assert institution_cuts(["Quarmby", "Clough", "Harriers"]) == [["Quarmby"], ["Quarmby", "Clough"]]
    assert institution_cuts(["Leeds", "Road"]) == []  # a town alone is the town
    assert institution_cuts(["Park", "Lane"]) == []  # common words
    assert institution_acronyms(["Bramwell", "Fold", "Academy"], ["Bramwell", "Fold"]) == ["bfa"]
    assert institution_acronyms(["National", "Health", "Service"], ["National", "Health", "Service"]) == []


def test_dropped_ends_only_leave_words() -> None:
    assert "lace" in dropped_ends("Lacey")
    assert dropped_ends("Millie") == ["mill"]
    assert dropped_ends("Demelza") == []


@pytest.fixture(scope="module")
def matcher() -> ProtectedMatcher:
    registry = ProtectedRegistry(KEY)
    registry.add_party("the boy", names=["William Haigh"], identifiers=["Quarmby Clough Harriers"])
    registry.add_party("the girl", names=["Margaret Oyelaran"], identifiers=["Bramwell Fold Academy"])
    registry.add_party("the victim", names=["Lacey Hulbert"])
    return ProtectedMatcher(registry)


def kinds(matcher: ProtectedMatcher, text: str, **kw: object) -> set[tuple[str, str]]:
    return {(m.label, m.kind) for m in matcher.find(text, **kw)}  # type: ignore[arg-type]


@pytest.mark.parametrize(("text", "want"), [
    ("if that's little Billy Haigh I'm not surprised", ("the boy", FULL_NAME)),
    ("Will H's dad plays in the seniors", ("the boy", NAME_INITIAL)),
    ("peggy o was the quiet one", ("the girl", NAME_INITIAL)),
    ("Peggy's mum has been posting all week", ("the girl", NICKNAME)),
    ("both of them go to BFA and get the bus", ("the girl", IDENTIFIER_PART)),
    ("Bramwell have sent a letter home to parents", ("the girl", IDENTIFIER_PART)),
    ("the boy runs for Quarmby Clough on Sundays", ("the boy", IDENTIFIER_PART)),
    ("poor Lace, she has not been out since", ("the victim", NICKNAME)),
])
def test_forms_people_write(matcher: ProtectedMatcher, text: str, want: tuple[str, str]) -> None:
    assert want in kinds(matcher, text)


@pytest.mark.parametrize("text", [
    "I will say the lad has been very brave",
    "has anyone seen the bill for the coach trips",
    "my niece Maggie plays in another band and she says it's awful",
    "Bramwell is a village up the valley",
    "we drove through Quarmby on the way",
    "Lace curtains were twitching, she says",
    "they sell Lace and ribbons at the market, she says",
    "bfa",  # an acronym needs its capitals
])
def test_words_and_other_people_are_left_alone(matcher: ProtectedMatcher, text: str) -> None:
    assert kinds(matcher, text) == set()


def test_a_forum_member_by_a_pet_form_is_the_member(matcher: ProtectedMatcher) -> None:
    text = "Peggy's right, the girl deserves better"
    assert ("the girl", NICKNAME) in kinds(matcher, text)
    assert kinds(matcher, text, members=frozenset({"peggy"})) == set()


def test_derived_forms_are_stored_as_digests_only() -> None:
    registry = ProtectedRegistry(KEY)
    registry.add_party("the girl", names=["Margaret Oyelaran"], identifiers=["Bramwell Fold Academy"])
    blob = json.dumps(registry.to_records()).lower()
    for plain in ("peggy", "maggie", "bramwell", "oyelaran"):  # (an acronym would be lost in the hex)
        assert plain not in blob
    again = ProtectedRegistry.from_records(registry.to_records(), KEY)
    assert ("the girl", FULL_NAME) in kinds(ProtectedMatcher(again), "Peggy Oyelaran again")


def test_known_name_cuts_add_to_the_made_pet_forms() -> None:
    """A listed known name ("Lexi") joins the pet forms; the bare cut ("Dem" for Demelza) stays one."""
    registry = ProtectedRegistry(KEY)
    registry.add_party("the witness", names=["Demelza Rowe"])
    registry.add_party("the cadet", names=["Alexandra Bevan"])
    m = ProtectedMatcher(registry)
    assert ("the witness", NICKNAME) in kinds(m, "Little Dem has been off school since, her mum says")
    assert ("the cadet", NICKNAME) in kinds(m, "the girl Lexi from year 10 was there")
    assert kinds(m, "a lobster and a lotto ticket, she says") == set()


def test_dropped_flag_survives_storage() -> None:
    registry = ProtectedRegistry(KEY)
    registry.add_party("the victim", names=["Lacey Hulbert"])
    again = ProtectedMatcher(ProtectedRegistry.from_records(registry.to_records(), KEY))
    assert kinds(again, "they sell Lace and ribbons at the market, she says") == set()
    assert ("the victim", NICKNAME) in kinds(again, "poor Lace, she has not been out since")


@pytest.mark.parametrize(("surname", "pet"), [
    ("whittaker", "whitty"), ("smith", "smithy"), ("robinson", "robbo"), ("davies", "davo"),
    ("mccartney", "macca"), ("gascoigne", "gazza"), ("hutchinson", "hutchy"), ("hutchinson", "hutch"),
    ("fletcher", "fletch"), ("thompson", "thommo"),
])
def test_surname_pet_forms(surname: str, pet: str) -> None:
    """form.surname_pet: the productive British and Australian patterns."""
    assert pet in dict(surname_pets(surname))


def test_surname_pet_forms_leave_out_common_words_and_flag_known_ones() -> None:
    pets = dict(surname_pets("hutchinson"))
    assert pets["hutch"] is True and pets["hutchy"] is False  # "hutch" is a word: it needs its capital
    assert all(p != "hutchinson" for p in pets)
    assert "brown" not in dict(surname_pets("browning")) and surname_pets("al") == []


def test_surname_pet_form_storage_keeps_the_tie() -> None:
    registry = ProtectedRegistry(KEY)
    registry.add_party("the boy", names=["Kieran Hutchinson"])
    again = ProtectedMatcher(ProtectedRegistry.from_records(registry.to_records(), KEY))
    assert ("the boy", NICKNAME) in kinds(again, "poor Hutchy, he's only in year 10")
    assert kinds(again, "Hutchy was at the match") == set()
