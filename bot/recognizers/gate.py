"""One pass over a message decides which recognizer rules may fire.

Every rule's pre-check literals are derived from its patterns (:attr:`bot.rules.model.Rule.precheck`); the
gate puts all of them in one Aho-Corasick automaton, so a message is read once for all rules and a rule
runs its regexes only when one of its literals occurs (or, for number-shaped rules, a digit does).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import ahocorasick

from bot.rules.loader import shipped_rules
from bot.rules.model import Rule

#: the kinds of rule that find details (the others are guards and word lists used on a hit)
FINDING_KINDS = ("pattern", "recognizer")


class Gate:
    """Which of ``rules`` may fire on a text: a bit per rule, set when the rule's pre-check passes."""

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.bit = {r.id: 1 << i for i, r in enumerate(self.rules)}
        self.everything = (1 << len(self.rules)) - 1
        self.always = 0  # rules with no literal to look for
        self.digit = 0  # rules that need only a digit
        masks: dict[str, int] = {}
        for r in self.rules:
            if r.precheck is None:
                if r.needs_digit:
                    self.digit |= self.bit[r.id]
                else:
                    self.always |= self.bit[r.id]
                continue
            for lit in r.precheck:
                masks[lit] = masks.get(lit, 0) | self.bit[r.id]
        self._automaton = ahocorasick.Automaton()
        for lit, mask in masks.items():
            self._automaton.add_word(lit, mask)
        if masks:
            self._automaton.make_automaton()
        self._has_words = bool(masks)
        self.mask = lru_cache(maxsize=64)(self._mask)

    def _mask(self, text: str) -> int:
        if not text.isascii():
            # under IGNORECASE a few other letters (dotless i, long s, the Kelvin sign) match ASCII ones
            return self.everything
        found = self.always
        if self.digit and any(c.isdigit() for c in text):
            found |= self.digit
        if self._has_words:
            for _, mask in self._automaton.iter(text.lower()):
                found |= mask
        return found

    def allows(self, text: str, rule: Rule) -> bool:
        """Whether ``rule`` may fire on ``text`` (False proves that none of its patterns or words matches)."""
        return bool(self.mask(text) & self.bit[rule.id])


@lru_cache(maxsize=1)
def shipped_gate() -> Gate:
    """The gate over every finding rule that ships with the bot."""
    return Gate(r for r in shipped_rules() if r.kind in FINDING_KINDS)
