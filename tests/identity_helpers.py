"""Shared set-up for identity tests that run a whole engine on a small case written in the test module."""

from __future__ import annotations

from bot.case import parse_case
from bot.engine import IdentityEngine
from bot.flags import Flag, Message

TEST_KEY = b"identity-test-key-0123456789abcdef"


def case_engine(case_toml: str) -> IdentityEngine:
    """A fresh engine for ``case_toml`` (fresh: a thread's history never carries over between checks)."""
    return IdentityEngine.from_case(parse_case(case_toml), TEST_KEY)


def flags_of(engine: IdentityEngine, text: str, *, thread_id: str | None = None) -> list[Flag]:
    """The flags ``engine`` raises on one message of ``text`` by an ordinary member."""
    extra = {} if thread_id is None else {"thread_id": thread_id}
    return list(engine.check(Message(id="m", author="someone", content=text, **extra)).flags)
