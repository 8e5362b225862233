"""What every identifying-detail recognizer returns, and the small helpers they share.

A recognizer (after Presidio's) is rules with patterns plus context words plus a named strength:
``find(text)`` returns :class:`Detail` hits with character offsets into ``text``, the strength of the
evidence, the rule that found it and a reason written from a fixed vocabulary (never the matched text).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from bot.rules.model import Rule, Strength

# Kinds that point at one person or household on their own (contact details, home, face).
DIRECT_KINDS = frozenset({"phone", "email", "address", "postcode", "social", "vehicle", "dob", "media", "photo"})
# Kinds that narrow someone down, mostly in combination (jigsaw identification).
QUASI_KINDS = frozenset(
    {"school", "workplace", "age", "appearance", "hobby", "area", "street", "relative", "occupation", "routine",
     "car"}
)
# Quasi kinds that place a person somewhere.
LOCATING_KINDS = frozenset({"school", "workplace", "area", "street", "routine", "car"})


#: the one place a named strength becomes a number: how likely a hit of that strength is a real detail
CONFIDENCE = {Strength.HINT: 0.4, Strength.WEAK: 0.45, Strength.MEDIUM: 0.55, Strength.STRONG: 0.75,
              Strength.DECISIVE: 0.9}
_ORDER = list(Strength)

#: what a recognizer may say about a hit besides its strength (the detector decides on these names)
CONTEXT = "context"  # a context word of the rule is near: the hit is one step surer (Presidio's enhancer)
NAMED = "named"  # a proper name is given (a named club, a capitalised venue), not a kind of place
HOME = "home"  # where someone lives now, not where they grew up or are from
ESTATE = "estate"  # a housing estate: a few streets
POSITION = "position"  # a squad number or playing position with a named team: one player of a squad
GENERIC = "generic"  # a kind of place ("the hospital") or a whole town: it narrows less


def stronger(strength: Strength, steps: int = 1) -> Strength:
    """``strength`` raised by ``steps`` named steps (capped at the strongest)."""
    return _ORDER[max(0, min(len(_ORDER) - 1, _ORDER.index(strength) + steps))]


@dataclass(frozen=True, slots=True)
class Detail:
    """One identifying detail found in a text: ``text[start:end]`` is the detail."""

    kind: str
    start: int
    end: int
    strength: Strength
    reason: str  # e.g. "a UK mobile number"; never the matched text
    public: bool = False  # an organisation's or official's public contact detail: not identifying
    rule: str = ""  # the id of the rule that found it
    evidence: frozenset[str] = frozenset()  # CONTEXT, NAMED, HOME, ESTATE, GENERIC

    @property
    def confidence(self) -> float:
        return CONFIDENCE[self.strength]

    @property
    def direct(self) -> bool:
        return self.kind in DIRECT_KINDS


def detail(rule: Rule, start: int, end: int, strength: Strength | None = None, public: bool = False,
           evidence: frozenset[str] = frozenset(), reason: str | None = None) -> Detail:
    """A :class:`Detail` found by ``rule``: its kind and reason come from the rule's ``params``."""
    return Detail(str(rule.params.get("detail", "")), start, end, strength or rule.strength,
                  reason or str(rule.params.get("reason", "an identifying detail")), public, rule.id, evidence)


def context_near(rule: Rule, text: str, start: int, end: int) -> bool:
    """Whether one of ``rule``'s context words occurs within its ``params.before``/``params.after`` characters."""
    rx = rule.context_regex
    if rx is None:
        return False
    before, after = rule.int_param("before", 50), rule.int_param("after", 25)
    return near(text, start, end, rx, before, after)


class Recognizer(Protocol):
    """Finds one kind of detail in plain text. A recognizer may list the finding rules it runs as ``rules``:
    the identifying detector then skips it when the gate says none of them may fire."""

    kind: str

    def find(self, text: str) -> list[Detail]: ...


def near(text: str, start: int, end: int, pattern: re.Pattern[str], before: int = 50, after: int = 25) -> bool:
    """Whether ``pattern`` occurs within ``before`` characters before or ``after`` characters after a hit."""
    lo = max(0, start - before)
    hi = min(len(text), end + after)
    return pattern.search(text, lo, start) is not None or pattern.search(text, end, hi) is not None


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


def vocab(*items: str) -> frozenset[str]:
    """Trigger words: every alphanumeric piece of ``items``, lower-cased."""
    return frozenset(w for item in items for w in _WORD.findall(item.lower()))
