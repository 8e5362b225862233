"""One pass over a message decides which recognizer rules may fire.

Every rule's pre-check literals are derived from its patterns (:attr:`bot.rules.model.Rule.precheck_clauses`);
the gate puts all of them in one Aho-Corasick automaton (whole-word literals in one dict looked up with the
message's word set), so a message is read once for all rules, and a rule runs its regexes only when the
literals one of its clauses needs occur.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache, lru_cache

import ahocorasick

from bot.message_view import MessageView, view_of
from bot.rules.literals import WORD
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule

#: the kinds of rule that find details (the others are guards and word lists used on a hit)
FINDING_KINDS = ("pattern", "recognizer")


class Gate:
    """Which of ``rules`` may fire on a text.

    Each literal set of a rule's clauses (:attr:`Rule.precheck_clauses`) has a number; a rule may fire when
    one of its clauses has a literal of every one of its sets in the text. Each clause is looked for by its
    rarest set (its *trigger*, ranked by English word frequencies): one Aho-Corasick pass and one look-up
    in the message's word set find the triggers; a clause's other sets are tested only when its trigger is
    found, each at most once per message.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.bit = {r.id: 1 << i for i, r in enumerate(self.rules)}
        self.everything = (1 << len(self.rules)) - 1
        groups: dict[frozenset[str], int] = {}
        self._always = 0
        self._direct: dict[int, int] = {}  # trigger group id -> bits of the rules a clause of which is that set alone
        # trigger group id -> (rule bit, the clause's other groups, rarest first) of clauses of several sets
        self._clauses: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        self._alternatives: dict[str, tuple[tuple[tuple[int, ...], ...], ...]] = {}  # rule id -> its alternatives'
        clauses_of: dict[str, list[tuple[frozenset[str], ...]]] = {}
        for r in self.rules:
            clauses_of[r.id] = [tuple(c) for c in r.precheck_clauses]
            for clause in clauses_of[r.id]:
                for g in clause:
                    groups.setdefault(g, len(groups))
            for alt in r.alternative_clauses:
                for clause in alt:
                    for g in clause:
                        groups.setdefault(g, len(groups))
        rarity = _estimates(groups)

        def ranked(clause: tuple[frozenset[str], ...]) -> tuple[int, ...]:
            return tuple(sorted({groups[g] for g in clause}, key=lambda gid: (rarity[gid], gid)))

        triggers: set[int] = set()
        for r in self.rules:
            bit = self.bit[r.id]
            clauses = [ranked(c) for c in clauses_of[r.id]]
            if not clauses or () in clauses:
                self._always |= bit
            else:
                for clause in clauses:
                    first, rest = clause[0], clause[1:]
                    triggers.add(first)
                    if not rest:  # one set: found means the rule may fire
                        self._direct[first] = self._direct.get(first, 0) | bit
                    else:
                        self._clauses.setdefault(first, []).append((bit, rest))
            if r.alternatives:
                self._alternatives[r.id] = tuple(tuple(ranked(c) for c in alt) for alt in r.alternative_clauses)
        # every set, for the tests made after a trigger: whole words (tested against the word set) and substrings
        self._sets: list[tuple[frozenset[str], tuple[str, ...]]] = [(frozenset(), ())] * len(groups)
        for group, gid in groups.items():
            whole = frozenset(lit.strip(WORD) for lit in group if lit.startswith(WORD))
            self._sets[gid] = (whole, tuple(lit for lit in group if not lit.startswith(WORD)))
        substrings: dict[str, set[int]] = {}  # triggers looked for with Aho-Corasick
        words: dict[str, set[int]] = {}  # trigger whole words, looked up in the message's word set
        for gid in triggers:
            whole, subs = self._sets[gid]
            for w in whole:
                words.setdefault(w, set()).add(gid)
            for lit in subs:
                substrings.setdefault(lit, set()).add(gid)
        self._words = {w: tuple(ids) for w, ids in words.items()}
        self._word_keys = frozenset(self._words)
        self._automaton = ahocorasick.Automaton()
        for lit, ids in substrings.items():
            self._automaton.add_word(lit, tuple(ids))
        if substrings:
            self._automaton.make_automaton()
        self._has_substrings = bool(substrings)
        self._key = f"gate-{id(self)}"
        #: False opens every rule on every text (the soundness tests compare results with and without the gate)
        self.enabled = True

    def open(self, text: str) -> int:
        """The bits (:attr:`bit`) of the rules that may fire on ``text``; worked out once per message."""
        return self._state(text).opened

    def allows(self, text: str, rule: Rule) -> bool:
        """Whether ``rule`` may fire on ``text`` (False proves that none of its patterns or words matches)."""
        return bool(self.open(text) & self.bit[rule.id])

    def regex(self, text: str, rule: Rule) -> re.Pattern[str]:
        """``rule``'s pattern for ``text``: for a rule of alternatives, only those whose literals occur can
        match (the same hits as the whole pattern, found sooner)."""
        alternatives = self._alternatives.get(rule.id)
        state = self._state(text)
        if alternatives is None or state.everything:
            return rule.regexes[0]
        live = tuple(not clauses or any(state.holds_all(c) for c in clauses) for clauses in alternatives)
        return rule.with_alternatives(live) if not all(live) else rule.regexes[0]

    def _state(self, text: str) -> _State:
        """What the gate found in ``text``, worked out once per message."""
        if not self.enabled:
            return _State(self, "", frozenset(), True, self.everything)
        view = view_of(text)
        cached = view.cache.get(self._key)
        if isinstance(cached, _State):
            return cached
        state = self._open(text, view)
        view.cache[self._key] = state
        return state

    def _open(self, text: str, view: MessageView) -> _State:
        if not view.ascii:
            # under IGNORECASE a few other letters (dotless i, long s, the Kelvin sign) match ASCII ones
            return _State(self, "", frozenset(), True, self.everything)
        lower, words = view.lower, view.word_set
        state = _State(self, lower, words, False, self._always)
        found = state.found
        if self._has_substrings:
            for _, ids in self._automaton.iter(lower):
                for g in ids:
                    found[g] = True
        for word in words & self._word_keys:
            for g in self._words[word]:
                found[g] = True
        opened = self._always
        direct, several = self._direct, self._clauses
        for g in list(found):
            if g in direct:
                opened |= direct[g]
            if g in several:
                for bit, rest in several[g]:
                    if not opened & bit and state.holds_all(rest):
                        opened |= bit
        state.opened = opened
        return state


class _State:
    """One message as the gate saw it: which literal sets it holds (tested lazily) and the rules it opened."""

    __slots__ = ("everything", "found", "gate", "lower", "opened", "words")

    def __init__(self, gate: Gate, lower: str, words: frozenset[str], everything: bool, opened: int) -> None:
        self.gate, self.lower, self.words, self.everything, self.opened = gate, lower, words, everything, opened
        self.found: dict[int, bool] = {}  # group id -> whether the text holds one of its literals

    def holds(self, gid: int) -> bool:
        known = self.found.get(gid)
        if known is None:
            whole, subs = self.gate._sets[gid]
            lower = self.lower
            known = self.found[gid] = not whole.isdisjoint(self.words) or any(lit in lower for lit in subs)
        return known

    def holds_all(self, gids: tuple[int, ...]) -> bool:
        return self.everything or all(self.holds(g) for g in gids)


def _estimates(groups: dict[frozenset[str], int]) -> dict[int, float]:
    """How likely a chat message holds a literal of each group (English word frequencies; rough, used only to
    choose which set of a clause to look for first)."""
    freq = _frequencies()
    pieces = {p for group in groups for lit in group for p in _pieces(lit)}
    share = dict.fromkeys(pieces, 0.0)  # a piece inside any word: the summed frequency of the words holding it
    automaton = ahocorasick.Automaton()
    for p in pieces:
        automaton.add_word(p, p)
    if pieces:
        automaton.make_automaton()
        for word, f in freq.items():
            for p in {p for _, p in automaton.iter(word)}:
                share[p] += f

    def estimate(lit: str) -> float:
        if lit.startswith(WORD) and lit.endswith(WORD):
            core = lit.strip(WORD)
            return freq.get(core, 1e-4 if any(c.isdigit() for c in core) else 1e-7)
        parts = _pieces(lit)
        if not parts:  # signs alone: a full stop or a comma is everywhere, an "@" is not
            core = lit.replace(WORD, "").strip()
            return 0.5 if not core or any(c in ".,-'!?:;()\"" for c in core) else 0.01
        return min(max(share[p], 1e-4 if any(c.isdigit() for c in p) else 1e-7) for p in parts)

    return {gid: min(1.0, sum(estimate(lit) for lit in group)) for group, gid in groups.items()}


def _pieces(literal: str) -> list[str]:
    return [p for p in re.split(r"[^a-z0-9]+", literal.replace(WORD, " ")) if p]


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return dict(get_frequency_dict("en", wordlist="small"))


@lru_cache(maxsize=1)
def shipped_gate() -> Gate:
    """The gate over every finding rule that ships with the bot."""
    return Gate(r for r in shipped_rules() if r.kind in FINDING_KINDS)
