"""Forum awareness: who the thread's members are, and which ``@names`` address them.

In a forum thread, an ``@name`` that opens a reply, a Discord mention (``<@123>``) and the name of anyone
who posts in the thread are people talking to each other, not a protected party's social handle. The
engine keeps each thread's members (authors seen, names mentioned); detectors ask :func:`addressed_spans`.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable

#: ``@name`` anywhere, and a Discord mention ``<@123>`` / ``<@!123>`` / role mention ``<@&123>``
AT_NAME = re.compile(r"(?<![\w@])@([A-Za-z0-9_][A-Za-z0-9_.]{0,31})(?![\w@])")
MENTION = re.compile(r"<@[!&]?\d{5,25}>")
# what may come before the first @name of a reply: quotes, list marks, "hey", "cc", "to", "oi"
_OPENING = re.compile(r"^(?:\s|>[^\n]*\n|[-*•]|(?:hey|hi|oi|cc|to|re|dear|thanks|thx|ty|lol|yes|no|@)\b[\s,:]*)*$",
                      re.IGNORECASE)


def member_key(name: str) -> str:
    """A forum name compared ignoring case, "@" and separators ("Dan_The_Man" is "@danthe.man")."""
    return re.sub(r"[\W_]+", "", name.casefold())


def addressed_spans(text: str, members: frozenset[str] = frozenset(), *, opening_replies: bool = True
                    ) -> list[tuple[int, int]]:
    """Spans of ``text`` that address forum members: mentions, ``@names`` opening the message (one or a
    run of them: "@kez @dan stop"), and any ``@name`` or bare name that is a member's (keys of
    :func:`member_key`). ``opening_replies=False`` leaves out opening ``@names`` of non-members."""
    spans = [m.span() for m in MENTION.finditer(text)] if "<@" in text else []
    if "@" not in text:
        return spans
    opening = True
    last_end = 0
    for m in AT_NAME.finditer(text):
        between = text[last_end : m.start()]
        opening = opening_replies and opening and (_OPENING.match(between) is not None or between.strip(" ,") == "")
        if opening or member_key(m.group(1)) in members:
            spans.append(m.span())
        last_end = m.end()
    return spans


def is_member_name(name: str, members: frozenset[str]) -> bool:
    return bool(members) and member_key(name) in members


class ForumMembers:
    """Each thread's members (authors and mentioned names), as :func:`member_key` keys; bounded."""

    def __init__(self, max_threads: int = 5_000, max_per_thread: int = 2_000) -> None:
        self._threads: OrderedDict[str, frozenset[str]] = OrderedDict()
        self._keys: dict[str, str] = {}  # name -> member_key, for names already seen (bounded)
        self.max_threads = max_threads
        self.max_per_thread = max_per_thread

    def add(self, thread_id: str, names: Iterable[str]) -> None:
        members = self._threads.get(thread_id)
        if members is None:
            members = frozenset()
        else:
            self._threads.move_to_end(thread_id)
        keys = self._keys
        new = set()
        for name in names:
            if not name:
                continue
            key = keys.get(name)
            if key is not None and (key in members or len(key) < 2):
                continue  # already a member (most messages: an author seen before)
            if key is None:
                key = member_key(name)
                if len(self._keys) >= 100_000:
                    self._keys.clear()
                self._keys[name] = key
            if len(key) >= 2 and key not in members:
                new.add(key)
        if new and len(members) < self.max_per_thread:
            members = members | new
            self._threads[thread_id] = members
        elif thread_id not in self._threads:
            self._threads[thread_id] = members
        while len(self._threads) > self.max_threads:
            self._threads.popitem(last=False)

    def of(self, thread_id: str) -> frozenset[str]:
        return self._threads.get(thread_id, frozenset())

    def forget(self, thread_id: str) -> None:
        self._threads.pop(thread_id, None)
