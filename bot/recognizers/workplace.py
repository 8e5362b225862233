"""Workplaces ("works at the pharmacy on Gloucester Road") and occupations ("her dad's a firefighter")."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, any_word, vocab

OCCUPATIONS = (
    r"nurse|doctor|gp|teacher|teaching assistant|ta|dentist|pharmacist|carer|care worker|support worker|"
    r"social worker|cleaner|driver|bus driver|taxi driver|cabbie|postman|postwoman|firefighter|fireman|"
    r"paramedic|officer|pcso|copper|solicitor|lawyer|barrister|accountant|builder|plumber|electrician|"
    r"mechanic|hairdresser|barber|chef|cook|waiter|waitress|barman|barmaid|bartender|manager|receptionist|"
    r"shop assistant|cashier|vet|midwife|engineer|lecturer|caretaker|dinner lady|lollipop lady|coach|"
    r"instructor|security guard|bouncer|estate agent|councillor|vicar|priest|imam|rabbi|journalist|"
    r"soldier|pharmacy assistant|warden|childminder|nanny|butcher|baker|farmer|landlord|landlady|"
    r"plasterer|roofer|scaffolder|joiner|carpenter|painter|decorator|tiler|gardener|labourer|bricklayer"
)
_STOP = (
    r"but|so|to|who|which|because|if|when|since|until|"
    r"though|although|after|before|now|then|every|each|as|while|where|for|with|he|she|they|i|we|you|"
    r"is|was|are|were|has|had|have|will|would|can|could|should|these|those|nowadays|today|yesterday|"
    r"apparently|again|too|also|lol|mate|innit|tbh|or|not|anymore"
)
_PLACE = r"((?:(?:the|a|an)\s+)?[\w'’&.-]+(?:[ \t]+(?!and\s+(?-i:[a-z])|(?:" + _STOP + r")\b)[\w'’&.-]+){0,8})"
WORK_AT = re.compile(
    r"\b(?:works?|working|worked|employed|job|jobs|shifts?|manages|managed|runs|ran|volunteers?|volunteering|"
    r"teaches|taught|teaching|lectures|lectured|nurses|nursed|"
    r"placement|based)(?:\s+(?:as\s+an?\s+[\w-]+(?:\s+[\w-]+)?|part[- ]time|full[- ]time|nights|weekends|"
    r"there|now|still|(?:on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)days|evenings|mornings|days|lates|"
    r"year\s+\d{1,2}|reception|maths|english|science|music|pe|art|history|geography))*"
    r"\s+(?:at|for|in)\s+" + _PLACE,
    re.IGNORECASE,
)
OWNS = re.compile(
    r"\b(?:runs|ran|owns|owned|manages|managed|coaches|coached|co-owns)\s+(?=(?:the|a|an|his|her|their)\s)"
    r"(?:his\s+|her\s+|their\s+)?" + _PLACE,
    re.IGNORECASE,
)
OCCUPATION_AT = re.compile(
    r"\b(?:is|'s|’s|was|as)\s+an?\s+(?:" + OCCUPATIONS + r")\s+(?:at|for|in|on)\s+" + _PLACE, re.IGNORECASE
)
OCCUPATION = re.compile(r"\b(?:is|'s|’s|was|works as)\s+an?\s+(" + OCCUPATIONS + r")\b", re.IGNORECASE)
PUBLIC_BODY = re.compile(
    r"^(?:the\s+)?(?:[\w&'’-]+\s+){0,5}(?:police|constabulary|iopc|cps|council|nhs|government|home office|bbc|"
    r"parliament|force|met|ministry of [\w ]+|civil service|army|navy|raf|courts?)$",
    re.IGNORECASE,
)
TRAILING = re.compile(r"(?:\s+(?:in|on|at|of|the|a|an|near|by|off|and))+$", re.IGNORECASE)
GENERIC_PLACE = re.compile(r"^(?:the\s+|a\s+|an\s+)?[a-z][\w'’-]*$")
TRIVIAL = re.compile(
    r"^(?:it|that|this|them|me|you|him|her|us|everyone|anyone|nobody|someone|free|nothing|home|all|least|"
    r"most|first|last|the moment|times|night|nights|all of us)$"
    # a time, not a place: "a night shift in August 2023", "worked there in 2019", "on the day"
    r"|^(?:(?:early|late|mid)[- ])?(?:jan(?:uary)?|feb(?:ruary)?|march|april|may|june|july|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?|spring|summer|autumn|winter|\d{1,4})\b"
    r"|^the\s+(?:morning|evening|night|day|week|weekend|afternoon|past|end|time|meantime|moment|years?)\b",
    re.IGNORECASE,
)


WORK_WORDS = vocab("teaches taught teaching lectures lectured nurses nursed "
                   "works work working worked employed job jobs shift shifts manages managed runs ran volunteer "
                   "volunteers volunteering placement based owns owned coaches coached")
OCCUPATION_WORDS = vocab(*OCCUPATIONS.split("|"))


class WorkplaceRecognizer:
    """``workplace`` (where someone works) and ``occupation`` (what they do, without a place)."""

    kind = "workplace"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        working, occupied = any_word(text, WORK_WORDS), any_word(text, OCCUPATION_WORDS)
        if not working and not occupied:
            return hits
        for pattern in (WORK_AT, OCCUPATION_AT, OWNS):
            if (pattern is OCCUPATION_AT and not occupied) or (pattern is not OCCUPATION_AT and not working):
                continue
            for m in pattern.finditer(text):
                place = TRAILING.sub("", m.group(1).rstrip(".'’"))
                start, end = m.start(1), m.start(1) + len(place)
                if TRIVIAL.search(place) or any(h.start < end and start < h.end for h in hits):
                    continue
                public = PUBLIC_BODY.match(place) is not None
                # "works at the hospital" or "a job in Carmarthen" (a whole town) narrow less than a named place
                town = m.group(0)[: m.start(1) - m.start()].rstrip().lower().endswith(" in") and " " not in place
                conf = 0.5 if GENERIC_PLACE.match(place) or town else 0.75
                reason = "a public body as employer" if public else "a workplace"
                hits.append(Detail(self.kind, start, end, conf, reason, public))
        for m in OCCUPATION.finditer(text) if occupied else ():
            if any(h.start <= m.start(1) < h.end or m.end() <= h.start <= m.end() + 6 for h in hits):
                continue
            hits.append(Detail("occupation", m.start(1), m.end(1), 0.4, "an occupation"))
        return hits
