"""A folded view of a message for the recognizers, with a map back to the original offsets.

Zalgo marks, zero-width characters and compatibility forms (full-width digits, ligatures) are folded
away so that patterns still match; every folded character remembers where it came from.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

_DROP = {"Mn", "Me", "Cf"}


@dataclass(frozen=True, slots=True)
class Folded:
    text: str
    # origin[i] = index in the original of folded char i; origin[-1] = len(original). Text that folds to
    # itself (all ASCII) keeps a range: the identity map, without a tuple of every offset
    origin: Sequence[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` covering folded ``[start, end)``."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1 if end - 1 < len(self.text) else self.origin[-1]

    def to_folded(self, original_index: int) -> int:
        """The folded position of an original offset (the first folded char at or after it)."""
        return bisect_right(self.origin, original_index - 1, 0, len(self.text))


def fold(text: str) -> Folded:
    if text.isascii():
        return Folded(text, range(len(text) + 1))
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            out.append(ch)
            origin.append(i)
            continue
        if unicodedata.category(ch) in _DROP:
            continue
        norm = unicodedata.normalize("NFKC", ch)
        norm = "".join(c for c in norm if unicodedata.category(c) not in _DROP) or " "
        if ch in "\u2018\u2019\u02bc":
            norm = "'"
        for c in norm:
            out.append(c)
            origin.append(i)
    origin.append(len(text))
    return Folded("".join(out), tuple(origin))
