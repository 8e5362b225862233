"""Recognizers written as rules (``kind = "recognizer"`` in ``bot/rules/identity/*.toml``), after Presidio's
PatternRecognizer: a rule's patterns find a detail of ``params.detail``; its named strength sets the
confidence, one step stronger when one of its context words is near. Code holds no pattern of its own.
"""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, near
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule, Strength

#: the one place a named strength becomes a number (a detail's confidence, 0..1)
CONFIDENCE = {Strength.HINT: 0.3, Strength.WEAK: 0.45, Strength.MEDIUM: 0.6, Strength.STRONG: 0.75,
              Strength.DECISIVE: 0.9}
_ORDER = list(Strength)


def _stronger(strength: Strength) -> Strength:
    return _ORDER[min(len(_ORDER) - 1, _ORDER.index(strength) + 1)]


class RuleRecognizer:
    """Finds details with every ``recognizer`` rule (or the rules given)."""

    kind = "rules"

    def __init__(self, rules: list[Rule] | None = None) -> None:
        self.rules = rules if rules is not None else shipped_rules().of_kind("recognizer")
        literals: set[str] = set()
        for r in self.rules:
            if r.precheck is None:
                literals = set()
                break
            literals |= r.precheck
        # one pass over the text: no rule can fire without one of its literals
        self._any = re.compile("|".join(re.escape(x) for x in sorted(literals, key=len, reverse=True))) if literals \
            else None
        self._context = {
            r.id: re.compile(r"(?<!\w)(?:" + "|".join(re.escape(w) for w in r.context) + r")(?!\w)", re.IGNORECASE)
            for r in self.rules if r.context
        }

    def find(self, text: str) -> list[Detail]:
        folded = text.casefold()
        if self._any is not None and self._any.search(folded) is None:
            return []
        hits: list[Detail] = []
        for rule in self.rules:
            if not rule.may_fire(folded):
                continue
            for m in rule.hits(text):
                strength = rule.strength
                ctx = self._context.get(rule.id)
                if ctx is not None and near(text, m.start(), m.end(), ctx):
                    strength = _stronger(strength)
                hits.append(Detail(str(rule.params.get("detail", "workplace")), m.start(), m.end(),
                                   CONFIDENCE[strength], str(rule.params.get("reason", "an identifying detail"))))
        return hits
