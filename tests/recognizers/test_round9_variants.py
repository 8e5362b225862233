"""Name variants added in identity round 9 (after the first look at tests/data/fresh/lancaster-physio-clinic):
pet forms cut from the end of a long first name and of one-syllable first names, a double-barrelled surname
cut to an initial, undotted initials, and first names spelt as they sound (a hashed phonetic key). Each is
weaker than a registered form: it needs a tie to the case and (initials, sound keys) goes to review."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.flags import Category, Message
from bot.policy import Action
from bot.registry import ProtectedRegistry, pet_forms, sound_keys
from tests.identity_helpers import TEST_KEY, case_engine, flags_of

CASE = """
id = "round9"
[[protected]]
label = "the complainant"
basis = "sexual offence complainant"
names = ["Catriona Wellacott"]
[[protected]]
label = "the younger complainant"
basis = "sexual offence complainant, 16"
names = ["Rhiannon Ashgrove-Pellow"]
[[protected]]
label = "the witness"
basis = "reporting direction"
names = ["Kez Moorcroft"]
[[public]]
label = "the accused"
names = ["Barnaby Stoddart"]
"""


def engine() -> IdentityEngine:
    return case_engine(CASE)


def protected(text: str, author: str = "someone") -> list[object]:
    result = engine().check(Message(id="m", author=author, content=text))
    return [f for f in result.flags if f.category is Category.PROTECTED_IDENTITY]


def test_tail_and_short_pet_forms_are_derived() -> None:
    assert {"trina", "triona"} <= set(pet_forms("catriona"))
    assert {"toria", "tora"} <= set(pet_forms("victoria"))
    assert {"kezza", "kezzie"} <= set(pet_forms("kez"))
    assert "reubster" in pet_forms("reuben")
    # words and names English uses often are someone or something else as often as not
    assert not {"tory", "tori", "tony", "gary", "becca"} & (set(pet_forms("victoria")) | set(pet_forms("antonia"))
                                                           | set(pet_forms("margaret")) | set(pet_forms("rebecca")))


@pytest.mark.parametrize("text", [
    "the second one is Trina, works in the bakery, always has her head down",  # a pronoun: review
    "Trina from year 11, lovely kid",
    "Kezza from the estate gave evidence, he's only young",
    "Kezza Ashgrove-P was in my lads form",  # the double-barrelled surname cut to its initial names him
    "Ashgrove-P was in my lads form, nicest kid",
    "the kezster's photo is on his mum's work lanyard",  # "the" before a pet form's possessive is a person
])
def test_derived_forms_with_a_tie(text: str) -> None:
    assert protected(text)


@pytest.mark.parametrize("text", [
    "Trina was at the bakery",  # nothing ties her to the case
    "the trio played on Saturday",
    "Kezza bought a round",
    "Tory MPs voted against it",
])
def test_derived_forms_without_a_tie(text: str) -> None:
    assert not protected(text)


@pytest.mark.parametrize("text", [
    "C W and R A, the initials are all over facebook",
    "the older one is C W, works on the tills at the big supermarket",
])
def test_undotted_initials_with_a_tie_go_to_review(text: str) -> None:
    flags = protected(text)
    assert flags and all(f.suggested is Action.REVIEW for f in flags)


@pytest.mark.parametrize("text", [
    "C W was on the radio",
    "I T support is useless, the initials of the department are on the door",  # "I" first is a word
    "A B C W D, the initials are in the back of the book",  # a run of letters, not a pair
    "the older one is c w, works on the tills",  # lower case
])
def test_undotted_initials_without_a_tie_or_shape(text: str) -> None:
    assert not protected(text)


def test_first_name_spelt_as_it_sounds_needs_a_tie_and_goes_to_review() -> None:
    tied = protected("Reeanon with two e's, the one whose dad does the fish van")
    assert tied and all(f.suggested is Action.REVIEW for f in tied)
    assert protected("Reeanon from year 11, her mum works at the chippy")
    assert not protected("Reeanon went to the shops")  # no tie
    assert not protected("Ronan from year 11 scored twice")  # a known name, and four letters shorter


def test_sound_match_guards() -> None:
    assert not protected("reeanon from year 11, her mum works at the chippy")  # lower case: never
    e = engine()
    result = e.check(Message(id="m", author="Reeanon", content="hi all"))  # a forum member of that name
    result = e.check(Message(id="m2", author="someone", content="Reeanon from year 11 was right, she said so"))
    assert Category.PROTECTED_IDENTITY not in {f.category for f in result.flags}


def test_sound_keys_are_kept_only_as_digests() -> None:
    registry = ProtectedRegistry(TEST_KEY)
    registry.add_party("the girl", names=["Rhiannon Quarrendon"])
    rows = registry.to_records()
    text = repr(rows) + repr(registry.__getstate__())
    for key, _short in sound_keys("rhiannon"):
        assert key.split("\0")[-1] not in text
    assert "rhiannon" not in text.lower()
    again = ProtectedRegistry.from_records(rows, TEST_KEY)
    assert again.fuzzy_refs("reeanon") and all(r.sound for r in again.fuzzy_refs("reeanon"))


HYPHEN_CASE = """
id = "round9-hyphen"
[[protected]]
label = "the younger child"
basis = "child, 9; s.45 direction"
names = ["Tabitha-Rose Quarrendon"]
[[protected]]
label = "the older child"
basis = "child witness, 12; s.45 direction"
names = ["Ellis Quarrendon"]
"""


def hyphen_protected(text: str) -> list[object]:
    result = case_engine(HYPHEN_CASE).check(Message(id="m", author="someone", content=text))
    return [f for f in result.flags if f.category is Category.PROTECTED_IDENTITY]


@pytest.mark.parametrize("text", [
    "little Tabitha was at our party, she's the sweetest thing",  # one part of a hyphenated first name
    "Tabbie from year 4, her teacher says she's coping",  # a pet form of its first part
    "Tabbytha-Rose and her brother should get compensation",  # the first part spelt as it sounds, then the next
    "TRQ and EQ, the initials are all over the noticeboard group",  # initials run together, said to be initials
    "T.R.Q. is in year 4 now",
])
def test_hyphenated_first_names_and_their_initials(text: str) -> None:
    assert hyphen_protected(text)


@pytest.mark.parametrize("text", [
    "Rose was at our party, she's lovely",  # the common-word part is no name alone
    "Tabitha was at our party",  # no tie
    "TRQ and EQ are the new codes for the forms",  # capitals run together are letters unless said to be initials
    "the BBC and ITV initials are on the van",  # no common abbreviation is a party's initials
])
def test_hyphenated_first_name_guards(text: str) -> None:
    assert not hyphen_protected(text)


def test_a_cut_around_a_vowel_pair_and_dotted_initials_said_to_be_initials() -> None:
    assert "noush" in pet_forms("anoushka")
    engine = case_engine("""
id = "round9-durham"
[[protected]]
label = "the second complainant"
basis = "sexual offence complainant"
names = ["Anoushka Quarrendon"]
""")
    assert flags_of(engine, "the second girl is Noush, she's on the rowing team")
    assert flags_of(engine, "A.Q. - the initials are on a confessions page anyway")
    assert not flags_of(engine, "A.Q. and the rest of the band played")
