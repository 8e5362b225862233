"""UK vehicle registration marks (current, prefix and suffix formats)."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, clamp, has_digit, near, words

CURRENT = re.compile(r"(?<![\w-])([A-Z]{2}(?:0[2-9]|[1-7][0-9])\s?[A-Z]{3})(?![\w-])", re.IGNORECASE)
OLDER = re.compile(
    r"(?<![\w-])([A-HJ-NP-Y]\d{1,3}\s?[A-Z]{3}|[A-Z]{3}\s?\d{1,3}[A-HJ-NP-Y])(?![\w-])", re.IGNORECASE
)
# Northern Ireland ("NIZ 4471": the last two letters hold an I or a Z) and Republic of Ireland ("191-D-12345").
IRISH = re.compile(
    r"(?<![\w-])([A-Z](?:I[A-Z]|Z[A-Z]|[A-Z]I|[A-Z]Z) ?\d{1,4}|\d{2,3}-(?:[A-Z]{1,2})-\d{1,6})(?![\w-])"
)
# Any other country's plate, said to be one: "reg B 123 XYZ", "plate: CJ-12-ABC" (capitals and digits)
SAID_PLATE = re.compile(
    r"\b(?:reg(?:istration)?(?:\s+(?:no|number|plate))?|plates?|number\s?plate)\s*(?:is|was|:|-)?\s*"
    r"((?=[A-Z0-9 -]*\d)(?=[A-Z0-9 -]*[A-Z])[A-Z0-9]{1,4}(?:[ -][A-Z0-9]{1,4}){1,3})(?![\w-])",
    re.IGNORECASE,
)
CONTEXT = words(
    "reg", "registration", "plates?", "number ?plate", "car", "cars", "van", "drives?", "driving", "drove",
    "motor", "vehicle", "motorbike", "bike", "parked", "taxi", "cab", "lorry", "suv", "4x4", "audi", "bmw",
    "ford", "vauxhall", "volkswagen", "vw", "mercedes", "toyota", "nissan", "kia", "range rover", "golf",
    "corsa", "fiesta", "transit", "polo", "astra", "qashqai", "reg no", "numberplate",
)


class VehicleRecognizer:
    kind = "vehicle"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        if not has_digit(text):
            return hits
        for m in CURRENT.finditer(text):
            mark = m.group(1)
            context = near(text, m.start(), m.end(), CONTEXT)
            if not context and not mark.isupper():
                continue  # "ab12cde" with no vehicle word is more likely a code or a password
            hits.append(Detail(self.kind, m.start(1), m.end(1), clamp(0.7 + 0.2 * context),
                               "a vehicle registration mark"))
        for m in SAID_PLATE.finditer(text):
            plate = m.group(1)
            if (plate.isupper() and 5 <= len(plate.replace(" ", "").replace("-", "")) <= 9
                    and not any(h.start < m.end(1) and m.start(1) < h.end for h in hits)):
                hits.append(Detail(self.kind, m.start(1), m.end(1), 0.75, "a vehicle registration mark"))
        for pattern in (OLDER, IRISH):
            for m in pattern.finditer(text):
                if any(h.start < m.end(1) and m.start(1) < h.end for h in hits):
                    continue
                if near(text, m.start(), m.end(), CONTEXT) and any(ch.isdigit() for ch in m.group(1)):
                    hits.append(Detail(self.kind, m.start(1), m.end(1), 0.75, "a vehicle registration mark"))
        return hits
