"""Obfuscations: lower-case initials, spelled-out e-mails and handles, look-alike digits, bidi overrides,
a name split across two messages, one-letter typos."""

from __future__ import annotations

import pytest

from bot.case import parse_case
from bot.engine import IdentityEngine
from bot.flags import Action, Category, Message
from bot.normalize import bidi_visual, spelled_out
from bot.recognizers.phone import PhoneRecognizer, digits_for_lookalikes

CASE = parse_case("""
id = "t"
[[protected]]
label = "the witness"
names = ["Perpetua Hollingbrook", "Pet Hollingbrook"]
identifiers = ["perpet.holly@mailbox.org", "@petholly_22"]
""")


@pytest.fixture
def engine() -> IdentityEngine:
    return IdentityEngine.from_case(CASE, b"k" * 32)


def protected(engine: IdentityEngine, text: str, history: tuple[Message, ...] = ()) -> list[str]:
    v = engine.check(Message(id="m", author="a", content=text, thread_id="t"), list(history))
    return [f.kind for f in v.flags if f.category is Category.PROTECTED_IDENTITY]


@pytest.mark.parametrize("text", [
    "perpetua h works at the leisure centre",
    "it was perpetua h, everyone knows",
    "mail perpet.holly (at) mailbox [dot] org",
    "perpet dot holly at mailbox dot org",
    "it's \u202ekoorbgnilloH auteprep\u202c obviously",
    "Perpetua Holingbrook gave evidence",
    "the Hollingbrok girl again",
])
def test_obfuscated_forms_are_found(engine: IdentityEngine, text: str) -> None:
    assert protected(engine, text), text


@pytest.mark.parametrize("text", [
    "pet a dog if you can",  # a one-letter word, not an initial
    "we met at the mailbox, dot the i's",
    "Hollingbrook Road was closed",  # the exact guards still apply
    "the hollow brook by the mill",
])
def test_lookalikes_of_obfuscation_are_not(engine: IdentityEngine, text: str) -> None:
    assert protected(engine, text) == [], text


def test_fuzzy_surname_alone_is_held_not_removed(engine: IdentityEngine) -> None:
    v = engine.check(Message(id="m", author="a", content="the Hollingbrok girl again", thread_id="t"))
    assert v.action is Action.HOLD


def test_name_split_across_two_messages(engine: IdentityEngine) -> None:
    before = Message(id="0", author="a", content="you all know it's Perpetua", thread_id="t")
    assert protected(engine, "Hollingbrook. there.", (before,)) == ["full_name"]
    assert protected(engine, "the weather is nice", (before,)) == []


def test_variants_map_back_to_the_original() -> None:
    text = "x \u202ecba\u202c y"
    v = bidi_visual(text)
    assert v is not None and v.text == "x abc y" and text[slice(*v.span(2, 5))] == "cba"
    s = spelled_out("a (at) b [dot] c")
    assert s is not None and s.text == "a@b.c" and s.span(0, 5) == (0, 16)
    assert bidi_visual("plain") is None and spelled_out("plain") is None


def test_lookalike_digits_in_numbers() -> None:
    assert digits_for_lookalikes("ring O77OO 9OO4l7, Oliver") == "ring 07700 900417, Oliver"
    assert digits_for_lookalikes("lol ok 12") == "lol ok 12"
    assert PhoneRecognizer().find("call her on O77OO 9OO4l7 tonight")
