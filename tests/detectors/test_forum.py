"""Forum awareness: @names that address members, mentions and thread authors are not a party's handle."""

from __future__ import annotations

import secrets

from bot.case import parse_case
from bot.detectors.forum import ForumMembers, addressed_spans, member_key
from bot.engine import IdentityEngine
from bot.flags import Category, Message

CASE = parse_case("""
id = "t"
[[protected]]
label = "the girl"
names = ["Wrenna Calloway"]
identifiers = ["@wren_cal07"]
""")


def engine() -> IdentityEngine:
    return IdentityEngine.from_case(CASE, secrets.token_bytes(32))


def identity(verdict_flags: list) -> set[str]:  # type: ignore[type-arg]
    return {f.category for f in verdict_flags} & {Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL}


def test_addressed_spans() -> None:
    text = "@kez @dan_t stop it, and ask @someone_else too. <@123456789012>"
    spans = [text[s:e] for s, e in addressed_spans(text, frozenset({member_key("someone.else")}))]
    assert spans == ["<@123456789012>", "@kez", "@dan_t", "@someone_else"]
    assert addressed_spans("her insta is @jess_99", frozenset()) == []
    assert addressed_spans("@jess_99 is her insta", frozenset(), opening_replies=False) == []


def test_reply_opening_with_at_name_is_not_a_handle() -> None:
    eng = engine()
    for text in ("@tidy_tom take that down, she has anonymity", "@tidy_tom you are out of order about her"):
        v = eng.check(Message(id="1", author="a", content=text, thread_id="t"))
        assert not identity(v.flags), text


def test_member_handle_mid_message_and_unknown_handle() -> None:
    eng = engine()
    eng.add_members("t", ["quay_sue"])
    v = eng.check(Message(id="1", author="a", content="agree with @quay_sue, her post was out of line", thread_id="t"))
    assert not identity(v.flags)
    v = eng.check(Message(id="2", author="a", content="the girl is on insta as @wrennac_x", thread_id="t"))
    assert identity(v.flags)  # an unknown handle tied to the party still counts


def test_registered_handle_still_fires_unless_it_is_a_member() -> None:
    eng = engine()
    v = eng.check(Message(id="1", author="a", content="@wren_cal07 is her account", thread_id="t"))
    assert any(f.category is Category.PROTECTED_IDENTITY for f in v.flags)
    eng.add_members("t2", ["wren_cal07"])
    v = eng.check(Message(id="2", author="a", content="thanks @wren_cal07 for the link", thread_id="t2"))
    assert not any(f.category is Category.PROTECTED_IDENTITY for f in v.flags)


def test_members_are_bounded() -> None:
    members = ForumMembers(max_threads=2)
    for t in "abc":
        members.add(t, ["x_" + t])
    assert members.of("a") == frozenset() and members.of("c") == {"xc"}


def test_confidence_grows_with_the_evidence_for_a_party() -> None:
    eng = engine()
    one = eng.check(Message(id="1", author="a", content="Calloway was there", thread_id="t"))
    two = eng.check(Message(id="2", author="a", content="Calloway was there, the girl Wrenna", thread_id="t"))
    (surname_one,) = [f for f in one.flags if f.kind == "surname"]
    (surname_two,) = [f for f in two.flags if f.kind == "surname"]
    assert surname_two.score > surname_one.score
