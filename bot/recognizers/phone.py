"""Phone numbers, found by ``phonenumbers`` with GB as the default region."""

from __future__ import annotations

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

from bot.recognizers.base import Detail, clamp, digit_count, near, words
from bot.recognizers.public import org_context

CONTEXT = words(
    "phone", "number", "no", "mobile", "mob", "tel", "telephone", "call", "ring", "text", "texts", "txt",
    "whatsapp", "contact", "reach", "landline", "cell", "ph",
)
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


class PhoneRecognizer:
    kind = "phone"

    def __init__(self, region: str = "GB") -> None:
        self.region = region

    def find(self, text: str) -> list[Detail]:
        if digit_count(text) < 7:
            return []
        hits: list[Detail] = []
        for match in PhoneNumberMatcher(text, self.region, leniency=Leniency.POSSIBLE, max_tries=2_000):
            number = match.number
            digits = len(phonenumbers.national_significant_number(number))
            valid = phonenumbers.is_valid_number(number)
            if digits < 9:
                continue  # too short for a person's number: case references, years, collar numbers
            kind = phonenumbers.number_type(number)
            context = near(text, match.start, match.end, CONTEXT)
            if valid:
                confidence = 0.85
            elif digits >= 10 and (context or match.raw_string.lstrip("+(").startswith(("0", "44"))):
                confidence = 0.6  # well formed but unallocated (e.g. the 07700 900xxx drama range)
            else:
                continue
            if context:
                confidence += 0.1
            public = kind in ORGANISATION_TYPES or org_context(text, match.start, match.end)
            reason = REASONS.get(kind, "a phone number")
            if public:
                reason = "an organisation's public phone number"
            hits.append(Detail(self.kind, match.start, match.end, clamp(confidence), reason, public))
        return hits
