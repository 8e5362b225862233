"""Wave 14 (issue #9): whom a pronoun stands for after a public party is named, posts held at a place, a post a
place has one of, and a party's stated age. Every sentence here is invented for these tests."""

from __future__ import annotations

import pytest

from bot.case import parse_case
from bot.engine import IdentityEngine
from bot.flags import Category, Message

CASE = """
id = "t"
title = "Youth club leader, 51, denies sexual activity with a child"

[[protected]]
label = "the girl"
basis = "SOAA 1992 s.1; 14-year-old complainant"
names = ["Kerys Penhallow"]

[[protected]]
label = "the boy"
basis = "YJCEA 1999 s.45; 11-year-old witness"
names = ["Tobias Yendle"]

[[public]]
label = "the defendant"
names = ["Robin Alcock"]

[[public]]
label = "the court"
names = ["Derby Crown Court"]
"""


@pytest.fixture
def engine() -> IdentityEngine:
    return IdentityEngine.from_case(parse_case(CASE), b"k" * 32)


def thread(engine: IdentityEngine, *texts: str) -> set[Category]:
    """The identity categories flagged on the last of ``texts``, posted in order by different authors."""
    verdict = None
    for n, text in enumerate(texts):
        verdict = engine.check(Message(id=f"m{n}", author=f"a{n}", content=text, thread_id="t"))
    assert verdict is not None
    return {f.category for f in verdict.flags} & {Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL}


DETAIL = {Category.IDENTIFYING_DETAIL}


@pytest.mark.parametrize("texts", [
    # a public party named with nothing said of their gender, then a pronoun only one protected party fits
    ("Alcock got bail again. She's on the tills at the Aldi by the retail park most Saturdays now",),
    ("Robin Alcock wis in the dock the day. She works in the chippy on Mill Street efter school, puir lassie",),
    ("Alcock's trial got moved to the Monday. He's the wee drummer in Ripley Silver Band, everybody kens him",),
    ("Has anyone heard whether Alcock is pleading? She does Sunday mornings behind the counter at the Co-op on "
     "Chapel Street, I've seen her there and she looks done in",),
])
def test_a_pronoun_after_a_public_party_of_unknown_gender_is_the_one_party_it_fits(
        engine: IdentityEngine, texts: tuple[str, ...]) -> None:
    assert thread(engine, *texts) == DETAIL


@pytest.mark.parametrize("texts", [
    # the title, the thread or the message says whose the pronoun is
    ("Mr Alcock was remanded. He lives on Argyle Street with his mother",),
    ("Alcock's wife spoke to the Derby Telegraph. She runs the florist on Market Place and says the family is "
     "standing by him",),
    ("Alcock said in evidence that he never drove the minibus", "he works at the Spar on Chapel Street, ask anyone"),
    ("Alcock's brother was in the public gallery again today. He's the manager at Boyes in Eastwood apparently",),
    # across messages a public person of unknown gender keeps the next pronoun
    ("Alcock's case was listed for ten o'clock", "he drives the white pick-up with the roof rack, always parked on "
                                                 "Chapel Street overnight"),
])
def test_a_pronoun_that_is_a_public_person_or_their_relative_is_not_evidence(
        engine: IdentityEngine, texts: tuple[str, ...]) -> None:
    assert thread(engine, *texts) == set()


@pytest.mark.parametrize("text", [
    "her grandad is the retired harbourmaster, you'll know him if you drink in the Ship",
    "the lad's uncle is the verger at St Alkmund's",
    "Her nan's the lollipop lady, has been for donkey's years",
    "the girl's the captain of Heanor Town under-15s",
    "the boy's one of the ball boys at Belper Town, every home game",
    "that lass is the hairdresser who rents the chair in the barbers on Bridge Street, everyone knows",
])
def test_posts_held_at_a_place_or_a_post_a_place_has_one_of(engine: IdentityEngine, text: str) -> None:
    assert thread(engine, text) == DETAIL


@pytest.mark.parametrize("text", [
    "my dad was the harbourmaster for years and never saw anything like it",
    "the verger at St Alkmund's read the lesson on Sunday",
    "she's only 14 and her family are in bits, leave them be",  # the age the press already gave
    "he's 11, for goodness' sake, the family must be going through hell",
])
def test_ordinary_talk_is_not_a_post_or_a_new_age(engine: IdentityEngine, text: str) -> None:
    assert thread(engine, text) == set()


FILLER = ("the trial's on again Monday", "anyone going up to watch?", "not me, can't get the time off work",
          "the weather's been shocking all week", "mods have been busy on here", "fair play to them",
          "is there a live blog anywhere?", "the Telegraph usually does one", "cheers, I'll look")


def test_the_pronoun_the_thread_gave_a_public_party_long_ago_still_holds(engine: IdentityEngine) -> None:
    said = ("Alcock told the jury he had never been alone with any of the kids",)
    later = "Alcock's been on bail since March. He's living with his mum on Park Road, so I heard"
    assert thread(engine, *said, *FILLER, later) == set()


def test_without_it_the_pronoun_is_the_one_party_it_fits(engine: IdentityEngine) -> None:
    said = ("Alcock's case was listed for ten o'clock",)
    later = "Alcock's been on bail since March. He does the paper round on Park Road every morning, bless him"
    assert thread(engine, *said, *FILLER, later) == DETAIL


def test_a_pronoun_said_of_a_protected_party_teaches_nothing(engine: IdentityEngine) -> None:
    """ "Alcock said the lad was lying; he ..." gives Alcock no pronoun: the lad may be the he."""
    said = ("Alcock told the court the lad made it all up and he was never alone with him",)
    later = "Alcock's been on bail since March. He does the paper round on Park Road every morning, bless him"
    assert thread(engine, *said, *FILLER, later) == DETAIL
