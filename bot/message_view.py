"""One message's text, seen once: the derived forms every identity detector reads, computed at most once.

The engine makes one :class:`MessageView` per message (``ScanContext.view``); detectors and recognizers
read its fields instead of lower-casing, splitting or skeletonising the same text again. Every field is
computed on first use and kept, so a field nobody reads costs nothing.

:func:`view_of` returns the view for a string: the current message's view when it is the same string
(one identity check), so code that is handed only the text (a recognizer's ``find(text)``) shares it too.
"""

from __future__ import annotations

import re
from functools import cached_property

from bot.normalize import skeleton

# ASCII characters other than lower-case letters and digits become spaces: ``split()`` then gives the
# words ``[a-z0-9]+`` finds in lower-cased ASCII text, several times faster than the regex
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isdigit() or "a" <= c <= "z")})
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")


class MessageView:
    """Derived forms of one text; each computed on first use (``cached_property``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        #: per-message results other detectors may share, by a key of the owner's choosing
        self.cache: dict[str, object] = {}

    @cached_property
    def ascii(self) -> bool:
        """Whether the text is all ASCII (the fast paths of normalisation and matching apply)."""
        return self.text.isascii()

    @cached_property
    def lower(self) -> str:
        """``text.lower()`` (same length and offsets for ASCII text)."""
        return self.text.lower()

    @cached_property
    def words(self) -> list[str]:
        """The lower-cased words ``[a-z0-9]+`` of the text, in order (ASCII letters and digits only)."""
        if self.ascii:
            return self.lower.translate(_NOT_WORD).split()
        return _WORD.findall(self.lower)

    @cached_property
    def word_set(self) -> frozenset[str]:
        """:attr:`words` as a set: ``vocabulary.isdisjoint(view.word_set)`` is a one-call pre-check."""
        return frozenset(self.words)

    @cached_property
    def digit_count(self) -> int:
        """How many decimal digits (any script) the text holds."""
        return len(_DIGIT.findall(self.text)) if _DIGIT.search(self.text) else 0

    @property
    def has_digit(self) -> bool:
        return self.digit_count > 0

    @cached_property
    def skeleton(self) -> str:
        """:func:`bot.normalize.skeleton` of the text (what registered names are matched against)."""
        return skeleton(self.text)


_last: MessageView | None = None


def view_of(text: str) -> MessageView:
    """The shared view of ``text``: the current one when ``text`` is the same string, else a new current one."""
    global _last
    last = _last
    if last is not None and (last.text is text or last.text == text):
        return last
    view = _last = MessageView(text)
    return view


__all__ = ["MessageView", "view_of"]
