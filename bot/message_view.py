"""One message's text, seen once: the derived forms every identity detector reads, computed at most once.

The engine makes one :class:`MessageView` per message (``ScanContext.view``); detectors and recognizers
read its fields instead of lower-casing, splitting or skeletonising the same text again. Every field is
computed on first use and kept, so a field nobody reads costs nothing.

:func:`view_of` returns the view for a string: the current message's view when it is the same string
(one identity check), so code that is handed only the text (a recognizer's ``find(text)``) shares it too.
"""

from __future__ import annotations

import re

from bot.normalize import skeleton

# ASCII characters other than lower-case letters and digits become spaces: ``split()`` then gives the
# words ``[a-z0-9]+`` finds in lower-cased ASCII text, several times faster than the regex
_NOT_WORD = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else 32 for c in range(256))
_WORD = re.compile(r"[a-z0-9]+")
_DIGIT = re.compile(r"\d")


class MessageView:
    """Derived forms of one text; each computed on first use and kept (plain lazy attributes: cheaper than
    ``functools.cached_property``, which takes a lock on Python 3.11)."""

    __slots__ = ("_ascii", "_digits", "_lower", "_skeleton", "_word_set", "_words", "cache", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        #: per-message results other detectors may share, by a key of the owner's choosing
        self.cache: dict[str, object] = {}
        self._ascii: bool | None = None
        self._lower: str | None = None
        self._words: list[str] | None = None
        self._word_set: frozenset[str] | None = None
        self._digits: int | None = None
        self._skeleton: str | None = None

    @property
    def ascii(self) -> bool:
        """Whether the text is all ASCII (the fast paths of normalisation and matching apply)."""
        if self._ascii is None:
            self._ascii = self.text.isascii()
        return self._ascii

    @property
    def lower(self) -> str:
        """``text.lower()`` (same length and offsets for ASCII text)."""
        if self._lower is None:
            self._lower = self.text.lower()
        return self._lower

    @property
    def words(self) -> list[str]:
        """The lower-cased words ``[a-z0-9]+`` of the text, in order (ASCII letters and digits only)."""
        if self._words is None:
            low = self.lower
            self._words = low.encode().translate(_NOT_WORD).decode().split() if self.ascii else _WORD.findall(low)
        return self._words

    @property
    def word_set(self) -> frozenset[str]:
        """:attr:`words` as a set: ``vocabulary.isdisjoint(view.word_set)`` is a one-call pre-check."""
        if self._word_set is None:
            self._word_set = frozenset(self.words)
        return self._word_set

    @property
    def digit_count(self) -> int:
        """How many decimal digits (any script) the text holds."""
        if self._digits is None:
            self._digits = len(_DIGIT.findall(self.text)) if _DIGIT.search(self.text) else 0
        return self._digits

    @property
    def has_digit(self) -> bool:
        return self.digit_count > 0

    @property
    def skeleton(self) -> str:
        """:func:`bot.normalize.skeleton` of the text (what registered names are matched against)."""
        if self._skeleton is None:
            self._skeleton = skeleton(self.text)
        return self._skeleton


_last: MessageView | None = None


def view_of(text: str) -> MessageView:
    """The shared view of ``text``: the current one when ``text`` is the same string, else a new current one."""
    global _last
    last = _last
    if last is not None and (last.text is text or last.text == text):
        return last
    view = _last = MessageView(text)
    return view


def make_current(view: MessageView | None) -> None:
    """Make ``view`` the current one again (a caller that checks a text in two passes, with other texts between:
    bot.commands.scan_split), so the detectors' second pass shares what the first computed."""
    global _last
    _last = view


__all__ = ["MessageView", "view_of"]
