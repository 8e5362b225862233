"""Finding registered protected names and identifiers in text, through obfuscation.

:class:`ProtectedMatcher` hashes a message's skeleton tokens with the registry's key and looks the
digests up: single tokens first, extended into n-grams only while the run so far is a registered
prefix, and long tokens (hashtags, handles, URLs) scanned for forms run together inside them. A fast
path looks only at the token strings (cached misses cost one dict lookup); offsets into the original
content are worked out only for messages that have a candidate.

Name rules, applied to what the digests found (capitalisation and context come from the original):

* a full name, a handle or an identifier is the strongest signal (remove);
* first name with surname initial, the surname alone, a nickname alone or an institution's name
  without "School" are weaker (hold), and only when the word is capitalised or is not a common
  English word ("prices rose" is not "Mark Rose"), is not joined to another word by a hyphen, is not
  the first word of a longer proper noun ("Doe Lane", "Trent and Mersey Canal"), does not end a place
  name ("River Trent", "Burton upon Trent") and is not a bare "the Trent" (a river, not a person).
  "The Baptiste family", "Marc Baptiste" and a surname opening a sentence fire;
* a registered first name alone is ambiguous (a common first name is not the party): it fires (hold)
  only when the message ties it to the case, through another match for the same party or a cue word
  within four words before or five after ("the girl", "pupil", "officer", "named", "called", ...). So does a one-word
  nickname that is also a word or a name ("Toby", "Jazzy"); a rare one ("Chlobap") fires alone;
* the number of an identifier such as a collar number fires alone only after a cue ("PC", "collar",
  "badge", "number", ...).

Allow-list: a moderator's dismissal stores :attr:`ProtectedMatch.digest`, a keyed digest of the form
and the tokens either side, so the same match in the same context is not raised again.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
import re
import unicodedata
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass

from bot.detectors.forum import member_key
from bot.flags import Action
from bot.message_view import MessageView
from bot.name_variants import zipf as _zipf
from bot.normalize import (
    SAID,
    Normalized,
    Token,
    Variant,
    has_symbols,
    normalize,
    obfuscations,
    skeleton,
    spaced_words,
    tokenize,
    variants,
    word_strings,
)
from bot.registry import (
    ANCHOR,
    FIRST_NAME,
    FULL_NAME,
    FUZZY_MIN,
    HANDLE,
    HANDLE_STEM,
    IDENTIFIER,
    IDENTIFIER_NUMBER,
    IDENTIFIER_PART,
    INITIALS,
    KINDS,
    NAME_INITIAL,
    NICKNAME,
    PUBLIC_BASIS,
    SURNAME,
    TITLE_INITIAL,
    Form,
    ProtectedRegistry,
    TokenRef,
    is_common_word,
    is_known_word,
    phone_digits,
    plain_letters,
)
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule, RuleError, Strength

#: the action a match suggests on its own, by the named strength of its rule
ACTION_OF_STRENGTH: dict[Strength, Action] = {
    Strength.DECISIVE: Action.REMOVE, Strength.STRONG: Action.HOLD, Strength.MEDIUM: Action.HOLD,
    Strength.WEAK: Action.REVIEW, Strength.HINT: Action.REVIEW,
}


@dataclass(frozen=True, slots=True)
class KindInfo:
    """A match kind's rule (``bot/rules/identity/match_strengths.toml``): its evidence weight, the action its
    named strength suggests, and how a moderator reads it."""

    score: float
    action: Action
    phrase: str
    strength: Strength = Strength.STRONG


def _info(rule: Rule) -> KindInfo:
    weight = rule.weight
    if weight is None or not 0.0 < weight <= 1.0:
        raise RuleError(f"rule {rule.id!r} needs a weight in (0, 1]: the evidence one such match carries")
    return KindInfo(float(weight), ACTION_OF_STRENGTH[rule.strength],
                    str(rule.params.get("phrase", rule.words[0].replace("_", " "))), rule.strength)


def _match_rules(kind: str) -> dict[str, KindInfo]:
    """The ``kind`` rules by their word (the match kind or the modifier)."""
    return {r.words[0]: _info(r) for r in shipped_rules().of_kind(kind)}


KIND_INFO: dict[str, KindInfo] = _match_rules("match_kind")
if set(KIND_INFO) != set(KINDS):
    raise RuleError(f"match_strengths.toml must give exactly the match kinds {sorted(KINDS)}, not {sorted(KIND_INFO)}")
_MODIFIERS = _match_rules("match_modifier")
MISSPELT = _MODIFIERS["misspelt"]  # a full name with one typo: held, not removed
UNTIED = _MODIFIERS["untied"]  # a rare first name with nothing tying it to the case: reviewed, left up
REDACTION = _MODIFIERS["redaction"]  # any first name, for redacting summaries only
AFTER_TITLE = _MODIFIERS["after_title"]  # "PC Trent", "Mr Baptiste": added to the surname's weight, up to a cap
_TITLE_CAP = shipped_rules()["match.after_title"].float_param("cap", 1.0)

_ID_SEP_RULE = shipped_rules()["name.id_separators"]
# "PC 27/36", "collar number 27 36", "badge no. 27-36": digit groups split by a separator right after a word
# that names a collar or staff number (name.id_cues); the groups are read run together (name.id_separators)
_ID_SPLIT = re.compile(
    r"(?i)(?<![^\W\d_])(?:" + "|".join(re.escape(w) for w in shipped_rules()["name.id_cues"].words) + r")"
    r"[ \t]*[.:#]?[ \t]*(\d{1,4}(?:(?:[ \t]?[" + re.escape("".join(_ID_SEP_RULE.words))
    + r"][ \t]?|[ \t])\d{1,4}){1,3})"
    r"(?![\w])")
# the cheap look first: two digits with one to three separators between them (a superset of _ID_SPLIT's joins)
_SPLIT_DIGITS = re.compile(r"\d[ \t" + re.escape("".join(_ID_SEP_RULE.words)) + r"]{1,3}\d")
ID_JOINED = "a number split by separators"  # the Variant ``how`` of :func:`_numbers_joined`


def _numbers_joined(text: str) -> tuple[Variant | None, list[tuple[int, int]]]:
    """``name.id_separators``: the text with each digit run split by separators after an ID cue run together
    ("PC 27-36" read "PC 2736"), or None when it has none; and the spans of the original runs."""
    if _SPLIT_DIGITS.search(text) is None:
        return None, []
    out: list[str] = []
    origin: list[int] = []
    runs: list[tuple[int, int]] = []
    last = 0
    for m in _ID_SPLIT.finditer(text):
        a, b = m.span(1)
        if not any(not ch.isdigit() for ch in text[a:b]):
            continue  # one run of digits: nothing to join
        runs.append((a, b))
        out.append(text[last:a])
        origin.extend(range(last, a))
        for k in range(a, b):
            if text[k].isdigit():
                out.append(text[k])
                origin.append(k)
        last = b
    if not runs:
        return None, []
    out.append(text[last:])
    origin.extend(range(last, len(text) + 1))
    return Variant("".join(out), origin, ID_JOINED), runs


_PLAIN_WORDS = re.compile(r"[^\W\d_]+")
_WEAK_SINGLE = frozenset({SURNAME, NICKNAME, FIRST_NAME, IDENTIFIER_PART})
_NAMEISH = frozenset({FULL_NAME, NAME_INITIAL, SURNAME, NICKNAME, FIRST_NAME, IDENTIFIER_PART})


def _rule_skels(rule_id: str, param: str | None = None) -> frozenset[str]:
    """The skeletons of a word-list rule's words, or of its word-list parameter ``param``
    (``bot/rules/identity/name_context.toml``)."""
    rule = shipped_rules()[rule_id]
    return frozenset(skeleton(w) for w in (rule.words if param is None else rule.words_param(param)))


_TITLES = _rule_skels("name.titles")
_CONNECTORS = _rule_skels("name.connectors")
_FOLLOWERS = _rule_skels("name.followers")
_TIE_CUES = _rule_skels("name.tie_cues")
_PLACE_WORDS = _rule_skels("name.place_words")
_TIE_CUES_BEFORE = _rule_skels("name.tie_cues_before")
_TIE_CUES_SENTENCE = _rule_skels("name.tie_cues_sentence")
_SENTENCE_REACH = shipped_rules()["name.tie_cues_sentence"].int_param("reach", 12)
_NAME_WORDS = _rule_skels("name.name_talk")
_NAME_OWNERS = _rule_skels("name.name_owners")
_INDEFINITE = _rule_skels("name.indefinite")
_VERSUS = _rule_skels("name.versus")
_PLACES_AFTER = _rule_skels("name.places_after")
_INITIAL_VERBS = _rule_skels("name.initial_verbs")
_INITIAL_PERSON_AFTER = _rule_skels("name.initial_person_after")
_PERSON_PRONOUNS = _rule_skels("name.person_pronouns")
_PRONOUN_REACH = shipped_rules()["name.person_pronouns"].int_param("reach", 20)
_PRONOUN_NEXT = shipped_rules()["name.person_pronouns"].int_param("next", 3)
_SUBJECT_VERBS = _rule_skels("name.subject_verbs")
_PERSON_VERBS = _rule_skels("name.person_verbs")  # "grace walks the dog ...": only a person does that
_PERSON_VERB_RULE = shipped_rules()["name.person_verbs"]
_CLAUSE_OPENERS = _rule_skels("name.person_verbs", "openers")
_SEEN_AUX = _rule_skels("name.person_verbs", "aux")
_SEEN = _rule_skels("name.person_verbs", "seen")
_OBJECT_PRONOUNS = _rule_skels("name.person_verbs", "objects")
_FICTION = _rule_skels("name.fiction")
_FICTION_REACH = shipped_rules()["name.fiction"].int_param("reach", 8)
_NOT_INITIALS = _rule_skels("match.initials", "not")
_PERSONAL = re.compile(r"\b(?:she|her|hers|herself|he|him|his|himself)\b", re.IGNORECASE)
_INSTITUTION_CUES = _rule_skels("name.institution_cues")
_PLACE_BEFORE = _rule_skels("name.place_before")
_INSTITUTION_REACH = shipped_rules()["name.institution_cues"].int_param("reach", 12)
_DROPPED_CUES = _rule_skels("name.dropped_end_cues")
_DROPPED_REACH = shipped_rules()["form.pet_dropped_end"].int_param("reach", 2)
# a tie-needing name may be tied by any; a school's first word only by a word about the school
_HASHTAG = re.compile(r"#(\w{3,})")
_CAMEL_PART = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
# Capitalised words that do not continue a proper noun ("Trent Should Be Sacked" in a title).
_NOT_PROPER = _rule_skels("name.not_proper")
# Words after which two common words read as ordinary English, not a name ("they mark rose bushes").
_VERB_BEFORE = _rule_skels("name.verb_before")
# Senior ranks and offices: before another first name and a registered surname, someone else in role.
_OFFICIALS = _rule_skels("name.officials")
# After a school's registered name, another type word is the same school ("Broomhill Primary" for
# "Broomhill Primary School", "Bro Taf School" for "Ysgol Gyfun Bro Taf")
_SCHOOL_TYPES = _rule_skels("name.school_types")
# Judicial titles: a surname right after one is the judge, coroner or sheriff in the case
_BENCH = _rule_skels("name.bench")
# "O'Neill's pub": a business named after someone is not that person
_BUSINESSES = _rule_skels("name.businesses")
# Hashtag words that make a campaign about a person ("#JusticeForRosie", "#FreeDeccy", "#StandWithSummer")
_CAMPAIGN = _rule_skels("name.campaign")
_ID_CUES = _rule_skels("name.id_cues")
_SENTENCE_END = re.compile(r"[.!?\n]")
# "E.S", "E. S", "E . S": two letters with a dot between, as dotted initials are written
_DOTTED_PAIR = re.compile(r"(?<![^\W\d_])[^\W\d_][ \t]?\.[ \t]?[^\W\d_](?![^\W\d_])")
# "N C": two capitals with one space between, undotted initials (``name.initials_undotted``: a weaker match)
_UNDOTTED_PAIR = re.compile(r"(?<![\w.])[A-Z] [A-Z](?![\w.])")
_UNDOTTED_CUES = _rule_skels("name.initials_undotted")
# "A-J": two capitals joined by a hyphen, the initials of a hyphenated first name (name.initials_person)
_HYPHEN_PAIR = re.compile(r"(?<![\w-])[A-Z]-[A-Z](?![\w-])")
_RUN_TOGETHER_PRONOUNS = _rule_skels("name.initials_run_together")
_LOWER_INITIALS_CUES = _rule_skels("name.initials_lower")
_LOWER_INITIALS_REACH = shipped_rules()["name.initials_lower"].int_param("reach", 6)
_LOWER_DOTTED = re.compile(r"(?:[a-z]\. ?){1,2}[a-z]")  # "k.h", "e. w", "m.r.m" (the last dot is after the token)
_SPELLING_WORDS = _rule_skels("name.spelling_cues")
_OWN_RELATIONS = _rule_skels("name.own_relation")
_INITIALS_PERSON = _rule_skels("name.initials_person")
_SURNAME_PLACE = _rule_skels("name.surname_place")
_VERB_OBJECTS = _rule_skels("name.verb_use")
_VERB_SUBJECTS = _rule_skels("name.verb_use", "before")
_VERB_DETERMINERS = _rule_skels("name.verb_use", "determiners") | _VERB_OBJECTS
_VERB_MODALS = _rule_skels("name.verb_use", "modals")
_INITIALS_DETERMINERS = _rule_skels("name.initials_person", "determiners")
_INITIALS_MAX_ZIPF = shipped_rules()["name.initials_person"].float_param("max_zipf", 3.0)
# words that may tie a name to the case: the pre-check passes a tie-needing name only with one of them
_OWNED_RELATIVES = _rule_skels("name.owned_relative")
_RELATIVE_QUALIFIERS = _rule_skels("name.owned_relative", "qualifiers")
# "kit needs to stop posting": an obligation or wish put on a word-name opening its clause (name.obliged_subject)
_MODALS = _rule_skels("name.obliged_subject")
_TO_MODALS = _rule_skels("name.obliged_subject", "to_modals")
_MODAL_SKIP = _rule_skels("name.obliged_subject", "skip")
_NOT_AGENT = _rule_skels("name.obliged_subject", "not_agent")
# "KESTREL", "poppy." : a registered name that is the whole message (name.whole_message)
_WHOLE_FILLERS = _rule_skels("name.whole_message")
# "kestrel with the purple coat": a rare first name picked out by what they wear or have (name.described)
_DESCRIBED = _rule_skels("name.described")
_IN_AFTER = _rule_skels("name.described", "in_after")
# "Wenna if you're reading this": a name addressed at the opening of a message (name.addressed)
_ADDRESS_AFTER = _rule_skels("name.addressed")
_ADDRESS_OPENERS = _rule_skels("name.addressed", "openers")
_YOU = _rule_skels("name.addressed", "you")
_ADDRESS_REACH = shipped_rules()["name.addressed"].int_param("reach", 8)
_ADDRESS_BEFORE = _rule_skels("name.addressed", "before")
_SIGN_OFFS = _rule_skels("name.addressed", "sign_offs")

def _may_stand_alone(words: Sequence[str], idx: int) -> bool:
    """The pre-check's word-level reading of :meth:`_Context.whole_message` and :meth:`_Context.addressed` for the
    name at ``words[idx]``: looser than both (no punctuation, no reach), so it never stops a match they would
    accept. Keep the two in step when either changes."""
    if all(w in _WHOLE_FILLERS for k, w in enumerate(words) if k != idx):
        return True
    if all(w in _ADDRESS_OPENERS for w in words[:idx]) and (
            not _YOU.isdisjoint(words) or not _ADDRESS_AFTER.isdisjoint(words)):
        return True
    return idx > 0 and (words[idx - 1] in _ADDRESS_BEFORE or words[idx - 1] in _YOU or (
        all(w in _SIGN_OFFS for w in words[idx + 1:]) and not _YOU.isdisjoint(words[:idx])))


# the words of name.person_verbs that can make a lower-case common first name a person ("grace walks ...")
_PERSON_VERB_CUES = _PERSON_VERBS | _SEEN | frozenset({"one"}) | _MODALS | _TO_MODALS
# "one of the girls is <name>", "it's <name> from ...": a first name equated to a party (name.equated)
_EQUATED = shipped_rules()["name.equated"]


def _plural(word: str) -> str:
    return word + ("es" if word.endswith(("s", "x", "sh", "ch")) else "s")


def _noun_skels(*rule_ids: str) -> frozenset[str]:
    """The one-word words and mapping keys of the rules, and their plurals ("little one" is no noun of its own)."""
    heads = {w for rid in rule_ids for w in shipped_rules()[rid].vocabulary if len(w.split()) == 1}
    return frozenset(skeleton(w) for h in heads for w in (h, _plural(h)))


_EQ_NOUNS = _noun_skels("name.equated", "tie.child_nouns", "tie.party_nouns", "tie.officer_nouns",
                        "tie.sport_nouns")  # irregular plurals ("women", "children") are the rules' own keys
_EQ_COPULAS = _rule_skels("name.equated", "copulas")
_EQ_ADVERBS = _rule_skels("name.equated", "adverbs")
_EQ_DEICTIC = _rule_skels("name.equated", "deictic")
_EQ_AFTER = _rule_skels("name.equated", "after")
_EQ_CONTRACTED = _rule_skels("name.equated", "contracted")  # "its kit", "thats kit": "it's" with no apostrophe
# "the case against kit", "nobody believes kit": a name as the object of an act in the case (name.case_object)
_CASE_OBJECT = _rule_skels("name.case_object")
_CASE_OBJECT_AFTER = _rule_skels("name.case_object", "after")
_CASE_NOUNS = _rule_skels("name.case_object", "case_nouns")
_CASE_ON_VERBS = _rule_skels("name.case_object", "on_verbs")
_EQ_KNOWING = _rule_skels("name.equated", "knowing")
_STREET_AFTER = _rule_skels("name.street_after")  # "quarrendon quay car park": a place, not the party
# "saw l0wenna at the shops": a name disguised to get past a filter (name.disguised)
_DISGUISED = shipped_rules()["name.disguised"]
_DISGUISES = frozenset(_DISGUISED.words)
_PAIR_PARTIES = shipped_rules()["name.initials_pair"].int_param("parties", 2)
SPACED = "spaced letters"  # a disguise of its own: a name spelt out letter by letter ("s i o b h a n")
BROKEN = "a word broken in two"  # and one registered word broken by a hyphen or a dot ("Low-enna")
_SPLITTERS = frozenset({"-", ".", "_", "*", "~", "|"})  # what breaks one word in two ("Low-enna", "Low.enna")
def _broken_pairs(skel: str) -> Iterator[tuple[str, str]]:
    """Each two words of a skeleton with exactly one of :data:`_SPLITTERS` between them ("iow-enna"). Found with
    ``str.find`` (a regex tried at every position costs microseconds on every message)."""
    n = len(skel)
    for ch in _SPLITTERS:
        i = skel.find(ch, 1)
        while 0 < i < n - 1:
            if skel[i - 1].isalnum() and skel[i + 1].isalnum():
                a, b = i - 1, i + 2
                while a > 0 and skel[a - 1].isalnum():
                    a -= 1
                while b < n and skel[b].isalnum():
                    b += 1
                yield skel[a:i], skel[i + 1 : b]
            i = skel.find(ch, i + 1)


def disguises(span: str, toks: Sequence[Token], *, broken: bool = False) -> list[str]:
    """How a matched span is disguised (:func:`bot.normalize.obfuscations`), whether it is spelt out letter by
    letter, and (``broken``) whether one registered word was broken in two ("Low-enna")."""
    return [*obfuscations(span), *([SPACED] if any(t.spaced for t in toks) else []), *([BROKEN] if broken else [])]


_DISGUISED_MIN = _DISGUISED.int_param("min_letters", 4)
# the pre-check's view of it: a digit or a leet symbol next to a letter, or any non-ASCII character
_MAY_BE_DISGUISED = re.compile(r"[A-Za-z][0-9!@$|]|[0-9!@$|][A-Za-z]|[^\x00-\x7f]")
# "danny h", "danny h 2291 kettering": a common first name with a lower-case initial (name.initial_common)
_INITIAL_COMMON = shipped_rules()["name.initial_common"]
_INITIAL_TAIL = _INITIAL_COMMON.int_param("tail", 3)
_INITIAL_TAIL_ZIPF = float(_INITIAL_COMMON.params.get("max_zipf", 3.5))  # type: ignore[arg-type]
_EQ_AFTER_REACH = _EQUATED.int_param("reach_after", 5)
_EQ_REACH = 9  # words a subject may have before its copula ("the care worker who blew the whistle is ...")
_EQ_CLAUSE = re.compile(r"[.!?\n,;:()]")
_LABEL_CUT = re.compile(r"\s+(?:who|that|which|whose|whom)\s|[,(;:]")
_EQ_CUES = _EQ_NOUNS | _EQ_DEICTIC | frozenset({"one"})
# a word that may make a lower-case common first name or nickname a person (person_verb_subject, equated): the
# pre-check's view of it, derived once
_LOWER_NAME_CUES = _PERSON_VERB_CUES | _SUBJECT_VERBS | _OWNED_RELATIVES | _EQ_CUES | _CASE_OBJECT
_ALL_CUES = (_TIE_CUES | _TIE_CUES_BEFORE | _PERSON_PRONOUNS | _DROPPED_CUES | _OWNED_RELATIVES | _PERSON_VERB_CUES
             | _EQ_CUES | _CASE_OBJECT)
_OWNERS = _rule_skels("name.own_relation", "owners")
_SPELLING_COUNTS = _rule_skels("name.spelling_cues", "counts")
_PHONE_HINT = re.compile(r"\d[\d \t().-]{7,20}\d")
_PHONE_RUN = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d \t().-]{7,20}\d(?!\w)")
# a phone number with look-alike letters for digits ("O77OO 9OO l58"): O for 0, l, I or | for 1, Z for 2,
# S for 5, B for 8
_PHONE_LOOK = re.compile(r"(?<![\w+])(?:\+|00)?\(?[\dOoIl|ZzSB][\dOoIl|ZzSB \t().-]{7,20}[\dOoIl|ZzSB](?!\w)")
_AS_DIGITS = str.maketrans("OoIl|ZzSB", "001112258")
# "ring her on 7700 900872": a UK number without its trunk zero, after a word about phoning (name.phone_trunkless)
_PHONE_CUES = _rule_skels("name.phone_trunkless")
_PHONE_CUE_REACH = shipped_rules()["name.phone_trunkless"].int_param("reach", 4)
_TRUNKLESS_FIRST = "1237"
_FUZZY_UNTIED_MIN = 7  # a capitalised near-miss of a registered token this long is reviewed with no tie
_VARIANT_MAX = 8192  # longer texts are matched as written only
_SUBSTRING_MAX_TOKEN = 1024  # longer tokens are not scanned for run-together forms
_DIGITS = "0123456789"
_NOT_UPPER = bytes(c for c in range(256) if not (65 <= c <= 90))  # deleted, ASCII capitals are left
_NOT_LETTER = bytes(c for c in range(256) if not (65 <= c <= 90 or 97 <= c <= 122))
# a run of ASCII text with a capital letter, and a whole ASCII number (a word that is only digits)
_CAPPED_CHUNK = re.compile(r"\S*[A-Z]\S*")
_DIGIT_WORD = re.compile(r"(?<![A-Za-z0-9])[0-9]+(?![A-Za-z0-9])")


@dataclass(frozen=True, slots=True)
class ProtectedMatch:
    """One registered name or identifier found in a text: offsets into the original, never the text."""

    start: int
    end: int
    label: str
    kind: str
    score: float
    digest: str  # keyed digest of the form in its context; what the allow-list stores
    suggested: Action
    how: tuple[str, ...] = ()  # obfuscations and placements, in plain words

    def describe(self) -> str:
        """A reason for a moderator: the label, the kind and the disguise, never the matched text."""
        phrase = KIND_INFO[self.kind].phrase if self.kind in KIND_INFO else self.kind.replace("_", " ")
        extra = f", {', '.join(self.how)}" if self.how else ""
        return f"names {self.label} ({phrase}{extra})"


@dataclass(slots=True)
class _Hit:
    i: int  # first and last token
    j: int
    form: Form
    digest: bytes
    inner: tuple[int, int] | None = None  # skeleton offsets inside token i, for run-together forms
    score: float = 0.0
    start: int = 0
    end: int = 0
    untied: KindInfo | None = None  # nothing in the message ties it to the case: its rule (reviewed, left up)
    lower: bool = False  # initials written in lower case with dots ("k.h."): only with a strong tie
    abbrev: bool = False  # dotted initials that spell a common abbreviation ("T.V."): only equated to a party
    common_initial: bool = False  # "danny h": a common-word first name and a lower-case initial (name.initial_common)
    hyphened: bool = False  # two capitals joined by a hyphen ("A-J"): only said to be a person (name.initials_person)


def _member_named(word: str, members: frozenset[str], *, prefix: bool = False) -> bool:
    """Whether a word is a forum member's name; with ``prefix`` (a pet form) also the start of a member's
    handle ("Fletch" of "fletch_ovington"): how a thread addresses its own members. A registered first name
    is not kept from the party by a handle that starts with it ("Kai" of "kai_from_hayle")."""
    key = member_key(word)
    return key in members or (prefix and len(key) >= 3 and any(m.startswith(key) for m in members))


def _initials_cued(words: list[str]) -> bool:
    """The pre-check's reading of what lets capitals run together count as initials: a word for initials
    (name.initials_undotted), a relative owned, or a pronoun (name.initials_run_together; the full matcher
    then asks for it after the initials, in their sentence)."""
    return (not _UNDOTTED_CUES.isdisjoint(words) or _owns_relative(words)
            or not _RUN_TOGETHER_PRONOUNS.isdisjoint(words) or not _INITIALS_PERSON.isdisjoint(words))


def _owns_relative(words: list[str]) -> bool:
    """The pre-check's view of :meth:`_Context.relative_owned`: a possessive "s" and a relative in the words."""
    return "s" in words and not _OWN_RELATIONS.isdisjoint(words)


def _spelt_out(words: list[str], idx: int) -> bool:
    """The pre-check's view of :meth:`_Context.spelling_after`: a spelling word, or "with" and a count and one
    letter, within three words after ``words[idx]``."""
    after = words[idx + 1 : idx + 6]
    for k, word in enumerate(after[:3]):
        if word in _SPELLING_WORDS or (word == "with" and k + 2 < len(after) and after[k + 1] in _SPELLING_COUNTS
                                       and len(after[k + 2]) == 1):
            return True
    return False


def _lengths(words: list[str]) -> bytes:
    """The words' lengths as bytes (255 and more are 255): one-letter words and pairs of them are found by
    ``bytes.find``."""
    try:
        return bytes(map(len, words))
    except ValueError:  # a word of 256 characters or more
        return bytes(min(len(w), 255) for w in words)


def _has_digit(text: str) -> bool:
    """Whether ``text`` may hold a decimal digit (exact for ASCII; any other text may)."""
    if not text.isascii():
        return True
    for d in _DIGITS:  # noqa: SIM110 - ten substring searches beat a regex scan
        if d in text:
            return True
    return False


class _Casing:
    """What an ASCII original says about its skeleton's words, for the fast path: which words may be
    capitalised or all digits somewhere in it, and whether it is shouted (each worked out on first use)."""

    __slots__ = ("_capped", "_digits", "_person_verb", "_shouting", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._capped: set[str] | None = None
        self._digits: set[str] | None = None
        self._shouting: bool | None = None
        self._person_verb: bool | None = None

    def person_verb(self) -> bool:
        """Whether a word that can make a lower-case common first name or nickname a person is in the text
        (:meth:`_Context.person_verb_subject`: a person's verb, a subject verb, an owned relative)."""
        if self._person_verb is None:
            skel = skeleton(self.text)
            self._person_verb = not (_LOWER_NAME_CUES.isdisjoint(word_strings(skel, symbols_as_letters=False))
                                     and _LOWER_NAME_CUES.isdisjoint(word_strings(skel, symbols_as_letters=True)))
        return self._person_verb

    def capped(self) -> set[str]:
        """Skeleton words of the text's capitalised stretches (a capital letter and the non-blanks around
        it): a token the full matcher sees as capitalised is among them."""
        if self._capped is None:
            out: set[str] = set()
            for chunk in _CAPPED_CHUNK.findall(self.text):
                skel = skeleton(chunk)
                out.update(word_strings(skel, symbols_as_letters=False))
                out.update(word_strings(skel, symbols_as_letters=True))
            self._capped = out
        return self._capped

    def digits(self) -> set[str]:
        if self._digits is None:
            self._digits = {skeleton(w) for w in _DIGIT_WORD.findall(self.text)}
        return self._digits

    def shouting(self) -> bool:
        """:attr:`_Context.shouting`, for the same text."""
        if self._shouting is None:  # ASCII text: letters and capitals counted by deleting everything else
            raw = self.text.encode()
            letters = len(raw.translate(None, _NOT_LETTER))
            upper = len(raw.translate(None, _NOT_UPPER))
            self._shouting = letters >= 4 and upper / letters > 0.7
        return self._shouting

    def may_fire_alone(self, form: Form, word: str) -> bool:
        """Whether a form found as the one word ``word`` could pass the name rules in this text.

        False only where :meth:`_Context.accept` is sure to reject it: a name-and-initial form needs the
        initial as a one-letter token of its own; an identifier's number must be written in digits; a part
        of a handle that is a common word needs its "@"; a common word as a surname, nickname, first name
        or part of an identifier needs a capital (or spaced-out letters, or a shouted message).
        """
        kind = form.kind
        if kind == NAME_INITIAL:
            return form.tokens < 2
        if kind == INITIALS:
            return False  # a pair of initials is two one-letter words here, joined only by the full matcher
        if kind == TITLE_INITIAL:
            return False  # "Mrs" is not "Mr S": the full matcher wants the letter as a one-letter token of its own
        if kind == IDENTIFIER_NUMBER:
            return word in self.digits()
        if kind == HANDLE_STEM and form.common:
            return "@" in self.text
        if kind in _WEAK_SINGLE and form.common:
            return word in self.capped() or self.shouting() or (kind in (FIRST_NAME, NICKNAME) and self.person_verb())
        return True


class ProtectedMatcher:
    """Finds a registry's protected names and identifiers in text."""

    def __init__(self, registry: ProtectedRegistry) -> None:
        self.registry = registry
        self._label_nouns_of = -1  # the registry's party count the label nouns were derived at
        self._label_nouns: frozenset[str] = frozenset()

    def label_nouns(self) -> frozenset[str]:
        """The head noun of each protected party's label ("the whistleblower", "the girl who saw it": "girl"),
        and its plural: a subject that refers to a party (:meth:`_Context.equated`). Labels are never secret."""
        if self.registry.party_count != self._label_nouns_of:  # per message: a length, not a list of parties
            heads: set[str] = set()
            for label in (p.label for p in self.registry.parties if p.basis != PUBLIC_BASIS):
                words = _LABEL_CUT.split(label.casefold(), maxsplit=1)[0].replace("’", "'").split()
                if words:
                    head = words[-1].removesuffix("'s").removesuffix("'")
                    if head.isalpha() and len(head) >= 3:
                        heads.update((skeleton(head), skeleton(_plural(head))))
            self._label_nouns_of, self._label_nouns = self.registry.party_count, frozenset(heads)
        return self._label_nouns

    # ------------------------------------------------------------ fast path

    def might_match(self, text: str, *, untied_first_names: bool = False, view: MessageView | None = None,
                    said: bool = False) -> bool:
        """Cheap pre-check on token strings only: False means :meth:`find` would find nothing.

        Sound by construction: every token, n-gram and joined run of single letters that the full
        matcher could look up is looked up here too (ignoring separators, which only ever reject). Tokens
        that are neither a form, a prefix nor hold a run-together form are remembered in
        ``registry.misses`` and cost one dict lookup next time. In ASCII text a form found as one word is
        also dropped when the name rules are sure to reject it there (:meth:`_Casing.may_fire_alone`): a
        common word written in lower case ("five", "art"), a number form that is not digits, a name and
        initial run together into one word.
        ``view``: the text's shared :class:`~bot.message_view.MessageView` (its skeleton is reused).
        ``said``: as for :meth:`_find_all`.
        """
        if not text:
            return False
        if "#" in text and self._hashtag_hits(text):
            return True
        if self._phone_hits(text, said):
            return True
        own = view is not None and view.text is text
        skel = view.skeleton if own and view is not None else skeleton(text)
        casing = _Casing(text) if text.isascii() else None
        symbols = has_symbols(skel)
        if not symbols and skel.isascii():  # most messages: words by one byte translation
            if own and view is not None and view.ascii and skel == view.lower:
                # the skeleton is the lower-cased text: its words are the view's, which the rule gate reads too
                found = self._words_may_match(view.words, untied_first_names, casing, text, view.word_set)
            else:
                found = self._words_may_match(spaced_words(skel).split(), untied_first_names, casing, text)
        else:
            found = any(self._words_may_match(word_strings(skel, symbols_as_letters=mode), untied_first_names,
                                              casing, text) for mode in ((True, False) if symbols else (True,)))
        # "Low-enna": a registered word broken by a hyphen or a dot
        return found or self._joins_may_match(skel, symbols)

    def _words_may_match(self, words: list[str], untied_first_names: bool, casing: _Casing | None = None,
                         text: str | None = None, word_set: frozenset[str] | None = None) -> bool:
        """``word_set``: ``frozenset(words)``, when the caller has it."""
        misses = self.registry.misses
        # one C-level pass: most words are known misses
        unknown = set(word_set.difference(misses)) if word_set is not None else set(words).difference(misses)
        initials_only = self.registry.initials_only
        if unknown and initials_only:  # one look-up per unknown word (difference_update would walk the dict)
            kept = {w for w in unknown if w not in initials_only}
            if len(kept) < len(unknown) and _initials_cued(words) and (
                    casing is None or not casing.capped().isdisjoint(unknown - kept)):
                # "JM and MRM, the initials are everywhere", "JM's dad", "JM ... she": initials. Run together as
                # one word they count only in capitals (_Context._initials_ok), so in ASCII text one of them must
                # be in a capitalised stretch ("jm" and "is" as words are no initials)
                return True
            unknown = kept
        if unknown and self._unknown_may_match(words, unknown, untied_first_names, casing, text):
            return True
        lengths = _lengths(words)
        if b"\x01" not in lengths:
            return False
        return self._initials_may_match(words, lengths) or (
            b"\x01\x01" in lengths and self._singles_may_match(words, text))

    def _joins_may_match(self, skel: str, symbols: bool) -> bool:
        """Whether two words broken by one of :data:`_SPLITTERS` ("iow-enna") read run together are a form: the
        full matcher's look-up of a broken word. In a skeleton with symbols that may be letters, every pair of
        adjacent words is tried (a superset). Joins that are no form are remembered (``registry.join_misses``)."""
        reg = self.registry
        joins = reg.join_misses
        if symbols and not _SPLITTERS.isdisjoint(skel):
            pairs: Iterable[tuple[str, str]] = itertools.pairwise(word_strings(skel, symbols_as_letters=True))
        else:
            pairs = _broken_pairs(skel)
        for a, b in pairs:
            joined = a + b
            if joined in joins:
                continue
            if reg.forms(reg.digest(joined)):
                return True
            if len(joins) >= 100_000:
                joins.clear()
            joins[joined] = None
        return False

    def _initials_may_match(self, words: list[str], lengths: bytes) -> bool:
        """A one-letter word that starts a registered name-and-initial ("C Baptiste") is a prefix to the full
        matcher, so the n-gram it starts may be another form ("i enter" for a first name "Ienter"): extend it
        as the full matcher does. Joins known to be neither a form nor a prefix cost one lookup."""
        reg = self.registry
        joins = reg.join_misses
        n = len(words)
        at = lengths.find(1)
        while 0 <= at < n - 1:
            if reg.starts_initial(words[at]):
                joined = words[at]
                for k in range(at + 1, min(n, at + reg.max_tokens)):
                    joined += words[k]
                    if joined in joins:
                        break
                    d = reg.digest(joined)
                    forms = reg.forms(d)
                    if forms and not (k == at + 1 and len(words[k]) == 1 and all(f.kind == INITIALS for f in forms)):
                        return True  # (two letters that are a party's initials are for _singles_may_match to judge)
                    if not reg.is_prefix(d):
                        if len(joins) >= 100_000:
                            joins.clear()
                        joins[joined] = None
                        break
            at = lengths.find(1, at + 1)
        return False

    def _unknown_may_match(self, words: list[str], unknown: set[str], untied_first_names: bool,
                           casing: _Casing | None, text: str | None = None) -> bool:
        reg = self.registry
        misses = reg.misses
        cues: bool | None = None
        school_cues: bool | None = None
        for idx, word in enumerate(words):
            if word not in unknown:
                continue
            d = reg.digest(word)
            forms = reg.forms(d)
            if idx + 1 < len(words) and text is not None and reg.name_refs(d) and self._sound_pair_may(word, text):
                return True  # "kieran ashdun": the next word sounds like the name's next word (form.sound_surname)
            if forms and any(f.kind == INITIALS for f in forms) and _initials_cued(words):
                return True  # "MR, initials all over": run-together initials said to be so (a prefix too: "Mr C")
            if forms and all(f.kind == INITIALS for f in forms) and not reg.is_prefix(d):
                if len(reg.initials_only) < 100_000:
                    reg.initials_only[word] = None  # "es" as a word: initials are only ever dotted letters
                continue
            if forms:
                live = forms if casing is None else [f for f in forms if casing.may_fire_alone(f, word)]
                if live and (untied_first_names or any(not f.tie for f in live)):
                    return True
                if live and any(f.kind != IDENTIFIER_PART for f in live):
                    if cues is None:
                        cues = not (_ALL_CUES.isdisjoint(words) and self.label_nouns().isdisjoint(words))
                    if cues:
                        return True
                    if any(not f.common and f.kind in (FIRST_NAME, NICKNAME) for f in live) and (_may_stand_alone(
                            words, idx) or text is None or _MAY_BE_DISGUISED.search(text) is not None):
                        return True  # the whole message (name.whole_message), or addressed (name.addressed)
                if live and any(f.kind == IDENTIFIER_PART for f in live):  # "Bramwell" (form.institution_cut)
                    if school_cues is None:
                        school_cues = not _INSTITUTION_CUES.isdisjoint(words)
                    if school_cues:
                        return True
            if reg.is_prefix(d):
                joined = word
                for k in range(idx + 1, min(len(words), idx + reg.max_tokens)):
                    joined += words[k]
                    d2 = reg.digest(joined)
                    if reg.forms(d2):
                        return True
                    if not reg.is_prefix(d2):
                        break
                continue
            if forms:
                continue
            if self._substring_hits(word):
                return True
            refs = reg.fuzzy_refs(word, d)
            if refs:
                if untied_first_names or self._fuzzy_may_count(words, idx, refs, casing):
                    return True
                continue  # not a miss: in another message something may tie it to the case
            if len(misses) >= 100_000:
                misses.clear()
            misses[word] = None
            unknown.discard(word)
        return False

    def _sound_pair_may(self, word: str, text: str) -> bool:
        """Whether a word of the text after the name word ``word`` (a skeleton) sounds like the registered word
        after it (``form.sound_surname``), read from the text's plain words."""
        plain = _PLAIN_WORDS.findall(text)
        return any(skeleton(a) == word and self.registry.sound_pair_refs(word, plain_letters(b))
                   for a, b in itertools.pairwise(plain))

    def _fuzzy_may_count(self, words: list[str], idx: int, refs: list[TokenRef], casing: _Casing | None) -> bool:
        """Whether a near-miss of a name token could be accepted by :meth:`_fuzzy_hits` and the tie rules: a
        neighbour that is (or nearly is) a registered name token, a cue word in the message, or (alone, untied,
        for review) a capitalised near-miss of a long surname or of a nickname that needs no tie."""
        reg = self.registry
        word = words[idx]
        if len(word) >= FUZZY_MIN and any(
                ref.length >= _FUZZY_UNTIED_MIN and not (ref.far or ref.common or ref.part or ref.sound)
                and ((ref.count >= 2 and ref.index == ref.count - 1) or (ref.count == 1 and not ref.tie))
                for ref in refs) and (casing is None or word in casing.capped()):
            return True
        if not _ALL_CUES.isdisjoint(words) or _spelt_out(words, idx):
            return True
        for nb in (idx - 1, idx + 1):
            if 0 <= nb < len(words):
                d = reg.digest(words[nb])
                if reg.name_refs(d) or reg.forms(d) or reg.fuzzy_refs(words[nb], d):
                    return True
        return False

    def _singles_may_match(self, words: list[str], text: str | None = None) -> bool:
        """Runs of single letters may be joined ("c h l o e"): look up every sub-run of two or more."""
        reg = self.registry
        n, i = len(words), 0
        dotted: bool | None = None  # whether the text has two letters with a dot between (worked out once)
        while i < n:
            if len(words[i]) != 1:
                i += 1
                continue
            j = i
            while j + 1 < n and len(words[j + 1]) == 1:
                j += 1
            if j > i:
                run = "".join(words[i : j + 1])
                if len(run) > 64:
                    return True  # a very long run: let the full matcher look at it
                for a in range(len(run) - 1):
                    for b in range(a + 2, len(run) + 1):
                        part = run[a:b]
                        if part in reg.misses:
                            continue
                        d = reg.digest(part)
                        forms = reg.forms(d)
                        if forms and text is not None and all(f.kind == INITIALS for f in forms):
                            if dotted is None:
                                dotted = (_DOTTED_PAIR.search(text) or _UNDOTTED_PAIR.search(text)
                                          or _HYPHEN_PAIR.search(text)) is not None
                            if not dotted:
                                continue  # initials are written with dots ("E.S."); none are here
                        if forms or reg.is_prefix(d) or self._substring_hits(part):
                            return True
                        reg.misses[part] = None
            i = j + 1
        return False

    # ------------------------------------------------------------ full matching

    def find(self, text: str, *, untied_first_names: bool = False, members: frozenset[str] = frozenset(),
             view: MessageView | None = None, gate: bool = True) -> list[ProtectedMatch]:
        """Every protected name or identifier in ``text``, as spans of the original with label and kind.

        ``untied_first_names`` also reports registered first names the message does not tie to the case
        (useful to redact summaries, where over-redaction is cheap). ``members``: the thread's members
        (:func:`bot.detectors.forum.member_key` keys); a word that is a member's name is never a fuzzy match.
        ``view``: the text's shared :class:`~bot.message_view.MessageView`, when the caller has one.
        ``gate=False`` skips the :meth:`might_match` pre-check (the tests compare the two ways).
        """
        found = self._find_all(text, untied_first_names, members) if not gate or self.might_match(
            text, untied_first_names=untied_first_names, view=view) else []
        own_view = view is not None and view.text is text
        lower, words = (view.lower, view.words) if own_view and view is not None else (None, None)
        extra = variants(text, lower, words) if len(text) <= _VARIANT_MAX else []
        joined, runs = _numbers_joined(text) if len(text) <= _VARIANT_MAX and self.registry.has_numbers else (None, [])
        for variant in [*extra, joined] if joined is not None else extra:
            # a reversed name shown the right way round, an e-mail spelled out: match what the reader sees
            said = variant.how == SAID
            if gate and not self.might_match(variant.text, untied_first_names=untied_first_names, said=said):
                continue
            seen = {(m.start, m.end, m.label, m.kind) for m in found}
            for m in self._find_all(variant.text, untied_first_names, members, said=said):
                start, end = variant.span(m.start, m.end)
                if variant is joined and not any(a < end and start < b for a, b in runs):
                    continue  # only what the run-together number itself makes
                if (start, end, m.label, m.kind) not in seen:
                    found.append(dataclasses.replace(m, start=start, end=end, how=(*m.how, variant.how)))
        return _resolve_overlaps(found) if len(found) > 1 else found

    def _find_all(self, text: str, untied_first_names: bool = False,
                  members: frozenset[str] = frozenset(), *, said: bool = False) -> list[ProtectedMatch]:
        """:meth:`find` without the fast pre-check (tests compare the two). ``said``: the text is a reading
        with numbers read out in words put back as digits."""
        if not text:
            return []
        norm = normalize(text)
        found: dict[tuple[int, int, str, str], ProtectedMatch] = {}
        for mode in (True, False) if has_symbols(norm.text) else (True,):
            toks = tokenize(norm, symbols_as_letters=mode)
            for m in self._matches(text, norm, toks, untied_first_names, members):
                key = (m.start, m.end, m.label, m.kind)
                if key not in found or found[key].score < m.score:
                    found[key] = m
        for start, end, form, digest in self._hashtag_hits(text):
            match_digest = self.registry.match_digest(form.label, form.kind, digest, "#", "")
            info = KIND_INFO[form.kind]
            found.setdefault((start, end, form.label, form.kind), ProtectedMatch(
                start, end, form.label, form.kind, info.score, match_digest, info.action, ("in a hashtag",)))
        for start, end, form, digest in self._phone_hits(text, said):
            match_digest = self.registry.match_digest(form.label, form.kind, digest, "", "")
            info = KIND_INFO[form.kind]
            found.setdefault((start, end, form.label, form.kind), ProtectedMatch(
                start, end, form.label, form.kind, info.score, match_digest, info.action, ()))
        # The allow-list applies after overlaps are resolved: a dismissed full name takes the surname
        # inside it along, rather than letting it surface on its own.
        return [m for m in _resolve_overlaps(list(found.values())) if not self.registry.is_allowed(m.digest)]

    def _hashtag_hits(self, text: str) -> list[tuple[int, int, Form, bytes]]:
        """Surnames and nicknames that are one CamelCase part of a hashtag ("#SackPellow", "#PellowOut").

        Common English words are skipped ("#RoseGarden"); full names run together are found anyway.
        """
        reg = self.registry
        hits = []
        for tag in _HASHTAG.finditer(text):
            base = tag.start(1)
            campaign: bool | None = None  # "#JusticeForRosie" ties even a first name to the case
            parts = list(_CAMEL_PART.finditer(tag.group(1)))
            # one CamelCase part, or two or three run together ("#JusticeForIslaMae": "Isla-Mae")
            for a, b in ((x, y) for x in range(len(parts)) for y in range(x + 1, min(len(parts), x + 3) + 1)):
                start, end = parts[a].start(), parts[b - 1].end()
                if end - start < 3 or (b - a > 1 and not reg.is_prefix(reg.digest(skeleton(parts[a].group())))):
                    continue
                d = reg.digest(skeleton("".join(p.group() for p in parts[a:b])))
                for form in reg.forms(d):
                    if form.kind in (SURNAME, NICKNAME) and not form.common and not form.tie:
                        hits.append((base + start, base + end, form, d))
                    elif form.kind in (SURNAME, NICKNAME, FIRST_NAME) and campaign is not False:
                        if campaign is None:
                            campaign = any(skeleton(p.group()) in _CAMPAIGN for p in parts)
                        if campaign:
                            hits.append((base + start, base + end, form, d))
        return hits

    def _phone_hits(self, text: str, said: bool = False) -> list[tuple[int, int, Form, bytes]]:
        """Registered phone numbers written in another format ("+44 7700 900872" for "07700 900872").
        ``said``: numbers in ``text`` were read out in words, which is cue enough for one without its trunk
        zero (``name.phone_trunkless``: "seven seven double oh, nine ...")."""
        if not _has_digit(text):
            return []
        reg = self.registry
        hits: list[tuple[int, int, Form, bytes]] = []
        if _PHONE_HINT.search(text) is not None:  # cheap: nine digits in a run at most
            for m in _PHONE_RUN.finditer(text):
                national = phone_digits(m.group())
                if national is None:
                    continue
                d = reg.digest(skeleton(national))
                hits.extend((m.start(), m.end(), f, d) for f in reg.forms(d) if f.kind == IDENTIFIER)
                if (len(national) == 10 and national[0] in _TRUNKLESS_FIRST and m.group()[:1].isdigit()
                        and (said or self._phone_cue_before(text, m.start()))):
                    # "ring her on 7700 900872": the national number with its trunk zero dropped
                    d = reg.digest(skeleton("0" + national))
                    hits.extend((m.start(), m.end(), f, d) for f in reg.forms(d) if f.kind == IDENTIFIER)
        for m in _PHONE_LOOK.finditer(text):
            run = m.group()
            if run.isascii() and not any(ch in run for ch in "OoIl|ZzSB"):
                continue  # all digits: read above
            if sum(ch.isdigit() for ch in run) < 4:
                continue  # mostly letters: a word, not a number
            national = phone_digits(run.translate(_AS_DIGITS))
            if national is None:
                continue
            d = reg.digest(skeleton(national))
            hits.extend((m.start(), m.end(), f, d) for f in reg.forms(d) if f.kind == IDENTIFIER)
        return hits

    @staticmethod
    def _phone_cue_before(text: str, start: int) -> bool:
        """A word of name.phone_trunkless among the few words before a number (``reach``)."""
        words = word_strings(skeleton(text[max(0, start - 60) : start]), symbols_as_letters=False)
        return not _PHONE_CUES.isdisjoint(words[-_PHONE_CUE_REACH:])

    def _substring_hits(self, word: str) -> list[tuple[int, int, bytes]]:
        reg = self.registry
        lengths = reg.substring_lengths
        n = len(word)
        if not lengths or n <= lengths[0] or n > _SUBSTRING_MAX_TOKEN:
            return []
        hits = []
        for k in range(n - ANCHOR):  # one hash per offset; forms are tried only where one may start
            if not reg.is_anchor(reg.digest(word[k : k + ANCHOR])):
                continue
            for length in lengths:
                if length >= n or k + length > n:
                    break
                d = reg.digest(word[k : k + length])
                if any(f.substring for f in reg.forms(d)):
                    hits.append((k, k + length, d))
        return hits

    def _raw_hits(self, toks: list[Token], text: str) -> list[_Hit]:
        reg = self.registry
        misses = reg.misses
        hits: list[_Hit] = []
        n = len(toks)
        for i in range(n):
            word = toks[i].text
            if i + 1 < n and text[toks[i].end : toks[i + 1].start] in _SPLITTERS and word.isalpha():
                # "Low-enna": one registered word broken by a hyphen or dot to get past a filter
                d = reg.digest(word + toks[i + 1].text)
                hits.extend(_Hit(i, i + 1, f, d) for f in reg.forms(d)
                            if f.kind in (FIRST_NAME, NICKNAME, SURNAME) and f.tokens == 1)
            if word in misses and len(word) > 1:  # one letter may be an initial ("C Baptiste")
                continue
            s, j = word, i
            while True:
                d = reg.digest(s)
                hits.extend(_Hit(i, j, f, d) for f in reg.forms(d))
                if j + 1 >= n or j - i + 1 >= reg.max_tokens or not reg.is_prefix(d, initial=len(s) == 1):
                    break
                gap = text[toks[j].end : toks[j + 1].start]
                if len(gap) > 3 or any(ch.isalnum() for ch in gap):
                    break
                if toks[j + 1].text == "s" and gap in ("'", "’"):
                    after = reg.digest(s + "s")
                    if not reg.is_prefix(after) and not any(not f.plural for f in reg.forms(after)):
                        break  # a possessive is never part of a name, only of a registered "St Aidan's ..."
                j += 1
                s += toks[j].text
            for a, b, d in self._substring_hits(word):
                hits.extend(_Hit(i, i, f, d, (a, b)) for f in reg.forms(d) if f.substring)
        return hits

    def _fuzzy_hits(self, toks: list[Token], text: str, members: frozenset[str]) -> list[_Hit]:
        """Registered name tokens found at edit distance 1 ("Okunjo", "Rosalnid Okonjo"): a full name when a
        neighbour is the next or previous token of the same name, else a surname or nickname alone. Common
        English words and forum members' names are never fuzzy matches."""
        reg = self.registry
        fuzzy: dict[int, tuple[bytes, list[TokenRef]]] = {}
        for k, tok in enumerate(toks):
            word = tok.text
            if len(word) < 4 or len(word) > 33 or word in reg.misses or not word.isalpha():
                continue
            d = reg.digest(word)
            refs = reg.fuzzy_refs(word, d)
            if not refs or reg.forms(d):
                continue  # a word that is a registered form itself ("ElowenM") is judged as that form only
            original = text[tok.start : tok.end]
            if is_common_word(original) or (members and member_key(original) in members):
                continue
            fuzzy[k] = (d, refs)
        hits: list[_Hit] = self._sound_pair_hits(toks, text, members)
        for k, (d, refs) in fuzzy.items():
            for ref in refs:
                if ref.sound:  # spelt as it sounds ("Reeanon"): capitalised, a first name, weak
                    if is_known_word(text[toks[k].start : toks[k].end]):
                        continue  # "Malice", "Luna": a word or name English uses often is itself
                    nb = k + 1  # unless the next word is the name's next word ("Maizy-Rose"): a misspelt full name
                    gap = text[toks[k].end : toks[nb].start] if nb < len(toks) else "."
                    if (nb < len(toks) and 0 < len(gap) <= 2 and not any(ch.isalnum() or ch == "\n" for ch in gap)
                            and any(r.label == ref.label and r.name == ref.name and r.index == 1
                                    for r in reg.name_refs(reg.digest(toks[nb].text)))):
                        pair = Form(ref.label, FULL_NAME, 2, ref.length, misspelt=True, fuzzy=True)
                        hits.append(_Hit(k, nb, pair, d))
                    elif text[toks[k].start].isupper():
                        form = Form(ref.label, FIRST_NAME, 1, ref.length, tie=True, fuzzy=True, sound=True)
                        hits.append(_Hit(k, k, form, d))
                    continue
                if ref.far:  # two edits: a surname alone, tied to the case ("the linquist lass"), never paired
                    if ref.count >= 2 and ref.index == ref.count - 1 and not (ref.common or ref.part):
                        hits.append(_Hit(k, k, Form(ref.label, SURNAME, 1, ref.length, tie=True, fuzzy=True), d))
                    continue
                paired = False
                for nb, want in ((k - 1, ref.index - 1), (k + 1, ref.index + 1)):
                    if not (0 <= nb < len(toks) and 0 <= want < ref.count):
                        continue
                    a, b = min(k, nb), max(k, nb)
                    gap = text[toks[a].end : toks[b].start]
                    if not gap or len(gap) > 2 or "\n" in gap or any(ch.isalnum() for ch in gap):
                        continue
                    d_nb = reg.digest(toks[nb].text)
                    nb_refs = reg.name_refs(d_nb) + fuzzy.get(nb, (b"", []))[1]
                    same = any(r.label == ref.label and r.name == ref.name and r.index == want for r in nb_refs)
                    # a short first name or nickname before it ("Roz Okunjo"): an exact registered form
                    same = same or (want == 0 and nb < k and any(
                        f.label == ref.label and f.kind in (FIRST_NAME, NICKNAME) for f in reg.forms(d_nb)))
                    if same:
                        kind = IDENTIFIER_PART if ref.part else FULL_NAME  # a school's name, or a person's
                        form = Form(ref.label, kind, 2, ref.length, misspelt=True, fuzzy=True)
                        hits.append(_Hit(a, b, form, d))
                        paired = True
                if paired or ref.common or ref.part or len(toks[k].text) < FUZZY_MIN:
                    continue  # alone, a near-miss must be as long as a fuzzy-matched name token itself
                if ref.count >= 2 and ref.index == ref.count - 1:
                    hits.append(_Hit(k, k, Form(ref.label, SURNAME, 1, ref.length, fuzzy=True), d))
                elif ref.count == 1:
                    hits.append(_Hit(k, k, Form(ref.label, NICKNAME, 1, ref.length, tie=ref.tie, fuzzy=True), d))
                elif ref.index == 0:  # a misspelt first name alone ("that poor kid Ifrha"): only with a cue
                    hits.append(_Hit(k, k, Form(ref.label, FIRST_NAME, 1, ref.length, tie=True, fuzzy=True), d))
        return hits

    def _sound_pair_hits(self, toks: list[Token], text: str, members: frozenset[str]) -> list[_Hit]:
        """``form.sound_surname``: "kieran ashdun", a later name word spelt as it sounds right after the exact
        registered word before it (or the first name): a misspelt full name, held for review."""
        reg = self.registry
        hits: list[_Hit] = []
        for k in range(1, len(toks)):
            before, word = toks[k - 1].text, toks[k].text
            if before in reg.misses or len(word) < 4 or not word.isalpha() or toks[k].spaced:
                continue
            gap = text[toks[k - 1].end : toks[k].start]
            if not gap or len(gap) > 2 or "\n" in gap or any(ch.isalnum() for ch in gap):
                continue
            d_before = reg.digest(before)
            if not any(r.index < r.count - 1 and not r.part for r in reg.name_refs(d_before)):
                continue
            d = reg.digest(word)
            if reg.forms(d) or any(r.label for r in reg.name_refs(d)):
                continue  # the word is a registered form or name word itself: judged as that
            original = text[toks[k].start : toks[k].end]
            if members and member_key(original) in members:
                continue
            for ref in reg.sound_pair_refs(before, plain_letters(original)):
                form = Form(ref.label, FULL_NAME, 2, ref.length, misspelt=True, fuzzy=True, sound=True)
                hits.append(_Hit(k - 1, k, form, d))
        return hits

    def _matches(
        self, text: str, norm: Normalized, toks: list[Token], untied_first_names: bool,
        members: frozenset[str] = frozenset(),
    ) -> list[ProtectedMatch]:
        ctx = _Context(text, toks, self.label_nouns())
        accepted: list[_Hit] = []
        first_names: list[_Hit] = []  # and other forms that need a tie to the case
        for hit in self._raw_hits(toks, text) + self._fuzzy_hits(toks, text, members):
            tok_i, tok_j = toks[hit.i], toks[hit.j]
            if hit.inner is not None:
                pos = tok_i.positions
                hit.start = norm.starts[pos[hit.inner[0]]]
                hit.end = norm.end_after(pos[hit.inner[1] - 1])
            else:
                hit.start, hit.end = tok_i.start, tok_j.end
            hit.score = KIND_INFO[hit.form.kind].score
            if hit.form.misspelt:  # never above the kind's own weight (a misspelt school part)
                hit.score = min(hit.score, MISSPELT.score)
            if not ctx.accept(hit, self.registry):
                continue
            # first names (a rare one too) are judged once the other matches are known
            # so are fuzzy surnames and nicknames: weaker than exact ones, they need the case around them
            tie_needed = hit.form.tie or hit.form.kind == FIRST_NAME or hit.common_initial or hit.hyphened or (
                hit.form.fuzzy and hit.form.kind not in (FULL_NAME, IDENTIFIER_PART))  # paired: two words agree
            (first_names if tie_needed else accepted).append(hit)
        named = {h.form.label for h in accepted}
        # dotted initials of two parties side by side ("S.M. and C.D."): each ties the other (name.initials_pair)
        dotted = {h.form.label for h in first_names if h.form.kind == INITIALS and h.i == h.j and not h.lower
                  and not h.abbrev and not h.hyphened and ctx.toks[h.i].spaced}
        for hit in first_names:
            if hit.common_initial:  # "danny h": only with more evidence that it is the name, for review
                if hit.form.label in named or ctx.near_cue(hit.i, hit.j) or ctx.initial_evidence(hit.i, hit.j):
                    hit.score, hit.untied = UNTIED.score, UNTIED
                    accepted.append(hit)
                continue
            if hit.abbrev:  # "T.V. is the lad" (match.initials params.not): only equated to a party
                if ctx.equated_after(hit.i, hit.j):
                    hit.score, hit.untied = UNTIED.score, UNTIED
                    accepted.append(hit)
                continue
            if hit.form.kind == INITIALS and hit.lower:  # "k.h.": only with a strong tie (name.initials_lower)
                if hit.form.label in named or ctx.near_cue(hit.i, hit.j) or ctx.person_after_initials(hit.j) or (
                        ctx.account_after(hit.j)):
                    hit.score, hit.untied = UNTIED.score, UNTIED
                    accepted.append(hit)
                continue
            if hit.form.kind == INITIALS and hit.i == hit.j and not ctx.toks[hit.i].spaced:  # "JM": said to be initials
                run_together = ctx.caps[hit.i] and ctx.sentence_initial(hit.i) and ctx.pronoun_after(
                    hit.j, _RUN_TOGETHER_PRONOUNS)  # "JM better hope she ..." (name.initials_run_together)
                if ctx.initials_said() or ctx.relative_owned(hit.j) or run_together or ctx.initials_person(hit.i):
                    hit.score, hit.untied = UNTIED.score, UNTIED
                    accepted.append(hit)
                continue
            if hit.form.kind == INITIALS and hit.j > hit.i:  # undotted ("N C"): a tie, and only for review
                if hit.form.label in named or ctx.undotted_tie(hit.i, hit.j):
                    hit.score, hit.untied = UNTIED.score, UNTIED
                    accepted.append(hit)
                continue
            if hit.form.kind == INITIALS and hit.i == hit.j and not hit.lower and ctx.initials_person(hit.i):
                hit.score, hit.untied = UNTIED.score, UNTIED  # "A.J.'s mam", "the A-J lass" (name.initials_person)
                accepted.append(hit)
                continue
            if hit.hyphened:
                continue  # "A-Z", "the X-Y axis": hyphened capitals count only said to be a person
            if hit.form.sound:  # a phonetic-key match: only with the case around it, and only for review
                if hit.form.label in named or ctx.near_cue(hit.i, hit.j) or ctx.spelling_after(hit.j) or (
                        not ctx.name_talk(hit.j) and ctx.pronoun_after(hit.j)):
                    hit.score, hit.untied = UNTIED.score, UNTIED
                    accepted.append(hit)
                continue
            if hit.form.kind in (FIRST_NAME, NICKNAME) and ctx.own_relation_before(hit.i):
                continue  # "my niece Maggie": the poster's own (name.own_relation)
            if members and hit.form.kind in (FIRST_NAME, NICKNAME) and _member_named(
                    text[hit.start : hit.end], members, prefix=hit.form.kind == NICKNAME):
                continue  # a word that needs a tie and is a forum member's name is the member ("Peggy's right")
            if hit.form.kind == IDENTIFIER_PART:  # "Bramwell" of a school's name: the school talked about
                if not (hit.i > 0 and ctx.toks[hit.i - 1].text in _PLACE_BEFORE) and (  # "in Kenton": the place
                        hit.form.label in named or ctx.institution_talk(hit.i, hit.j)):
                    accepted.append(hit)
                continue
            if hit.form.dropped:  # "Lace" of Lacey: a word, so only with a strong tie (form.pet_dropped_end)
                if hit.form.label in named or ctx.dropped_tie(hit.i, hit.j):
                    accepted.append(hit)
                continue
            tied = hit.form.label in named or ctx.near_cue(hit.i, hit.j) or (
                hit.form.kind == INITIALS and (ctx.person_after_initials(hit.j) or ctx.initials_said()
                                               or (hit.form.label in dotted and len(dotted) >= _PAIR_PARTIES))) or (
                hit.form.kind in (FIRST_NAME, NICKNAME) and not hit.form.fuzzy
                and (ctx.equated(hit.i, hit.j, hit.form.common) or ctx.equated_after(hit.i, hit.j)))  # name.equated
            if tied:
                accepted.append(hit)
            elif ctx.fiction_near(hit.i, hit.j):
                continue  # "<name>'s still the best character in it": someone in a show, not the party
            elif not hit.form.tie and not ctx.name_talk(hit.j) and (
                    (not hit.form.fuzzy and (ctx.about_someone(hit.j) or (
                        hit.form.kind in (FIRST_NAME, NICKNAME) and ctx.person_verb_subject(hit.i, hit.j))))
                    or (hit.form.fuzzy and hit.form.length >= _FUZZY_UNTIED_MIN and ctx.caps[hit.i])):
                # a long capitalised near-miss of a registered surname ("Venkatraman is a hero") is for review
                # "Deccy's been through enough, leave him alone": a name no word list knows, someone talked about
                hit.score, hit.untied = UNTIED.score, UNTIED
                accepted.append(hit)
            elif (hit.form.kind in (FIRST_NAME, NICKNAME) and not hit.form.fuzzy and not ctx.name_talk(hit.j)
                  and not hit.form.common and (
                      ctx.whole_message(hit.i, hit.j) or ctx.addressed(hit.i, hit.j)
                      or (hit.form.kind == FIRST_NAME and not hit.form.tie and ctx.described(hit.i, hit.j)))):
                # "KESTREL" as the whole message (name.whole_message); "Wenna if you're reading this"
                # (name.addressed); "kestrel with the purple coat" (name.described): for review
                hit.score, hit.untied = UNTIED.score, UNTIED
                accepted.append(hit)
            elif hit.form.tie and not ctx.name_talk(hit.j) and (
                    ctx.pronoun_after(hit.j) or ctx.relative_owned(hit.j, _OWNED_RELATIVES)
                    or (hit.form.kind in (FIRST_NAME, NICKNAME) and ctx.person_verb_subject(hit.i, hit.j))):
                # "X? She's been on that desk for years", "X's grandad runs the garage": a known first name
                # talked about as someone, for review
                hit.score, hit.untied = UNTIED.score, UNTIED
                accepted.append(hit)
            elif (hit.form.kind in (FIRST_NAME, NICKNAME) and not hit.form.fuzzy and not ctx.name_talk(hit.j)
                  and (ctx.case_object(hit.i, hit.j) or (
                      not hit.form.common and hit.form.length >= _DISGUISED_MIN
                      and not _DISGUISES.isdisjoint(disguises(text[hit.start : hit.end], toks[hit.i : hit.j + 1],
                                                              broken=hit.j > hit.i and hit.form.tokens == 1))))):
                # "saw l0wenna at the shops": a name disguised to get past a filter (name.disguised)
                # "the case against kit collapsed", "nobody believes kit": someone an act in the case is done to
                hit.score, hit.untied = UNTIED.score, UNTIED
                accepted.append(hit)
            elif untied_first_names:
                hit.score, hit.untied = REDACTION.score, REDACTION
                accepted.append(hit)
        out = []
        for hit in accepted:
            before = toks[hit.i - 1].text if hit.i > 0 and hit.inner is None else ""
            after = toks[hit.j + 1].text if hit.j + 1 < len(toks) and hit.inner is None else ""
            digest = self.registry.match_digest(hit.form.label, hit.form.kind, hit.digest, before, after)
            if hit.form.kind in (HANDLE, HANDLE_STEM) and text[max(0, hit.start - 1) : hit.start] == "@":
                hit.start -= 1  # redact the handle with its "@"
            disguise = obfuscations(text[hit.start : hit.end])
            how = [f"obfuscated with {' and '.join(disguise)}"] if disguise else []
            if any(t.spaced for t in toks[hit.i : hit.j + 1]):
                how.append("spaced out")
            if hit.form.misspelt or hit.form.fuzzy:
                how.append("misspelt")
            how.extend(ctx.placement(hit))
            info = KIND_INFO[hit.form.kind]
            action = MISSPELT.action if hit.form.misspelt else info.action
            if hit.form.fuzzy and hit.form.kind == FULL_NAME and not hit.form.sound and ctx.near_cue(hit.i, hit.j):
                action = info.action  # a misspelt full name with the case around it: the party, confirmed
            if hit.untied is not None:
                action = hit.untied.action
            out.append(ProtectedMatch(hit.start, hit.end, hit.form.label, hit.form.kind, round(hit.score, 3),
                                      digest, action, tuple(how)))
        return out


class _Context:
    """Capitalisation and neighbourhood of tokens in the original text, for the name rules."""

    def __init__(self, text: str, toks: list[Token], label_nouns: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.toks = toks
        self.caps = _LazyCaps(text, toks)
        self._shouting: bool | None = None
        self._title_case: bool | None = None
        self.label_nouns = label_nouns

    # When capitals carry no information (ALL CAPS, Title Case Headings) the proper-noun rules are off.
    @property
    def shouting(self) -> bool:
        """More than 70% of at least four letters are capitals."""
        if self._shouting is None:
            text = self.text
            if text.isascii():  # letters and capitals counted by deleting everything else
                raw = text.encode()
                n_letters, upper = len(raw.translate(None, _NOT_LETTER)), len(raw.translate(None, _NOT_UPPER))
            else:
                letters = [ch for ch in text if ch.isalpha()]
                n_letters, upper = len(letters), sum(ch.isupper() for ch in letters)
            self._shouting = n_letters >= 4 and upper / n_letters > 0.7
        return self._shouting

    @property
    def title_case(self) -> bool:
        """At least 80% of at least five words of three or more characters (not opening a sentence) are
        capitalised. Stops as soon as too many lower-case words make that impossible."""
        if self._title_case is None:
            text, toks, caps = self.text, self.toks, self.caps
            wordy = lower = 0
            n = len(toks)
            title = True
            for k, t in enumerate(toks):
                if t.end - t.start < 3 or not _has_alpha(text, t) or self.sentence_initial(k):
                    continue
                wordy += 1
                if not caps[k]:
                    lower += 1
                    if 5 * lower > wordy + n - k - 1:  # over 20% even if every later token were a capitalised word
                        title = False
                        break
            self._title_case = title and wordy >= 5 and (wordy - lower) / wordy >= 0.8
        return self._title_case

    def gap(self, a: int, b: int) -> str:
        return self.text[self.toks[a].end : self.toks[b].start]

    def spaced_by_blank(self, a: int, b: int) -> bool:
        gap = self.gap(a, b)
        return 0 < len(gap) <= 2 and gap.isspace() and "\n" not in gap

    def sentence_initial(self, k: int) -> bool:
        return k == 0 or bool(_SENTENCE_END.search(self.gap(k - 1, k)))

    def lower_word(self, k: int) -> bool:
        return self.text[self.toks[k].start : self.toks[k].end].islower()

    def accept(self, hit: _Hit, registry: ProtectedRegistry) -> bool:
        kind, form = hit.form.kind, hit.form
        if kind in _NAMEISH and not (
            any(ch.isalpha() for ch in self.text[hit.start : hit.end]) if hit.inner is not None
            else all(_has_alpha(self.text, self.toks[k]) for k in range(hit.i, hit.j + 1))
        ):
            return False  # digits alone never make a name word ("130" is not "Leo")
        if kind == FULL_NAME and form.common and hit.inner is None and (
                (hit.j + 1 < len(self.toks) and self.gap(hit.j, hit.j + 1) == "-")
                or (hit.i > 0 and self.gap(hit.i - 1, hit.i) == "-")):
            return False  # "Mark hunter-gatherer societies": common words run on into a compound
        if (kind == FULL_NAME and form.common and hit.inner is None
                and not any(self.caps[k] or self.toks[k].spaced for k in range(hit.i, hit.j + 1))
                and not obfuscations(self.text[hit.start : hit.end])
                and (hit.i > 0 and self.toks[hit.i - 1].text in _VERB_BEFORE)):
            return False  # "they mark rose bushes" is not "Mark Rose"; "mark hunter pulled the trigger" is
        if kind == NAME_INITIAL:
            return self._initial_ok(hit)
        if kind == TITLE_INITIAL:
            return self._title_initial_ok(hit)
        if kind == INITIALS:
            return self._initials_ok(hit)
        if kind == HANDLE_STEM and form.common:
            return self.text[max(0, hit.start - 1) : hit.start] == "@"
        if kind == IDENTIFIER_NUMBER:
            return self._has_id_cue(hit, registry)
        if kind in (NICKNAME, FIRST_NAME) and hit.i == hit.j and hit.inner is None and self.verb_use(hit.i):
            return False  # "it riles me": the word a nickname is also, used as a verb (name.verb_use)
        if kind == SURNAME and self.place_before(hit.i, hit.j):
            return False  # "drove up from Mold": the town a surname is also the name of (name.surname_place)
        if kind in _WEAK_SINGLE:
            return self._weak_ok(hit)
        return True

    def verb_use(self, i: int) -> bool:
        """``name.verb_use``: a lower-case word (or one capitalised only to open its sentence) with an object
        word right after it or a subject, modal or adverb right before it, in its clause."""
        tok = self.toks[i]
        if tok.spaced or (self.caps[i] and not self.sentence_initial(i)):
            return False
        if obfuscations(self.text[tok.start : tok.end]):
            return False
        after = i + 1 < len(self.toks) and self.toks[i + 1].text in _VERB_OBJECTS and self.spaced_by_blank(i, i + 1)
        before = (i > 0 and self.toks[i - 1].text in _VERB_SUBJECTS and not self.caps[i]
                  and self.gap(i - 1, i) in (" ", "'", "’"))
        infinitive = (i > 0 and i + 1 < len(self.toks) and self.toks[i - 1].text in _VERB_MODALS
                      and self.toks[i + 1].text in _VERB_DETERMINERS and self.spaced_by_blank(i - 1, i)
                      and self.spaced_by_blank(i, i + 1))
        return after or before or infinitive

    def place_before(self, i: int, j: int) -> bool:
        """``name.surname_place``: a capitalised word right after a place word, not owning anything."""
        if i != j or i == 0 or not self.caps[i] or self.toks[i - 1].text not in _SURNAME_PLACE:
            return False
        if not self.spaced_by_blank(i - 1, i) or self._possessive_after(j):
            return False
        return not (j + 1 < len(self.toks) and self.caps[j + 1] and self.spaced_by_blank(j, j + 1))

    def _initial_ok(self, hit: _Hit) -> bool:
        k = hit.i if hit.form.initial_at == 0 else hit.j
        tok = self.toks[k]
        original = self.text[tok.start : tok.end]
        if len(original) != 1 or not original.isalpha() or tok.spaced:
            return False
        if original.islower() and not self._lower_initial_ok(hit, k):
            return False
        if hit.form.initial_at == 0 and original in "AI" and self.gap(k, k + 1).strip() != ".":
            return False  # "A Baptiste" / "I Baptiste" are words, "A. Baptiste" is an initial
        name_tok = hit.j if hit.form.initial_at == 0 else hit.i
        return (self.caps[name_tok] or not hit.form.common or hit.common_initial
                or (original.islower() and self._person_after(k)))

    def _title_initial_ok(self, hit: _Hit) -> bool:
        """"Mrs C", "Mr. T": one letter after the title, capitalised (or lower case after a lower-case title),
        and not the first initial of someone's full name ("Mrs C Jones")."""
        k = hit.j
        tok = self.toks[k]
        letter = self.text[tok.start : tok.end]
        if len(letter) != 1 or not letter.isalpha() or tok.spaced or self.gap(hit.i, k).strip() not in ("", "."):
            return False
        if letter.islower() and not self.lower_word(hit.i):
            return False  # "Mr c" is no way to write an initial
        if k + 1 < len(self.toks):
            after = self.gap(k, k + 1)
            if after.strip(" .") == "" and self.caps[k + 1] and not _SENTENCE_END.search(after):
                return False  # "Mrs C Jones": someone's initial and surname
            if letter.islower() and not after.strip(" ,.;:!?"):
                return False  # "mrs c" must end there ("mrs c will" reads as a word after a title)
        return True

    def _initials_ok(self, hit: _Hit) -> bool:
        """"E.S.", "E. S.": two capital letters with dots, as one spaced-out token, that are no common
        abbreviation ("P.C.", "G.P.": ``match.initials`` params.not)."""
        tok = self.toks[hit.i]
        if hit.j == hit.i + 1:
            return self._undotted_ok(hit)
        if hit.i == hit.j and not tok.spaced:  # "JM", "MRM": capitals run together, no common abbreviation
            span = self.text[tok.start : tok.end]
            return 2 <= len(span) <= 3 and span.isalpha() and span.isupper() and tok.text not in _NOT_INITIALS
        if hit.i != hit.j or not tok.spaced:
            return False
        span = self.text[tok.start : tok.end]
        if tok.text in _NOT_INITIALS:  # "T.V. is the lad": an abbreviation, unless equated to a party
            hit.abbrev = len(span) <= 4 and all(ch.isupper() or ch == "." for ch in span) and "." in span
            return hit.abbrev
        letters = [ch for ch in span if ch.isalpha()]
        if len(letters) in (2, 3) and _LOWER_DOTTED.fullmatch(span):  # "k.h.", "e. w.": a strong tie later
            hit.lower = True
            return True
        if len(letters) == 2 and _HYPHEN_PAIR.fullmatch(span):  # "A-J": only said to be a person
            hit.hyphened = True
            return True
        return len(letters) in (2, 3) and all(ch.isupper() for ch in letters) and "." in span  # "M.R.M.": three

    def _undotted_ok(self, hit: _Hit) -> bool:
        """"N C": two capitals as words of their own, one space between, no other single letter beside
        them, that are no common abbreviation and do not start with the word "I"."""
        i, j = hit.i, hit.j
        span = self.text[self.toks[i].start : self.toks[j].end]
        if not _UNDOTTED_PAIR.fullmatch(span) or span[0] == "I" or skeleton(span.replace(" ", "")) in _NOT_INITIALS:
            return False
        before = i > 0 and len(self.toks[i - 1].text) == 1 and self.spaced_by_blank(i - 1, i)
        after = j + 1 < len(self.toks) and len(self.toks[j + 1].text) == 1 and self.spaced_by_blank(j, j + 1)
        return not (before or after)

    def spelling_after(self, j: int) -> bool:
        """A name spelt out for the reader right after it ("X with a y and two e's", "X, spelt ...")
        (``name.spelling_cues``)."""
        toks = self.toks
        for k in range(j + 1, min(len(toks), j + 4)):
            word = toks[k].text
            if word in _SPELLING_WORDS:
                return True
            if (word == "with" and k + 2 < len(toks) and toks[k + 1].text in _SPELLING_COUNTS
                    and len(toks[k + 2].text) == 1):
                return True
        return False

    def institution_talk(self, i: int, j: int) -> bool:
        """A word about a school, club or workplace (``name.institution_cues``) in the sentence of the words
        ``i..j``, within the rule's reach either side."""
        return self.cue_in_sentence(i, j, _INSTITUTION_REACH, _INSTITUTION_CUES)

    def dropped_tie(self, i: int, j: int) -> bool:
        """A person word right before ("poor Lace", ``name.dropped_end_cues``) or a tie cue within
        ``form.pet_dropped_end`` params.reach words either side, in the same sentence."""
        if i > 0 and self.toks[i - 1].text in _DROPPED_CUES and self.spaced_by_blank(i - 1, i):
            return True
        return self.cue_in_sentence(i, j, _DROPPED_REACH, _TIE_CUES)

    def cue_in_sentence(self, i: int, j: int, reach: int, cues: frozenset[str]) -> bool:
        """One of ``cues`` within ``reach`` words before word ``i`` or after word ``j``, without crossing the
        end of a sentence."""
        toks = self.toks
        for k in range(i - 1, max(-1, i - 1 - reach), -1):
            if _SENTENCE_END.search(self.gap(k, k + 1)):
                break
            if toks[k].text in cues:
                return True
        for k in range(j + 1, min(len(toks), j + 1 + reach)):
            if _SENTENCE_END.search(self.gap(k - 1, k)):
                break
            if toks[k].text in cues:
                return True
        return False

    def own_relation_before(self, i: int) -> bool:
        """"my niece Maggie", "our lad Billy": a relative or friend of the poster's right before a name
        (``name.own_relation``)."""
        return (i > 1 and self.toks[i - 1].text in _OWN_RELATIONS and self.toks[i - 2].text in _OWNERS
                and self.spaced_by_blank(i - 1, i) and self.spaced_by_blank(i - 2, i - 1))

    def account_after(self, j: int) -> bool:
        """A word for an online account (``name.initials_lower``) within its reach after dotted initials, in
        their sentence (the initials' own last dot ends nothing)."""
        toks = self.toks
        for k in range(j + 1, min(len(toks), j + 1 + _LOWER_INITIALS_REACH)):
            gap = self.gap(k - 1, k)
            if k == j + 1:
                gap = gap.lstrip(".")
            if _SENTENCE_END.search(gap):
                return False
            if toks[k].text in _LOWER_INITIALS_CUES:
                return True
        return False

    def relative_owned(self, j: int, relatives: frozenset[str] = _OWN_RELATIONS, *, qualified: bool = False) -> bool:
        """"KH's dad", "JM's nan": run-together capitals owning a relative right after them
        (``name.own_relation`` words), as a person's initials do; "Callum's grandad" with ``name.owned_relative``."""
        if not (self._possessive_after(j) and j + 2 < len(self.toks) and self.spaced_by_blank(j + 1, j + 2)):
            return False
        k = j + 2
        if ((qualified or relatives is _OWNED_RELATIVES) and self.toks[k].text in _RELATIVE_QUALIFIERS
                and k + 1 < len(self.toks) and self.spaced_by_blank(k, k + 1)):
            k += 1  # "Callum's older brother" (name.owned_relative params.qualifiers)
        return self.toks[k].text in relatives

    def initials_person(self, i: int) -> bool:
        """"the KA lad", "that KA girl's mum", "KA's older brother": run-together capital initials said to be a
        person (``name.initials_person``), never capitals English uses as a word or abbreviation ("BBC")."""
        toks = self.toks
        word = self.text[toks[i].start : toks[i].end]
        if not self.caps[i] or (len(word) >= 3 and _zipf(word.lower()) >= _INITIALS_MAX_ZIPF):
            return False
        if self.relative_owned(i, _OWN_RELATIONS, qualified=True):
            return True
        return (i > 0 and i + 1 < len(toks) and toks[i - 1].text in _INITIALS_DETERMINERS
                and toks[i + 1].text in _INITIALS_PERSON and self.spaced_by_blank(i - 1, i)
                and self.spaced_by_blank(i, i + 1))

    def initials_said(self) -> bool:
        """Whether the message says it gives initials (``name.initials_undotted`` words)."""
        return any(t.text in _UNDOTTED_CUES for t in self.toks)

    def undotted_tie(self, i: int, j: int) -> bool:
        """What ties undotted initials to the case: a tie cue near them, a word for initials in the message
        (``name.initials_undotted``), or a word saying a person was named within two words after them."""
        if self.near_cue(i, j) or any(t.text in _UNDOTTED_CUES for t in self.toks):
            return True
        return any(self.toks[k].text in _INITIAL_PERSON_AFTER for k in range(j + 1, min(len(self.toks), j + 3)))

    def _lower_initial_ok(self, hit: _Hit, k: int) -> bool:
        """"jane d", "roz o": a lower-case initial after a first name that is not a common word, ending the
        name (end of text, punctuation, or a lower-case word next), and not a one-letter word ("a", "i")."""
        if hit.form.initial_at != -1:
            return False
        # "ruth k from the leisure centre": a first name that is also a word needs a person word, or more
        # evidence judged with the other matches (name.initial_common: "ruth k" alone, "it's ruth k")
        hit.common_initial = hit.form.common and not self._person_after(k)
        if self.text[self.toks[k].start] in "aiAI" and not (
                k + 1 < len(self.toks) and self.toks[k + 1].text in _INITIAL_VERBS):
            return False  # "a"/"i" are words, unless a verb follows ("kayleigh a is on tiktok")
        gap = self.gap(k - 1, k)
        if gap.strip() or not gap:
            return False  # "jane.d", "jane-d" are something else
        if k + 1 < len(self.toks):
            after = self.gap(k, k + 1)
            if after.strip(" ,.;:!?") or "'" in after or "’" in after:
                return False  # "roz o'neill": another surname
        return True

    def _person_after(self, k: int) -> bool:
        """A word after a lower-case initial that says a person was named ("from", "who", "works")."""
        return (k + 1 < len(self.toks) and self.toks[k + 1].text in _INITIAL_PERSON_AFTER
                and (self.spaced_by_blank(k, k + 1) or self.gap(k, k + 1) in (". ", ".  ")))  # "jordan p. from"

    def _has_id_cue(self, hit: _Hit, registry: ProtectedRegistry) -> bool:
        if not self.text[hit.start : hit.end].isdigit():
            return False
        for k in range(hit.i - 1, max(-1, hit.i - 4), -1):
            word = self.toks[k].text
            if word in _ID_CUES or (hit.form.cue is not None and registry.digest(word) == hit.form.cue):
                return True
        return False

    def _weak_ok(self, hit: _Hit) -> bool:
        i, j, toks, n = hit.i, hit.j, self.toks, len(self.toks)
        spaced = any(t.spaced for t in toks[i : j + 1])
        informative = not (self.shouting or self.title_case)
        if (not (self.caps[i] or spaced or self.shouting) and hit.form.common
                and not (hit.form.kind in (FIRST_NAME, NICKNAME) and (
                    self.person_verb_subject(i, j) or self.equated(i, j, True) or self.equated_after(i, j)
                    or self.case_object(i, j)))):
            return False  # a lower-case common word ("prices rose"), not "grace walks the dog" (name.person_verbs)
        if hit.form.kind in (SURNAME, NICKNAME) and self.name_talk(j):
            return False  # "Lindqvist is a Swedish name, right?": the name, not the person
        if (hit.form.kind == SURNAME and j + 1 < n and self.spaced_by_blank(j, j + 1)
                and toks[j + 1].text in _STREET_AFTER):
            return False  # "lanyon quay car park", "off Kerslake Road": a place named after someone (name.street_after)
        if (hit.form.tie and hit.form.common and not spaced and self.sentence_initial(i)
                and not self._possessive_after(j) and not self.person_subject(j)
                and not self.person_verb_subject(i, j) and not self.equated_after(i, j)):
            return False  # "Will the court ...", "Hope the jury ...": a capital that only opens a sentence
        if hit.form.kind in (SURNAME, NICKNAME) and self._possessive_after(j) and j + 2 < n and (
                toks[j + 2].text in _BUSINESSES and self.spaced_by_blank(j + 1, j + 2)):
            return False  # "O'Neill's pub", "Kettleby's bakery": a business named after someone
        if (i > 1 and self.spaced_by_blank(i - 1, i) and self.spaced_by_blank(i - 2, i - 1) and self.caps[i - 1]
                and toks[i - 2].text in _OFFICIALS and toks[i - 1].text not in _TITLES | _CONNECTORS):
            return False  # "DCI Sarah Marsh", "Judge Fiona Hughes": an official in role, someone else
        if (i > 0 and self.gap(i - 1, i) == "-") or (j + 1 < n and self.gap(j, j + 1) == "-"):
            return False  # part of a hyphenated word ("Doe-ville", "Stoke-on-Trent")
        if i > 0 and toks[i - 1].text in _INDEFINITE and self.lower_word(i) and self.spaced_by_blank(i - 1, i):
            return False  # "a pike is a fish": a name does not take "a"
        # "Hilda's JCR", "Pike's Mercedes": a possessive owns the next word; "St Hilda's Church" is a place
        owned = (toks[j].text == "s" and j > i and self.gap(j - 1, j) in ("'", "’") and j + 1 < n
                 and toks[j + 1].text not in _PLACES_AFTER)
        if informative and j + 1 < n and self.spaced_by_blank(j, j + 1) and not owned:
            nxt = j + 1
            word = toks[nxt].text
            follower = word in _FOLLOWERS and hit.form.kind != IDENTIFIER_PART  # "the Baptiste boys", not a school
            if (self.caps[nxt] and not follower and word not in _TITLES and word not in _NOT_PROPER
                    and word != "i" and not (hit.form.kind == IDENTIFIER_PART and word in _SCHOOL_TYPES)
                    and not (len(word) == 1 and hit.form.kind in (FIRST_NAME, NICKNAME))):  # "Dem R": an initial
                return False  # the first word of a longer proper noun ("Doe Lane", "Doe Valley Council")
            if (word in _CONNECTORS and self.lower_word(nxt) and nxt + 1 < n
                    and self.spaced_by_blank(nxt, nxt + 1) and self.caps[nxt + 1]
                    and toks[nxt + 1].text not in _NOT_PROPER):
                return False  # "Trent and Mersey Canal"
        if informative and j + 1 < n and "&" in self.gap(j, j + 1) and self.caps[j + 1]:
            return False
        if (j + 2 < n and toks[j + 1].text in _VERSUS and self.lower_word(j + 1) and self.caps[j + 2]
                and self.spaced_by_blank(j, j + 1)):
            return False  # "Lindqvist v Sweden": a case name
        if i > 0 and self.spaced_by_blank(i - 1, i):
            prev = toks[i - 1].text
            if prev in _BENCH and hit.form.kind == SURNAME:
                return False  # "Judge Berg", "Lord Ballantyne", "the coroner Mr Justice Hale": the court itself
            if prev in _TITLES:
                hit.score = min(_TITLE_CAP, hit.score + AFTER_TITLE.score)  # "PC Trent", "Mr Baptiste"
            elif (informative and self.caps[i - 1] and prev in _PLACE_WORDS
                  and not (hit.form.kind in (FIRST_NAME, NICKNAME) and self.sentence_initial(i - 1))):
                return False  # the end of a place name ("River Trent", "Port Doe"), not a person ("Little Dem ...")
            elif (informative and prev in _CONNECTORS and self.lower_word(i - 1) and i > 1
                  and self.spaced_by_blank(i - 2, i - 1) and self.caps[i - 2] and not self.sentence_initial(i - 2)):
                return False  # "Burton upon Trent"
            elif prev == "the" and hit.form.kind != IDENTIFIER_PART and not hit.form.plural and not (
                j + 1 < n and len(self.gap(j, j + 1)) <= 2 and toks[j + 1].text in _FOLLOWERS
            ) and not (hit.form.kind == NICKNAME and hit.form.tie and self._possessive_after(j)):
                return False  # "the Trent flooded" is a river; "the Trent family", "the Baptiste girl" are people
        return True

    def whole_message(self, i: int, j: int) -> bool:
        """Whether every word outside tokens ``i..j`` is one of name.whole_message's fillers ("KESTREL", "poppy??")."""
        return all(t.text in _WHOLE_FILLERS for k, t in enumerate(self.toks) if not i <= k <= j)

    def described(self, i: int, j: int) -> bool:
        """A name opening its clause with a word of name.described after it ("kestrel with the purple coat")."""
        toks, n = self.toks, len(self.toks)
        if not (self.sentence_initial(i) or (i > 0 and toks[i - 1].text in _CLAUSE_OPENERS
                                             and self.spaced_by_blank(i - 1, i) and self.sentence_initial(i - 1))):
            return False
        if not (j + 2 < n and self.spaced_by_blank(j, j + 1) and toks[j + 1].text in _DESCRIBED
                and self.spaced_by_blank(j + 1, j + 2)):
            return False
        return toks[j + 1].text != "in" or toks[j + 2].text in _IN_AFTER

    def addressed(self, i: int, j: int) -> bool:
        """A name addressed (name.addressed): opening the message (after a greeting, perhaps), then punctuation
        and a second-person word within reach or a word of the rule ("Wenna if you're reading this, ...",
        "Kes, stay strong"); or closing it, after a second-person word or one of params.before ("we love you
        Wenna x", "sorry Wenna")."""
        toks, n = self.toks, len(self.toks)
        k = 0
        while k < i and toks[k].text in _ADDRESS_OPENERS:
            k += 1
        if k == i and j + 1 < n and not self.text[: toks[0].start].strip(" \t\"'*"):
            gap = self.gap(j, j + 1).strip()
            you = any(toks[q].text in _YOU for q in range(j + 1, min(n, j + 1 + _ADDRESS_REACH)))
            if gap and gap[0] in ",-–—!:;":
                return you or toks[j + 1].text in _ADDRESS_AFTER
            return not gap and toks[j + 1].text in _ADDRESS_AFTER and you
        if i == 0:
            return False
        last = n - 1
        while last > j and toks[last].text in _SIGN_OFFS:
            last -= 1
        if last != j:  # mid-message: a vocative closes its clause ("love you Toby, you're ...")
            gap = self.gap(j, j + 1).strip()
            return bool(gap) and gap[0] in ",.!;" and (
                toks[i - 1].text in _ADDRESS_BEFORE or toks[i - 1].text in _YOU)
        return toks[i - 1].text in _ADDRESS_BEFORE or any(
            toks[q].text in _YOU for q in range(max(0, i - _ADDRESS_REACH), i))

    def obliged(self, j: int) -> bool:
        """A verb of obligation or wish right after a name, then a verb only an agent does ("kit needs to stop
        posting", "kit should keep ..."; not "kit needs to be washed"): name.obliged_subject."""
        toks, n = self.toks, len(self.toks)
        k = j + 1
        if k >= n or not self.spaced_by_blank(j, k):
            return False
        while k + 1 < n and toks[k].text in _MODAL_SKIP and toks[k].text not in _TO_MODALS:
            k += 1  # "kit really needs to ..."
        if toks[k].text in _TO_MODALS and k + 1 < n and toks[k + 1].text == "to":
            k += 2
        elif toks[k].text in _MODALS:
            k += 1
        else:
            return False
        while k < n and toks[k].text in _MODAL_SKIP:
            k += 1
        return k < n and toks[k].text.isalpha() and toks[k].text not in _NOT_AGENT

    def name_talk(self, j: int) -> bool:
        """Whether the words after a name talk about the name itself ("Elowen is such a pretty name", "Hughes
        and Rees are common surnames"), not about someone by it ("Lindqvist, that's the name going round")."""
        for k in range(j + 1, min(len(self.toks), j + 7)):
            if self.toks[k].text in _NAME_WORDS:
                return self.toks[k - 1].text not in _NAME_OWNERS
        return False

    def about_someone(self, j: int) -> bool:
        """Whether the text talks about a person: a possessive after the name, or a third-person pronoun."""
        return self._possessive_after(j) or _PERSONAL.search(self.text) is not None

    def pronoun_after(self, j: int, pronouns: Collection[str] = ()) -> bool:
        """A she/he pronoun after a name, later in its sentence or among the first words of the next
        (``name.person_pronouns``: ``reach`` and ``next`` words; ``pronouns`` instead of its words when given)."""
        toks = self.toks
        wanted = pronouns or _PERSON_PRONOUNS
        for k in range(j + 1, min(len(toks), j + 1 + _PRONOUN_REACH)):
            gap = self.gap(k - 1, k)
            if k == j + 1 and toks[j].spaced:
                gap = gap.lstrip(".")  # the dot of "E.S." ends the initials, not the sentence
            if _SENTENCE_END.search(gap):  # the name's sentence ended: the next one's opening
                for q in range(k, min(len(toks), k + _PRONOUN_NEXT)):
                    if q > k and _SENTENCE_END.search(self.gap(q - 1, q)):
                        return False
                    if toks[q].text in wanted:
                        return True
                return False
            if toks[k].text in wanted:
                return True
        return False

    def person_after_initials(self, j: int) -> bool:
        """"K.D. works at ...", "K.D. from ...": a word after dotted initials that says a person was named
        (``name.initial_person_after``)."""
        if j + 1 >= len(self.toks):
            return False
        gap = self.gap(j, j + 1).lstrip(".")
        return bool(gap) and gap.isspace() and self.toks[j + 1].text in _INITIAL_PERSON_AFTER

    def fiction_near(self, i: int, j: int) -> bool:
        """A word for a show, book or film character near a name (``name.fiction``)."""
        lo, hi = max(0, i - _FICTION_REACH), min(len(self.toks), j + 1 + _FICTION_REACH)
        return any(self.toks[k].text in _FICTION for k in range(lo, hi) if not i <= k <= j)

    def person_subject(self, j: int) -> bool:
        """A name that is also a word, as the subject of a clause about a person: a subject verb right after
        it and a she/he pronoun on ("Hope only passed her test", not "Hope the jury ...")."""
        return (j + 1 < len(self.toks) and self.toks[j + 1].text in _SUBJECT_VERBS
                and self.spaced_by_blank(j, j + 1) and self.pronoun_after(j))

    def person_verb_subject(self, i: int, j: int) -> bool:
        """A first name opening a clause (or after an opener: "honestly grace works ...") with a verb only a
        person does right after it ("walks", "coaches"), "was seen", or "'s the (tall) one"
        (``name.person_verbs``), or a subject verb and an object pronoun on (:meth:`object_pronoun_after`): someone
        talked about by that name, even in lower case."""
        toks, n = self.toks, len(self.toks)
        if not (self.sentence_initial(i) or (i > 0 and toks[i - 1].text in _CLAUSE_OPENERS
                                             and self.spaced_by_blank(i - 1, i) and self.sentence_initial(i - 1))):
            return False
        if j + 1 < n and self.spaced_by_blank(j, j + 1):
            word = toks[j + 1].text
            if word in _PERSON_VERBS or self.obliged(j):
                return True
            if word in _SUBJECT_VERBS and self.object_pronoun_after(j):  # "grace has been through enough, leave her be"
                return True
            return (word in _SEEN_AUX and j + 2 < n and self.spaced_by_blank(j + 1, j + 2)
                    and toks[j + 2].text in _SEEN)
        if self._possessive_after(j) and j + 2 < n and toks[j + 2].text == "the":
            return any(toks[k].text == "one" for k in range(j + 3, min(n, j + 6)))  # "X's the tall one"
        return self.relative_owned(j, _OWNED_RELATIVES)  # "grace's older brother drives ...": only a person has one

    def equated(self, i: int, j: int, common: bool) -> bool:
        """A name equated to a party (``name.equated``): right after a copula (one adverb may stand between)
        whose subject, in the same clause, refers to a party ("one of the girls is X", "the lad who got hurt
        is X", "the first one is X"), or after "it's"/"that's". A name that is also a word, and any name after
        "it's", must end its clause there or go on with one of the rule's words ("it's X from the flats")."""
        toks = self.toks
        k = i - 1
        if k >= 0 and toks[k].text in _EQ_ADVERBS and self.spaced_by_blank(k, k + 1):
            k -= 1
        if k >= 0 and toks[k].text in _EQ_CONTRACTED and self.spaced_by_blank(k, k + 1) and (
                k == 0 or _EQ_CLAUSE.search(self.gap(k - 1, k))):
            return self._clause_ends(j)  # "its kit", "thats kit, the one in the video": "it's" unwritten
        if k < 1:
            return False
        if toks[k].text == "s" and self.gap(k - 1, k) in ("'", "’"):
            pass  # "it's X", "the older one's X"
        elif not (toks[k].text in _EQ_COPULAS and self.spaced_by_blank(k - 1, k) and self.spaced_by_blank(k, k + 1)):
            return False
        end = k - 1  # the subject's last word
        start = end
        while start > 0 and end - start < _EQ_REACH and not _EQ_CLAUSE.search(self.gap(start - 1, start)):
            start -= 1
        if _EQ_CLAUSE.search(self.gap(start - 1, start)) if start > 0 else False:
            pass
        elif start > 0:
            return False  # the subject runs further back than the rule reaches
        subject = [t.text for t in toks[start : end + 1]]
        while len(subject) > 1 and subject[0] in _CLAUSE_OPENERS:
            subject = subject[1:]  # "yeah it was X", "honestly the girl is X"
        ends = self._clause_ends(j)
        if len(subject) == 1 and subject[0] in _EQ_DEICTIC:
            return ends
        if len(subject) > 1 and subject[-1] in _EQ_DEICTIC and subject[-2] in _EQ_KNOWING:
            return ends  # "everyone knows it was X", "i reckon it's X"
        if any(w in _OWNERS for w in subject):
            return False  # "my daughter is X": the poster's own
        # a party that owns something else is not the subject ("Pupil B's email is ...", "the girl's dog is ..."):
        # only the words after such a possessive count ("the girl's mum is ..." keeps the mum)
        for q in range(end - 1, start, -1):
            if toks[q].text == "s" and self.gap(q - 1, q) in ("'", "’") and toks[q + 1].text not in _EQ_NOUNS:
                subject = [t.text for t in toks[q + 1 : end + 1]]
                break
        party = any(w in _EQ_NOUNS or w in self.label_nouns for w in subject) or any(
            subject[q] == "the" and subject[q + 2] == "one" for q in range(len(subject) - 2))  # "the first one"
        return party and (ends or not common)

    def equated_after(self, i: int, j: int) -> bool:
        """The other way round (``name.equated``): a name opening its clause, a copula, then a party within
        params.reach words ("kit's the younger one", "poppy was the girl who saw it", "tyler is one of the
        lads"), with no clause break between."""
        toks, n = self.toks, len(self.toks)
        if not (i == 0 or _EQ_CLAUSE.search(self.gap(i - 1, i)) or (
                toks[i - 1].text in _CLAUSE_OPENERS and self.spaced_by_blank(i - 1, i)
                and (i == 1 or _EQ_CLAUSE.search(self.gap(i - 2, i - 1))))):
            return False
        k = j + 1
        if k >= n:
            return False
        if toks[k].text == "s" and self.gap(j, k) in ("'", "’"):
            pass
        elif not (toks[k].text in _EQ_COPULAS and (self.spaced_by_blank(j, k) or (
                toks[j].spaced and self.gap(j, k).startswith(".") and self.gap(j, k)[1:3].strip() == ""
                and self.gap(j, k)[1:].isspace()))):  # "K.H. is the girl": the initials' last dot
            return False
        words = []
        for q in range(k + 1, min(n, k + 1 + _EQ_AFTER_REACH)):
            if _EQ_CLAUSE.search(self.gap(q - 1, q)):
                break
            words.append(toks[q].text)
        if not words or words[0] not in ("the", "one", "that", "this"):
            return False  # "X is a lovely name", "X was there": a party is said with "the" or "one of the"
        return any(w in _EQ_NOUNS or w in self.label_nouns for w in words) or any(
            words[q] == "the" and words[q + 2] == "one" for q in range(len(words) - 2))

    def _clause_ends(self, j: int) -> bool:
        """The words ``..j`` end their clause: the end, punctuation, or a word of ``name.equated`` params.after."""
        if j + 1 >= len(self.toks):
            return True
        gap = self.gap(j, j + 1)
        if gap in (".", "@", "_", "-"):
            return False  # "brook.dlc2008", "brook_x": part of an address or handle, not a name ending its clause
        if _EQ_CLAUSE.search(gap) or "-" in gap:
            return True
        return gap.isspace() and self.toks[j + 1].text in _EQ_AFTER

    def object_pronoun_after(self, j: int) -> bool:
        """An object or possessive she/he pronoun (``name.person_verbs`` params.objects) later in the name's own
        sentence: "hope has been through enough, leave her alone" refers back; "hope has gone, he ..." has a new
        subject."""
        for k in range(j + 1, min(len(self.toks), j + 1 + _PRONOUN_REACH)):
            if _SENTENCE_END.search(self.gap(k - 1, k)):
                return False
            if self.toks[k].text in _OBJECT_PRONOUNS:
                return True
        return False

    def _possessive_after(self, j: int) -> bool:
        gap = self.gap(j, j + 1).lstrip(".") if j + 1 < len(self.toks) and self.toks[j].spaced else (
            self.gap(j, j + 1) if j + 1 < len(self.toks) else "")
        return j + 1 < len(self.toks) and self.toks[j + 1].text == "s" and gap in ("'", "’")  # "A.J.'s" too

    def case_object(self, i: int, j: int) -> bool:
        """A name right after a word whose object in a case is a person (``name.case_object``: "against",
        "believes", "groomed"), ending its clause there or after a word of params.after, or after "against"
        with a case noun before it ("the case against kit collapsed")."""
        toks, n = self.toks, len(self.toks)
        if i == 0 or toks[i - 1].text not in _CASE_OBJECT or not self.spaced_by_blank(i - 1, i):
            return False
        if toks[i - 1].text == "on" and not (i > 1 and toks[i - 2].text in _CASE_ON_VERBS):
            return False  # "turning on kit", not "put the kettle on kit"
        if toks[i - 1].text == "against" and i > 1 and toks[i - 2].text in _CASE_NOUNS and self.spaced_by_blank(
                i - 2, i - 1):
            return True
        if j + 1 >= n:
            return True
        gap = self.gap(j, j + 1)
        if gap in (".", "@", "_", "-") or "'" in gap or "’" in gap:
            return False  # part of an address, a handle, a possessive
        if _EQ_CLAUSE.search(gap):
            return True
        return gap.isspace() and toks[j + 1].text in _CASE_OBJECT_AFTER

    def initial_evidence(self, i: int, j: int) -> bool:
        """What makes a common first name and a lower-case initial the name (``name.initial_common``): the
        whole message; equated to a party or after "it's"; or opening the message with only figures and words
        English rarely uses after it (a town, a collar number: at most params.tail of them)."""
        if self.whole_message(i, j) or self.equated(i, j, True) or self.equated_after(i, j):
            return True
        if any(t.text not in _WHOLE_FILLERS for t in self.toks[:i]):
            return False
        tail = [self.text[t.start : t.end].casefold() for t in self.toks[j + 1 :] if t.text not in _WHOLE_FILLERS]
        if not tail or len(tail) > _INITIAL_TAIL:
            return False
        gap = self.gap(j, j + 1)
        if not gap or not (gap.isspace() or gap.strip() in (",", "-", "–", "/")):
            return False
        return all(w.isdigit() or (w.isalpha() and len(w) > 2 and _zipf(w) < _INITIAL_TAIL_ZIPF) for w in tail)

    def near_cue(self, i: int, j: int) -> bool:
        # four words before, five after ("X is such a sweet kid", "X was a lovely little girl")
        lo, hi = max(0, i - 4), min(len(self.toks), j + 6)
        if any(self.toks[k].text in _TIE_CUES for k in range(lo, hi) if not i <= k <= j):
            return True
        if any(self.toks[k].text in _TIE_CUES_BEFORE for k in range(lo, i)):  # "her name is ..."
            return True
        # further on in the same sentence, a noun for a child ("X was always first at training, lovely girl")
        for k in range(j + 1, min(len(self.toks), j + 1 + _SENTENCE_REACH)):
            if any(ch in ".!?\n" for ch in self.gap(k - 1, k)):
                return False
            if self.toks[k].text in _TIE_CUES_SENTENCE:
                return True
        return False

    def placement(self, hit: _Hit) -> list[str]:
        start = self.text.rfind(" ", 0, hit.start) + 1
        end = self.text.find(" ", hit.end)
        chunk = self.text[start : end if end >= 0 else len(self.text)]
        where = []
        if "/" in chunk and "." in chunk:
            where.append("inside a link")
        elif chunk.startswith("#"):
            where.append("in a hashtag")
        elif chunk.startswith("@") and hit.form.kind not in (HANDLE, HANDLE_STEM):
            where.append("as a handle")
        if hit.inner is not None and not where:
            where.append("run together with other text")
        return where


class _LazyCaps:
    """Whether each token starts with a capital letter, worked out on first use."""

    def __init__(self, text: str, toks: list[Token]) -> None:
        self.text, self.toks = text, toks
        self.known: dict[int, bool] = {}

    def __getitem__(self, k: int) -> bool:
        hit = self.known.get(k)
        if hit is None:
            hit = self.known[k] = _is_cap(self.text, self.toks[k])
        return hit


def _is_cap(text: str, tok: Token) -> bool:
    for ch in text[tok.start : tok.end]:
        if ch.isalpha():
            return ch.isupper()
    return False


def _has_alpha(text: str, tok: Token) -> bool:
    """Whether a token holds a letter (circled or other letter-like symbols count: "ⓢⓤⓜ")."""
    return any(ch.isalpha() or (not ch.isascii() and unicodedata.normalize("NFKD", ch).isalpha())
               for ch in text[tok.start : tok.end])


def _resolve_overlaps(matches: list[ProtectedMatch]) -> list[ProtectedMatch]:
    """Drop a match covered by a stronger or longer one (a surname inside a full name)."""
    ranked = sorted(matches, key=lambda m: (-m.score, -(m.end - m.start), m.start))
    starts: list[int] = []  # kept matches, ordered by start, for a bounded look-back
    kept: list[ProtectedMatch] = []
    longest = 0
    for m in ranked:
        covered = False
        k = bisect.bisect_right(starts, m.start) - 1
        while k >= 0 and starts[k] >= m.start - longest:
            c = kept[k]
            if m.end <= c.end and (c.end - c.start > m.end - m.start or c.score > m.score or c.label == m.label):
                covered = True
                break
            k -= 1
        if not covered:
            at = bisect.bisect_right(starts, m.start)
            starts.insert(at, m.start)
            kept.insert(at, m)
            longest = max(longest, m.end - m.start)
    return sorted(kept, key=lambda m: (m.start, m.end, m.label))
