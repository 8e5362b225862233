"""Literal gates that let a rule skip the regexes of a text that cannot match them.

A pattern's top-level alternatives each need one of a few literals (:func:`bot.rules.literals.required_literals`).
One Aho-Corasick pass finds which literals a text holds; an alternative none of whose literals occurs matches
nowhere in it, so the pattern is skipped when no alternative is live, and run as its one live alternative when
only one is (the same matches, found sooner).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from bot.rules.literals import required_literals, split_alternatives

if TYPE_CHECKING:
    from bot.rules.model import Rule


class LiteralGate:
    """Which of a fixed set of literals occur in a (casefolded) text, in one pass."""

    def __init__(self, literals: Iterable[str]):
        self._automaton: ahocorasick.Automaton | None = None
        words = set(literals)
        if words:
            self._automaton = ahocorasick.Automaton()
            for word in words:
                self._automaton.add_word(word, word)
            self._automaton.make_automaton()

    def present(self, folded: str) -> frozenset[str]:
        if self._automaton is None:
            return frozenset()
        return frozenset(word for _, word in self._automaton.iter(folded))


@dataclass(frozen=True, slots=True)
class PatternGate:
    """One compiled pattern, the literals each of its top-level alternatives needs (None: it needs none), and
    each alternative compiled alone (for a yes/no answer, which does not need the pattern's group numbers)."""

    regex: re.Pattern[str]
    alternatives: tuple[frozenset[str] | None, ...]
    parts: tuple[re.Pattern[str], ...]

    @classmethod
    def of(cls, pattern: str, regex: re.Pattern[str], *, ignore_case: bool) -> PatternGate:
        alts = split_alternatives(pattern) or [pattern]
        try:
            parts = tuple(re.compile(a, regex.flags) for a in alts) if len(alts) > 1 else (regex,)
        except re.error:  # an alternative that refers to another's group: keep the pattern whole
            alts, parts = [pattern], (regex,)
        return cls(regex, tuple(required_literals(a, ignore_case=ignore_case) for a in alts), parts)

    def _live(self, present: frozenset[str]) -> list[int]:
        return [i for i, need in enumerate(self.alternatives) if need is None or not need.isdisjoint(present)]

    def regex_for(self, present: frozenset[str]) -> re.Pattern[str] | None:
        """The regex to run on a text holding the literals ``present``; None when the pattern cannot match."""
        return self.regex if self._live(present) else None

    def matches(self, text: str, present: frozenset[str]) -> bool:
        """Whether the pattern matches ``text`` (holding the literals ``present``), trying live alternatives only."""
        return any(self.parts[i].search(text) is not None for i in self._live(present))


class RuleGroup:
    """Several rules asked together which of them fire on a text: one casefold and one Aho-Corasick pass for
    all of them, then only the alternatives whose literals occur, each tried alone until its rule fires (the
    answers of :meth:`bot.rules.model.Rule.fires`, with the work shared)."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = tuple({rule.id: rule for rule in rules}.values())
        self._by_literal: dict[str, list[tuple[int, re.Pattern[str]]]] = {}
        self._always: list[tuple[int, re.Pattern[str]]] = []  # alternatives that need no literal
        self._whole: list[int] = []  # rules with a word list: asked as a whole
        for index, rule in enumerate(self.rules):
            if rule.word_regex is not None:
                self._whole.append(index)
                continue
            for gate in rule.pattern_gates:
                for need, part in zip(gate.alternatives, gate.parts, strict=True):
                    if need is None:
                        self._always.append((index, part))
                    else:
                        for literal in need:
                            self._by_literal.setdefault(literal, []).append((index, part))
        self._gate = LiteralGate(self._by_literal)

    def fired(self, text: str) -> frozenset[str]:
        """The ids of the rules that fire on ``text``."""
        found: set[int] = set()
        tried: set[tuple[int, int]] = set()  # (rule, alternative): one regex may serve several rules
        for literal in self._gate.present(text.casefold()):
            for index, part in self._by_literal[literal]:
                if index not in found and (index, id(part)) not in tried:
                    tried.add((index, id(part)))
                    if part.search(text) is not None:
                        found.add(index)
        for index, part in self._always:
            if index not in found and part.search(text) is not None:
                found.add(index)
        for index in self._whole:
            if self.rules[index].fires(text):
                found.add(index)
        return frozenset(self.rules[i].id for i in found)
