"""Phone numbers, found by ``phonenumbers`` with GB as the default region; their context words and
strengths are rules (bot/rules/identity/recognizers/phone.toml)."""

from __future__ import annotations

import re
from collections.abc import Iterator

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatch, PhoneNumberMatcher, PhoneNumberType

from bot.recognizers.base import CONTEXT, Detail, context_near, detail, digit_count, stronger
from bot.recognizers.public import org_context
from bot.rules.loader import shipped_rules

_R = shipped_rules()
VALID, UNALLOCATED = _R["phone.number"], _R["phone.unallocated"]
# Number types an organisation publishes rather than a person: freephone, shared cost, UAN (03xx), premium.
ORGANISATION_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
    PhoneNumberType.PREMIUM_RATE,
}
REASONS = {
    PhoneNumberType.MOBILE: "a mobile phone number",
    PhoneNumberType.FIXED_LINE: "a landline phone number",
}


# Letters written for digits inside a number ("O77OO 9OO4l7"): read as the digits they stand for
_LOOKALIKE_RUN = re.compile(r"(?<![^\W\d_])[+(]?[\dOoIl|][\dOoIl|() .-]{7,}[\dOoIl|](?![^\W\d_])")
_LOOKALIKE_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1"})


def digits_for_lookalikes(text: str) -> str:
    """``text`` with look-alike letters read as digits inside runs that are mostly digits already (same
    length, so offsets stay valid)."""
    if not any(c in text for c in "OoIl|"):
        return text
    def fix(m: re.Match[str]) -> str:
        run = m.group()
        real = sum(c.isdigit() for c in run)
        letters = sum(c in "OoIl|" for c in run)
        return run.translate(_LOOKALIKE_DIGITS) if real >= 4 and 0 < letters <= 2 * real else run
    return _LOOKALIKE_RUN.sub(fix, text)


# where a number may be: a run of digits and separators (a candidate needs nine digits in it)
_RUN = VALID.regexes[0]


class PhoneRecognizer:
    kind = "phone"
    rules = (VALID, UNALLOCATED)  # the finding rules it runs

    def __init__(self, region: str = "GB", max_hits: int = 50) -> None:
        self.region = region
        # a message with more numbers than this is spam: what is found is enough to act, and phonenumbers
        # costs about 0.2 ms a number (a 4,000-character message of numbers took 100 ms unbounded)
        self.max_hits = max_hits

    def find(self, text: str) -> list[Detail]:
        if digit_count(text) < 4:
            return []
        text = digits_for_lookalikes(text)
        if digit_count(text) < 7:
            return []
        hits: list[Detail] = []
        for match in self._matches(text):
            number = match.number
            digits = len(phonenumbers.national_significant_number(number))
            valid = phonenumbers.is_valid_number(number)
            if digits < 9:
                continue  # too short for a person's number: case references, years, collar numbers
            kind = phonenumbers.number_type(number)
            rule = VALID if valid else UNALLOCATED
            context = context_near(rule, text, match.start, match.end)
            if not valid and not (digits >= 10 and (context or match.raw_string.lstrip("+(").startswith(("0", "44")))):
                continue  # an unallocated number counts when well formed (e.g. the 07700 900xxx drama range)
            public = kind in ORGANISATION_TYPES or org_context(text, match.start, match.end)
            reason = "an organisation's public phone number" if public else REASONS.get(kind, "a phone number")
            hits.append(detail(rule, match.start, match.end, stronger(rule.strength, context), public,
                               frozenset({CONTEXT}) if context else frozenset(), reason))
        return hits

    def _matches(self, text: str) -> Iterator[PhoneNumberMatch]:
        """phonenumbers' matches, looked for only inside runs of nine or more digits, and at most
        ``max_hits`` candidates in all: a text of hundreds of numbers is spam, and what is found is enough to
        act (phonenumbers costs about 0.2 ms a candidate; unbounded, a 4,000-character message took 100 ms)."""
        budget = self.max_hits
        for run in _RUN.finditer(text):
            if budget <= 0:
                return
            if sum(ch.isdigit() for ch in run.group()) < 9:
                continue
            lo, hi = max(0, run.start() - 2), min(len(text), run.end() + 2)
            for match in PhoneNumberMatcher(text[lo:hi], self.region, leniency=Leniency.POSSIBLE, max_tries=budget):
                budget -= 1
                yield PhoneNumberMatch(match.start + lo, match.raw_string, match.number)
                if budget <= 0:
                    return
