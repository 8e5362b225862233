"""Who a message is aimed at: abuse has a target (a person, a group, "you", an @-reply, a named party).

"Bloody hell, what a shambles of a trial" aims at nobody, so a model score alone does not make it abuse;
"I hope the other prisoners deal with him" aims at a person. :func:`find_target` returns the strongest
target it can see, described without repeating any name or handle (a flag's reason is shown to
moderators and authors, and a name in it could be a protected party's): "an @-reply", "a named person",
"the person addressed", "the witness", "a group (travellers)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_MENTION = re.compile(r"(?:^|\s)@[\w.]{2,32}|<@!?\d+>")
_SECOND = re.compile(
    r"\b(?:you|your|yours|yourself|yourselves|you're|youre|you've|you'll|you'd|ya|ye|yer|yersel|youse|yous|"
    r"u|ur|urself|y'all)\b",
    re.IGNORECASE,
)
_THIRD = re.compile(r"\b(?:he|him|his|himself|she|her|hers|herself|they|them|their|themselves|it's a)\b",
                    re.IGNORECASE)
#: People by role in a case or a thread (institutions such as "the jury" or "the CPS" are not people).
_ROLE = re.compile(
    r"\b(?:defendants?|accused|witness(?:es)?|complainants?|victims?|jurors?|foreman|barristers?|solicitors?|"
    r"lawyers?|magistrates?|judges?|officers?|detectives?|coppers?|PCSO|social workers?|teachers?|usher|"
    r"journalist|reporter|expert|"
    r"mother|mum|mam|ma|da|dad|father|stepdad|stepmum|sister|brother|wife|husband|missus|girlfriend|"
    r"boyfriend|"
    r"ex|partner|fella|son|daughter|uncle|aunt|nan|gran|grandmother|grandad|cousin|neighbours?|family|families|"
    r"parents?|kids?|lad|lads|lass|girl|boy|bloke|man|woman|guy|grass(?:es)?|snitch(?:es)?|rat|tout|informant|"
    r"nonce|paedo|pedo|nurse|carer|foster carer|landlord|boss|poster|member|mods?|moderators?|troll|"
    # wave 11: plural people and people by work or place in a life ("these girls who work behind bars", "the
    # owner's other homes", "the cleaner")
    r"girls|boys|ladies|lasses|blokes|fellas|mates?|owners?|landlady|manager|staff|workers?|colleagues?|"
    r"drivers?|cleaners?|pharmacists?|doctors?|coach|instructor|tenants?|customers?|clients?|pupils?|"
    r"students?|apprentices?|employees?|employer|"
    # wave 12: people by a role in a club, a parish or a street ("the ref's motor", "the club secretary", "the vicar")
    r"ref|refs|referees?|umpires?|linesman|stewards?|chairman|chairwoman|secretary|treasurer|vicar|priest|"
    r"caretaker|headteacher|headmaster|headmistress|governors?|councillors?|dentist|GP|postie|postman|bouncers?|"
    r"publican|organist|choirmaster|scoutmaster|leaders?|volunteers?|cabbie|"
    r"(?:any|every|some)(?:one|body)\s+who|whoever|people\s+(?:who|like)|those\s+who|"
    # wave 11: people picked out by a place and a relative clause ("people round here who talk", "folk on the
    # estate that grass", "anyone from this town who")
    r"(?:people|folk|folks|anyone|anybody|those|them|lads|girls|women|men)\s+(?:round|around|from|in|on|at|off|near)"
    r"\s+(?:\w+\s+){0,3}?(?:who|that)\b(?!\s+(?:is|was)\b))\b",
    re.IGNORECASE,
)
#: A person picked out by a demonstrative and a judging adjective ("that little scrote", "this old witch", "that
#: dirty animal"): the adjective says the noun is a person being judged (wave 11).
_DESCRIBED = re.compile(
    r"\b(?:that|this|the|them|those)\s+(?:little|old|young|dirty|lying|evil|nasty|sick|vile|fat|ugly|filthy|"
    r"thieving|scheming|grubby|sneaky|snivelling|creepy|sad|stupid|thick|daft|useless|spineless|two-faced)\s+"
    r"(?:[a-z]+\s+)?[a-z]+s?\b",
    re.IGNORECASE,
)
#: A community named by a place or a family and a collective noun ("the Horsefair lot", "that Gleadless mob",
#: "the Nunn clan"): a group target, like "that lot" in _GROUP (wave 11). The place must be capitalised.
_COMMUNITY = re.compile(
    r"\b(?:[Tt]he|[Tt]hat|[Tt]his|[Tt]hem|[Tt]hose|[Aa]ll\s+the)\s+(?:[A-Z][\w'’-]+\s+){1,2}"
    r"(?:lot|lots|mob|crowd|clan|tribe|rabble|brigade|shower|gang|estate\s+lot|families|family\s+lot|crew)\b"
)
#: Groups by identity (plural nouns and common slurs, masked or not); matched case-insensitively.
_GROUP = re.compile(
    r"\b(?:muslims?|muzzies|islam|jews?|jewish|hindus?|sikhs?|catholics?|fenians?|huns|protestants?|"
    r"p\W?\w?kis?|pakistanis?|bangladeshis?|asians?|indians?|arabs?|blacks?|whites?|africans?|nigerians?|"
    r"somalis?|chinks?|chinese|poles?|polacks?|romanians?|roma|albanians?|kurds?|afghans?|eastern europeans?|"
    r"foreigners?|immigrants?|migrants?|illegals|asylum seekers?|refugees?|travell?ers?|gyp(?:p)?os?|"
    r"gypsies|gypsy|pikeys?|tinkers?|irish|scousers?|welsh|women|men|females|feminists?|feminazis|gays?|"
    r"queers?|lesbians?|dykes?|trans|trannies|tranny|homosexuals?|sodomites?|disabled|cripples?|retards?|"
    r"spastics?|mongs?|downies|autistic|n\W*i?\W*g+\W*(?:er|a)s?|f\W?[a*]\W?g+(?:ot)?s?|"
    r"these people|those people|that lot|their kind|the lot of them)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b([A-Z][a-z]{2,}(?:\s[A-Z][a-z]+)?)\b")
#: An imperative opening addresses the reader: "Do everyone a favour and end it", "kys", "neck yourself".
_IMPERATIVE = re.compile(
    r"^\s*(?:please\s+|just\s+|go\s+on,?\s+|honestly,?\s+|mate,?\s+)?(?:go|do|get|take|send|shut|end|jump|die|"
    r"neck|drink|kill|walk|put|stop|keep|tell|give|show|sit|hang|swallow|cut|starve|eat|drown|finish|off|"
    r"unalive|kys|stfu|watch|pray|count|enjoy|remember|think|drop|withdraw|retract|leave|fuck\s+off|piss\s+off)\b",
    re.IGNORECASE,
)
#: Capitalised words that are not people (sentence openers and common nouns in this register).
_NOT_NAME_WORDS = (
    "The This That These Those What When Where Why How Who Which Honestly Just Bloody Christ Jesus God Crown Court "
    "Police CPS Judge Jury Home Office Ministry Justice Old Bailey BBC Facebook Twitter Instagram TikTok Snapchat "
    "Google Reddit YouTube Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April "
    "May June July August September October November December England Scotland Wales Ireland Britain London "
    "Rape Crisis Samaritans NSPCC Christmas Sorry Thanks Thank Reported Reminder Mod Mods Please Right Well Oh "
    "Fuck Shit Damn Holy Sweet Good Lord Sir Madam Miss Mr Mrs Ms"
)
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
NOT_NAMES = _NOT_NAMES  # capitalised words that are not people (bot.abuse.detector.person_view)


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # "mention", "second_person", "named", "role", "group", "third_person", "addressed"
    description: str  # for a flag's reason; never repeats a name or handle

    def __str__(self) -> str:
        return self.description


def names_a_group(word: str) -> bool:
    """True when ``word`` alone names an identity group ("Scousers", "Muslims", "Travellers")."""
    return _GROUP.fullmatch(word) is not None


@lru_cache(maxsize=4096)
def _common_word(word: str) -> bool:
    """A capitalised common English word ("Absolute", "Typical") is an opener, not a name."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= 3.6


#: Groups that refer back to something said before ("..., the lot of them"): whom they mean is in an earlier sentence.
_ANAPHORIC = frozenset({"these people", "those people", "that lot", "their kind", "the lot of them"})


def anaphoric_group(text: str) -> bool:
    """True when the text's only target is a group that refers back ("spineless cowards, the lot of them")."""
    if _MENTION.search(text) or _SECOND.search(text):
        return False
    group = _GROUP.search(text)
    return group is not None and group.group(0).lower() in _ANAPHORIC


def find_target(text: str) -> Target | None:
    """The most specific target the message names or addresses, or None when it aims at nobody."""
    if _MENTION.search(text):
        return Target("mention", "an @-reply")
    if _SECOND.search(text):
        return Target("second_person", "the person addressed ('you')")
    group = _GROUP.search(text)
    if group:
        return Target("group", f"a group ({group.group(0).lower()})")
    if _DESCRIBED.search(text):
        return Target("role", "a person (described)")
    if _COMMUNITY.search(text):
        return Target("group", "a group (a community named by place or family)")
    role = _ROLE.search(text)
    if role:
        word = role.group(0).lower()
        return Target("role", f"the {word}" if " " not in word else "a person")
    for match in _NAME.finditer(text):
        first = match.group(1).split()[0]
        if first not in _NOT_NAMES and not _common_word(first):
            return Target("named", "a named person")
    if _THIRD.search(text):
        return Target("third_person", "a person (he/she/they)")
    if _IMPERATIVE.search(text):
        return Target("addressed", "the person addressed")
    return None
