"""Identifying details that are not registered, scored by who they are about.

The recognizers (``bot.recognizers``) find details; this detector decides whether they matter:

* a direct detail (address, phone, e-mail, profile, vehicle, date of birth, photo) matters when it is tied
  to a protected party - a case label, a protected name found by an earlier detector, a party noun ("the
  girl", "the complainant's sister"), or, more weakly, a third-person pronoun;
* a school or workplace matters when a party is named in the same sentence;
* traits that only narrow someone down (age, school, area, appearance, hobby, relative, workplace)
  matter when they accumulate about a third party, within one message or across the author's recent
  messages in the thread (jigsaw identification);
* organisations' public contact details and people speaking about themselves never count;
* a sentence tied to a protected party that the learned identifying-detail scorer (:mod:`bot.identity_model`)
  reads as giving a detail in words ("the tall one who rides the grey cob along the river most evenings") is a
  ``learned`` detail: the tie finder decides who, the model whether; it counts like a described place (beside a
  party noun, a name or a pronoun resolved to a party) and as a jigsaw trait of its own named strength.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import Literal

from bot.case import CaseFile
from bot.detectors.base import ScanContext
from bot.detectors.forum import addressed_spans
from bot.flags import Action, Category, Flag, Message, Span
from bot.identity_model import DetailScorer, shipped_scorer
from bot.recognizers import DIRECT_KINDS, LOCATING_KINDS, Detail, MediaRecognizer, default_recognizers
from bot.recognizers.base import ESTATE, GENERIC, HOME, NAMED, POSITION, Recognizer
from bot.recognizers.gate import shipped_gate
from bot.recognizers.public import org_context
from bot.recognizers.text import Folded, fold
from bot.recognizers.ties import (
    ORGANISATION,
    PLURAL,
    POSSESSOR,
    POSSESSOR_REACH,
    SALIENCE_WINDOW,
    SELF_RELATIVE,
    Referent,
    Tie,
    TieFinder,
    accused_nouns,
    best,
    named_gender,
    plural_tie,
    pronoun_gender,
    referent_gender,
    reported,
    said_genders,
    salient,
    says_them,
    self_spans,
    sentences,
)
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule, Strength

NAME = "identifying_detail"
#: ``ScanContext.extras`` key: spans (start, end, label) naming the case's public parties in the message
PUBLIC_KEY = "public_spans"
#: ``ScanContext.extras`` key: a function giving the public-party spans of another text (earlier messages)
PUBLIC_OF_KEY = "public_spans_of"
#: ``ScanContext.extras`` key: a function giving the thread's last few messages by any author, oldest first
THREAD_KEY = "thread_recent"
#: ``ScanContext.extras`` key: a function giving the protected labels an earlier message named
NAMED_OF_KEY = "named_of"

REPLACEMENTS = {
    "phone": "[phone number]",
    "email": "[email address]",
    "address": "[address]",
    "postcode": "[postcode]",
    "street": "[street]",
    "social": "[social profile]",
    "vehicle": "[vehicle registration]",
    "dob": "[date of birth]",
    "media": "[media link]",
    "photo": "[photo described]",
    "school": "[school]",
    "workplace": "[workplace]",
    "occupation": "[occupation]",
    "age": "[age]",
    "appearance": "[appearance]",
    "hobby": "[hobby]",
    "area": "[area]",
    "routine": "[regular place]",
    "car": "[vehicle]",
    "learned": "[identifying detail]",
    "record": "[record]",
}
# How much each trait narrows someone down, for jigsaw accumulation (bot/rules/identity/jigsaw.toml).
_JIGSAW_RULES = [r for r in shipped_rules().of_kind("jigsaw_weight") if r.id != "jigsaw.threshold"]
JIGSAW_WEIGHTS = {r.words[0]: float(r.weight or 0.0) for r in _JIGSAW_RULES}
JIGSAW_NAMES = {r.words[0]: str(r.params.get("phrase", r.words[0])) for r in _JIGSAW_RULES}
JIGSAW_THRESHOLD = float(shipped_rules()["jigsaw.threshold"].weight or 3.0)
#: The learned scorer's evidence: its kind name and named strength (rule "jigsaw.learned" in jigsaw.toml).
LEARNED = "learned"
LEARNED_STRENGTH = shipped_rules()["jigsaw.learned"].strength
#: A moderator's notice (the message) or a request to the moderators (the sentence): named kinds of detail, none
#: given; the learned scorer never reads them (rule "tie.moderation" in tie_patterns.toml)
_NOTICE, _MOD_REQUEST = shipped_rules()["tie.moderation"].regexes[:2]
#: The model's kinds that say where someone is (a learned detail of these kinds is a locating jigsaw trait).
LEARNED_LOCATING = frozenset({"home", "routine", "school", "workplace", "vehicle"})


class Where(Enum):
    """Where the tie that makes a detail matter was found."""

    SENTENCE = "the same sentence"
    MESSAGE = "the same message"
    EARLIER = "an earlier message"


#: how much the distance between a detail and its tie weakens the finding (the one place it is a number)
WHERE_WEIGHT = {Where.SENTENCE: 1.0, Where.MESSAGE: 0.9, Where.EARLIER: 0.7}
MIN_SCORE = 0.3  # a finding less sure than this is not raised
HOLD_SCORE = 0.6  # a finding this sure is held, not only queued for review
# places (and a car picked out by a feature) that narrow someone down to a few hundred people: alone they
# count only next to a named party
_PLACE_KINDS = frozenset({"school", "workplace", "street", "area", "routine", "car"})
WINDOW, OVERLAP = 4000, 400  # characters a recognizer reads at once, and the overlap between windows
MAX_PER_KIND, MAX_TIES = 50, 400  # a message with more than this is spam; what is found is enough to act
_HALVABLE = frozenset({"school", "workplace", "street", "routine"})
# a detail of the key kind inside one of the value kinds is part of it
_INSIDE = {
    "area": frozenset({"street", "address", "postcode", "school", "workplace", "routine"}),
    "street": frozenset({"address", "school", "workplace", "routine"}),
    "routine": frozenset({"workplace", "school", "hobby"}),  # "works at the gym": a workplace
    "workplace": frozenset({"school"}),  # "a teacher at Cotham School": one place, counted as the school
    "school": frozenset({"hobby"}),  # "plays football for Norton Juniors": a team, not a junior school
}


# "year 10", "under-14s": a school year or an age group, never the same fact as a party's stated age
_SCHOOL_YEAR = shipped_rules()["trait.school_year_form"].regexes[0]
_NUMBER = re.compile(r"\d{1,2}")
# Words before a school that make it someone's workplace rather than their school ("he taught at ...").
_STAFF = shipped_rules()["school.staff_words"].regexes[0]
# when or how often someone is somewhere (routine.venue's context words, routine.clock_time)
_ROUTINE_WHEN = shipped_rules()["routine.venue"].context_regex
_CLOCK = shipped_rules()["routine.clock_time"].regexes[0]


def _spans_of(value: object) -> list[tuple[int, int, str]]:
    return [v for v in value if isinstance(v, tuple) and len(v) == 3] if isinstance(value, list) else []


def _windows(text: str) -> list[tuple[int, str]]:
    """``(offset, window)`` pieces of at most ``WINDOW + OVERLAP`` characters covering ``text``."""
    if len(text) <= WINDOW + OVERLAP:
        return [(0, text)]
    out, start = [], 0
    while start < len(text):
        end = min(len(text), start + WINDOW + OVERLAP)
        out.append((start, text[start:end]))
        if end == len(text):
            break
        cut = text.rfind(" ", start + WINDOW // 2, start + WINDOW)  # next window starts at a word
        start = cut + 1 if cut != -1 else start + WINDOW
    return out


class _Analysis:
    """Everything the detector learns from one text, in folded coordinates (ties etc. worked out lazily)."""

    def __init__(self, folded: Folded, details: list[Detail], finder: TieFinder,
                 ties: list[Tie] | None = None) -> None:
        self.folded = folded
        self.details = details
        self._finder = finder
        self._ties = ties
        self._selfs: list[tuple[int, int]] | None = None
        self._others: list[tuple[int, int]] | None = None
        self._sentences: list[tuple[int, int]] | None = None
        self._starts: list[int] | None = None
        self._reported: list[tuple[int, int]] | None = None
        #: pronouns that stand for a public person or their relative ("Brackenbury's sister ... she"), taken out
        #: of the ties: a detail whose nearest earlier reference in its sentence is one of them is said of that person
        self.other_pronouns: list[tuple[int, int]] = []

    @property
    def ties(self) -> list[Tie]:
        if self._ties is None:
            found: list[Tie] = []
            for offset, window in _windows(self.folded.text):
                found.extend(replace(t, start=t.start + offset, end=t.end + offset) if offset else t
                             for t in self._finder.find(window))
                if len(found) >= MAX_TIES:
                    break
            self._ties = found[:MAX_TIES]
        return self._ties

    @property
    def selfs(self) -> list[tuple[int, int]]:
        if self._selfs is None:
            self._selfs = self_spans(self.folded.text)
        return self._selfs

    def writer_before(self, tie: Tie, s_start: int) -> bool:
        """Whether the writer or their family comes between the sentence's start and a pronoun tie: only then may
        they be whom it stands for ("my niece is in year 8, she ..."; not "she's ..., same form as my niece")."""
        return any(s_start <= s < tie.start for s, _ in self.selfs)

    def own_antecedent(self, tie: Tie) -> bool:
        """Whether a pronoun most likely stands for the writer's own relative ("My daughter is 9. She ...")."""
        if tie.definite or tie.label is not None or tie.relative:
            return False
        before = [m.end() for m in SELF_RELATIVE.finditer(self.folded.text, 0, tie.start)]
        if not before:
            return False
        return not any(t.definite and before[-1] <= t.start < tie.start for t in self.ties)

    @property
    def others(self) -> list[tuple[int, int]]:
        if self._others is None:
            self._others = self._finder.others(self.folded.text)
        return self._others

    @property
    def reported(self) -> list[tuple[int, int]]:
        """Sentences that report the court or the press (tie.court_report): their details are public facts."""
        if self._reported is None:
            self._reported = reported(self.folded.text)
        return self._reported

    def in_report(self, d: Detail) -> bool:
        return any(s <= d.start < e for s, e in self.reported)

    @property
    def sentences(self) -> list[tuple[int, int]]:
        if self._sentences is None:
            self._sentences = sentences(self.folded.text)
        return self._sentences

    def with_others(self, extra: list[tuple[int, int]]) -> _Analysis:
        """This analysis with more spans that refer to someone in the case who is not protected."""
        other = self.with_ties(self.ties)
        other._others = sorted(self.others + extra)
        return other

    def with_ties(self, ties: list[Tie]) -> _Analysis:
        other = _Analysis(self.folded, self.details, self._finder, ties)
        other._selfs, other._sentences, other._others = self._selfs, self._sentences, self._others
        other._reported = self._reported
        other.other_pronouns = self.other_pronouns
        return other

    def sentence_of(self, pos: int) -> tuple[int, int]:
        bounds = self.sentences
        if self._starts is None:
            self._starts = [start for start, _ in bounds]
        i = bisect_right(self._starts, pos) - 1
        return bounds[i] if i >= 0 else (0, len(self.folded.text))


def _with_public_parties(history: list[_Analysis], messages: Sequence[Message], public_of: object) -> list[_Analysis]:
    """Earlier messages' analyses without details inside a public party's name, and with the public parties
    as people who are not protected (so a court or school named in passing adds nothing to a jigsaw)."""
    if not callable(public_of):
        return history
    out = []
    for h, m in zip(history, messages, strict=True):
        spans = [(h.folded.to_folded(s), h.folded.to_folded(e)) for s, e, _ in _spans_of(public_of(m.content))]
        if spans:
            h = h.with_others(spans)
            h.details = [d for d in h.details if not any(s <= d.start and d.end <= e for s, e in spans)]
        out.append(h)
    return out


def _owned_by_public(d: Detail, a: _Analysis, extra_ties: list[Tie], public: list[tuple[int, int]]) -> bool:
    """Whether a detail is a public party's own ("Dade and Hargraves ... the boy worked at their takeaway"):
    its possessive ("their", "his", "her") refers back to a public party named earlier in the message, not to
    a protected one (for "their", only a plural party such as "the twins" competes; for "his"/"her", the
    nearest one before it)."""
    if not public:
        return False
    text = a.folded.text
    m = POSSESSOR.search(text, max(0, d.start - POSSESSOR_REACH), d.end)
    if m is None or not any(e <= m.start() for _, e in public):
        return False
    word = m.group(1).lower()
    parties = [t for t in a.ties + extra_ties if t.label and t.end <= m.start()]
    if word == "their":
        return not any(PLURAL.search(text, t.start, t.end) for t in parties)
    last_public = max(e for _, e in public if e <= m.start())
    return not any(t.end > last_public for t in parties)


@dataclass(frozen=True, slots=True)
class _Judged:
    detail: Detail
    tie: Tie | None
    where: Where | None  # where the tie was found
    is_self: bool
    is_other: bool = False  # said of someone in the case who is not protected (the defendant, a lawyer)

    @property
    def score(self) -> float:
        """The finding's confidence, from its evidence: how sure the detail is, how surely its tie points at a
        protected party, and how close the tie is."""
        if self.tie is None or self.where is None:
            return 0.0
        return self.detail.confidence * (0.5 + 0.5 * self.tie.weight) * WHERE_WEIGHT[self.where]


def _last_word_start(text: str, start: int, end: int) -> int:
    """Where the last word of ``text[start:end]`` begins ("the defence" -> "defence"; "the defence
    barrister" -> "barrister", a person)."""
    cut = text.rfind(" ", start, end)
    return start if cut == -1 else cut + 1


def _weak(d: Detail) -> bool:
    """A detail that narrows little on its own (an age, a hobby, a street named in passing)."""
    return d.strength < Strength.MEDIUM


def _regular(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` says when or how often ("every", "most nights", "on Saturdays", "at 7am"):
    routine.venue's context words and routine.clock_time."""
    return (_ROUTINE_WHEN is not None and _ROUTINE_WHEN.search(text, start, end) is not None) \
        or _CLOCK.search(text, start, end) is not None


def _narrow_place(d: Detail) -> bool:
    """A named school, workplace, regular place or home street, a housing estate, or a named team with the
    player's number or position: a few hundred people (a squad: a few dozen)."""
    if d.kind == "hobby":
        return POSITION in d.evidence
    if d.kind == "area":
        return ESTATE in d.evidence
    return d.kind in _PLACE_KINDS and not _weak(d) and GENERIC not in d.evidence


class IdentifyingDetailDetector:
    """Raises ``identifying_detail`` flags; put it after the protected-party detector."""

    name = NAME

    def __init__(
        self,
        parties: Sequence[tuple[str, str]] = (),
        recognizers: Sequence[Recognizer] | None = None,
        cache_size: int = 4096,
        accused: Sequence[str] = (),
        detail_model: DetailScorer | Literal["shipped"] | None = "shipped",
    ) -> None:
        """``parties``: (label, basis) of each protected party of the case; ``accused``: head nouns of the
        people its title says are accused (bot.recognizers.ties.accused_nouns); ``detail_model``: the learned
        identifying-detail scorer (default the shipped one; None: rules only)."""
        self.detail_model = shipped_scorer() if detail_model == "shipped" else detail_model
        self.ties = TieFinder(parties, accused)
        self.recognizers = list(recognizers) if recognizers is not None else default_recognizers()
        # one gate reads each text once for every shipped finding rule; a recognizer none of whose rules may
        # fire is not called (one whose rules the gate does not know always is)
        self._gate = shipped_gate()
        self._needs = [self._rule_bits(r) for r in self.recognizers]
        self._plan = [(i, r, need) for i, (r, need) in enumerate(zip(self.recognizers, self._needs, strict=True))]
        self.media = MediaRecognizer()
        self._cache: OrderedDict[tuple[str, int, int], _Analysis] = OrderedDict()
        self._cache_size = cache_size
        self._kept_referents: dict[tuple[object, ...], tuple[Referent, ...]] = {}

    def _rule_bits(self, recognizer: Recognizer) -> int | None:
        rules = getattr(recognizer, "rules", None)
        if not rules or not all(isinstance(r, Rule) and r.id in self._gate.bit for r in rules):
            return None
        bits = 0
        for r in rules:
            bits |= self._gate.bit[r.id]
        return bits

    @classmethod
    def from_case(cls, case: CaseFile) -> IdentifyingDetailDetector:
        parties = [(p.label, p.basis) for p in case.protected]
        return cls(parties, accused=accused_nouns(case.title, parties))

    # -- analysis ---------------------------------------------------------------------------------------

    def analyse(self, text: str) -> _Analysis:
        folded = fold(text)
        details: list[Detail] = []
        seen: set[tuple[str, int, int]] = set()
        per_kind: dict[str, int] = {}
        spent: dict[int, int] = {}  # hits per recognizer: one that has found plenty is not run again
        plan = self._plan
        # long texts are read in overlapping windows, so that no pattern ever sees more than a window
        for offset, window in _windows(folded.text):
            opened = self._gate.open(window)
            for i, recognizer, need in plan:
                if (need is not None and not opened & need) or (spent and spent.get(i, 0) >= MAX_PER_KIND):
                    continue
                found = recognizer.find(window)
                if not found:
                    continue
                spent[i] = spent.get(i, 0) + len(found)
                for d in found:
                    key = (d.kind, d.start + offset, d.end + offset)
                    if key in seen or per_kind.get(d.kind, 0) >= MAX_PER_KIND:
                        continue
                    seen.add(key)
                    per_kind[d.kind] = per_kind.get(d.kind, 0) + 1
                    details.append(replace(d, start=key[1], end=key[2]) if offset else d)
        # "lives on Mill Street" is one detail (the street), not a street and an area; "works at the Spar
        # on Mill Street" is one workplace
        if len(details) > 1:
            details = [d for d in details if not any(
                p is not d and p.kind in _INSIDE.get(d.kind, ()) and p.start < d.end and d.start < p.end
                for p in details)]
        if self.ties.stated_ages:  # "he's only 13" of the 13-year-old witness: the age the press already gave
            details = [replace(d, public=True) if d.kind == "age" and self._stated_age(folded.text[d.start:d.end])
                       else d for d in details]
        return _Analysis(folded, details, self.ties)

    def _stated_age(self, said: str) -> bool:
        """Whether an age detail gives only an age a protected party's label or basis states (a public fact)."""
        if _SCHOOL_YEAR.match(said.strip()):
            return False
        numbers = _NUMBER.findall(said)
        return len(numbers) == 1 and int(numbers[0]) in self.ties.stated_ages

    def _analysis_of(self, message: Message) -> _Analysis:
        key = (message.id, len(message.content), hash(message.content))
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        analysis = self.analyse(message.content)
        self._cache[key] = analysis
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return analysis

    def _judge(self, d: Detail, a: _Analysis, extra_ties: list[Tie], history_tie: Tie | None) -> _Judged:
        """Find the tie that makes a detail matter, or decide that the writer is talking about themselves."""
        s_start, s_end = a.sentence_of(d.start)
        in_sentence = [
            t for t in a.ties + extra_ties
            if t.start < s_end and s_start < t.end and (t.implied or not (d.start <= t.start < d.end))
        ]
        tie = best(in_sentence)
        own = any(s_start <= s < s_end for s, _ in a.selfs)
        if own and tie is not None and tie.label is not None and not tie.definite:
            # a party's pronoun before the writer's own words: those are a comparison, not whom it stands for
            # ("she's in year 8, same form as my niece"; not "my niece is in year 8, she ...")
            own = a.writer_before(tie, s_start)
        definite = tie is not None and tie.definite
        if (own and not definite) or (tie is not None and a.own_antecedent(tie)):
            return _Judged(d, None, None, True)
        if a.other_pronouns and self._said_of_other(d, a, in_sentence, s_start):
            return _Judged(d, None, None, False, True)  # "Brackenbury's sister ... she lives on Kingsmill Road"
        if not definite and any(s_start <= s < s_end for s, _ in a.others):
            return _Judged(d, None, None, False, True)  # "the teacher's wife works at the library"
        if tie is not None:
            return _Judged(d, tie, Where.SENTENCE, False)
        tie = best(a.ties + extra_ties)
        if tie is not None and tie.definite:
            return _Judged(d, tie, Where.MESSAGE, False)
        if history_tie is not None:
            return _Judged(d, history_tie, Where.EARLIER, False)
        if tie is not None:
            return _Judged(d, tie, Where.MESSAGE, False)
        return _Judged(d, None, None, False)

    # -- detection --------------------------------------------------------------------------------------

    def triggered_on(self, ctx: ScanContext) -> list[Flag]:
        message = ctx.message
        a = self._analysis_of(message)
        extra_ties = self._protected_ties(ctx, a.folded)
        if not a.details and not message.attachments and not self._may_learn(a, extra_ties, ctx):
            return []  # nothing that could identify anyone (ties are worked out only when needed)
        earlier = [m for m in ctx.history if m.id != message.id]
        history = [self._analysis_of(m) for m in earlier]
        history_labels = ctx.extras.get("history_labels")
        named = [x for x in history_labels if isinstance(x, str)] if isinstance(history_labels, list) else []
        history_tie = best(
            [t for h in history for t in h.ties if t.definite] + [Tie(0, 0, x, Strength.DECISIVE, x) for x in named]
        )

        # a public party (the defendant named in court, the court, the club): details about them are not
        # evidence about a protected party; where a protected name overlaps, the protected one wins
        registered = [(a.folded.to_folded(sp.start), a.folded.to_folded(sp.end)) for f in ctx.flags
                      if f.category is Category.PROTECTED_IDENTITY for sp in f.spans]
        public_named = [(a.folded.to_folded(s), a.folded.to_folded(e), label)
                        for s, e, label in _spans_of(ctx.extras.get(PUBLIC_KEY))]
        public_named = [(s, e, label) for s, e, label in public_named
                        if not any(rs < e and s < re_ for rs, re_ in registered)]
        if public_named and any(t.unresolved for t in a.ties):
            # "Brackenbury's sister ... She said": she is the sister; "Brackenbury was bailed. She works ...":
            # she is the one protected girl when nothing says Brackenbury is a she
            a = self._with_local_antecedents(a, extra_ties, public_named, ctx)
        # "her sister" after "the complainant ...": a pronoun stands for the party named nearby
        named_here = best([t for t in a.ties + extra_ties if t.label] or ([history_tie] if history_tie else []))
        if named_here is not None and named_here.label:
            a = self._with_pronouns_resolved(a, named_here.label, self.ties)
        elif any(t.unresolved for t in a.ties):
            a = self._with_thread_referents(a, ctx)  # "her nan's place": her, the girl of a post just before
        # a detail that is itself a registered identifier (a handle, a school) is already flagged as one
        # "@kezza88 please take that down": addressing a forum member is no one's social handle
        members = ctx.extras.get("members")
        addressed = [(a.folded.to_folded(s), a.folded.to_folded(e)) for s, e in addressed_spans(
            message.content, members if isinstance(members, frozenset) else frozenset())]
        public = [(s, e) for s, e, _ in public_named]
        if public:
            a = a.with_others(public)
        if a.others and any(says_them(a.folded.text, t) for t in a.ties):
            # "the men were jailed, one of them drives a taxi for ...": "them" are the people named before it
            a = a.with_ties([t for t in a.ties if not (says_them(a.folded.text, t)
                                                        and any(e <= t.start for _, e in a.others))])
        judged = [self._judge(d, a, extra_ties, history_tie)
                  if not (_owned_by_public(d, a, extra_ties, public) or a.in_report(d))
                  else _Judged(d, None, None, False, True) for d in a.details
                  if not d.public and not any(s <= d.start and d.end <= e for s, e in registered)
                  and not (d.kind == "social" and any(s < d.end and d.start < e for s, e in addressed))]
        judged.extend(self._learned(a, extra_ties, public))
        # a picture counts when the message itself says who is in it, and is not credited to an organisation
        attachments = self.media.find_attachments(message)
        tie = best(a.ties + extra_ties)
        if attachments and tie is not None and not org_context(a.folded.text, 0, len(a.folded.text)):
            where = Where.SENTENCE if tie.definite else Where.MESSAGE
            judged.extend(_Judged(d, tie, where, False) for d in attachments)

        flags: list[Flag] = []
        flags.extend(self._direct_flags(judged, a))
        if any(h.details for h in history):  # a public party named earlier is no evidence either
            history = _with_public_parties(history, earlier, ctx.extras.get(PUBLIC_OF_KEY))
        flags.extend(self._jigsaw_flag(judged, a, history, history_tie))
        return flags

    def _may_learn(self, a: _Analysis, extra_ties: list[Tie], ctx: ScanContext) -> bool:
        """Whether the learned scorer may have a tied sentence to read: it is on, and a protected party is named
        or referred to by a party noun, or a pronoun is there and a thread window may resolve it."""
        if self.detail_model is None:
            return False
        if extra_ties or any(t.label is not None or (t.definite and not t.unresolved) for t in a.ties):
            return True
        return callable(ctx.extras.get(THREAD_KEY)) and any(t.unresolved for t in a.ties)

    def _learned(self, a: _Analysis, extra_ties: list[Tie], public: list[tuple[int, int]]) -> list[_Judged]:
        """Sentences tied to a protected party that the learned scorer reads as giving a detail, as ``learned``
        details. WHO comes first: only a sentence with a party noun, a protected name, or a pronoun resolved to a
        protected party in it is scored (one batch per message). Never a sentence about the writer themself, a
        public party or someone else in the case, nor one whose possessive refers to a public party."""
        model = self.detail_model
        if model is None:
            return []
        ties = a.ties + extra_ties
        if not ties:
            return []
        text = a.folded.text
        if _NOTICE.match(text):
            return []
        # a place or direct detail a rule found is the rules' to judge: the model adds what they did not see
        # (not a weak routine: "waits at the stop outside the library" alone narrows little, and the rules never
        # flag it beside a pronoun; the model may still read the whole sentence, its times and days, as a routine)
        # (nor a weak street: "walks down Manningham Lane to the bus station at 7.40" is a routine the rules see
        # only as a street named in passing; a weak car keeps the model out unless the sentence says when or how
        # often it is where: "drives a silver Corsa" alone is no detail, "parks it at the Tesco every teatime" is)
        # (nor a town named in passing: "drives for the ambulance service out of Penryn"; nor a workplace only as
        # wide as a town, a kind of place or a public body: "is a PCSO in Ulverston", "a bin
        # man for the council" the rules never flag alone; the model may read the rest of the sentence, where he is
        # seen and when)
        ruled = [d for d in a.details if not (d.kind == "workplace" and (GENERIC in d.evidence or d.public)) and (
                 (d.kind in LOCATING_KINDS and not (d.kind in ("routine", "street", "area") and _weak(d)))
                 or d.kind in DIRECT_KINDS or (d.public and d.kind != "age"))]
        candidates: list[tuple[int, int, Tie]] = []
        for s_start, s_end in a.sentences:
            if any(s_start <= d.start < s_end and not (d.kind == "car" and _weak(d) and _regular(text, s_start, s_end))
                   for d in ruled):
                continue
            tie = best(t for t in ties if t.start < s_end and s_start < t.end)
            # a pronoun or a third party's relative no case label resolves ("her mum's ...") is no one yet
            if tie is None or tie.unresolved or (tie.label is None and not tie.definite) \
                    or not text[s_start:s_end].strip():
                continue
            # the writer or their family before a pronoun may be whom it stands for ("my niece is in year 8, she
            # ..."); after it ("she's in year 8, same form as my niece") they are only a comparison
            if a.own_antecedent(tie) or (not tie.definite and a.writer_before(tie, s_start)):
                continue
            if not tie.definite and any(s_start <= s < s_end for s, _ in a.others):
                continue
            if _MOD_REQUEST.search(text, s_start, s_end) or any(s_start <= r < s_end for r, _ in a.reported):
                continue  # a request to the moderators; a report of what the court or the press heard
            candidates.append((s_start, s_end, tie))
        if not candidates:
            return []
        out = []
        for (s_start, s_end, tie), verdict in zip(candidates, model.verdicts([text[s:e] for s, e, _ in candidates]),
                                                 strict=False):
            if not verdict.given:
                continue
            d = Detail(LEARNED, s_start, s_end, LEARNED_STRENGTH, f"{verdict.phrase} (learned scorer)",
                       rule="jigsaw.learned", evidence=frozenset({LEARNED, verdict.kind}))
            if _owned_by_public(d, a, extra_ties, public):
                continue
            out.append(_Judged(d, tie, Where.SENTENCE, False))
        return out

    def _protected_ties(self, ctx: ScanContext, folded: Folded) -> list[Tie]:
        ties = []
        for flag in ctx.flags:
            if flag.category is not Category.PROTECTED_IDENTITY:
                continue
            who = flag.label or "a protected party"
            if not flag.spans:
                ties.append(Tie(0, len(folded.text), who, Strength.DECISIVE, flag.label))
            for span in flag.spans:
                ties.append(Tie(folded.to_folded(span.start), folded.to_folded(span.end), who, Strength.DECISIVE,
                                flag.label))
        return ties

    def _spans(self, details: Sequence[Detail], folded: Folded) -> tuple[Span, ...]:
        spans = []
        for d in details:
            if d.end <= d.start:
                continue  # attachments: nothing in the text to point at
            start, end = folded.span(d.start, d.end)
            spans.append(Span(start, end, REPLACEMENTS.get(d.kind, "[identifying detail]")))
        return tuple(sorted(set(spans), key=lambda s: (s.start, s.end)))

    def _direct_flags(self, judged: list[_Judged], a: _Analysis) -> list[Flag]:
        by_kind: dict[str, list[tuple[float, _Judged]]] = {}
        review_only: set[int] = set()  # judged findings tied only by a pronoun resolved to a party
        for j in judged:
            if j.tie is None or j.is_self:
                continue
            d = j.detail
            beside = j.where is Where.SENTENCE
            if d.kind in DIRECT_KINDS:
                pass
            elif _narrow_place(d) and j.tie.definite:
                if not beside:
                    continue  # a named school, workplace or home street counts alone only next to its party
                if (d.kind == "school" and j.tie.label is None and not self.ties.protects_child
                        and not (j.tie.relative and _STAFF.search(a.folded.text, max(0, d.start - 40), d.start))):
                    continue  # "his partner said he had kids at St Dunstan's": no child is protected here (a
                    # relative's job there is a workplace: "the woman's husband is a teacher at Cherwell School")
            elif (d.kind == "school" and beside and self.ties.protects_child
                  and not _STAFF.search(a.folded.text, max(0, d.start - 40), d.start)):
                pass  # "she goes to Ladybarn Primary": a pupil's named school narrows them down to a few hundred
            elif _narrow_place(d) and beside and j.tie.label is not None and j.tie.strength is Strength.WEAK:
                review_only.add(id(j))  # "she works at the nail bar by the chippy": she, the party named before
            elif d.kind == "area" and HOME in d.evidence and j.tie.strength >= Strength.STRONG and beside:
                pass  # "Officer B lives in Maghull": the party's home town or district, for review
            elif d.kind == "street" and not _weak(d) and beside:
                pass  # "she lives opposite the Co-op on Albert Road": the street someone lives on
            elif d.kind == "record" and beside and j.tie.relative and j.tie.label is not None:
                review_only.add(id(j))  # "the boy's uncle is in Preston prison": the press names the family
            elif d.kind == LEARNED:
                review_only.add(id(j))  # the model's reading, tied by _learned: a moderator looks, nothing held
            else:
                continue
            if j.score >= MIN_SCORE:
                by_kind.setdefault(d.kind, []).append((j.score, j))
        if LEARNED in by_kind and len(by_kind) > 1:
            del by_kind[LEARNED]  # a rule already names what this message gives away
        flags = []
        for kind, items in by_kind.items():
            score, top = max(items, key=lambda item: item[0])
            tie = top.tie
            assert tie is not None
            where = " in earlier messages" if top.where is Where.EARLIER else ""
            reason = f"{top.detail.reason} tied to {tie.who}{where}"
            flags.append(Flag(
                category=Category.IDENTIFYING_DETAIL,
                detector=self.name,
                score=round(score, 3),
                reason=reason[:1].upper() + reason[1:],
                spans=self._spans([j.detail for _, j in items], a.folded),
                kind=kind,
                label=tie.label,
                suggested=Action.HOLD if score >= HOLD_SCORE and id(top) not in review_only else Action.REVIEW,
            ))
        return flags

    def _jigsaw_flag(
        self, judged: list[_Judged], a: _Analysis, history: list[_Analysis], history_tie: Tie | None
    ) -> list[Flag]:
        current = [j for j in judged if not j.is_self and not j.is_other and j.detail.kind in JIGSAW_WEIGHTS]
        current_kinds = {j.detail.kind for j in current}
        if current and any(t.relative for t in a.ties):
            # a bare "her daughter" adds nothing to narrow anyone down; a relative with a detail does
            current_kinds.add("relative")
        if not current_kinds:
            return []
        tie = best([j.tie for j in current if j.tie is not None] + [t for t in a.ties if t.relative])
        earlier_kinds: set[str] = set()
        started = False  # an earlier message spoke of someone: what follows it may go on about them
        estate = any(j.detail.kind == "area" and ESTATE in j.detail.evidence for j in current)
        club = any(j.detail.kind == "hobby" and NAMED in j.detail.evidence for j in current)
        for h in history:
            started = started or bool(h.ties)
            if not started:
                continue
            for d in h.details:
                if (d.kind in JIGSAW_WEIGHTS and not d.public and not self._own(d, h) and not self._other(d, h)
                        and not h.in_report(d)):
                    earlier_kinds.add(d.kind)
                    estate = estate or (d.kind == "area" and ESTATE in d.evidence)
                    club = club or (d.kind == "hobby" and NAMED in d.evidence)
            if any(t.relative for t in h.ties):
                earlier_kinds.add("relative")
        # with no one referred to here, a street or place named in passing does not carry on the story
        told_here = any(t.relative for t in a.ties) or any(
            j.tie is not None and j.where is not Where.EARLIER for j in current)
        if not told_here and all(_weak(j.detail) for j in current):
            return []
        if tie is None:
            if history_tie is None or not earlier_kinds:
                return []
            tie = history_tie
        kinds = current_kinds | earlier_kinds
        vague = {j.detail.kind for j in current if _weak(j.detail)} - {
            j.detail.kind for j in current if not _weak(j.detail)}
        vague |= {j.detail.kind for j in current if j.detail.kind in {"school", "workplace"}
                  and GENERIC in j.detail.evidence}
        # "works at the hospital" narrows less than "works at the Spar on Mill Lane", a street named in
        # passing less than the street someone lives on
        weight = sum(JIGSAW_WEIGHTS[k] / (2 if k in vague and k in _HALVABLE else 1) for k in kinds)
        if estate:
            weight += JIGSAW_WEIGHTS["street"] - JIGSAW_WEIGHTS["area"]  # a housing estate is a few streets
        if club:  # a named club or team: a few dozen people at a known ground, as narrow as a workplace
            weight += JIGSAW_WEIGHTS["workplace"] - JIGSAW_WEIGHTS["hobby"]
        locating = bool(kinds & LOCATING_KINDS) or any(
            j.detail.kind == LEARNED and j.detail.evidence & LEARNED_LOCATING for j in current)
        if len(kinds) < 2 or weight < JIGSAW_THRESHOLD or not (locating or club):
            return []
        score = min(0.95, 0.5 + 0.1 * weight) * (0.5 + 0.5 * tie.weight)
        listed = [JIGSAW_NAMES[k] for k in sorted(kinds, key=lambda k: (-JIGSAW_WEIGHTS[k], k))]
        together = ", ".join(listed[:-1]) + " and " + listed[-1]
        where = " (with this author's earlier messages)" if earlier_kinds - current_kinds else ""
        return [Flag(
            category=Category.IDENTIFYING_DETAIL,
            detector=self.name,
            score=round(score, 3),
            reason=f"Jigsaw identification: {together} together point to {tie.who}{where}",
            spans=self._spans([j.detail for j in current], a.folded),
            kind="jigsaw",
            label=tie.label,
            suggested=Action.HOLD if score >= HOLD_SCORE else Action.REVIEW,
        )]

    @staticmethod
    def _with_pronouns_resolved(a: _Analysis, label: str, finder: TieFinder) -> _Analysis:
        """Unresolved pronouns stand for ``label``, the party named nearby; a pronoun of the other gender ("she"
        after "the lad") stands for the case's one party of its own gender when there is one (else still for
        ``label``: a tie kept, never dropped)."""
        named = referent_gender(label)
        ties = []
        for t in a.ties:
            if t.unresolved:
                gender = pronoun_gender(a.folded.text[t.start:t.end])
                own = finder.of_gender(gender) if gender and named and gender != named else None
                t = t.resolved_to(own or label)
            ties.append(t)
        return a.with_ties(ties)

    def _with_local_antecedents(self, a: _Analysis, extra_ties: list[Tie],
                                public: list[tuple[int, int, str]], ctx: ScanContext) -> _Analysis:
        """Pronouns whose nearest earlier referent in the message, of a compatible gender and not a plural, is a
        public person or a public person's relative: of that referent's gender ("Brackenbury's sister ... she",
        "Mr Brackenbury ... he"), they are about that person (someone in the case who is not protected); of a
        public person whose gender nothing says, they stand for the one protected party of their gender
        ("Brackenbury ferried them about. She does Saturdays at ..." with one girl protected)."""
        text = a.folded.text
        # (where the mention ends, gender, protected label or None, tentative: a public name of unknown gender)
        found: list[tuple[int, str | None, str | None, bool]] = []
        for t in a.ties + extra_ties:
            if t.label is not None and t.definite and not plural_tie(text, t):
                found.append((t.end, referent_gender(text[t.start:t.end]) or referent_gender(t.label), t.label,
                              False))
        said: dict[str, str] | None = None  # the pronouns the thread gave public parties, read when needed
        for s, e, label in public:
            if ORGANISATION.search(label) or ORGANISATION.search(text, s, e):
                continue
            end, gender = named_gender(text, s, e, label)
            if gender is None and end == e:
                said = self._said_genders(ctx) if said is None else said
                gender = said.get(label)
            found.append((end, gender, None, gender is None and end == e))
        if not any(label is None for _, _, label, _ in found):
            return a
        found.sort(key=lambda f: f[0])
        ties, others = [], []
        for t in a.ties:
            # "she", "his", "her dad" (a third party's relative: whose, its pronoun says)
            gender = pronoun_gender(text[t.start:t.end]) if t.unresolved else None
            before = [f for f in found if f[0] <= t.start and f[1] in (gender, None)] if gender else []
            verdict = None  # the nearest referent that decides, past public names of unknown gender
            for _, their, owner, tentative in reversed(before):
                if owner is not None or their == gender:
                    verdict = owner or "other"
                    break
                if tentative:
                    verdict = "tentative"
            if verdict == "other":
                others.append((t.start, t.end))  # about that public person or their relative
                continue
            if verdict == "tentative" and gender is not None and (sole := self.ties.of_gender(gender)):
                t = t.resolved_to(sole)
            ties.append(t)
        out = a.with_ties(ties)
        out.other_pronouns = sorted(a.other_pronouns + others)
        return out

    def _with_thread_referents(self, a: _Analysis, ctx: ScanContext) -> _Analysis:
        """Pronoun ties resolved from the thread's last few messages (any author): to the protected party the
        newest message referring to someone of the pronoun's gender points at; dropped when that someone is not
        protected (the accused, the judge, a public party, the writer's own relative) and only a bare pronoun
        ties the detail."""
        recent = ctx.extras.get(THREAD_KEY)
        messages = recent() if callable(recent) else []
        if not messages:
            return a
        # a public person of unknown gender keeps the pronoun here: across messages the next "he" continues them
        # more often than it turns to a party ("Attwater sent her messages." / "He drives the white van ...")
        found = salient([self._referents_kept(m, ctx) for m in messages[-SALIENCE_WINDOW:]])
        ties = []
        for t in a.ties:
            gender = pronoun_gender(a.folded.text[t.start:t.end])
            if t.unresolved and gender in found:
                label = found[gender]
                if label is not None:
                    t = t.resolved_to(label)
                elif t.strength is Strength.WEAK and not t.relative:
                    continue
            ties.append(t)
        return a.with_ties(ties)

    @staticmethod
    def _said_of_other(d: Detail, a: _Analysis, in_sentence: list[Tie], s_start: int) -> bool:
        """Whether the nearest reference before ``d`` in its sentence is a pronoun that stands for a public person
        or their relative ("Mr Alcock was remanded. He lives on Argyle Street": he)."""
        spans = [(s, e) for s, e in a.other_pronouns if s_start <= s and e <= d.start]
        if not spans:
            return False
        last = max(e for _, e in spans)
        return not any(last < t.end <= d.start for t in in_sentence)

    def _said_genders(self, ctx: ScanContext) -> dict[str, str]:
        """The pronoun the thread's earlier messages (up to tie.pronouns' gender_window_messages) gave each named
        public party: a title, or a message about that one person whose pronouns agree."""
        recent = ctx.extras.get(THREAD_KEY)
        messages = recent() if callable(recent) else []
        return said_genders([self._referents_kept(m, ctx) for m in messages]) if messages else {}

    def _referents_kept(self, message: Message, ctx: ScanContext) -> tuple[Referent, ...]:
        """:meth:`_referents`, kept per earlier message (a window message is read again by each of the next few):
        keyed by everything it reads besides the message (its analysis, kept the same way): whether the writer is
        the same, the labels the message named, whether public parties are known."""
        labels_of = ctx.extras.get(NAMED_OF_KEY)
        key = (message.id, len(message.content), hash(message.content), message.author == ctx.message.author,
               tuple(labels_of(message.id)) if callable(labels_of) else None, callable(ctx.extras.get(PUBLIC_OF_KEY)))
        hit = self._kept_referents.get(key)
        if hit is None:
            hit = self._kept_referents[key] = tuple(self._referents(message, ctx))
            if len(self._kept_referents) > self._cache_size:
                self._kept_referents.clear()
        return hit

    def _referents(self, message: Message, ctx: ScanContext) -> list[Referent]:
        """Who an earlier message refers to: protected parties (named, or by a case label or party noun) and
        people who are not protected (public parties, the accused and officials, and the family of whoever
        writes the message being checked)."""
        h = self._analysis_of(message)
        text = h.folded.text
        labels_of, public_of = ctx.extras.get(NAMED_OF_KEY), ctx.extras.get(PUBLIC_OF_KEY)
        named = labels_of(message.id) if callable(labels_of) else ()
        refs = [Referent(label, referent_gender(label)) for label in named]
        refs += [Referent(t.label, referent_gender(text[t.start:t.end]) or referent_gender(t.label),
                          plural=plural_tie(text, t))
                 for t in h.ties if t.label and t.definite]
        # a body ("The defence put it to her that she ...", "the jury heard she ...") is never the "she" or "he"
        refs += [Referent(None, referent_gender(text[s:e])) for s, e in h.others
                 if not ORGANISATION.search(text, _last_word_start(text, s, e), e)]
        if message.author == ctx.message.author:  # "my dad ..., he ...": the writer's own, in their next post
            refs += [Referent(None, referent_gender(m.group())) for m in SELF_RELATIVE.finditer(text)]
        if callable(public_of):  # a public person; an organisation (the force, the court) is never "she"
            for s, e, label in public_of(message.content):
                if ORGANISATION.search(label) or ORGANISATION.search(message.content, s, e):
                    continue
                # "Mr Brackenbury", "Brackenbury's sister": whose gender is said; else the person may be either
                end, gender = named_gender(message.content, s, e, label)
                if end != e:  # the public person, then their relative
                    refs += [Referent(None, None, tentative=True, who=label), Referent(None, gender)]
                else:
                    refs.append(Referent(None, gender, tentative=gender is None, who=label))
        # "he", "she", "his" say the gender of whom a message is about; "her" and "him" may be someone else
        # ("Sankey sent her ...")
        refs += [Referent(None, pronoun_gender(text[t.start:t.end]), pronoun=True) for t in h.ties
                 if t.strength is Strength.WEAK and t.label is None and not t.relative
                 and text[t.start:t.end].lower() in ("he", "she", "his", "hes", "shes")]
        return refs

    @staticmethod
    def _other(d: Detail, a: _Analysis) -> bool:
        """Whether ``d`` is said of someone in the case who is not protected (and no party is named by it)."""
        if not a.others:
            return False
        s_start, s_end = a.sentence_of(d.start)
        strong = any(t.definite and t.start < s_end and s_start < t.end for t in a.ties)
        return not strong and any(s_start <= s < s_end for s, _ in a.others)

    @staticmethod
    def _own(d: Detail, a: _Analysis) -> bool:
        s_start, s_end = a.sentence_of(d.start)
        own = any(s_start <= s < s_end for s, _ in a.selfs)
        strong = any(t.definite and t.start < s_end and s_start < t.end for t in a.ties)
        return own and not strong
