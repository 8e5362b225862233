"""What every identifying-detail recognizer returns, and the small helpers they share.

A recognizer (after Presidio's) is a pattern plus context words plus a confidence: ``find(text)``
returns :class:`Detail` hits with character offsets into ``text``, a confidence in 0..1 and a reason
written from a fixed vocabulary (it never repeats the matched text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

# Kinds that point at one person or household on their own (contact details, home, face).
DIRECT_KINDS = frozenset({"phone", "email", "address", "postcode", "social", "vehicle", "dob", "media"})
# Kinds that narrow someone down, mostly in combination (jigsaw identification).
QUASI_KINDS = frozenset(
    {"school", "workplace", "age", "appearance", "hobby", "area", "street", "relative", "occupation", "routine",
     "car"}
)
# Quasi kinds that place a person somewhere.
LOCATING_KINDS = frozenset({"school", "workplace", "area", "street", "routine", "car"})


@dataclass(frozen=True, slots=True)
class Detail:
    """One identifying detail found in a text: ``text[start:end]`` is the detail."""

    kind: str
    start: int
    end: int
    confidence: float
    reason: str  # e.g. "a UK mobile number"; never the matched text
    public: bool = False  # an organisation's or official's public contact detail: not identifying

    @property
    def direct(self) -> bool:
        return self.kind in DIRECT_KINDS


class Recognizer(Protocol):
    """Finds one kind of detail in plain text."""

    kind: str

    def find(self, text: str) -> list[Detail]: ...


def near(text: str, start: int, end: int, pattern: re.Pattern[str], before: int = 50, after: int = 25) -> bool:
    """Whether ``pattern`` occurs within ``before`` characters before or ``after`` characters after a hit."""
    lo = max(0, start - before)
    hi = min(len(text), end + after)
    return pattern.search(text, lo, start) is not None or pattern.search(text, end, hi) is not None


def clamp(value: float) -> float:
    return max(0.0, min(1.0, value))


def words(*items: str) -> re.Pattern[str]:
    """A case-insensitive whole-word alternation of ``items`` (each may itself be a regex)."""
    return re.compile(r"(?<![\w@])(?:" + "|".join(items) + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=32)
def lowered(text: str) -> str:
    """``text.lower()``, computed once per text for the recognizers' pre-checks."""
    return text.lower()


_WORD = re.compile(r"[a-z0-9]+")
# ASCII characters other than lower-case letters and digits become spaces: split() then gives _WORD's words
_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isdigit() or "a" <= c <= "z")})


@lru_cache(maxsize=32)
def word_set(text: str) -> frozenset[str]:
    """The lower-cased words of ``text`` (shared by the recognizers' cheap pre-checks)."""
    low = lowered(text)
    if text.isascii():  # the same words as the pattern finds, a little faster
        return frozenset(low.translate(_NOT_WORD).split())
    return frozenset(_WORD.findall(low))


_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=32)
def digit_count(text: str) -> int:
    """How many digits ``text`` has (shared by the recognizers' cheap pre-checks; counted once)."""
    return len(_DIGIT.findall(text)) if _DIGIT.search(text) else 0


def has_digit(text: str) -> bool:
    return digit_count(text) > 0


def any_word(text: str, vocabulary: frozenset[str]) -> bool:
    """Whether ``text`` has one of ``vocabulary``'s words: a pre-check before running costly patterns."""
    return not vocabulary.isdisjoint(word_set(text))


def may_contain(text: str, needles: tuple[str, ...]) -> bool:
    """Whether ``text`` may hold one of ``needles`` (lower-case), ignoring case: ``False`` proves that a
    case-insensitive pattern which cannot match without one of them finds nothing.

    Only ASCII text is ruled out: under ``re.IGNORECASE`` a few other letters (dotless ``ı``, long ``ſ``,
    the Kelvin sign) match ASCII ones, so text with any of those may always match.
    """
    if not text.isascii():
        return True
    low = lowered(text)
    for needle in needles:  # noqa: SIM110 - a plain loop is twice as fast as any() over a generator here
        if needle in low:
            return True
    return False


def contains_any(text: str, needles: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``needles`` exactly (case-sensitive): ``False`` proves that a
    case-sensitive pattern which cannot match without one of them finds nothing."""
    for needle in needles:  # noqa: SIM110 - a plain loop is twice as fast as any() over a generator here
        if needle in text:
            return True
    return False


def vocab(*items: str) -> frozenset[str]:
    """Trigger words: every alphanumeric piece of ``items``, lower-cased."""
    return frozenset(w for item in items for w in _WORD.findall(item.lower()))
