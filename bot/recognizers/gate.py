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

    Each literal set of a rule's clauses (:attr:`Rule.precheck_clauses`) has a number; a text finds the sets
    it holds a literal of; a rule may fire when one of its clauses has all its sets found.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.bit = {r.id: 1 << i for i, r in enumerate(self.rules)}
        self.everything = (1 << len(self.rules)) - 1
        groups: dict[frozenset[str], int] = {}
        self._always = 0
        self._direct: dict[int, int] = {}  # group id -> bits of the rules a clause of which is that set alone
        # group id -> (rule bit, clause) of the clauses of several sets whose first (most selective) set it is
        self._clauses: dict[int, list[tuple[int, frozenset[int]]]] = {}
        self._alternatives: dict[str, tuple[tuple[frozenset[int], ...], ...]] = {}  # rule id -> its alternatives'
        for r in self.rules:
            bit = self.bit[r.id]
            clauses = tuple(frozenset(groups.setdefault(g, len(groups)) for g in c) for c in r.precheck_clauses)
            r_first = {frozenset(groups[g] for g in c): c[0] for c in r.precheck_clauses if c}
            if not clauses or frozenset() in clauses:
                self._always |= bit
            else:
                for clause in clauses:
                    if len(clause) == 1:  # one set: found means the rule may fire
                        (g,) = clause
                        self._direct[g] = self._direct.get(g, 0) | bit
                    else:  # looked at when its first set is found
                        first = groups[r_first[clause]]
                        self._clauses.setdefault(first, []).append((bit, clause))
            if r.alternatives:
                self._alternatives[r.id] = tuple(tuple(frozenset(groups[g] for g in c) for c in alt)
                                                 for alt in r.alternative_clauses)
        substrings: dict[str, set[int]] = {}  # looked for with Aho-Corasick
        whole: dict[str, set[int]] = {}  # whole words, looked up in the message's word set
        for group, gid in groups.items():
            for lit in group:
                if lit.startswith(WORD):
                    whole.setdefault(lit.strip(WORD), set()).add(gid)
                else:
                    substrings.setdefault(lit, set()).add(gid)
        self._words = {w: tuple(ids) for w, ids in whole.items()}
        self._word_keys = frozenset(self._words)
        self._automaton = ahocorasick.Automaton()
        for lit, ids in substrings.items():
            self._automaton.add_word(lit, tuple(ids))
        if substrings:
            self._automaton.make_automaton()
        self._has_substrings = bool(substrings)
        self._key = f"gate-{id(self)}"

    def open(self, text: str) -> int:
        """The bits (:attr:`bit`) of the rules that may fire on ``text``; worked out once per message."""
        return self._state(text)[1]

    def allows(self, text: str, rule: Rule) -> bool:
        """Whether ``rule`` may fire on ``text`` (False proves that none of its patterns or words matches)."""
        return bool(self.open(text) & self.bit[rule.id])

    def regex(self, text: str, rule: Rule) -> re.Pattern[str]:
        """``rule``'s pattern for ``text``: for a rule of alternatives, only those whose literals occur can
        match (the same hits as the whole pattern, found sooner)."""
        alternatives = self._alternatives.get(rule.id)
        found = self._state(text)[0]
        if alternatives is None or found is None:
            return rule.regexes[0]
        live = tuple(not clauses or any(c <= found for c in clauses) for clauses in alternatives)
        return rule.with_alternatives(live) if not all(live) else rule.regexes[0]

    def _state(self, text: str) -> tuple[set[int] | None, int]:
        """(the literal sets found, None for all; the rules opened) for ``text``, once per message."""
        view = view_of(text)
        cached = view.cache.get(self._key)
        if isinstance(cached, tuple):
            return cached
        state = self._open(text, view.lower, view.word_set)
        view.cache[self._key] = state
        return state

    def _open(self, text: str, lower: str, words: frozenset[str]) -> tuple[set[int] | None, int]:
        if not text.isascii():
            # under IGNORECASE a few other letters (dotless i, long s, the Kelvin sign) match ASCII ones
            return None, self.everything
        found: set[int] = set()
        if self._has_substrings:
            for _, ids in self._automaton.iter(lower):
                found.update(ids)
        for word in words & self._word_keys:
            found.update(self._words[word])
        opened = self._always
        direct, several = self._direct, self._clauses
        for g in found:
            if g in direct:
                opened |= direct[g]
            if g in several:
                for bit, clause in several[g]:
                    if clause <= found:
                        opened |= bit
        return found, opened


@lru_cache(maxsize=1)
def shipped_gate() -> Gate:
    """The gate over every finding rule that ships with the bot."""
    return Gate(r for r in shipped_rules() if r.kind in FINDING_KINDS)
