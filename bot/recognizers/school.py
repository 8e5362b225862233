"""Schools and colleges named in a message."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, any_word, contains_any, has_digit, may_contain, vocab

TYPES = (
    r"(?:(?:C of E|CofE|RC|Catholic|Church of England|Community|Infant|Junior|Primary|High|Secondary|Grammar|"
    r"Girls'?|Boys'?|Free|Prep|Preparatory)\s+)*"
    r"(?:School|Academy|College|Primary|Grammar|High|Comprehensive|Infants|Juniors|Sixth Form|Prep|Secondary|"
    r"University|Uni|(?i:nursery|pre-?school|school|primary|academy))"
)
# "Cotham School", "St Bede's Catholic College", "Oasis Academy John Williams" (the part before the type).
NAMED = re.compile(
    r"(?<![\w'’])((?:St\.? |Saint )?(?:[A-Z][\w'’&-]*\s+(?:(?:and|of|on|upon|in|the|de|la)\s+)?){1,4}" + TYPES + r")"
    r"(?!\w)(?:\s+(?:[A-Z][\w'’-]+)(?!\s+(?:is|was|said|says)))?"
)
# Lower-case or generic-looking names after a schooling verb: "goes to cotham school".
AFTER_VERB = re.compile(
    r"\b(?:goes to|go to|went to|attends|attended|at|pupil at|student at|year \d{1,2} at|studies at)\s+"
    r"((?:[a-z][\w'’-]*\s+){1,3}(?:school|academy|college|primary|high|grammar|comp))\b",
    re.IGNORECASE,
)
# "in year 11 at Broadlands": a school year then a capitalised name is a school even without "School"
YEAR_AT = re.compile(
    r"\b(?:(?:year|yr|y)\s?(?:[1-9]|1[0-3])|(?-i:[PS])[1-7])\s+(?:at|in)\s+"
    r"((?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,3})",
    re.IGNORECASE,
)
# Welsh- and Gaelic-medium schools put the type first: "Ysgol Gyfun Cwm Rhondda", "Sgoil ..."
TYPE_FIRST = re.compile(r"(?<![\w'’])((?:Ysgol|Sgoil|Scoil|Gaelscoil|Coleg)(?:\s+(?-i:[A-Z])[\w'’-]+){1,4})")
GENERIC_FIRST = re.compile(
    r"^(?:The|A|An|This|That|These|Our|My|Your|Her|His|Their|Its|Every|Each|Any|Some|No|Local|Same|Primary|"
    r"Secondary|High|Grammar|Boarding|Private|State|Faith|Free|Sunday|Summer|Night|Driving|Dance|Drama|Art|"
    r"Medical|Law|Business|Police|Military|Naval|Staff|Royal|Sixth|New|Old|Big|Nursing|Catholic|Community|"
    r"Junior|Infant|Prep|Special|Comprehensive|Top|Good|Bad|Which|What|Whose|Her|Did|Does|Was|Is|At|In|On|"
    r"If|When|Why|Where|Who|Year|Form|Secondary)\b",
    re.IGNORECASE,
)
GENERIC_WORDS = {
    "the", "a", "an", "her", "his", "their", "my", "our", "your", "that", "this", "same", "local", "new",
    "old", "primary", "secondary", "high", "grammar", "private", "state", "boarding", "sixth", "form",
    "different", "other", "another", "big", "nearby", "whole", "one", "catholic", "faith", "village",
    "every", "each", "any", "all", "no", "some", "which", "what", "whose", "most", "many", "both", "either",
    "neither", "several",  # "went to every school in the borough": no school in particular
}
PUBLIC = re.compile(r"College of (?:Policing|Law|Arms)|Royal College|Police College|Staff College", re.IGNORECASE)


SCHOOL_WORDS = vocab("school academy college primary grammar high comprehensive infants juniors sixth prep "
                     "secondary comp ysgol sgoil scoil gaelscoil coleg university uni nursery preschool pre")

# Words without which a pattern cannot match (cheap pre-checks; keep in step with the patterns above).
NAMED_NEEDS = ("School", "Academy", "College", "Primary", "Grammar", "High", "Comprehensive", "Infants",
               "Juniors", "Sixth Form", "Prep", "Secondary", "Uni")  # as written; "Uni" covers "University"
NAMED_NEEDS_ANY_CASE = ("nursery", "school", "primary", "academy")  # TYPES' (?i:...) group
AFTER_VERB_NEEDS = ("school", "academy", "college", "primary", "high", "grammar", "comp")
TYPE_FIRST_NEEDS = ("Ysgol", "Sgoil", "Scoil", "Gaelscoil", "Coleg")  # TYPE_FIRST is case-sensitive


class SchoolRecognizer:
    kind = "school"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        typed = any_word(text, SCHOOL_WORDS)
        named = typed and (contains_any(text, NAMED_NEEDS) or may_contain(text, NAMED_NEEDS_ANY_CASE))
        for m in NAMED.finditer(text) if named else ():
            name = m.group(1)
            first = name.split()[0]
            if GENERIC_FIRST.match(first) and len(name.split()) <= 2:
                continue
            if GENERIC_FIRST.match(first) and not re.match(r"St\.?|Saint", first):
                # "The Cotham School" / "Her Cotham School" -> drop the generic first word
                rest = name[len(first):].lstrip()
                if not rest or GENERIC_FIRST.match(rest.split()[0]):
                    continue
                start = m.start(1) + (len(name) - len(rest))
            else:
                start = m.start(1)
            if PUBLIC.search(text, max(0, m.start() - 20), m.end() + 20):
                continue
            hits.append(Detail(self.kind, start, m.end(1), 0.8, "a named school"))
        for m in TYPE_FIRST.finditer(text) if contains_any(text, TYPE_FIRST_NEEDS) else ():
            hits.append(Detail(self.kind, m.start(1), m.end(1), 0.8, "a named school"))
        for m in YEAR_AT.finditer(text) if has_digit(text) else ():
            if GENERIC_FIRST.match(m.group(1)) or any(h.start < m.end(1) and m.start(1) < h.end for h in hits):
                continue
            hits.append(Detail(self.kind, m.start(1), m.end(1), 0.7, "a named school"))
        for m in AFTER_VERB.finditer(text) if typed and may_contain(text, AFTER_VERB_NEEDS) else ():
            parts = m.group(1).lower().split()
            if all(p in GENERIC_WORDS for p in parts[:-1]):
                continue
            if any(s <= m.start(1) < e or m.start(1) <= s < m.end(1) for s, e in ((h.start, h.end) for h in hits)):
                continue
            hits.append(Detail(self.kind, m.start(1), m.end(1), 0.7, "a named school"))
        return hits
