"""Where someone can be found at a predictable time (a gym class, a church, a nursery) and what they drive
(rules: bot/rules/identity/recognizers/routine.toml).

``routine``: a place someone goes to regularly ("does the 6am spin class at Pure Fitness every weekday",
"uses the nursery on Trafford Road", "always parked outside the gym"). Named or regular, it places a
person as well as a workplace does; a bare "goes to the gym" narrows less.
``car``: a described vehicle without a registration ("a little red Fiat 500", "her nan's silver Corsa"): in
a small place, a car seen parked is how someone is found.
"""

from __future__ import annotations

import re

from bot.recognizers.base import CONTEXT, NAMED, Detail, detail, stronger
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
ROUTINE, CAR = _R["routine.venue"], _R["routine.car"]
CLOCK, WHEN = _R["routine.clock_time"].regexes[0], _R["routine.when"].regexes[0]
_CAP = re.compile(r"[A-Z][\w'’&-]+")


class RoutineRecognizer:
    """``routine`` (a place someone is regularly found) and ``car`` (a described vehicle, no plate)."""

    kind = "routine"
    rules = (ROUTINE, CAR)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        for m in shipped_gate().finditer(text, ROUTINE) if opened & on[ROUTINE.id] else ():
            place = m.group(2)
            if place is not None and WHEN.match(place):
                place = None  # "went to the library on Monday": a day, not a place
            head = text[m.start() + 1:m.start(2) if m.group(2) else m.end()]  # "the Pentecostal church"
            named = place is not None or _CAP.search(head) is not None
            # a context word ("every", "on Tuesdays") or a clock time in or around the hit: a regular visit
            lo = max(0, m.start() - ROUTINE.int_param("before", 30))
            hi = min(len(text), m.end() + ROUTINE.int_param("after", 30))
            rx = ROUTINE.context_regex
            regular = (rx is not None and rx.search(text, lo, hi) is not None) or CLOCK.search(text, lo, hi) is not None
            evidence = frozenset({NAMED} if named else ()) | frozenset({CONTEXT} if regular else ())
            hits.append(detail(ROUTINE, m.start(), m.end(), stronger(ROUTINE.strength) if evidence else None,
                               evidence=evidence))
        for m in shipped_gate().finditer(text, CAR) if opened & on[CAR.id] else ():
            hits.append(detail(CAR, m.start(), m.end()))
        return hits
