"""Precision guards for model scores: phrasings the learned scorer confuses with abuse.

Calls for *legal* punishment ("I hope he never gets out", "throw the book at him", "life should mean life")
sit next to wishes for violence in embedding space, and the project's policy says they are not abuse. A
message whose only harm is such a call, with no word of bodily harm anywhere in it, has its model labels
for violence, threat, self-harm and generic abuse set aside; the pattern layer still runs, and any other label still
flags. The phrasings are rules (``bot/rules/abuse/guards.toml``), checked by their examples.
"""

from __future__ import annotations

import re
from functools import cache

from bot.rules import Rule, load_rules
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

#: self_harm too: a sentence wished on a third party is not encouragement of self-harm, and the agreement tier
#: (bot.abuse.ablation.confirm) can otherwise lift it on "he deserves the maximum"; self-harm wording
#: ("yourself", "end it", "pills") is in the harm words, which stand the guard aside.
GUARDED_LABELS = frozenset({"abuse", "violence", "threat", "toxicity", "severe_toxicity", "self_harm"})
#: Set aside too when the call for a sentence carries no locating detail (no address, number, handle,
#: workplace, school or vehicle): "throw the book at him" is not doxxing, "... he lives at 4 Elm Road" may be.
DETAIL_FREE_GUARDED_LABELS = frozenset({"doxxing"})
_LOCATING = re.compile(
    r"\d|@|\b(?:lives?|living|address|street|st|road|rd|lane|avenue|close|drive|estate|flat|house|works?|"
    r"job|school|college|uni|shop|pub|car|van|reg|plate|facebook|insta\w*|tiktok|snap\w*|twitter|number)\b",
    re.IGNORECASE,
)
GUARD_FILE = RULES_DIR / "abuse" / "guards.toml"


@cache
def _rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    rules = list(load_rules(GUARD_FILE))
    return (tuple(r for r in rules if r.kind == "abuse_guard"), tuple(r for r in rules if r.kind == "abuse_harm"))


def _any_hit(rules: tuple[Rule, ...], text: str) -> bool:
    return any(next(rule.hits(text), None) is not None for rule in rules)


def legal_punishment_only(text: str) -> bool:
    """True when the message calls for a legal sentence and says nothing about bodily harm."""
    guards, harm = _rules()
    return _any_hit(guards, text) and not _any_hit(harm, text)


def guarded_labels(text: str) -> frozenset[str]:
    """The model labels set aside for ``text``: none unless it only calls for a legal sentence."""
    if not legal_punishment_only(text):
        return frozenset()
    return GUARDED_LABELS if _LOCATING.search(text) else GUARDED_LABELS | DETAIL_FREE_GUARDED_LABELS


@register_runner("abuse_guard")
def run_guard(rule: Rule, text: str) -> bool:
    """A guard rule fires when it matches and no harm word stands it aside (as the detector uses it)."""
    return next(rule.hits(text), None) is not None and not _any_hit(_rules()[1], text)
