"""Recognizers written as rules (``kind = "recognizer"`` in ``bot/rules/identity/*.toml``), after Presidio's
PatternRecognizer: a rule's patterns find a detail of ``params.detail``; its named strength says how sure
the hit is, one step stronger when one of its context words is near. Code holds no pattern of its own.
"""

from __future__ import annotations

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

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        opened, on = self._gate.open(text), self._gate.bit
        for rule in self.rules:
            if not opened & on[rule.id]:
                continue
            for rx in rule.regexes + ((rule.word_regex,) if rule.word_regex is not None else ()):
                for m in rx.finditer(text):
                    context = context_near(rule, text, m.start(), m.end())
                    hits.append(detail(rule, m.start(), m.end(), stronger(rule.strength, context),
                                       evidence=frozenset({CONTEXT}) if context else frozenset()))
        return hits
