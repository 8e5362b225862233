"""Vehicle registration marks: UK current, prefix and suffix formats, Irish plates, any plate said to be
one (rules: bot/rules/identity/recognizers/vehicle.toml)."""

from __future__ import annotations

from bot.recognizers.base import CONTEXT, Detail, context_near, detail, stronger
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
CURRENT, SAID_PLATE, OLDER, IRISH = (_R[f"vehicle.{n}"] for n in ("current", "said_plate", "older", "irish"))


class VehicleRecognizer:
    kind = "vehicle"
    rules = (CURRENT, SAID_PLATE, OLDER, IRISH)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []

        def free(start: int, end: int) -> bool:
            return not any(h.start < end and start < h.end for h in hits)

        for m in shipped_gate().finditer(text, CURRENT) if opened & on[CURRENT.id] else ():
            context = context_near(CURRENT, text, m.start(), m.end())
            if not context and not m.group(1).isupper():
                continue  # "ab12cde" with no vehicle word is more likely a code or a password
            hits.append(detail(CURRENT, m.start(1), m.end(1), stronger(CURRENT.strength, context),
                               evidence=frozenset({CONTEXT}) if context else frozenset()))
        for m in shipped_gate().finditer(text, SAID_PLATE) if opened & on[SAID_PLATE.id] else ():
            plate = m.group(1)
            size = len(plate.replace(" ", "").replace("-", ""))
            if plate.isupper() and 5 <= size <= 9 and free(m.start(1), m.end(1)):
                hits.append(detail(SAID_PLATE, m.start(1), m.end(1)))
        for rule in (OLDER, IRISH):
            for m in shipped_gate().finditer(text, rule) if opened & on[rule.id] else ():
                if (free(m.start(1), m.end(1)) and any(ch.isdigit() for ch in m.group(1))
                        and context_near(rule, text, m.start(), m.end())):
                    hits.append(detail(rule, m.start(1), m.end(1), evidence=frozenset({CONTEXT})))
        return hits
