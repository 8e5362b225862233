"""Wave 13 (iddetail13): identifying details in dialect and slang, and referents derived from label text.

- dialect child and kin words (tie.child_nouns, tie.relatives): "the wee yin", "the cheel", "her granfer",
  "her old man", "his baby mother";
- slang trades and services at a place (workplace.occupation_at, role.service_verb_at, role.drives_out_of):
  "a screw at <prison>", "does nails at", "drives a cab out of the rank";
- a vehicle marked out (car.marked_vehicle), a form or class at a school (place.form_at_school), student halls
  (place.student_halls), a named stop and a time (routine.stop_at_time);
- referents: a label's head word before a person noun ("the lifeguard boy"), a label role's short forms
  (tie.label_role_short: "the UC", "the undercover"), and an age a label gives a persona ("posed as a
  12-year-old", tie.persona_age) is not the party's own, so "the youngest" goes to the youngest real party.
"""

from __future__ import annotations

import pytest

from bot.flags import Category
from bot.recognizers.ties import GROUP_PARTY, TieFinder
from tests.identity_helpers import case_engine, flags_of

CASE = """
id = "wave13-washes"
title = "Car wash owner, 51, on trial accused of trafficking teenagers to work at his car washes"
[[protected]]
label = "Witness K, a 16-year-old trafficked worker from Romania"
basis = "victim of trafficking; anonymity order"
names = ["Andrei Popescu"]
[[protected]]
label = "Witness M, a 19-year-old nail bar worker"
basis = "victim of trafficking; anonymity order"
names = ["Ioana Lupescu"]
[[protected]]
label = "the undercover officer who posed as a 15-year-old customer"
basis = "undercover officer; anonymity order"
names = ["Claire Dunstable"]
[[public]]
label = "the accused"
names = ["Gary Bowditch"]
"""

PARTIES = [("Witness K, a 16-year-old trafficked worker from Romania", "victim of trafficking"),
           ("Complainant A, a 13-year-old girl", "s.45 direction"),
           ("the undercover officer who posed as a 12-year-old on the app", "anonymity order"),
           ("Witness E, a 19-year-old lifeguard who reported the messages", "vulnerable witness")]


def identity(text: str) -> bool:
    cats = {f.category for f in flags_of(case_engine(CASE), text)}
    return bool(cats & {Category.IDENTIFYING_DETAIL, Category.PROTECTED_IDENTITY})


@pytest.mark.parametrize("text", [
    "the wee yin's got a Saturday job at the chippy on Wokingham Road",
    "her granda's a screw at Bullingdon, big fella, everyone knows him",
    "his baby mother does hair at the salon next to the Londis in Whitley Wood",
    "her old man drives a cab out of the rank by the station",
    "one of the witnesses - K I reckon - his girlfriend does lashes at a place on Oxford Road",
    "the undercover's got a little boy at the nursery behind the Co-op in Earley",
    "the 16 year old's in his form at St Joseph's, my son says",
    "the older one's in uni halls at Whiteknights, the block by the lake",
])
def test_dialect_and_slang_details_tied_to_a_party(text: str) -> None:
    assert identity(text)


@pytest.mark.parametrize("text", [
    "Mod note: nae names o the laddies or the lassie, nor where they bide or work. Bowditch can be named.",
    "That undercover copper wants to watch herself walking back to her car of a night.",
    "my granda was a screw at Reading jail before it shut, said it was grim",
    "my youngest is in year 9 at Prospect and they had a talk about trafficking",
    "Bowditch's wife does nails at a place in Caversham, she's been getting abuse",
    "the youngest juror looked about 20, felt for her",
    "my lad's a sparky, does all the new builds round Shinfield, never short of work",
    "The court heard the officer drove a hire car and wore a wire for three visits.",
    "there's a screw loose in that hinge",
])
def test_ordinary_talk_stays_unflagged(text: str) -> None:
    assert not identity(text)


def test_label_head_before_a_person_noun_picks_its_party() -> None:
    finder = TieFinder(PARTIES)
    ties = finder.find("the lifeguard boy's mam does nails at the precinct")
    assert ties and ties[0].label == PARTIES[3][0]


def test_persona_age_is_not_the_partys_own() -> None:
    finder = TieFinder(PARTIES)
    assert PARTIES[2][0] not in finder.label_ages
    ties = finder.find("the youngest's father is a sparky")
    assert ties and ties[0].label == PARTIES[1][0]


@pytest.mark.parametrize("text", ["the UC lives in Caversham", "the undercover's got a boy at the nursery"])
def test_role_short_forms_tie_to_the_labelled_party(text: str) -> None:
    ties = TieFinder(PARTIES).find(text)
    assert ties and ties[0].label == PARTIES[2][0]


PICKERS = [("Witness P, a 17-year-old Polish picker", "victim of forced labour"),
           ("Witness L, a 24-year-old Lithuanian picker, his cousin", "victim of forced labour"),
           ("the undercover officer who posed as a labour agent", "undercover officer")]


def test_rank_uses_adult_ages_too() -> None:
    finder = TieFinder(PICKERS)
    assert finder.label_ages == {PICKERS[0][0]: 17, PICKERS[1][0]: 24}
    ties = finder.find("the eldest's fella is a brickie for a firm in Boston")
    assert ties and ties[0].label == PICKERS[1][0]


@pytest.mark.parametrize(("text", "label"), [
    ("one of the pickers, P I think, is doing a course at the college", PICKERS[0][0]),
    ("one of the witnesses - L I reckon - her fella drives a cab", PICKERS[1][0]),
    ("one of them (P?) lives above the deli", PICKERS[0][0]),
])
def test_a_label_letter_set_apart_says_which_of_the_group(text: str, label: str) -> None:
    ties = TieFinder(PICKERS).find(text)
    assert ties and ties[0].label == label


@pytest.mark.parametrize("text", ["one of the pickers works at the chicken factory",
                                  "one of them - A lot of people think so"])
def test_a_group_without_a_letter_stays_one_of_the_parties(text: str) -> None:
    ties = TieFinder(PICKERS).find(text)
    assert ties and ties[0].label is None and ties[0].who == GROUP_PARTY


def test_one_of_a_single_partys_head_is_that_party() -> None:
    finder = TieFinder([("the lifeguard who reported it", "witness"), ("the girl", "child complainant")])
    ties = finder.find("one of the lifeguards lives by the beach")
    assert ties and ties[0].label == "the lifeguard who reported it"


@pytest.mark.parametrize("text", ["the ginger one with the nose ring gets the bus at six",
                                  "the tall one works the tills at the garage"])
def test_the_described_one_is_one_of_the_parties(text: str) -> None:
    assert TieFinder(PICKERS).find(text)


@pytest.mark.parametrize("text", [
    "the wee yin's in first year at the academy, him and my boy get the same bus",
    "the youngest is in S3 at Braeview, same form as my niece",
])
def test_school_year_said_as_a_word(text: str) -> None:
    assert identity(text)


def _thread_flags(before: str, text: str) -> bool:
    engine = case_engine(CASE)
    flags_of(engine, before, thread_id="t1")
    cats = {f.category for f in flags_of(engine, text, thread_id="t1")}
    return bool(cats & {Category.IDENTIFYING_DETAIL, Category.PROTECTED_IDENTITY})


@pytest.mark.parametrize("text", ["works on the tills at the Spar on Mill Road, Saturdays and Sundays",
                                  "aye, lives above the deli now",
                                  "The trial drags on. Drives a white Fiesta with a roof box."])
def test_a_sentence_with_no_subject_is_an_implied_tie(text: str) -> None:
    assert [t for t in TieFinder(PARTIES).find(text) if t.implied]


@pytest.mark.parametrize(("before", "text"), [
    ("Witness K gave evidence today behind a screen.", "blonde bob, white Fiesta, works at the Spar in Earley"),
])
def test_a_description_with_no_subject_is_about_the_thread_party(before: str, text: str) -> None:
    assert _thread_flags(before, text)


@pytest.mark.parametrize("text", ["Goes to show, money can't buy you class.", "Has anyone got a link to the report?",
                                  "works for me, I'll be there Thursday", "Drives me mad how slow the courts are."])
def test_subjectless_chat_is_no_tie(text: str) -> None:
    assert not [t for t in TieFinder(PARTIES).find(text) if t.implied]
