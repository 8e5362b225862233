"""Schools and colleges named in a message (rules: bot/rules/identity/recognizers/school.toml)."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.recognizers.base import GENERIC, Detail, detail
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
NAMED, TYPE_FIRST, YEAR_AT, AFTER_VERB, IN_TOWN = (
    _R[f"school.{n}"] for n in ("named", "type_first", "year_at", "after_verb", "in_town"))
GENERIC_FIRST, GENERIC_WORDS = _R["school.generic_first"].word_set, _R["school.generic_words"].word_set
PUBLIC = _R["school.public"].regexes[0]
STAFF = _R["school.staff_words"].regexes[0]
_STAFF_REACH = 40  # characters before a school in which a staff word makes it a workplace (as the detector reads)
_FIRST_WORD = re.compile(r"\w+")
_SAINT = re.compile(r"St\.?|Saint")


def _generic(word: str) -> bool:
    """Whether a name starts with a generic word ("The", "Sunday", "Driving")."""
    first = _FIRST_WORD.match(word)
    return first is not None and first.group().casefold() in GENERIC_FIRST


class SchoolRecognizer:
    kind = "school"
    rules = (NAMED, TYPE_FIRST, YEAR_AT, AFTER_VERB, IN_TOWN)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        for m in shipped_gate().finditer(text, NAMED) if opened & on[NAMED.id] else ():
            name = m.group(1)
            first = name.split()[0]
            if _generic(first) and len(name.split()) <= 2:
                continue
            if _generic(first) and not _SAINT.match(first):
                # "The Cotham School" / "Her Cotham School" -> drop the generic first word
                rest = name[len(first):].lstrip()
                if not rest or _generic(rest.split()[0]):
                    continue
                start = m.start(1) + (len(name) - len(rest))
            else:
                start = m.start(1)
            if PUBLIC.search(text, max(0, m.start() - 20), m.end() + 20):
                continue
            hits.append(detail(NAMED, start, m.end(1)))
        for m in shipped_gate().finditer(text, TYPE_FIRST) if opened & on[TYPE_FIRST.id] else ():
            hits.append(detail(TYPE_FIRST, m.start(1), m.end(1)))
        for m in shipped_gate().finditer(text, YEAR_AT) if opened & on[YEAR_AT.id] else ():
            if _generic(m.group(1)) or any(h.start < m.end(1) and m.start(1) < h.end for h in hits):
                continue
            hits.append(detail(YEAR_AT, m.start(1), m.end(1)))
        for m in shipped_gate().finditer(text, AFTER_VERB) if opened & on[AFTER_VERB.id] else ():
            parts = m.group(1).lower().split()
            if all(p in GENERIC_WORDS for p in parts[:-1]):
                continue
            if any(s <= m.start(1) < e or m.start(1) <= s < m.end(1) for s, e in ((h.start, h.end) for h in hits)):
                continue
            hits.append(detail(AFTER_VERB, m.start(1), m.end(1)))
        for m in shipped_gate().finditer(text, IN_TOWN) if opened & on[IN_TOWN.id] else ():
            if _generic(m.group(1)) or any(h.start < m.end() and m.start() < h.end for h in hits) or (
                    STAFF.search(text, max(0, m.start() - _STAFF_REACH), m.start())):
                continue  # "at the school in Year 9"; a school already named; "she teaches at the primary in ..."
            # the school's kind and its town: one detail, generic (a few schools at most)
            start = m.start() + len(m.group()) - len(m.group().split(None, 1)[1])  # from "the", after "at"
            hits.append(replace(detail(IN_TOWN, start, m.end()), evidence=frozenset({GENERIC})))
        return hits
