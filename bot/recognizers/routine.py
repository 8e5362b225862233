"""Where someone can be found at a predictable time (a gym class, a church, a nursery) and what they drive.

``routine``: a place someone goes to regularly ("does the 6am spin class at Pure Fitness every weekday",
"uses the nursery on Trafford Road", "always parked outside the gym"). Named or regular, it places a
person as well as a workplace does; a bare "goes to the gym" narrows less.
``car``: a described vehicle without a registration ("a little red Fiat 500", "her nan's silver Corsa"): in
a small place, a car seen parked is how someone is found.
"""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, any_word, vocab, words

_VENUE = (
    r"gym|leisure cent(?:re|er)|sports cent(?:re|er)|swimming baths|baths|church|chapel|mosque|masjid|temple|"
    r"gurdwara|mandir|synagogue|kingdom hall|nursery|cr[eè]che|playgroup|toddler group|soft play|"
    r"(?:spin|yoga|pilates|zumba|boxing|boxercise|fitness|exercise|aerobics|crossfit|bootcamp|aqua) class(?:es)?|"
    r"slimming world|weight watchers|food bank|bingo|salon|library|launderette|allotments?|bookies|social club|"
    r"working men'?s club|community cent(?:re|er)|youth cent(?:re|er)|day cent(?:re|er)|surgery|clinic"
)
_CAP = r"(?-i:[A-Z])[\w'’&-]+"
_GO = (r"goes|go|going|went|attends?|attending|uses?|using|does|doing|did|trains?|training|"
       r"takes?\s+(?:her|his|their|the)\s+[\w-]+(?:\s+[\w-]+)?|drops?\s+(?:her|his|their|the)\s+[\w-]+(?:\s+off)?|"
       r"picks?\s+(?:her|his|their|the)\s+[\w-]+\s+up|parks?|parked|seen|spotted|waits?|waiting")
ROUTINE = re.compile(
    r"\b(?:" + _GO + r")\s+(?:to\s+|at\s+|in\s+|outside\s+|by\s+|near\s+|off\s+at\s+|up\s+(?:at|from)\s+|from\s+)?"
    r"(?:the|a|an|her|his|their)?\s*(?:[\w'’&-]+\s+){0,3}?(" + _VENUE + r")\b"
    r"(?:\s+(?:at|on|in|off|by|near)\s+(" + _CAP + r"(?:\s+" + _CAP + r"){0,3}))?",
    re.IGNORECASE,
)
REGULAR = words(r"every", r"each", r"always", r"usually", r"most\s+(?:days|nights|mornings|evenings|weekends)",
                r"(?:mon|tues|wednes|thurs|fri|satur|sun)days", r"weekdays", r"\d{1,2}(?::\d\d)?\s?(?:am|pm)")
_WHEN = re.compile(r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b|(?:January|February|March|April|May|June|July|"
                   r"August|September|October|November|December|Christmas|Easter)\b")
ROUTINE_WORDS = vocab(_VENUE.replace("(?:", " ").replace(")", " ").replace("|", " ").replace("?", " "))

_COLOUR = (r"red|blue|black|white|silver|grey|gray|green|yellow|orange|purple|pink|gold|bronze|maroon|navy|"
           r"beige|burgundy|lime|matte black|dark blue|light blue|dark green|dark grey")
_MAKE = (r"fiat|ford|vauxhall|volkswagen|vw|audi|bmw|mercedes|merc|toyota|nissan|kia|hyundai|honda|mazda|"
         r"peugeot|renault|citroen|citroën|skoda|seat|volvo|mini|jeep|land rover|range rover|tesla|suzuki|dacia|"
         r"mitsubishi|jaguar|porsche|corsa|fiesta|focus|transit|polo|golf|astra|qashqai|juke|clio|micra|yaris|"
         r"punto|sprinter|caddy|berlingo|kuga|evoque|smart car|beetle|500|c1|107|aygo|picanto")
CAR = re.compile(
    r"\b(" + _COLOUR + r")\s+(?:(?:little|old|new|battered|souped-up|lowered|tinted|shiny|big|tiny)\s+)*(?:"
    + _MAKE + r")\b(?:\s+(?:van|car|estate|hatchback|pickup|convertible|\d{2,3}))?",
    re.IGNORECASE,
)
CAR_WORDS = vocab(_COLOUR.replace("|", " "))


class RoutineRecognizer:
    """``routine`` (a place someone is regularly found) and ``car`` (a described vehicle, no plate)."""

    kind = "routine"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        if any_word(text, ROUTINE_WORDS):
            for m in ROUTINE.finditer(text):
                place = m.group(2)
                if place is not None and _WHEN.match(place):
                    place = None  # "went to the library on Monday": a day, not a place
                head = text[m.start() + 1:m.start(2) if m.group(2) else m.end()]  # "the Pentecostal church"
                named = place is not None or re.search(_CAP, head) is not None
                regular = REGULAR.search(text, max(0, m.start() - 30), min(len(text), m.end() + 30)) is not None
                conf = 0.6 if named or regular else 0.45
                hits.append(Detail(self.kind, m.start(), m.end(), conf, "a place someone regularly goes"))
        if any_word(text, CAR_WORDS):
            for m in CAR.finditer(text):
                hits.append(Detail("car", m.start(), m.end(), 0.4, "a description of someone's vehicle"))
        return hits
