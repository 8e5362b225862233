"""Workplaces ("works at the pharmacy on Gloucester Road") and occupations ("her dad's a firefighter")
(rules: bot/rules/identity/recognizers/workplace.toml)."""

from __future__ import annotations

from bot.recognizers.base import GENERIC, Detail, detail, stronger
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
WORK_AT, OCCUPATION_AT, OWNS = _R["workplace.work_at"], _R["workplace.occupation_at"], _R["workplace.owns"]
SHIFTS_AT = _R["workplace.shifts_at"]
OCCUPATION = _R["workplace.occupation"]
PUBLIC_BODY, TRAILING = _R["workplace.public_body"].regexes[0], _R["workplace.trailing"].regexes[0]
GENERIC_PLACE, TRIVIAL = _R["workplace.generic_place"].regexes[0], _R["workplace.trivial"].regexes


class WorkplaceRecognizer:
    """``workplace`` (where someone works) and ``occupation`` (what they do, without a place)."""

    kind = "workplace"
    rules = (WORK_AT, SHIFTS_AT, OCCUPATION_AT, OWNS, OCCUPATION)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        for rule in (WORK_AT, SHIFTS_AT, OCCUPATION_AT, OWNS):
            if not opened & on[rule.id]:
                continue
            for m in shipped_gate().finditer(text, rule):
                place = TRAILING.sub("", m.group(1).rstrip(".'’"))
                start, end = m.start(1), m.start(1) + len(place)
                if any(t.search(place) for t in TRIVIAL) or any(h.start < end and start < h.end for h in hits):
                    continue
                public = PUBLIC_BODY.match(place) is not None
                # "works at the hospital" or "a job in Carmarthen" (a whole town) narrow less than a named place
                town = m.group(0)[: m.start(1) - m.start()].rstrip().lower().endswith(" in") and " " not in place
                generic = GENERIC_PLACE.match(place) is not None or town
                hits.append(detail(rule, start, end, stronger(rule.strength, -1) if generic else None, public,
                                   frozenset({GENERIC}) if generic else frozenset(),
                                   "a public body as employer" if public else None))
        for m in shipped_gate().finditer(text, OCCUPATION) if opened & on[OCCUPATION.id] else ():
            if any(h.start <= m.start(1) < h.end or m.end() <= h.start <= m.end() + 6 for h in hits):
                continue
            hits.append(detail(OCCUPATION, m.start(1), m.end(1)))
        return hits
