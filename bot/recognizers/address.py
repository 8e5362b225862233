"""UK postcodes and street addresses."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, any_word, contains_any, has_digit, near, vocab, words
from bot.recognizers.public import org_context

# A full postcode (outward + inward code). Case-insensitive: people type "bs6 6hr".
POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9ABEHJKMNPRSTUVWXY]? ?[0-9][ABD-HJLNP-UW-Z]{2})"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)

SUFFIXES = (
    r"Road|Rd|Street|Avenue|Ave|Lane|Close|Drive|Way|Crescent|Cres|Gardens|Gdns|Terrace|Terr|Place|Grove|"
    r"Hill|Court|Mews|Row|Walk|Square|Parade|Vale|Rise|View|Park|Green|Gate|Wharf|Quay|Yard|Croft|"
    r"Meadows?|Fields?|Chase|Drove|Hollow|Boulevard|Embankment|Approach|Broadway|Circus|Crest|Heights|Farm|"
    r"Cottages?|Wynd"
)
# "7 Cotham Vale", "Flat 2, 14a St Mary's Road": a house number then a named street (case-insensitive).
NUMBERED = re.compile(
    r"(?<![\w/.,:-])(?:(?:flat|apartment|apt|unit)\s*\d{1,4}[a-z]?,?\s+)?\d{1,4}[a-z]?,?\s+"
    r"(?!(?:at|in|on|of|the|and|for|to|or|a|an|by|from|with|is|was|are|were|per|x|years?|months?|weeks?|"
    r"days?|hours?|minutes?|mins?|times?|people|men|women|kids|children|pupils|officers|miles?)\b)"
    r"((?:[A-Za-z][\w'’.-]*\s+){1,3}?(?:" + SUFFIXES + r"|St))\b(?!\s+(?:School|Academy|College|Primary|Surgery))",
    re.IGNORECASE,
)
# "on Gloucester Road", "Cotham Vale": a named street without a number (capitalised words only).
STREET = re.compile(
    r"(?<![\w'’])((?:St\.? |Saint )?(?:[A-Z][a-z'’]+[ -]){1,3}(?:" + SUFFIXES + r"))\b"
    r"(?!\s+(?:School|Academy|College|Primary|High|Surgery|Police|Station|Hospital|Library|Church|[Ee]state))"
)
COURTS = re.compile(r"\b(?:Crown|Magistrates['’]?|County|High|Family|Coroner['’]?s?|Youth|Supreme|Appeal|"
                    r"Combined|Royal|Sheriff|Tribunal)\s+Court$")
NOT_STREET = re.compile(
    r"^(?:The|A|An|This|That|Our|My|Her|His|Their|Downing|Fleet|Wall|Whitehall|Abbey|Scotland|Central|Old|"
    r"Hyde|Crystal|Silver|Village|Theme|Car|Retail|Business|Industrial|National|Green)\b"
)
# "her address is 31 Waterdales": a house number and a name after the word "address", whatever the street
ADDRESS_IS = re.compile(
    r"\baddress(?:'s|’s|\s+is|\s+was|\s*:|\s*-)\s*(\d{1,4}[a-zA-Z]?,?\s+(?-i:[A-Z])[\w'’-]+"
    r"(?:\s+(?-i:[A-Z])[\w'’-]+){0,2})",
    re.IGNORECASE,
)
YEAR = re.compile(r"(?:19|20)\d\d\b")
ADDRESS_CONTEXT = words(
    "lives?", "living", "live", "address", "house", "houses", "home", "flats?", "moved", "above",
    "next door", "stays?", "staying", "door", "round", "at number",
)


# A map pin or a what3words address points at one place as well as a street address does.
MAP_LINK = re.compile(
    r"(?:https?://)?(?:(?:www\.)?google\.[a-z.]+/maps|maps\.google\.[a-z.]+|maps\.app\.goo\.gl|goo\.gl/maps|"
    r"(?:www\.)?openstreetmap\.org|maps\.apple\.com|(?:www\.)?what3words\.com)[^\s<>\"]*"
    r"|(?<![\w/])///[a-z]+\.[a-z]+\.[a-z]+\b",
    re.IGNORECASE,
)


STREET_WORDS = vocab(*SUFFIXES.replace("?", "").split("|"), "st", "meadow", "field")
MAP_HINTS = ("maps", "///", "what3words", "openstreetmap")
# STREET is case-sensitive and ends in one of these words as written ("Meadows?" -> "Meadow")
STREET_SUFFIXES = tuple(re.sub(r"s\?$", "", s) for s in SUFFIXES.split("|"))


class AddressRecognizer:
    """Full postcodes (``postcode``), numbered street addresses (``address``), named streets (``street``)."""

    kind = "address"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        digits = has_digit(text)
        streets = any_word(text, STREET_WORDS)
        if not digits and not streets and not any(h in text for h in MAP_HINTS):
            return hits
        for m in POSTCODE.finditer(text) if digits else ():
            if not any(c.isdigit() for c in m.group(1)):
                continue
            public = org_context(text, m.start(), m.end())
            hits.append(Detail("postcode", m.start(1), m.end(1), 0.85, "a full postcode", public))
        for m in MAP_LINK.finditer(text) if any(h in text for h in MAP_HINTS) else ():
            hits.append(Detail("address", m.start(), m.end(), 0.85, "a map link or what3words location",
                               org_context(text, m.start(), m.end())))
        numbered: list[tuple[int, int]] = []
        for m in NUMBERED.finditer(text) if digits and streets else ():
            street = m.group(1)
            if NOT_STREET.match(street.strip()) or YEAR.match(text, m.start()):
                continue
            conf = 0.9 if near(text, m.start(), m.end(), ADDRESS_CONTEXT) else 0.8
            public = org_context(text, m.start(), m.end())
            hits.append(Detail("address", m.start(), m.end(), conf, "a street address", public))
            numbered.append((m.start(), m.end()))
        for m in ADDRESS_IS.finditer(text) if digits and "ddress" in text else ():
            if any(s <= m.start(1) < e for s, e in numbered):
                continue
            hits.append(Detail("address", m.start(1), m.end(1), 0.9, "a street address",
                               org_context(text, m.start(), m.end())))
            numbered.append((m.start(1), m.end(1)))
        for m in STREET.finditer(text) if streets and contains_any(text, STREET_SUFFIXES) else ():
            if any(s <= m.start(1) < e for s, e in numbered) or NOT_STREET.match(m.group(1)) or COURTS.search(
                    m.group(1)):
                continue
            conf = 0.55 if near(text, m.start(), m.end(), ADDRESS_CONTEXT, before=45, after=10) else 0.45
            hits.append(Detail("street", m.start(1), m.end(1), conf, "a named street"))
        return hits
