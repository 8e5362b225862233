"""How a recognizer rule is checked against its examples: the shipped recognizers run on the text, and the
rule fires when a detail it found comes out (after every guard and filter of its recognizer)."""

from __future__ import annotations

from functools import cache

from bot.recognizers.base import Recognizer
from bot.rules.model import Rule
from bot.rules.runners import register_runner


@cache
def _recognizers() -> list[Recognizer]:
    from bot.recognizers import default_recognizers

    return default_recognizers()


@register_runner("pattern")
def run_pattern(rule: Rule, text: str) -> bool:
    return any(d.rule == rule.id for r in _recognizers() for d in r.find(text))
