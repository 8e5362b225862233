"""Dates of birth: a date next to a word about birth."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, has_digit, near, words

MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
DATE = re.compile(
    r"(?<![\w/.-])(?:"
    r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + MONTHS + r")\.?(?:,?\s+\d{4})?"
    r"|(?:" + MONTHS + r")\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?"
    r"|(?:christmas (?:day|eve)|boxing day|new year'?s (?:day|eve)|valentine'?s day|halloween|bonfire night)"
    r"(?:,?\s+(?:19|20)\d\d)"
    r")(?![\w/])",
    re.IGNORECASE,
)
BIRTH = words(
    "born", "birthday", "bday", "b-day", "dob", r"d\.o\.b\.?", "date of birth", "birth date", "birthdate",
    r"turns? \d{1,2}", "was born", "birth",
)
YEAR_BORN = re.compile(r"\bborn\s+(?:in\s+)?((?:19|20)\d\d)\b", re.IGNORECASE)


class DateOfBirthRecognizer:
    """``dob`` for a full or day-month date of birth; ``age`` for a birth year alone."""

    kind = "dob"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        if not has_digit(text):
            return hits
        for m in DATE.finditer(text):
            if near(text, m.start(), m.end(), BIRTH, before=40, after=15):
                hits.append(Detail(self.kind, m.start(), m.end(), 0.85, "a date of birth"))
        for m in YEAR_BORN.finditer(text):
            hits.append(Detail("age", m.start(1), m.end(1), 0.5, "a birth year"))
        return hits
