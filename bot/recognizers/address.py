"""UK postcodes, street addresses, map pins and named streets (rules: bot/rules/identity/recognizers/address.toml)."""

from __future__ import annotations

import re

from bot.recognizers.base import CONTEXT, Detail, context_near, detail, stronger
from bot.recognizers.gate import shipped_gate
from bot.recognizers.public import org_context
from bot.rules.loader import shipped_rules

_R = shipped_rules()
POSTCODE, MAP_LINK, NUMBERED = _R["address.postcode"], _R["address.map_link"], _R["address.numbered"]
ADDRESS_IS, STREET = _R["address.address_is"], _R["address.street"]
NOT_STREET, COURTS, YEAR = _R["address.not_street"].word_set, _R["address.courts"], _R["address.year"]
_FIRST_WORD = re.compile(r"\w+")


def _not_street(name: str) -> bool:
    first = _FIRST_WORD.match(name.strip())
    return first is not None and first.group() in NOT_STREET


class AddressRecognizer:
    """Full postcodes (``postcode``), numbered street addresses and map pins (``address``), named streets
    (``street``)."""

    kind = "address"
    rules = (POSTCODE, MAP_LINK, NUMBERED, ADDRESS_IS, STREET)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        if opened & on[POSTCODE.id]:
            for m in shipped_gate().finditer(text, POSTCODE):
                if any(c.isdigit() for c in m.group(1)):
                    hits.append(detail(POSTCODE, m.start(1), m.end(1), public=org_context(text, m.start(), m.end())))
        if opened & on[MAP_LINK.id]:
            for m in MAP_LINK.hits(text):
                hits.append(detail(MAP_LINK, m.start(), m.end(), public=org_context(text, m.start(), m.end())))
        numbered: list[tuple[int, int]] = []
        if opened & on[NUMBERED.id]:
            for m in shipped_gate().finditer(text, NUMBERED):
                if _not_street(m.group(1)) or YEAR.regexes[0].match(text, m.start()):
                    continue
                context = context_near(NUMBERED, text, m.start(), m.end())
                hits.append(detail(NUMBERED, m.start(), m.end(), stronger(NUMBERED.strength, context),
                                   org_context(text, m.start(), m.end()), frozenset({CONTEXT}) if context else
                                   frozenset()))
                numbered.append((m.start(), m.end()))
        if opened & on[ADDRESS_IS.id]:
            for m in shipped_gate().finditer(text, ADDRESS_IS):
                if any(s <= m.start(1) < e for s, e in numbered):
                    continue
                hits.append(detail(ADDRESS_IS, m.start(1), m.end(1), public=org_context(text, m.start(), m.end())))
                numbered.append((m.start(1), m.end(1)))
        if opened & on[STREET.id]:
            for m in shipped_gate().finditer(text, STREET):
                name = m.group(1)
                if any(s <= m.start(1) < e for s, e in numbered) or _not_street(name) or COURTS.regexes[0].search(name):
                    continue
                context = context_near(STREET, text, m.start(), m.end())
                hits.append(detail(STREET, m.start(1), m.end(1), stronger(STREET.strength, context),
                                   evidence=frozenset({CONTEXT}) if context else frozenset()))
        return hits
