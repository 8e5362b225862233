"""Who a message is about: references to a third party (ties) and to the writer (self-reference).

A detail matters when it is tied to a protected party ("the girl", "the victim's dad", the case's own
labels) and not when people speak about themselves ("my son is the same age"). Every ``who`` string is
built from this module's fixed vocabulary or a case label, never from the message text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from bot.recognizers.base import any_word, vocab
from bot.rules.loader import shipped_rules
from bot.rules.model import Strength

_RULES = shipped_rules()
CHILD_NOUNS = dict(_RULES["tie.child_nouns"].mapping)
PARTY_NOUNS = dict(_RULES["tie.party_nouns"].mapping)
OFFICER_NOUNS = dict(_RULES["tie.officer_nouns"].mapping)
SPORT_NOUNS = dict(_RULES["tie.sport_nouns"].mapping)  # "the netballer", "the keeper": a player in the case
NOUNS = {**CHILD_NOUNS, **PARTY_NOUNS, **OFFICER_NOUNS, **SPORT_NOUNS}
RELATIVES = dict(_RULES["tie.relatives"].mapping)
# "her older brother", "his step-mum"
_MOD = "|".join(re.escape(w) for w in _RULES["tie.relative_modifiers"].words)
_REL = "|".join(sorted((re.escape(r) for r in RELATIVES), key=len, reverse=True))
_NOUN = "|".join(sorted(NOUNS, key=len, reverse=True))
_DET = (r"(?:" + "|".join(re.escape(w) for w in _RULES["tie.child_nouns"].words_param("determiners"))
        + r")\s+(?:[\w-]+\s+){0,2}?")
NOUN_TIE = re.compile(r"\b" + _DET + r"(" + _NOUN + r")(?:s)?(?:'s|’s|s'|s’)?(?!\w)", re.IGNORECASE)
# "the girl's mum", "the complainant's sister", "her dad", "his stepmum", "their nan"
RELATIVE_TIE = re.compile(
    r"(?:\b" + _DET + r"(" + _NOUN + r")(?:'s|’s|s'|s’)|\b(her|his|their|hers|whose|"
    r"(?:she|he|they)(?:(?:'s|’s|'ve|’ve)\s+got|\s+has|\s+have)(?:\s+got)?\s+(?:a|an|two|three|four)))\s+"
    r"(?:(?:" + _MOD + r")[- ]?)?(" + _REL + r")(?:'s|’s|s)?(?!\w)",
    re.IGNORECASE,
)
_NOUN_WORDS = vocab(*NOUNS, *(noun + "s" for noun in NOUNS))  # the pre-check sees "kids" as well as "kid"
_RELATIVE_WORDS = vocab(*RELATIVES, *(rel + "s" for rel in RELATIVES))
REL_AFTER = re.compile(r"\s+(?:(?:" + _MOD + r")[- ]?)?(" + _REL + r")(?!\w)",
                       re.IGNORECASE)
NOUN_OF_OTHER = _RULES["tie.noun_of_other"].regexes[0]  # "the brother of the defendant": whose relative
PREDICATE_BEFORE = _RULES["tie.predicate_before"].regexes[0]  # "Sherratt was the keeper": says what he is
REPORTING = _RULES["tie.reporting"].regexes[0]  # "his family said ...": a source quoted, not a relative
PRONOUN = _RULES["tie.pronouns"].regexes[0]
ZERO_SUBJECT = _RULES["tie.zero_subject"].regexes  # "drives the silver Astra ...": no subject at all
#: how many earlier messages of a thread (any author) are read to find whom a pronoun refers to
SALIENCE_WINDOW = _RULES["tie.pronouns"].int_param("window_messages", 6)
#: how many earlier messages of a thread are read to learn which pronoun a named public party has been given
GENDER_WINDOW = max(SALIENCE_WINDOW, _RULES["tie.pronouns"].int_param("gender_window_messages", 40))
_FEMALE, _MALE = _RULES["tie.gender_female"].word_set, _RULES["tie.gender_male"].word_set
_WORDS = re.compile(r"[a-z]+")
_POSSESSIVE = frozenset({"her", "his", "their"})
ORGANISATION = _RULES["tie.organisation"].regexes[0]  # a public party that cannot be "she" or "he"
HONORIFIC = _RULES["tie.honorific"].regexes[0]  # "Mr " just before a public party's name: whose pronoun
_OWNER = _RULES["tie.possessor"]
POSSESSOR = _OWNER.regexes[0]  # "their takeaway": whose place a detail is
POSSESSOR_REACH = _OWNER.int_param("before", 12)  # how far before a detail its possessive may stand
PLURAL = _RULES["tie.plural_party"].regexes[0]  # "the twins", "the family": a party "their" may refer to
FAMILY_HOME = _RULES["tie.family_home"].regexes[0]
ORDINAL_ONE = _RULES["tie.ordinal_one"].regexes[0]
# "the older girl", "younger one's stepdad": a party described by its age rank (tie.age_rank)
_AGE_RANK = _RULES["tie.age_rank"]
AGE_RANK = _AGE_RANK.regexes[0]
_OLDER, _YOUNGER = frozenset(_AGE_RANK.words_param("older")), frozenset(_AGE_RANK.words_param("younger"))
_RANK_WORDS = vocab(*_OLDER, *_YOUNGER)
# "the injured lad", "the lad who got stabbed", "the girl who filmed it": the role a description names
_ROLE = _RULES["tie.described_role"]
ROLE_CLAUSE = _ROLE.regexes[0]
ROLE_WORDS = {role: frozenset(_ROLE.words_param(role)) for role in _ROLE.params}
_LETTERS = re.compile(r"[a-z]+")
# "passenger lad's mam ...": a label's head opening a clause with no article (tie.bare_label_head: what follows it)
BARE_HEAD_AFTER = _RULES["tie.bare_label_head"].regexes[0]
_COMPOUND = _RULES["tie.label_compound"]
_COMPOUND_PERSONS = _COMPOUND.words
_COMPOUND_GENERIC = frozenset(_COMPOUND.words_param("generic"))
_COMPOUND_MIN = _COMPOUND.int_param("min_letters", 4)
_LABEL_CLAUSE = re.compile(r"\s+(?:" + "|".join(_RULES["tie.label_clause"].words) + r")\s", re.IGNORECASE)
SELF = _RULES["tie.self"].regexes[0]
# "I think", "I heard", "I'm told": the writer hedging a claim about someone else, not talking about themselves
HEDGE = _RULES["tie.hedge"].regexes[0]
SELF_RELATIVE = re.compile(r"\b(?:my|our)\s+(?:(?:" + _MOD + r")[- ]?)?(?:"
                           + _REL + r")\b", re.IGNORECASE)
SENTENCE_END = _RULES["tie.sentence_end"].regexes[0]
_CHILDISH, _VICTIMISH = _RULES["tie.basis_child"].regexes[0], _RULES["tie.basis_victim"].regexes[0]
_OFFICERISH = _RULES["tie.basis_officer"].regexes[0]
VICTIM_NOUNS = _RULES["tie.victim_nouns"].word_set
# "Dunlop lived at ...", "Gareth Pugh lives ...": a capitalised name opening a sentence about where someone
# lives or works (the protected detector's own matches are stronger ties and win)
NAMED_SUBJECT = _RULES["tie.named_subject"].regexes[0]
NOT_A_NAME = _RULES["tie.not_a_name"].word_set
_FIRST_WORD = re.compile(r"\w+")
# A code standing for a person: letters and digits together ("W80", "NX34", "A1").
CIPHER = _RULES["tie.cipher"].regexes[0]
#: Where a label's name part ends ("Witness W, the whistle-blower", "Officer B (firearms)").
_LABEL_NAME_END = re.compile(r"\s*[,;(]\s*|\s+-\s+")
# People in the case who are not protected (the accused, the lawyers, the judge, the school's staff): a
# detail said of one of them ("the teacher's wife works at the library") is not about a protected party.
OTHER_NOUNS = _RULES["tie.other_nouns"].words
_OTHER_WORDS = vocab(*OTHER_NOUNS)
# The accused, when the case protects them (a youth defendant): then these words are the party, not others.
DEFENDANT_NOUNS = _RULES["tie.defendant_nouns"].words
_DEFENDANTISH = _RULES["tie.basis_defendant"].regexes[0]
_DEFENDANT_WORDS = vocab(*DEFENDANT_NOUNS)
DEFENDANT_TIE = re.compile(
    r"\b" + _DET + r"(" + "|".join(DEFENDANT_NOUNS) + r")(?:s)?((?:'s|’s|s'|s’)(?:\s+(?:(?:" + _MOD + r")[- ]?)?("
    + _REL + r"))?)?(?!\w)",
    re.IGNORECASE,
)
# Slang for an informant or prosecution witness ("the grass", "that snitch"): the case's witness, when it
# protects one. "on the grass" and the like are the lawn.
INFORMANT_NOUNS = _RULES["tie.informant_nouns"].words
_WITNESSISH = _RULES["tie.basis_witness"].regexes[0]
_INFORMANT_WORDS = vocab(*INFORMANT_NOUNS)
INFORMANT_TIE = re.compile(
    "".join(rf"(?<!\b{re.escape(w)}\s)" for w in _RULES["tie.informant_not_after"].words)
    + r"\b(?:the|that|this|said)\s+(" + "|".join(INFORMANT_NOUNS) + r")((?:'s|’s)(?:\s+(?:(?:" + _MOD + r")[- ]?)?("
    + _REL + r"))?)?(?!\w)",
    re.IGNORECASE,
)
# "the 15-year-old" standing alone for a child ("the 14-year-old pupil" is a noun tie already)
_AGED = _RULES["tie.aged_child"]
AGED_TIE = _AGED.regexes[0]
# "14, ginger, lives by the park": a bare child's age opening a clause; and the ages parties' bases state
LEADING_AGE = _RULES["tie.leading_age"].regexes[0]
BASIS_AGE = _RULES["tie.basis_age"].regexes[0]
PERSONA = _RULES["tie.persona_age"].regexes[0]  # "posed as a 12-year-old": not the party's own age
#: short forms of a label's role word ("the UC" for "the undercover officer ..."; tie.label_role_short)
ROLE_SHORT = dict(_RULES["tie.label_role_short"].mapping)


def _own_ages(text: str, pattern: re.Pattern[str] = BASIS_AGE) -> list[re.Match[str]]:
    """The ages a label or basis states as its party's own (tie.basis_age, or tie.rank_age for any age), not a
    persona's (tie.persona_age)."""
    return [m for m in pattern.finditer(text) if not PERSONA.search(text, max(0, m.start() - 60), m.start())]
_DIGIT = re.compile(r"\d")
TITLE_ACCUSED = _RULES["tie.title_accused"]
_CLIP_FROM = TITLE_ACCUSED.int_param("clip_from", 12)
_CLIP = TITLE_ACCUSED.int_param("clip", 6)
_TITLE_GENERIC = frozenset(TITLE_ACCUSED.words_param("generic"))
_TITLE_YOUNG = frozenset(TITLE_ACCUSED.words_param("young"))
# "one of them", "the one from the canteen": one of the case's parties, in a case that protects two or more
_GROUP = _RULES["tie.group_member"]
GROUP_MEMBER = _GROUP.regexes[0]
GROUP_LETTER = _RULES["tie.group_letter"].regexes[0]  # "one of the witnesses - C I think -"
GROUP_OF_LABEL = _RULES["tie.group_of_label"].regexes[0]  # "one of the pickers": a label's head in the plural
RANK_AGE = _RULES["tie.rank_age"].regexes[0]  # any age a label states, for youngest / eldest
_GROUP_NOT_CLAUSE = frozenset(_GROUP.words_param("not_clause"))
# "the ex", "his ex's new fella", "the lass he was seeing": the party whose label or basis names a relationship
_FORMER = _RULES["tie.former_partner"]
FORMER_PARTNER = _FORMER.regexes[0]
_PARTNER_CUES = re.compile(str(_FORMER.params["cues"]), re.IGNORECASE)
_REFERENT_HEAD = re.compile(str(_FORMER.params["head"]), re.IGNORECASE)
_PARTNER_OF = re.compile(str(_FORMER.params["partner_of"]), re.IGNORECASE)
# "the one who did it", "whoever did it": the accused (the party only when the case protects its defendant)
_OFFENDER = _RULES["tie.offender_clause"]
OFFENDER = _OFFENDER.regexes[0]
# "the court heard ...", "prosecutors said ...", "told the Mail ...": a sentence reporting the court or the press;
# and words in such a sentence that say where someone is now
_REPORT, _REPORT_NOW = _RULES["tie.court_report"], _RULES["tie.court_report_now"]
#: whom a group-member tie names when it does not say which party ("one of them")
GROUP_PARTY = "one of the case's parties"
_THEM = re.compile(r"\bthem\b", re.IGNORECASE)


def says_them(text: str, tie: Tie) -> bool:
    """Whether ``tie`` is a group-member tie through "them" ("one of them"): whom "them" are, the thread says."""
    return tie.who == GROUP_PARTY and tie.label is None and _THEM.search(text, tie.start, tie.end) is not None


OTHER_TIE = re.compile(
    r"\b(?:the|that|this|said|these|those|her|his|their)\s+(?:[\w-]+\s+)?("
    + "|".join(sorted(OTHER_NOUNS, key=len, reverse=True)) + r")(?:s)?(?:'s|’s|s'|s’)?(?!\w)",
    re.IGNORECASE,
)


def accused_nouns(title: str, parties: Sequence[tuple[str, str]] = ()) -> list[str]:
    """``tie.title_accused``: the head nouns of the people a case's title says are accused ("physiotherapist"
    of "Sports physiotherapist, 45, denies ..."), never a child or relative noun or a protected label's word."""
    m = TITLE_ACCUSED.regexes[0].match(title)
    if m is None:
        return []
    protected = {w.lower() for label, _ in parties for w in re.findall(r"[\w'’-]+", label)}
    relatives = set(RELATIVES) | {r.removeprefix("the ") for r in RELATIVES.values()}
    heads = []
    for phrase in m.groups():
        if not phrase or any(w.lower() in _TITLE_YOUNG for w in phrase.split()):
            continue  # "teenage walker": a young defendant, whom the case may protect
        head = phrase.split()[-1].lower().strip("'’")
        single = head[:-1] if head.endswith("s") and not head.endswith("ss") and len(head) > 4 else head  # "carers"
        if (len(single) >= 3 and single.isalpha() and not {head, single} & (set(NOUNS) | relatives | protected
                                                                          | _TITLE_GENERIC)):
            heads.append(single)
    return list(dict.fromkeys(heads))


def _not_a_name(words: str) -> bool:
    first = _FIRST_WORD.match(words)
    return first is not None and first.group() in NOT_A_NAME


#: whom a tie names until a case label resolves it
THIRD_PARTY = "a third party"


@dataclass(frozen=True, slots=True)
class Tie:
    """A reference to someone other than the writer."""

    start: int
    end: int
    who: str  # "the pupil", "the girl's mother", "a third party": vocabulary or case label only
    strength: Strength  # DECISIVE a named party or label, STRONG a party noun or a party's relative, MEDIUM a
    # third party's relative ("her dad"), WEAK a pronoun
    label: str | None = None  # the case label it resolves to, when it does
    relative: bool = False
    implied: bool = False  # no words of its own: a sentence with no subject, whose verb opens its detail

    @property
    def unresolved(self) -> bool:
        """A pronoun or a third party's relative ("she", "her nan's") that no case label resolves yet."""
        return self.label is None and self.who.startswith(THIRD_PARTY)

    def resolved_to(self, label: str) -> Tie:
        """This tie pointed at the party ``label`` ("a third party's nan" -> "the girl's nan")."""
        return replace(self, who=self.who.replace(THIRD_PARTY, label, 1), label=label)

    @property
    def definite(self) -> bool:
        """Whether it says who is meant (a name, a label, a party noun, a relative), not only "she"."""
        return self.strength >= Strength.MEDIUM

    @property
    def weight(self) -> float:
        """How surely the tie points at a protected party (0..1), for a finding's confidence."""
        return TIE_WEIGHT[self.strength]


#: the one place a tie's named strength becomes a number
TIE_WEIGHT = {Strength.DECISIVE: 1.0, Strength.STRONG: 0.9, Strength.MEDIUM: 0.8, Strength.WEAK: 0.6,
              Strength.HINT: 0.4}


class TieFinder:
    """Finds ties in text, knowing the case's labels ("the pupil", "the care worker")."""

    def __init__(self, parties: Sequence[tuple[str, str]] = (), accused: Sequence[str] = ()) -> None:
        """``parties``: (label, basis) of each protected party; ``accused``: the head nouns of the people
        the case's title says are accused (:func:`accused_nouns`): details said of them are not evidence."""
        self.parties = list(parties)
        forms = [re.escape(a) for a in accused]
        forms += [re.escape(a[:_CLIP]) + r"\w*" for a in accused if len(a) >= _CLIP_FROM]  # "physio"
        self.accused_tie = re.compile(
            r"(?:\b(?:the|that|this|said)|,\s*an?)\s+(?:[\w-]+\s+)?(" + "|".join(forms)
            + r")(?:s)?(?:'s|’s|s'|s’)?(?!\w)", re.IGNORECASE) if forms else None
        heads: dict[str, str] = {}
        for label, _basis in self.parties:
            head = re.sub(r"^(?:the|a|an)\s+", "", label.strip(), flags=re.IGNORECASE)
            if head:
                heads[head.lower()] = label
                # "the apprentice who filmed it": the noun before a clause that describes the party is its
                # head; the clause's own last word ("the dog" of "the boy who walked the dog") is someone else
                cut = _LABEL_CLAUSE.split(head, maxsplit=1)[0].strip().lower()
                if cut and cut != head.lower() and cut not in heads and len(cut) > 2:
                    heads[cut] = label
                last = cut.split()[-1] if cut else ""
                if last not in heads and len(last) > 2 and last.isalpha():
                    heads[last] = label
        for label, _basis in self.parties:
            words = label.strip().split()
            # "Sergeant C", "Officer B", "Pupil A": "the sergeant" is that party
            if len(words) == 2 and (CIPHER.fullmatch(words[1]) or re.fullmatch(r"[A-Z]", words[1])):
                heads.setdefault(words[0].lower(), label.strip())
        for label, _basis in self.parties:
            said = set(_LETTERS.findall(label.lower()))
            for short, word in ROLE_SHORT.items():  # "the UC", "the undercover" (tie.label_role_short)
                if word in said:
                    heads.setdefault(short, label.strip())
        self.label_heads = heads
        # "the allotment witness": its earlier content nouns refer to the party too, with a person noun after
        # them or a relative they own ("the allotment bloke", "the detainee's mum"; tie.label_compound)
        compound: dict[str, str] = {}
        for label, _basis in self.parties:
            words = _LABEL_CLAUSE.split(re.sub(r"^(?:the|a|an)\s+", "", label.strip(), flags=re.IGNORECASE),
                                        maxsplit=1)[0].lower().split()
            for word in words[:-1]:
                if (len(word) >= _COMPOUND_MIN and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", word)
                        and word not in _COMPOUND_GENERIC and word not in NOUNS and word not in heads):
                    compound.setdefault(word, label.strip())
        self.compound_heads = {word.replace("-", ""): lab for word, lab in compound.items()}
        self.compound_words = vocab(*compound, *self.compound_heads)  # the pre-check ("care home", "carehome")
        self.compound_tie = (
            re.compile(r"\b(?:the|that|this)\s+(" + "|".join(
                re.escape(w).replace(r"\-", "[- ]?") for w in sorted(compound, key=len, reverse=True))
                + r")(?:[- ]+(?:" + "|".join(_COMPOUND_PERSONS) + r")(?:'s|’s)?(?!\w)|(?=(?:'s|’s)" + REL_AFTER.pattern
                + r"))", re.IGNORECASE)
            if compound else None
        )
        # labels used as names ("Child A", "Officer B", "Witness 1", "Witness W, the whistle-blower": the name
        # before a comma or bracket) are ties without an article
        names: dict[str, str] = {}  # bare name -> the case label
        for label, _basis in self.parties:
            name = _LABEL_NAME_END.split(label.strip(), maxsplit=1)[0].strip()
            if name and not re.match(r"(?:the|a|an)\s", name, re.IGNORECASE):
                names.setdefault(name, label.strip())
        # a cipher in a label is used alone too: "W80" for "Officer W80", "NX34" for "the officer NX34", "N19" for
        # "the anonymised officer (N19)"
        for label, _basis in self.parties:
            for word in label.split()[1:]:
                word = word.strip("()[],;:.'\"")
                if CIPHER.fullmatch(word) and word.lower() not in (b.lower() for b in names):
                    names[word] = label.strip()
        bare = list(names)
        self.bare_tie = (
            re.compile(r"(?<!\w)(" + "|".join(re.escape(b) for b in sorted(bare, key=len, reverse=True))
                       + r")(?:'s|’s)?(?!\w)", re.IGNORECASE)
            if bare else None
        )
        self.bare_labels = {b.lower(): names[b] for b in bare}
        # "one of the witnesses - C I think -": the letter of a label used as a name ("Witness C"), set apart
        letters: dict[str, list[str]] = {}
        for b, lab in names.items():
            last = b.split()[-1]
            if len(b.split()) > 1 and len(last) == 1 and last.isupper():
                letters.setdefault(last, []).append(lab)
        self.letter_labels = {k: v[0] for k, v in letters.items() if len(v) == 1}
        self.label_words = vocab(*heads, *bare)
        # the age each party's basis states ("14-year-old complainant"); an age two parties share says no one
        stated: dict[str, list[str]] = {}
        for label, basis in self.parties:
            for m in _own_ages(f"{label} {basis}"):
                stated.setdefault(m.group(1) or m.group(2), []).append(label)
        self.ages = {age: labels[0] for age, labels in stated.items() if len(set(labels)) == 1}
        #: every age a party's label or basis states (tie.rank_age): what the court and the press already said
        self.stated_ages = frozenset(int(m.group(1) or m.group(2)) for label, basis in self.parties
                                     for m in _own_ages(f"{label} {basis}", RANK_AGE))
        # each party's own stated age (tie.age_rank) and the roles its label or basis names (tie.described_role)
        self.label_ages: dict[str, int] = {}
        self.roles_of: dict[str, list[str]] = {}
        for label, basis in self.parties:
            age_said = next(iter(_own_ages(f"{label} {basis}", RANK_AGE)), None)
            if age_said:
                self.label_ages[label] = int(age_said.group(1) or age_said.group(2))
            said = set(_LETTERS.findall(f"{label} {basis}".lower()))
            for role, role_words in ROLE_WORDS.items():
                if said & role_words:
                    self.roles_of.setdefault(role, []).append(label)
        # schools and streets said of "she" or "his partner" matter when the case protects a child
        self.protects_child = not self.parties or any(
            _CHILDISH.search(label) or _CHILDISH.search(basis) for label, basis in self.parties)
        self.defendant_label = next((label for label, basis in self.parties
                                     if _DEFENDANTISH.search(label) or _DEFENDANTISH.search(basis)), None)
        self.witness_label = next((label for label, basis in self.parties
                                   if _WITNESSISH.search(label) or _WITNESSISH.search(basis)), None)
        # tie.former_partner: the one party whose label or basis names a relationship ("his former partner")
        partners = [label for label, basis in self.parties if _PARTNER_CUES.search(f"{label} {basis}")]
        self.partner_label = partners[0] if len(partners) == 1 else None
        # whose former partner the label says the party is ("his former partner"): "her ex" is then someone else
        partner_of = _PARTNER_OF.search(self.partner_label) if self.partner_label else None
        self.partner_of = partner_of.group(1).lower() if partner_of else None
        # a head opening a clause with no article (tie.bare_label_head); heads of four letters or more
        bare_heads = [h for h in heads if len(h) >= 4]
        self.head_start = (
            re.compile(r"(?:^|(?<=[.!?;:,]))\s*("
                       + "|".join(re.escape(h) for h in sorted(bare_heads, key=len, reverse=True))
                       + r")(?!\w)", re.IGNORECASE)
            if bare_heads else None
        )
        self.label_tie = (
            re.compile(r"\b(?:the|that|this|said)\s+(?:(?:" + "|".join(_RULES["tie.label_modifiers"].words)
                       + r")\s+)*("
                       + "|".join(re.escape(h) for h in sorted(heads, key=len, reverse=True))
                       + r")(?:'s|’s|s'|s’)?(?!\w)", re.IGNORECASE)
            if heads else None
        )

    def resolve(self, noun: str) -> str | None:
        """The case label a vocabulary noun most likely refers to, if any."""
        noun = noun.lower()
        if noun in self.label_heads:
            return self.label_heads[noun]
        canonical = NOUNS.get(noun, "").removeprefix("the ")  # "the mum" is the case's "the mother"
        if canonical in self.label_heads:
            return self.label_heads[canonical]
        if noun in OFFICER_NOUNS:
            patterns = [_OFFICERISH]
        elif noun in VICTIM_NOUNS:
            patterns = [_VICTIMISH, _CHILDISH]
        elif noun in CHILD_NOUNS:
            patterns = [_CHILDISH]
        elif noun in SPORT_NOUNS:
            patterns = [_CHILDISH, _VICTIMISH]
        else:
            return None
        # "the lad" is the case's boy rather than its girl, when both are children
        gender = _gender(noun)
        for pattern in patterns:
            fits = [label for label, basis in self.parties if pattern.search(label) or pattern.search(basis)]
            if fits:
                return next((label for label in fits if referent_gender(label) in (gender, None)), None) \
                    or self.of_gender(gender) or fits[0]
        return None

    def of_rank(self, rank: str, noun: str | None) -> str | None:
        """tie.age_rank: the party "the older girl" / "the younger one" stands for: the one of a compatible gender
        whose label says that rank, else the oldest or youngest of two or more whose bases state ages (None on a
        draw, or when fewer than two state one)."""
        group = _OLDER if rank.lower() in _OLDER else _YOUNGER
        gender = _gender(noun.lower()) if noun else None
        fits = [label for label, _ in self.parties if gender is None or referent_gender(label) in (gender, None)]
        named = [label for label in fits if set(_LETTERS.findall(label.lower())) & group]
        if len(named) == 1:
            return named[0]
        aged = sorted((self.label_ages[label], label) for label in fits if label in self.label_ages)
        if len(aged) < 2:
            return None
        pick, runner_up = (aged[-1], aged[-2]) if group is _OLDER else (aged[0], aged[1])
        return pick[1] if pick[0] != runner_up[0] else None

    def of_role(self, words: Iterable[str], gender: str | None) -> str | None:
        """tie.described_role: the one party of a compatible gender whose label or basis names the role that a
        noun's modifier or clause says ("the injured lad", "the girl who filmed it"); None when not exactly one."""
        said = {w.lower() for w in words}
        for role, role_words in ROLE_WORDS.items():
            if said & role_words:
                labels = [label for label in self.roles_of.get(role, [])
                          if gender is None or referent_gender(label) in (gender, None)]
                if len(labels) == 1:
                    return labels[0]
        return None

    def _described(self, text: str, start: int, noun_start: int, end: int, noun: str) -> str | None:
        """The party a party noun's own description points at: its modifiers ("the injured lad") and, when
        ``end`` is given, a clause after it ("the lad who got stabbed")."""
        words = _LETTERS.findall(text[start:noun_start].lower())[1:]
        # "the lifeguard boy", "the nail-bar girl": a label's head word before the noun says which party
        for word in words:
            if word in self.label_heads and word not in NOUNS:
                return self.label_heads[word]
        if not self.roles_of:
            return None
        clause = ROLE_CLAUSE.match(text, end) if end >= 0 else None
        if clause:
            words += _LETTERS.findall(clause.group(1).lower())
        return self.of_role(words, _gender(noun.lower())) if words else None

    def _group_tie(self, text: str, start: int, end: int, owned: bool) -> Tie:
        """'one of them' / 'one of the witnesses', resolved by a label letter set apart just after it ("one of
        the witnesses - C I think -", "one of the girls (A?)"; tie.group_letter), else one of the case's parties."""
        letter = GROUP_LETTER.match(text, end) if self.letter_labels else None
        if letter and letter.group(1) in self.letter_labels:
            return _label_tie(text, start, end, end if owned else None, self.letter_labels[letter.group(1)],
                              Strength.STRONG)
        return Tie(start, end, GROUP_PARTY, Strength.MEDIUM)

    def of_age(self, age: str) -> str | None:
        """The protected party a child's age stands for: the one whose basis states it; when no basis states an
        age, the case's child party; otherwise no one."""
        return self.ages.get(age) if self.ages else self.resolve("child")

    def of_gender(self, gender: str | None) -> str | None:
        """The one protected party whose label says it is of ``gender`` ("the lad" for "he"), if exactly one is;
        None for no gender or when none or several are."""
        if gender is None:
            return None
        fits = [label for label, _ in self.parties if label_gender(label) == gender]
        return fits[0] if len(fits) == 1 else None

    def others(self, text: str) -> list[tuple[int, int]]:
        """Where the text refers to someone in the case who is not protected ("the defendant's wife"), or a
        named person is the subject ("Dunlop lived at 22 Kelvin Drive"): a protected name found by the
        protected detector is a stronger tie and still wins."""
        found = [(m.start(), m.end()) for m in NAMED_SUBJECT.finditer(text)
                 if not _not_a_name(m.group(1)) and m.group(1).lower() not in self.bare_labels]
        if self.accused_tie is not None:
            found += [(m.start(), m.end()) for m in self.accused_tie.finditer(text)]
        if self.defendant_label is None and _OFFENDER.may_fire(text.casefold()):
            found += [(m.start(), m.end()) for m in OFFENDER.finditer(text)]  # "the one who did it": the accused
        if any_word(text, _OTHER_WORDS):
            found += [(m.start(), m.end()) for m in OTHER_TIE.finditer(text)
                      if m.group(1).lower() not in self.label_heads
                      and not (self.defendant_label and m.group(1).lower() in DEFENDANT_NOUNS)]
        return found

    def find(self, text: str) -> list[Tie]:
        ties: list[Tie] = []
        covered = bytearray(len(text) + 1)  # positions already inside a tie

        def add(tie: Tie) -> None:
            ties.append(tie)
            covered[tie.start : tie.end] = b"\x01" * (tie.end - tie.start)
        nouns = any_word(text, _NOUN_WORDS)
        folded = text.casefold()  # once, for the rules' literal pre-checks below
        offenders = list(OFFENDER.finditer(text)) if _OFFENDER.may_fire(folded) else []
        offender = [m.start() for m in offenders]
        if self.defendant_label:
            for m in offenders:  # "the one who did it": the case protects its defendant
                add(Tie(m.start(), m.end(), self.defendant_label, Strength.STRONG, self.defendant_label))
        if self.partner_label and _FORMER.may_fire(folded):
            for m in FORMER_PARTNER.finditer(text):  # "the ex", "his ex's new fella" (tie.former_partner)
                whose = m.group(0).split()[0].lower()
                if covered[m.start()] or (self.partner_of and whose in _POSSESSIVE and whose != self.partner_of):
                    continue  # "her ex" when the party is "his former partner": her ex is the accused
                owned = text[m.end() : m.end() + 2] in ("'s", "’s")
                # "the one who was with him": the referent is its head ("him" is someone else)
                head = _REFERENT_HEAD.match(m.group(0))
                end = m.start() + head.end() if head and " " in m.group(0)[head.end():].strip() else m.end()
                add(_label_tie(text, m.start(), end, m.end() + 2 if owned else None, self.partner_label,
                               Strength.STRONG))
        if len(self.parties) > 1 and _GROUP.may_fire(folded):
            for m in GROUP_MEMBER.finditer(text):  # "one of them", "the one from the canteen" (tie.group_member)
                if covered[m.start()] or m.start() in offender:
                    continue
                label = None
                if m.group(0).lower().startswith("the"):
                    clause = ROLE_CLAUSE.match(text, m.start() + m.group(0).rfind(" "))
                    said = _LETTERS.findall(clause.group(1).lower()) if clause else []
                    if set(said) & (ROLE_WORDS.get("accused", frozenset()) | _GROUP_NOT_CLAUSE):
                        continue  # "the one who was charged": the accused; "the one who died": not a party
                    label = self.of_role(said, None) if said else None
                owned = text[m.end() : m.end() + 2] in ("'s", "’s")
                if label is not None:
                    add(_label_tie(text, m.start(), m.end(), m.end() + 2 if owned else None, label, Strength.STRONG))
                else:
                    add(self._group_tie(text, m.start(), m.end(), owned))
        if len(self.parties) > 1 and "one of the" in folded:
            for m in GROUP_OF_LABEL.finditer(text):  # "one of the pickers" (tie.group_of_label)
                plural_of = m.group(1).lower()
                if covered[m.start()] or plural_of not in self.label_heads or plural_of in NOUNS:
                    continue
                owners = {lab.strip() for lab, _basis in self.parties if plural_of in _LETTERS.findall(lab.lower())}
                owned = m.group(0).endswith(("'s", "’s"))
                if len(owners) == 1:
                    add(_label_tie(text, m.start(), m.end(), m.end() if owned else None, owners.pop(),
                                   Strength.STRONG))
                else:
                    add(self._group_tie(text, m.start(), m.end(), owned))
        if len(self.parties) > 1 and any_word(text, _RANK_WORDS):
            for m in AGE_RANK.finditer(text):  # "the older girl", "younger one's stepdad" (tie.age_rank)
                noun = m.group(2)
                if noun and noun.lower() in RELATIVES and NOUN_OF_OTHER.match(text, m.end()):
                    continue  # "the older brother of the defendant"
                label = self.of_rank(m.group(1) or m.group(3), noun)
                if label is not None:
                    start = m.start() + len(m.group(0)) - len(m.group(0).lstrip())
                    owned = m.group(0).endswith(("'s", "’s"))
                    add(_label_tie(text, start, m.end(), m.end() if owned else None, label, Strength.STRONG))
        for m in RELATIVE_TIE.finditer(text) if nouns or any_word(text, _RELATIVE_WORDS) else ():
            if covered[m.start()]:
                continue
            relative = RELATIVES.get(m.group(3).lower(), "relative")
            # "his family said ...": a source being quoted, not a relative described
            trait = REPORTING.match(text, m.end()) is None
            if m.group(1):
                label = self._described(text, m.start(), m.start(1), -1, m.group(1)) or self.resolve(m.group(1))
                base = label or NOUNS.get(m.group(1).lower(), "a protected party")
                add(Tie(m.start(), m.end(), f"{base}'s {relative}", Strength.STRONG, label, trait))
            else:
                add(Tie(m.start(), m.end(), f"{THIRD_PARTY}'s {relative}", Strength.MEDIUM, None,
                        relative=trait))
        for pattern, labels in ((self.label_tie, self.label_heads), (self.bare_tie, self.bare_labels)):
            if pattern is None or not any_word(text, self.label_words):
                continue
            for m in pattern.finditer(text):
                if covered[m.start()]:
                    continue
                owned = m.group(0).endswith(("'s", "’s", "s'", "s’"))
                add(_label_tie(text, m.start(), m.end(), m.end() if owned else None, labels[m.group(1).lower()],
                               Strength.DECISIVE))  # "the care worker", "Child A's mum"
        if self.head_start is not None and any_word(text, self.label_words):
            for m in self.head_start.finditer(text):  # "passenger lad's mam", "Driver's brother" (tie.bare_label_head)
                after = BARE_HEAD_AFTER.match(text, m.end())
                if after is None or covered[m.start(1)]:
                    continue
                owned = after.group(0).endswith(("'s", "’s"))
                add(_label_tie(text, m.start(1), after.end(), after.end() if owned else None,
                               self.label_heads[m.group(1).lower()], Strength.STRONG))
        if self.compound_tie is not None and any_word(text, self.compound_words):
            for m in self.compound_tie.finditer(text):
                if covered[m.start()]:
                    continue
                label = self.compound_heads.get(re.sub(r"[- ]", "", m.group(1).lower()), "")
                if label:  # "the allotment bloke", "the detainee's mum"
                    owned = text[m.end() : m.end() + 2] in ("'s", "’s")
                    add(_label_tie(text, m.start(), m.end(), m.end() + 2 if owned else None, label, Strength.STRONG))
        if self.defendant_label and any_word(text, _DEFENDANT_WORDS):
            for m in DEFENDANT_TIE.finditer(text):
                if covered[m.start()]:
                    continue
                label = self.defendant_label
                if m.group(3):  # "the accused's mum"
                    add(Tie(m.start(), m.end(), f"{label}'s {RELATIVES.get(m.group(3).lower(), 'relative')}",
                            Strength.STRONG, label, True))
                else:
                    add(Tie(m.start(), m.start(1) + len(m.group(1)), label, Strength.STRONG, label))
        if self.witness_label and any_word(text, _INFORMANT_WORDS):
            for m in INFORMANT_TIE.finditer(text):
                if covered[m.start()]:
                    continue
                label = self.witness_label
                if m.group(3):  # "the grass's boyfriend"
                    add(Tie(m.start(), m.end(), f"{label}'s {RELATIVES.get(m.group(3).lower(), 'relative')}",
                            Strength.STRONG, label, True))
                else:
                    add(Tie(m.start(), m.start(1) + len(m.group(1)), label, Strength.STRONG, label))
        if _AGED.may_fire(folded):  # the literals its pattern needs ("year" or "yr"), derived from it
            for m in AGED_TIE.finditer(text):
                if not covered[m.start()]:
                    # the case's child party, not (yet) the one whose basis states this age: with that, a "she"
                    # after "the 10 year old" (her brother) found no one in a red-team thread (skegness), because
                    # an unprotected person of unknown gender earlier claims the pronoun (salient)
                    label = self.resolve("child")
                    add(Tie(m.start(), m.end(), label or "the child", Strength.STRONG, label))
        if self.parties and _DIGIT.search(text):
            for m in LEADING_AGE.finditer(text):
                at = m.start(1) if m.group(1) else m.start(2)
                label = self.of_age(m.group(1) or m.group(2))
                if label and not covered[at]:
                    add(Tie(at, m.end(), label, Strength.MEDIUM, label))
        if self.parties and " one" in text:
            for m in ORDINAL_ONE.finditer(text):  # "the older one works at ...": one of the case's parties
                if not covered[m.start()]:
                    add(Tie(m.start(), m.end(), "one of the case's parties", Strength.MEDIUM))
        for m in NOUN_TIE.finditer(text) if nouns else ():
            if covered[m.start()]:
                continue
            noun = m.group(1).lower()
            if noun in RELATIVES and NOUN_OF_OTHER.match(text, m.end()):
                continue  # "the brother of the defendant": the relative of someone named after it
            if noun in SPORT_NOUNS and PREDICATE_BEFORE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "Sherratt was the keeper": a description of someone already named
            label = self._described(text, m.start(), m.start(1), m.end(), noun) or self.resolve(noun)
            # "the officer" is a protected party only in a case that protects one
            weak = noun in OFFICER_NOUNS and label is None and bool(self.parties)
            strength = Strength.WEAK if weak else Strength.STRONG
            add(Tie(m.start(), m.end(), label or NOUNS[noun], strength, label))
        for m in PRONOUN.finditer(text):
            if not covered[m.start()]:
                add(Tie(m.start(), m.end(), THIRD_PARTY, Strength.WEAK))
        if self.parties:
            for rx in ZERO_SUBJECT:  # a sentence with no subject (tie.zero_subject): whoever the thread is about
                for m in rx.finditer(text):
                    sentence_end = SENTENCE_END.search(text, m.end())
                    stop = sentence_end.start() if sentence_end else len(text)
                    if not covered[m.start(1)] and not any(t.start < stop and m.start() <= t.start for t in ties):
                        add(Tie(m.start(1), m.end(1), THIRD_PARTY, Strength.WEAK, implied=True))
        if self.protects_child and self.parties:
            for m in FAMILY_HOME.finditer(text):  # "they live on ...": a protected child's family
                if not covered[m.start()]:
                    add(Tie(m.start(), m.end(), f"{THIRD_PARTY}'s family", Strength.WEAK))
        return ties


def _gender(word: str) -> str | None:
    return "f" if word in _FEMALE else "m" if word in _MALE else None


def pronoun_gender(text: str) -> str | None:
    """``"f"``/``"m"`` for a tie that starts with a gendered pronoun ("her nan's", "he"); None for "their"."""
    first = _WORDS.search(text.lower())
    return _gender(first.group()) if first else None


def referent_gender(text: str) -> str | None:
    """The gender of the person a span refers to: its last gendered word ("the girl's mum" is the mum), not
    counting a possessive before a noun ("her cousin" says nothing of the cousin)."""
    words = _WORDS.findall(text.lower())
    for i in range(len(words) - 1, -1, -1):
        if words[i] in _POSSESSIVE and i < len(words) - 1:
            continue
        gender = _gender(words[i])
        if gender is not None:
            return gender
    return None


def named_gender(text: str, start: int, end: int, label: str = "") -> tuple[int, str | None]:
    """Whom a public party's name at ``start:end`` stands for, as (where that mention ends, gender): the party's
    relative when the name owns one ("Brackenbury's sister": she, not the party), else the party, of the gender
    a title just before the name ("Mr Brackenbury", tie.honorific) or its case label ("the girl's mother") says;
    None when nothing says it."""
    if text[end:end + 2] in ("'s", "’s"):
        rel = REL_AFTER.match(text, end + 2)
        if rel is not None:
            return rel.end(), referent_gender(rel.group(1))
    title = HONORIFIC.search(text, max(0, start - 12), start)
    if title is not None and title.end() == start:
        return end, _gender(title.group(1).lower())
    return end, referent_gender(label) if label else None


def plural_tie(text: str, tie: Tie) -> bool:
    """Whether a party-noun tie names several people ("the older girls", "the kids"): never "she" or "he"."""
    words = _WORDS.findall(text[tie.start:tie.end].lower())
    if not words:
        return False
    if text[tie.start:tie.end].endswith(("'s", "’s")) and len(words) > 1 and words[-1] == "s":
        words = words[:-1]
    last = words[-1]
    return last.endswith("s") and not last.endswith("ss") and last[:-1] in NOUNS and last not in NOUNS


def label_gender(label: str) -> str | None:
    """The gender a case label says of its party, from the words before any clause describing it ("the girl who
    gave evidence" is a she; "the receptionist who reported him" says nothing of the receptionist)."""
    return referent_gender(_LABEL_CLAUSE.split(label.strip(), maxsplit=1)[0])


@dataclass(frozen=True, slots=True)
class Referent:
    """Someone an earlier message of the thread referred to."""

    label: str | None  # the protected party's case label, or None for someone not protected (a public party,
    # the accused, the judge, the writer's own relative)
    gender: str | None  # "f", "m", or None when the words do not say
    pronoun: bool = False  # a bare "she"/"he" in that message: says only the gender of whom it was about
    tentative: bool = False  # a named public party whose gender nothing in the message says (a title, a
    # relative's word): the thread may have said it before (:func:`said_genders`)
    who: str | None = None  # a named public party's case label: which one, across messages (:func:`said_genders`)
    plural: bool = False  # several people ("the kids"): never the "he" or "she" of :func:`said_genders`


def _label_tie(text: str, start: int, end: int, owned_at: int | None, label: str, strength: Strength) -> Tie:
    """The tie of a case label found at ``start:end``; its relative's when ``owned_at`` (just after the label's
    "'s") begins a relative word ("the care worker's husband", "Child A's mum")."""
    rel = REL_AFTER.match(text, owned_at) if owned_at is not None else None
    if rel:
        who = f"{label}'s {RELATIVES.get(rel.group(1).lower(), 'relative')}"
        return Tie(start, rel.end(), who, Strength.STRONG, label, relative=True)
    return Tie(start, end, label, strength, label)


def salient(messages: Sequence[Sequence[Referent]]) -> dict[str | None, str | None]:
    """Whom a pronoun most likely refers to, from the thread's earlier messages (newest last).

    For each pronoun gender ("f" for she/her, "m" for he/his, None for they/their) the answer is the label
    of the protected party the newest message referring to a compatible person points at, or None when that
    person is not protected (then the pronoun is about them, not a party). A gender nobody was compatible with
    is absent. Within one message a protected party outranks others: moderators' "the girl has anonymity,
    Sankey can be named" keeps the girl salient.
    """
    found: dict[str | None, str | None] = {}
    for refs in reversed(messages):
        refs = _with_pronoun_genders(refs)
        for gender in ("f", "m", None):
            if gender in found:
                continue
            fits = [r for r in refs if gender is None or r.gender in (gender, None)]
            if fits:
                found[gender] = next((r.label for r in reversed(fits) if r.label), None)
        if len(found) == 3:
            break
    return found


def _with_pronoun_genders(refs: Sequence[Referent]) -> Sequence[Referent]:
    """A message about one unprotected person of unknown gender ("Attwater was remanded after he breached
    his bail") gives them the gender of its pronouns, when they all agree."""
    people = [r for r in refs if r.gender is None and r.label is None and not r.pronoun]
    said = {r.gender for r in refs if r.pronoun and r.gender}
    if len(people) != 1 or len(said) != 1 or any(r.label for r in refs):
        return [r for r in refs if not r.pronoun]
    gender = next(iter(said))
    return [Referent(None, gender) if r is people[0] else r for r in refs if not r.pronoun]


def said_genders(messages: Sequence[Sequence[Referent]]) -> dict[str, str]:
    """The pronoun a thread has given each named public party (by case label), from its earlier messages (oldest
    first): a title ("Mr Brackenbury") or a message about that one person whose pronouns agree ("Lloyd-Rees ran
    the business from a unit; he ..."). The newest word wins."""
    said: dict[str, str] = {}
    for refs in messages:
        for r in refs:
            if r.who is not None and r.gender is not None and not r.tentative:
                said[r.who] = r.gender  # "Mr Brackenbury"
        named = {r.who for r in refs if r.who is not None and r.tentative}
        genders = {r.gender for r in refs if r.pronoun and r.gender}
        if len(named) != 1 or len(genders) != 1:
            continue
        gender = next(iter(genders))
        # a protected party the pronoun may stand for ("the lad", "the complainant") leaves it unsaid
        if any(r.label is not None and not r.plural and r.gender in (gender, None) for r in refs) or any(
                r.label is None and r.who is None and not r.pronoun and r.gender in (gender, None) for r in refs):
            continue
        said[next(iter(named))] = gender
    return said


def self_spans(text: str) -> list[tuple[int, int]]:
    """Where the writer refers to themselves or their own family ("I think", "I heard" only hedge)."""
    return [(m.start(), m.end()) for m in SELF.finditer(text) if not HEDGE.match(text, m.end())] + [
        (m.start(), m.end()) for m in SELF_RELATIVE.finditer(text)
    ]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence (or clause) boundaries as ``[start, end)`` pairs covering ``text``."""
    bounds, start = [], 0
    for m in SENTENCE_END.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    return bounds


def best(ties: Iterable[Tie]) -> Tie | None:
    return max(ties, key=lambda t: (t.strength.rank, t.label is not None), default=None)


def reported(text: str) -> list[tuple[int, int]]:
    """tie.court_report: the sentences of ``text`` that report what a court, a jury, the prosecution or the press
    heard or said, and do not say where someone is now (tie.court_report_now): their details are public facts."""
    if not _REPORT.may_fire(text.casefold()):
        return []
    report, now = _REPORT.regexes[0], _REPORT_NOW.regexes[0]
    return [(s, e) for s, e in sentences(text) if report.search(text, s, e) and not now.search(text, s, e)]
