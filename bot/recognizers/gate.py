"""One pass over a message decides which recognizer rules may fire.

Every rule's pre-check literals are derived from its patterns (:attr:`bot.rules.model.Rule.precheck_clauses`);
the gate puts all of them in one Aho-Corasick automaton (whole-word literals in one dict looked up with the
message's word set), so a message is read once for all rules, and a rule runs its regexes only when the
literals one of its clauses needs occur.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

import ahocorasick

from bot.message_view import view_of
from bot.rules.literals import WORD
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule

#: the kinds of rule that find details (the others are guards and word lists used on a hit)
FINDING_KINDS = ("pattern", "recognizer")


class Gate:
    """Which of ``rules`` may fire on a text.

    Each literal set of a rule's clauses (:attr:`Rule.precheck_clauses`) has a bit; a text sets the bits of
    the sets it holds a literal of; a rule may fire when all the bits of one of its clauses are set.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.bit = {r.id: 1 << i for i, r in enumerate(self.rules)}
        groups: dict[frozenset[str], int] = {}
        # (rule bit, a quick test: the bits of each clause's most selective set, each clause's bits)
        self._checks: list[tuple[int, int, tuple[int, ...]]] = []
        self._alternatives: dict[str, tuple[tuple[int, ...], ...]] = {}  # rule id -> each alternative's clauses
        always = 0
        for r in self.rules:
            first, clauses = 0, []
            for clause in r.precheck_clauses:
                bits = [groups.setdefault(group, 1 << len(groups)) for group in clause]
                first |= bits[0] if bits else 0
                clauses.append(sum(set(bits)))
            if 0 in clauses or not clauses:
                always |= self.bit[r.id]
            else:
                self._checks.append((self.bit[r.id], first, tuple(dict.fromkeys(clauses))))
            if r.alternatives:
                self._alternatives[r.id] = tuple(
                    tuple(sum({groups[g] for g in clause}) for clause in alt) for alt in r.alternative_clauses)
        self._always = always
        self.everything = (1 << len(self.rules)) - 1
        masks: dict[str, int] = {}  # substrings, looked for with Aho-Corasick
        self._words: dict[str, int] = {}  # whole words, looked up in the message's word set
        for group, bit in groups.items():
            for lit in group:
                if lit.startswith(WORD):
                    word = lit.strip(WORD)
                    self._words[word] = self._words.get(word, 0) | bit
                else:
                    masks[lit] = masks.get(lit, 0) | bit
        self._automaton = ahocorasick.Automaton()
        for lit, mask in masks.items():
            self._automaton.add_word(lit, mask)
        if masks:
            self._automaton.make_automaton()
        self._has_words = bool(masks)
        self._key = f"gate-{id(self)}"

    def open(self, text: str) -> int:
        """The bits (:attr:`bit`) of the rules that may fire on ``text``; worked out once per message."""
        return self._state(text)[1]

    def regex(self, text: str, rule: Rule) -> re.Pattern[str]:
        """``rule``'s pattern for ``text``: for a rule of alternatives, only those whose literals occur can
        match (the same hits as the whole pattern, found sooner)."""
        alternatives = self._alternatives.get(rule.id)
        if alternatives is None:
            return rule.regexes[0]
        found = self._state(text)[0]
        live = tuple(not clauses or any(found & need == need for need in clauses) for clauses in alternatives)
        return rule.with_alternatives(live) if not all(live) else rule.regexes[0]

    def _state(self, text: str) -> tuple[int, int]:
        """(the literal sets found, the rules opened) for ``text``, once per message."""
        view = view_of(text)
        cached = view.cache.get(self._key)
        if isinstance(cached, tuple):
            return cached
        state = self._open(text, view.lower, view.word_set)
        view.cache[self._key] = state
        return state

    def _open(self, text: str, lower: str, words: frozenset[str]) -> tuple[int, int]:
        if not text.isascii():
            # under IGNORECASE a few other letters (dotless i, long s, the Kelvin sign) match ASCII ones
            return -1, self.everything
        found = 0
        if self._has_words:
            for _, mask in self._automaton.iter(lower):
                found |= mask
        get = self._words.get
        for word in words:
            found |= get(word, 0)
        opened = self._always
        for bit, first, clauses in self._checks:
            if found & first:
                for need in clauses:
                    if found & need == need:
                        opened |= bit
                        break
        return found, opened

    def allows(self, text: str, rule: Rule) -> bool:
        """Whether ``rule`` may fire on ``text`` (False proves that none of its patterns or words matches)."""
        return bool(self.open(text) & self.bit[rule.id])


@lru_cache(maxsize=1)
def shipped_gate() -> Gate:
    """The gate over every finding rule that ships with the bot."""
    return Gate(r for r in shipped_rules() if r.kind in FINDING_KINDS)
