"""Mechanisms added after the twenty-second first-look thread (tests/data/fresh/ledbury-riding-stables): homes,
photos, vehicles and routines described in words, and whom a pronoun refers to across the thread's last few
messages by any author (the newest compatible party; nobody when that is the accused, a public party or an
official)."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine, ThreadWindow
from bot.flags import Category, Flag, Message
from bot.recognizers.ties import Referent, pronoun_gender, referent_gender, salient
from tests.identity_helpers import case_engine

CASE = """
id = "round10"
title = "Swimming coach, 52, denies assaulting a pupil at the leisure centre; her cousin is a witness"
[[protected]]
label = "the girl"
basis = "Sexual Offences (Amendment) Act 1992 s.1; complainant, 13"
names = ["Marisol Penhaligon"]
[[protected]]
label = "the boy"
basis = "YJCEA 1999 s.45 direction; child witness, 10, her cousin"
names = ["Tobias Penhaligon"]
[[public]]
label = "the defendant"
names = ["Crispin Attwater"]
[[public]]
label = "the head of the swimming club, who spoke to the press"
names = ["Delphine Rusbridge"]
"""


def thread(*posts: tuple[str, str]) -> list[list[Flag]]:
    """The flags of each post of one thread, checked in order by a fresh engine (author, text)."""
    engine = case_engine(CASE)
    out = []
    for i, (author, text) in enumerate(posts):
        message = Message(id=f"p{i}", author=author, content=text, thread_id="t")
        out.append(list(engine.check(message).flags))
    return out


def identity(flags: list[Flag]) -> list[Flag]:
    return [f for f in flags if f.category is Category.IDENTIFYING_DETAIL]


@pytest.mark.parametrize("text", [
    "her gran's place is the bungalow with the green gate",
    "they live in the house with the caravan on the drive",
    "that's her in the red swimming hat on the gala poster",
    "the one in the yellow hoodie in the club photos, that's her",
])
def test_a_detail_in_words_tied_to_the_party_just_mentioned_is_flagged(text: str) -> None:
    flags = thread(("a", "The girl gave evidence by video link this morning."), ("b", text))
    found = identity(flags[1])
    assert found and found[0].label == "the girl"


@pytest.mark.parametrize("text", [
    "my gran's place is the bungalow with the green gate",
    "my daughter is in the red swimming hat in half the gala photos",
    "the leisure centre at the top of the hill with the blue doors is shut",
])
def test_own_family_and_public_places_are_not_flagged(text: str) -> None:
    flags = thread(("a", "The girl gave evidence by video link this morning."), ("b", text))
    assert not identity(flags[1])


def test_a_pronoun_after_the_accused_is_not_tied_to_the_party() -> None:
    before = thread(("a", "The girl gave evidence by video link this morning."),
                    ("b", "she goes to the leisure centre every morning before school"))
    assert identity(before[1]) and identity(before[1])[0].label == "the girl"
    after = thread(("a", "The girl gave evidence by video link this morning."),
                   ("c", "Attwater was remanded after he breached his bail."),
                   ("b", "he goes to the leisure centre every morning before school"))
    assert not identity(after[2])


def test_the_pronouns_gender_picks_the_party() -> None:
    flags = thread(("a", "The girl and her cousin both gave evidence, and the boy is only 10."),
                   ("b", "the lad's nan's place is the bungalow with the green gate"),
                   ("c", "his dad drives the grey pick-up with the horse trailer and is always parked outside the "
                         "chippy on a Friday"))
    found = identity(flags[2])
    assert found and {f.label for f in found} == {"the boy"}


def test_salience_prefers_the_newest_message_and_a_protected_party_within_it() -> None:
    girl, judge = Referent("the girl", "f"), Referent(None, None)
    assert salient([[girl], [judge]]) == {"f": None, "m": None, None: None}
    assert salient([[judge], [girl]])["f"] == "the girl"
    assert "m" not in salient([[girl]])
    assert salient([[judge, girl]])["f"] == "the girl"
    assert pronoun_gender("her nan's") == "f" and pronoun_gender("their dad") is None
    assert referent_gender("the girl's brother") == "m" and referent_gender("her cousin") is None


def test_thread_window_is_bounded_and_an_edit_replaces_its_earlier_version() -> None:
    window = ThreadWindow(size=3, max_threads=2)
    posts = [Message(id=f"m{i}", author="x", content=str(i), thread_id="t") for i in range(5)]
    for post in posts:
        window.add(post)
    assert [m.id for m in window.recent(posts[4])] == ["m2", "m3"]
    window.add(Message(id="m3", author="x", content="edited", thread_id="t"))
    assert [m.content for m in window.recent(Message(id="new", author="y", content="", thread_id="t"))] == [
        "2", "4", "edited"]
    window.add(Message(id="a", author="x", content="", thread_id="u"))
    window.add(Message(id="b", author="x", content="", thread_id="v"))
    assert window.recent(Message(id="n", author="x", content="", thread_id="t")) == []


def test_the_engine_keeps_a_window() -> None:
    assert isinstance(case_engine(CASE), IdentityEngine)


def test_another_posters_own_relative_does_not_capture_the_pronoun() -> None:
    """ "My dad ..." by one poster is that poster's dad for their own next post, not for everyone's "he"."""
    posts = (("a", "The girl and the boy both gave evidence today."),
             ("b", "My dad walks the dog along the canal every morning."),
             ("c", "he hangs round outside the chippy on the high street every night"))
    found = identity(thread(*posts)[2])
    assert found and found[0].label == "the boy"
    own = (*posts[:2], ("b", "he hangs round outside the chippy on the high street every night"))
    assert not identity(thread(*own)[2])


def test_an_organisation_is_never_the_antecedent_and_a_named_person_takes_their_pronouns_gender() -> None:
    """The force named just before is not "he"; a public woman described with "she" does not capture "he"."""
    base = ("a", "The girl and the boy both gave evidence today.")
    later = ("d", "he hangs round outside the chippy on the high street every night")
    org = thread(base, ("b", "West Mercia Police said they were not looking for anyone else."), later)
    assert identity(org[2]) and identity(org[2])[0].label == "the boy"
    woman = thread(base, ("b", "Delphine Rusbridge said she was heartbroken for everyone."), later)
    assert identity(woman[2])
    man = thread(base, ("b", "Attwater said he had done nothing wrong."), later)
    assert not identity(man[2])


@pytest.mark.parametrize("text", [
    "she's doing her beauty course three days a week at Truro College now",
    "the bungalows behind the Co-op, her gran's the one with the ramp",
    "she posts her swimming videos on tiktok",
    "her nan's been taking her to the library every day since",
])
def test_more_details_in_words_tied_to_the_party_just_mentioned(text: str) -> None:
    flags = thread(("a", "The girl gave evidence by video link this morning."), ("b", text))
    assert identity(flags[1])


@pytest.mark.parametrize("text", [
    "I'm doing my beauty course three days a week at Truro College now",
    "the bungalows behind the Co-op are being done up",
    "the police posted a video on facebook asking for witnesses",
])
def test_the_same_details_about_nobody_in_the_case_are_not_flagged(text: str) -> None:
    flags = thread(("a", "The girl gave evidence by video link this morning."), ("b", text))
    assert not identity(flags[1])


# after the twenty-fourth first-look thread (tests/data/fresh/scarborough-takeaway-exploitation)
@pytest.mark.parametrize("text", [
    "her mum's the one on the reception desk at the leisure centre",
    "the boy and his cousin get the school bus from outside the arcade every morning",
    "he's always crabbing off the slipway with his uncle on Saturdays",
    "his gran's house is the one on the corner with the red bench",
    "he's the one on the left in the choir video on the school's page",
    "his uncle runs the burger van that parks at the retail park",
    "the boy's brother is one of the porters at the General",
])
def test_round_10c_details_in_words_are_flagged(text: str) -> None:
    flags = thread(("a", "The boy gave evidence by video link this morning."), ("b", text))
    assert identity(flags[1])


def test_a_public_partys_own_place_is_not_the_partys() -> None:
    """ "Attwater and Rusbridge ... the girl worked at their cafe": their cafe is the public parties'."""
    text = ("Crispin Attwater and Delphine Rusbridge deny the charges. The girl was 13 and worked weekends at "
            "their cafe on Fore Street.")
    assert not identity(thread(("a", text))[0])
    own = "The girl was 13 and her mum worked weekends at the cafe on Fore Street."
    assert identity(thread(("a", own))[0])


YOUTH = """
id = "round10-youth"
title = "Boy, 15, admits setting fire to a bowls pavilion"
[[protected]]
label = "the youth"
basis = "youth defendant, 15; CYPA 1933 s.49"
names = ["Ptolemy Vanstone"]
"""


@pytest.mark.parametrize("noun", ["arsonist", "burglar", "culprit"])
def test_an_offence_noun_is_the_protected_youth_defendant(noun: str) -> None:
    engine = case_engine(YOUTH)
    text = f"the {noun}'s big sister posts her make-up videos on tiktok"
    flags = engine.check(Message(id="m", author="x", content=text, thread_id="t")).flags
    assert [f.label for f in flags if f.category is Category.IDENTIFYING_DETAIL] == ["the youth"]


# after the twenty-fifth first-look thread (tests/data/fresh/wombwell-coach-grooming)
@pytest.mark.parametrize("text", [
    "his nan lives in one of the weavers' cottages up by the mill chimney",
    "his mum does the school run in a bright orange Kia with a dented bumper",
    "he's the one at the back in the cubs' summer camp group photo",
    "he walks back through the park every night after football",
    "his sister works the ticket office at the lido",
])
def test_round_10d_details_in_words_are_flagged(text: str) -> None:
    flags = thread(("a", "The boy gave evidence by video link this morning."), ("b", text))
    assert identity(flags[1])


def test_an_object_pronoun_does_not_give_a_public_person_its_gender() -> None:
    """ "Attwater sent her messages" says nothing of Attwater's gender: the next "he" is still his."""
    flags = thread(("a", "The boy gave evidence by video link this morning."),
                   ("b", "The court heard Attwater sent her hundreds of messages."),
                   ("c", "He drives the white van with the ladders on the roof, the police took it in March."))
    assert not identity(flags[2])
