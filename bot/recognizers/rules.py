"""Recognizers written as rules (``kind = "recognizer"`` in ``bot/rules/identity/*.toml``), after Presidio's
PatternRecognizer: a rule's patterns find a detail of ``params.detail``; its named strength says how sure
the hit is, one step stronger when one of its context words is near. Code holds no pattern of its own.
"""

from __future__ import annotations

from itertools import pairwise

from bot.recognizers.base import CONTEXT, Detail, context_near, detail, stronger
from bot.recognizers.gate import Gate, shipped_gate
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule


class RuleRecognizer:
    """Finds details with every ``recognizer`` rule (or the rules given)."""

    kind = "rules"

    def __init__(self, rules: list[Rule] | None = None) -> None:
        """``rules``: the recognizer rules to run (every shipped one by default)."""
        self.rules = tuple(rules if rules is not None else shipped_rules().of_kind("recognizer"))
        self._gate = shipped_gate() if rules is None else Gate(self.rules)
        # the gate's bit of each of these rules, in rule order: a message visits only the rules it opened
        bits = [(self._gate.bit[r.id], r) for r in self.rules]
        self._mask = sum(b for b, _ in bits)
        self._ordered = all(a[0] < b[0] for a, b in pairwise(bits))
        self._by_bit = {b: r for b, r in bits}

    def _opened(self, text: str) -> list[Rule]:
        live = self._gate.open(text) & self._mask
        if not self._ordered:
            return [r for r in self.rules if live & self._gate.bit[r.id]]
        out = []
        while live:
            low = live & -live
            out.append(self._by_bit[low])
            live ^= low
        return out

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        gate = self._gate
        for rule in self._opened(text):
            found = [gate.finditer(text, rule, i) for i in range(len(rule.regexes))]
            if rule.word_regex is not None:
                found.append(rule.word_regex.finditer(text))
            for matches in found:
                for m in matches:
                    context = context_near(rule, text, m.start(), m.end())
                    hits.append(detail(rule, m.start(), m.end(), stronger(rule.strength, context),
                                       evidence=frozenset({CONTEXT}) if context else frozenset()))
        return hits
