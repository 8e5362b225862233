"""Traits that narrow someone down in combination: age or school year, appearance, hobbies, home area.

None of these identifies anyone alone; the identifying-detail detector counts them towards jigsaw
identification when they accumulate about the same third party.
"""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, any_word, has_digit, may_contain, vocab, word_set

AGE = re.compile(
    r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen)[- ]?(?:years?|yrs?)[- ]?old\b"
    r"|\baged?\s+\d{1,2}\b"
    r"|\b(?:year|yr|y)\s?(?:[1-9]|1[0-3])\b(?!\s*(?:years?|months?|weeks?|days?|%|[.,:]\d))"
    r"|\b(?:sixth form|reception class|\d{1,2}(?:st|nd|rd|th) year)\b"
    r"|\b(?:she|he|they)(?:'s|’s| is| was| are)\s+(?:only\s+|just\s+|about\s+)?(?:1[0-9]|[4-9])\b(?!\s*(?:%|:|\.\d))"
    # Scottish school years (P1-P7, S1-S6), "under-12s", an adult's age: "is 33 now", "in his forties"
    r"|\b(?-i:[PS])[1-7]\b(?![-.:/]\d)"
    r"|\bunder[- ]?(?:[5-9]|1[0-9])'?s\b"
    r"|\b(?:is|'s|’s|was|turned|turns)\s+(?:[2-9][0-9])\s+(?:now|this year|next month)\b"
    r"|\b(?:girl|boy|lad|lass|kid|child|teen|teenager|man|woman|worker|victim|complainant|officer|one)\s+"
    r"(?:is|was|'s|’s)\s+(?:only\s+|just\s+|about\s+|barely\s+)?(?:[4-9]|[1-9][0-9])\b(?!\s*(?:%|:|\.\d|am|pm))"
    r"|\b(?:early|mid|late)[- ]?(?:[2-6]0s|twenties|thirties|forties|fifties|sixties)\b"
    r"|\bin\s+(?:his|her|their)\s+(?:early\s+|mid\s+|late\s+|mid-)?"
    r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|[2-7]0'?s)\b",
    re.IGNORECASE,
)
APPEARANCE = re.compile(
    r"\b(?:(?:bright |long |short |dyed |curly |straight |wavy |light |dark )?"
    r"(?:red|ginger|blonde?|brown|black|dark|fair|curly|long|short|dyed|pink|blue|purple|green|grey|white)"
    r"[- ](?:hair|haired)|redhead|ginger|blonde|brunette|freckles|freckled|glasses|specs|braces|a brace|"
    r"tattoos?|tattooed|"
    r"piercings?|nose ring|birthmark|scar on|wheelchair|hijab|headscarf|turban|crutches|hearing aid|"
    r"autism|autistic|adhd|cerebral palsy|down'?s syndrome|epilepsy|epileptic|type 1 diabetes|diabetic|"
    r"cochlear implants?|a stammer|a stutter|deaf|partially sighted|"
    r"(?:she|he)(?:'s|’s| is) (?:really |very |quite )?(?:tall|short|skinny|tiny|small for)|"
    r"(?:wears?|wearing|wore) (?:a |an |her |his )?[\w-]+ (?:coat|jacket|hoodie|hat|cap|uniform|blazer))\b",
    re.IGNORECASE,
)
_SPORTS = (
    r"football|footy|hockey|netball|rugby|cricket|tennis|basketball|badminton|volleyball|golf|lacrosse|"
    r"water polo|five-a-side|5-a-side|futsal|darts|snooker|pool|squash|padel|"
    r"the (?:violin|piano|guitar|drums|flute|cello|trumpet|clarinet|saxophone)"
)
HOBBY = re.compile(
    r"\b(?:plays?|playing|played)\s+(?:(?:for|in)\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+)?\s+)?(?:" + _SPORTS + r")"
    r"(?:\s+(?:for|with|at)\s+(?:the\s+)?(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,3})?\b"
    r"|\b(?:does|doing|goes to|went to|at|into|loves?|member of (?:the )?)\s*(?:her |his |the )?"
    r"(?:dance|dancing|ballet|gymnastics|swimming|karate|judo|taekwondo|boxing|scouts|guides|brownies|cubs|"
    r"cadets|sea cadets|air cadets|choir|drama club|youth club|athletics|horse riding|riding|skating|"
    r"climbing|chess club|orchestra|band|ju-?jitsu|kickboxing|cheerleading|cheer)\b"
    r"|\b(?:rows?|rowing|rowed|swims?|swimming|swam|runs?|running|cycles?|cycling)\s+(?:for|with|at)\s+"
    r"(?:(?:the|her|his|their)\s+(?:college|club|team|school|county|university|uni)\b|(?-i:[A-Z])[\w'’-]+)"
    r"|\b(?:plays?|playing|played)\s+(?:(?:in goal|up front|in defence|in midfield)\s+)?for\s+(?:the\s+)?"
    r"(?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,3}"
    r"|\b(?:(?-i:[A-Z])[\w'’-]+\s+){1,3}(?:FC|Juniors|Youth|Rovers|Rangers|Athletic|United|Harriers|"
    r"Swimming Club|Hockey Club|Netball Club|Dance School|Dance Academy|Stage School|Scouts|Cadets)\b",
    re.IGNORECASE,
)
_PLACE = r"((?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){0,2})"
AREA = re.compile(
    r"\b(?:lives?|living|lived|grew up|moved|stays?|staying|based|house is|home is|from|fae|comes from)\s+"
    r"(?:(?:up|down|over|out|just|right)\s+)?(?:(?:in|near|on|at|by|round|around|off|to|out)\s+)?"
    r"(?:an?\s+(?:village|town|city|suburb|hamlet|place)\s+(?:near|outside|in|called|by)\s+)?(?:the\s+)?"
    + _PLACE
    + r"|\b(?:in|round|around) the\s+" + _PLACE + r"\s+(?:area|estate|end|side)\b"
    + r"|\b(?:lives?|living|lived|house|home)\s+(?:in|near|round)\s+"
    r"((?-i:[A-Z]{1,2}\d[A-Z\d]?))\b",
    re.IGNORECASE,
)
NAMED_CLUB = re.compile(r"(?-i:[A-Z])[\w'’-]")
CLUB_CONFIDENCE = 0.55
HOME_NOW = re.compile(r"(?:lives?|living|stays?|staying)\b", re.IGNORECASE)
HOME_CONFIDENCE = 0.5
ESTATE_AFTER = re.compile(r"\s+estate\b", re.IGNORECASE)
NOT_PLACE = re.compile(
    r"^(?:I|The|A|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|"
    r"June|July|August|September|October|November|December|Christmas|Easter|Her|His|Their|Home|Here|There|"
    r"Court|Prison|Jail|Care|Twitter|Facebook|Instagram|TikTok|Snapchat|YouTube|Reddit|Discord|Day|Now|"
    r"Then|Scratch|Birth|School|Work|Abroad|Overseas)\b"
)


AGE_WORDS = vocab("old aged age year yr y sixth reception one two three four five six seven eight nine ten "
                  "eleven twelve thirteen fourteen fifteen sixteen seventeen teens twenties thirties forties "
                  "fifties sixties seventies")
APPEARANCE_WORDS = vocab("hair haired redhead ginger blonde brunette freckles freckled glasses specs braces brace "
                         "tattoo tattoos tattooed piercing piercings ring birthmark scar wheelchair hijab headscarf "
                         "turban crutches aid tall short skinny tiny small wears wear wearing wore autism autistic "
                         "adhd cerebral palsy syndrome epilepsy epileptic diabetes diabetic cochlear implant implants "
                         "stammer stutter deaf sighted")
HOBBY_WORDS = vocab("plays play playing played rows rowing rowed swims swam runs cycles",
                    _SPORTS.replace("the (?:", "").replace(")", "").replace("|", " "),
                    "dance dancing ballet gymnastics swimming karate judo taekwondo boxing scouts guides brownies "
                    "cubs cadets choir drama club youth athletics riding skating climbing chess orchestra band "
                    "jujitsu jitsu kickboxing cheerleading cheer fc juniors rovers rangers athletic united harriers "
                    "academy school")
AREA_WORDS = vocab("lives live living lived grew moved stays stay staying based house home from fae comes area "
                   "estate end side")

# Literal pieces, one of which each alternative of a pattern needs (besides a digit, for AGE): when a text
# has none of them the pattern cannot match and is not run. Keep in step with the patterns above.
AGE_NEEDS_WITHOUT_DIGIT = ("sixth form", "reception class", "teens", "twenties", "thirties", "forties",
                           "fifties", "sixties", "seventies")  # or "old" after "year"/"yr": see _may_be_age
APPEARANCE_NEEDS = ("hair", "redhead", "ginger", "blond", "brunette", "freckle", "glasses", "specs", "brace",
                    "tattoo", "piercing", "nose ring", "birthmark", "scar on", "wheelchair", "hijab",
                    "headscarf", "turban", "crutches", "hearing aid", "autis", "adhd", "cerebral palsy",
                    "syndrome", "epilep", "diabet", "cochlear implant", "stammer", "stutter", "deaf",
                    "partially sighted", "tall", "short", "skinny", "tiny", "small for", "wear", "wore")
HOBBY_NEEDS = ("play", "danc", "ballet", "gymnastics", "swim", "swam", "karate", "judo", "taekwondo", "boxing",
               "scouts", "guides", "brownies", "cubs", "cadets", "choir", "drama club", "youth", "athletics",
               "riding", "skating", "climbing", "chess club", "orchestra", "band", "jitsu", "cheer", "row",
               "run", "cycl", "fc", "juniors", "rovers", "rangers", "athletic", "united", "harriers",
               "hockey club", "netball club", "stage school")
# Tighter, for ASCII text: HOBBY's verbs and club words are whole words; only its activities ("goes to
# dance", even "atdance") may be glued to the word before them
HOBBY_WORD_NEEDS = frozenset({
    "plays", "play", "playing", "played", "rows", "row", "rowing", "rowed", "swims", "swim", "swimming", "swam",
    "runs", "run", "running", "cycles", "cycle", "cycling", "fc", "juniors", "youth", "rovers", "rangers",
    "athletic", "united", "harriers", "club", "school", "academy", "scouts", "cadets",
})
HOBBY_ACTIVITY_NEEDS = ("danc", "ballet", "gymnastics", "swimming", "karate", "judo", "taekwondo", "boxing",
                        "scouts", "guides", "brownies", "cubs", "cadets", "choir", "drama club", "youth club",
                        "athletics", "riding", "skating", "climbing", "chess club", "orchestra", "band", "jitsu",
                        "cheer")

AREA_NEEDS = ("liv", "grew up", "moved", "stay", "based", "house is", "home is", "from", "fae")


def _may_be_area(text: str) -> bool:
    """Whether AREA can match: "lives in ...", "in the ... area/estate/end/side", "home near <postcode>"."""
    return (may_contain(text, AREA_NEEDS)
            or (may_contain(text, ("in the", "round the")) and may_contain(text, ("area", "estate", "end", "side")))
            or (has_digit(text) and may_contain(text, ("house", "home"))))


def _may_be_hobby(text: str) -> bool:
    """Whether HOBBY can match (see HOBBY_WORD_NEEDS; other than ASCII text is checked more loosely)."""
    if not text.isascii():
        return may_contain(text, HOBBY_NEEDS)
    return not HOBBY_WORD_NEEDS.isdisjoint(word_set(text)) or may_contain(text, HOBBY_ACTIVITY_NEEDS)


def _may_be_age(text: str) -> bool:
    """Whether AGE can match: every alternative needs a digit, "year(s)/yr(s) old" or one of the words."""
    if has_digit(text):
        return True
    return may_contain(text, AGE_NEEDS_WITHOUT_DIGIT) or (
        may_contain(text, ("old",)) and may_contain(text, ("year", "yr")))


class TraitRecognizer:
    """``age`` (age or school year), ``appearance``, ``hobby`` and ``area`` (where someone lives)."""

    kind = "trait"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        aged = (any_word(text, AGE_WORDS) or has_digit(text)) and _may_be_age(text)
        described = any_word(text, APPEARANCE_WORDS) and may_contain(text, APPEARANCE_NEEDS)
        sporty = any_word(text, HOBBY_WORDS) and _may_be_hobby(text)
        for m in AGE.finditer(text) if aged else ():
            hits.append(Detail("age", m.start(), m.end(), 0.4, "an age or school year"))
        for m in APPEARANCE.finditer(text) if described else ():
            hits.append(Detail("appearance", m.start(), m.end(), 0.4, "a description of appearance"))
        for m in HOBBY.finditer(text) if sporty else ():
            # "plays for Standish Juniors": a named club or team is a few dozen people at a known ground
            named = NAMED_CLUB.search(m.group(0), 1) is not None
            hits.append(Detail("hobby", m.start(), m.end(), CLUB_CONFIDENCE if named else 0.4,
                               "a club or team" if named else "a hobby, club or team"))
        for m in AREA.finditer(text) if any_word(text, AREA_WORDS) and _may_be_area(text) else ():
            group = next(g for g in (1, 2, 3) if m.group(g))
            if NOT_PLACE.match(m.group(group)):
                continue
            estate = ESTATE_AFTER.match(text, m.end(group))
            if estate:  # "lives on the Kings Farm estate": a few streets, as narrow as a street
                hits.append(Detail("area", m.start(group), estate.end(), 0.55, "a housing estate"))
            elif HOME_NOW.match(m.group(0)):  # "lives in Maghull": where someone lives now
                hits.append(Detail("area", m.start(group), m.end(group), HOME_CONFIDENCE, "where someone lives"))
            else:  # "grew up in", "is from": where someone has been
                hits.append(Detail("area", m.start(group), m.end(group), 0.45, "where someone lives"))
        return hits
