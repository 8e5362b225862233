"""Dates of birth: a date next to a word about birth; a birth year alone
(rules: bot/rules/identity/recognizers/dob.toml)."""

from __future__ import annotations

from bot.recognizers.base import CONTEXT, Detail, context_near, detail
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
DATE, YEAR_BORN = _R["dob.date"], _R["dob.year_born"]


class DateOfBirthRecognizer:
    """``dob`` for a full or day-month date of birth; ``age`` for a birth year alone."""

    kind = "dob"
    rules = (DATE, YEAR_BORN)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        for m in shipped_gate().finditer(text, DATE) if opened & on[DATE.id] else ():
            if context_near(DATE, text, m.start(), m.end()):  # the birth word is what makes a date a birthday
                hits.append(detail(DATE, m.start(), m.end(), evidence=frozenset({CONTEXT})))
        for m in shipped_gate().finditer(text, YEAR_BORN) if opened & on[YEAR_BORN.id] else ():
            hits.append(detail(YEAR_BORN, m.start(1), m.end(1)))
        return hits
