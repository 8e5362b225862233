"""Scores plus patterns -> abuse flags: the synchronous, batched entry point."""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from bot.abuse import dialect
from bot.abuse.evidence import SHORT_BAR, SHORT_WORDS, corroborated, unevidenced, word_count
from bot.abuse.guards import guarded_labels
from bot.abuse.labels import SEVERE_LABELS, AbuseThresholds
from bot.abuse.patterns import PatternHit, PatternLayer, pattern_layer
from bot.abuse.scorer import Scorer, Scores
from bot.abuse.stage2 import STAGE2_SCORER, shipped_stage2
from bot.abuse.targeting import NOT_NAMES, Target, anaphoric_group, find_target
from bot.abuse.tuned import ASK_FROM
from bot.flags import Action, Category, Flag
from bot.rules.loader import shipped_rules

if TYPE_CHECKING:
    from bot.abuse.tuned import TunedScorer

log = logging.getLogger(__name__)

#: Labels that say only "this is abusive"; a flag's kind names a more specific label when one is over its bar.
GENERIC_LABELS = ("abuse", "toxicity")
#: Evidence (bot.abuse.evidence) is looked for only for labels scoring at least this (every bar is higher).
EVIDENCE_FROM = 0.3
#: Corroboration (wave 7): for a gated scorer, a label of veiled harm flags from this fraction of its bar when its
#: own corroborating evidence is in the text (a menace cue or bodily harm; a topic cue such as "going to the police"
#: is not enough) and the message has a target. The
#: veiled kinds ("should be careful driving home at night", "remember who signs your visa") score just under the
#: bar on the static heads because their words are ordinary; the cue rule is the second key. Not for doxxing (a
#: bare detail is its own evidence too often) nor for insults or slurs, whose words are not ordinary.
CORROBORATED_FRACTION = 0.8
CORROBORATED_LABELS = frozenset({"threat", "intimidation", "violence"})
#: Wave 13: a long post is also scored one sentence at a time (heads trained on one-line messages dilute a single
#: bad sentence among polite ones). Posts from this many characters, at most MAX_SENTENCES sentences; a sentence
#: shorter than MIN_SENTENCE_WORDS words is joined to the next.
LONG_POST_CHARS = 200
MAX_SENTENCES = 16
MIN_SENTENCE_WORDS = 5
_INSTITUTION_NAMED = shipped_rules()["abuse.text.institution_named"].regexes[0]
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(@A-Z0-9])")


#: Wave 13: the heads read an unknown surname as noise ("pours petrol through Tibbetts's letterbox" scores far under
#: "through his letterbox"). A capitalised name in the possessive, or as the object of a verb of harm, is also read
#: as a pronoun (:func:`person_view`); that reading is one more part a post may flag on.
_POSSESSIVE_NAME = re.compile(r"(?<=[a-z,;:] )([A-Z][a-z]{2,})(?:'s|s'|')(?=\s)")
_OBJECT_NAME = re.compile(
    r"\b(sort|sorts|sorted|visit|visits|find|finds|batter|batters|hurt|hurts|kill|kills|do|does|teach|teaches|get|gets|"
    r"hang|hangs|burn|burns|torch|torches|knife|stab|stabs|smash|smashes|deal\s+with|wait\s+for|waiting\s+for) "
    r"([A-Z][a-z]{2,})\b(?!')")


def person_view(text: str) -> str:
    """``text`` with a possessive name read as "his" and a name after a verb of harm as "him" (else unchanged)."""
    def possessive(m: re.Match[str]) -> str:
        return m.group(0) if _common(m.group(1)) else "his"

    def obj(m: re.Match[str]) -> str:
        return m.group(0) if _common(m.group(2)) else f"{m.group(1)} him"

    return _OBJECT_NAME.sub(obj, _POSSESSIVE_NAME.sub(possessive, text))


def _common(word: str) -> bool:
    return word in NOT_NAMES


def refers_to_institution(sentence: str, post: str) -> bool:
    """A sentence of ``post`` whose only target refers back ("the lot of them") after the post named an institution
    ("Judges in this country are a joke ... spineless cowards, the lot of them"): criticism of that institution, so
    it is not scored alone (rule ``abuse.text.institution_named``)."""
    if not anaphoric_group(sentence):
        return False
    flat = " ".join(post.split())  # sentences() joins its pieces with single spaces
    before = flat[: max(0, flat.find(" ".join(sentence.split())))]
    return _INSTITUTION_NAMED.search(before) is not None


def sentences(text: str) -> list[str]:
    """The sentences of a long post (``[]`` for a short one or a single sentence), short ones joined."""
    if len(text) < LONG_POST_CHARS:
        return []
    out: list[str] = []
    pending = ""
    for piece in _SENTENCE_END.split(text):
        pending = f"{pending} {piece}".strip() if pending else piece.strip()
        if len(pending.split()) >= MIN_SENTENCE_WORDS:
            out.append(pending)
            pending = ""
    if pending:
        if out:
            out[-1] = f"{out[-1]} {pending}"
        else:
            out.append(pending)
    return out[:MAX_SENTENCES] if len(out) > 1 else []


@dataclass(slots=True)
class AbuseScores:
    """What scoring one message found, before thresholds are applied."""

    scores: Scores
    patterns: list[PatternHit] = field(default_factory=list)
    scorer: str = ""  # the scorer's key, e.g. "onnx-int8" or "fallback"
    fallback: bool = False  # scored by the offline fallback
    note: str = ""  # said in the flag's reason, e.g. why the fallback was used
    target: Target | None = None  # who the message aims at (None: nobody, so model scores alone never flag)
    guarded: frozenset[str] = frozenset()  # labels set aside: the text only calls for a legal sentence (guards)
    targeted: bool = False  # True once find_target has run (results built by hand skip the check)
    #: Evidence gating (bot.abuse.evidence), for scorers that set ``needs_evidence``: labels with no cue in the
    #: text, and whether the text is short (its model labels then need SHORT_BAR).
    unevidenced: frozenset[str] = frozenset()
    short: bool = False
    gated: bool = False  # evidence gating applies: the generic label needs a specific one that kept its evidence
    corroborated: frozenset[str] = frozenset()  # labels a menace or bodily-harm cue backs (CORROBORATED_FRACTION)
    #: The learned second stage's probability when it reached its threshold (bot.abuse.stage2), else None. It can
    #: add a flag beside the evidence-gated path, never remove one.
    stage2: float | None = None
    #: Wave 14: the tuned encoder's (label, probability) when it reached its threshold (bot.abuse.tuned); asked
    #: only about texts with a target, no guard and a static label near a bar. Like stage 2 it can add a flag for
    #: review, never remove one.
    opinion: tuple[str, float] | None = None
    #: Wave 13: parts scored alone when the text does not flag whole (each sentence of a long post, see
    #: :data:`LONG_POST_CHARS`; the text with names read as pronouns, see :func:`person_view`); the text flags
    #: when it flags as a whole or when one of its parts does.
    parts: list[AbuseScores] = field(default_factory=list)
    reading: str = ""  # "" or a note that the text was read in standard spelling (bot.abuse.dialect)


#: The second opinion never speaks for doxxing: on the bundled threads the tuned encoder read plain descriptions
#: ("works at the Co-op, you'd know her") as doxxing; a call to act is the pattern and invitation rules' job.
OPINION_LABELS_EXCLUDED = frozenset({"doxxing"})


def agrees(label: str, scores: Scores) -> bool:
    """The tuned encoder's label counts only where the static heads lean the same way (that label at least
    :data:`~bot.abuse.tuned.ASK_FROM`): two models trained differently agree on the harm, not just on "abuse"."""
    return label not in OPINION_LABELS_EXCLUDED and scores.get(label, 0.0) >= ASK_FROM


def _corroborated(result: AbuseScores, label: str, score: float, bar: float) -> bool:
    """A veiled-harm label just under its bar that its own evidence backs (see :data:`CORROBORATED_FRACTION`)."""
    return (result.gated and label in result.corroborated and score >= CORROBORATED_FRACTION * bar
            and label not in result.unevidenced and not result.short)


def build_flag(result: AbuseScores, thresholds: AbuseThresholds) -> Flag | None:
    """One abuse flag naming every label over its threshold ("threat 0.91, insult 0.74"), or None.

    A text with no flag as a whole flags when one of its parts does (the first such; its reason names the part).
    """
    flag = _build_flag(result, thresholds)
    if flag is not None or not result.parts:
        return flag
    for part in result.parts:
        flag = _build_flag(part, thresholds)
        if flag is not None:
            return flag
    return None


def _build_flag(result: AbuseScores, thresholds: AbuseThresholds) -> Flag | None:
    over = []
    for label, score in result.scores.items():
        bar = thresholds.for_label(label)
        if bar is not None and (score >= bar or _corroborated(result, label, score, bar)):
            over.append((label, score))
    over.sort(key=lambda item: -item[1])
    if over and result.targeted and result.target is None:
        over = []  # abuse has a target: "what a shambles of a trial" is not abuse, however it scores
    if over and result.guarded:
        over = [(label, score) for label, score in over if label not in result.guarded]
    if over and result.gated:
        over = [(label, score) for label, score in over
                if label not in result.unevidenced and (not result.short or score >= SHORT_BAR)]
        if all(label in GENERIC_LABELS for label, _ in over):
            over = []  # the generic label speaks only beside a specific label with its evidence
    second = None
    by_opinion = False  # a model's second opinion alone: a moderator decides (review, never hold)
    if not over and result.stage2 is not None:
        specific = [(label, score) for label, score in result.scores.items()
                    if label not in GENERIC_LABELS and thresholds.for_label(label) is not None]
        if specific:  # the label the heads lean to (one with its evidence first) names the flag's kind
            over = [max(specific, key=lambda item: (item[0] not in result.unevidenced, item[1]))]
            second = f"second stage {result.stage2:.2f}"
    if not over and second is None and result.opinion is not None:
        label, probability = result.opinion
        over = [(label, result.scores.get(label, 0.0))]
        second = f"second opinion of the tuned encoder {probability:.2f}"
        by_opinion = True
    patterns = [hit for hit in result.patterns if (thresholds.for_label(hit.label) or 0.0) <= hit.score]
    if not over and not patterns:
        return None
    parts = []
    if over:
        parts.append(", ".join(f"{label} {score:.2f}" for label, score in over))
    if second:
        parts.append(second)
    parts += [hit.reason for hit in patterns]
    if result.targeted:
        parts.append(f"target: {result.target}" if result.target else "target: none found")
    if result.fallback:
        parts.append("offline fallback scorer: for review only")
    if result.reading:
        parts.append(result.reading)
    if result.note:
        parts.append(result.note)
    candidates = over + [(hit.label, hit.score) for hit in patterns]
    specific = [c for c in candidates if c[0] not in GENERIC_LABELS] or candidates
    kind = max(specific, key=lambda item: item[1])[0]  # "violence" says more than "abuse" or "toxicity"
    score = max(value for _, value in candidates)
    suggested = Action.REVIEW
    if not result.fallback and not by_opinion and any(
        label in SEVERE_LABELS and value >= thresholds.hold for label, value in over
    ):
        suggested = Action.HOLD
    detector = f"abuse:{result.scorer}" if over else "abuse:patterns"
    return Flag(
        category=Category.ABUSE,
        detector=detector,
        score=float(score),
        reason="; ".join(parts),
        kind=kind,
        suggested=suggested,
    )


class AbuseDetector:
    """A scorer, the pattern layer and default thresholds.

    ``detect_many`` is synchronous and may take tens of milliseconds per batch with a model scorer:
    call it from a worker thread or through :class:`bot.abuse.batching.BatchingScorer`, never inline
    on an event loop.
    """

    def __init__(self, scorer: Scorer, thresholds: AbuseThresholds | None = None, *, use_patterns: bool = True,
                 chunk_size: int = 512, use_stage2: bool = True, second_opinion: TunedScorer | None = None):
        self.scorer = scorer
        self.use_stage2 = use_stage2
        self.second_opinion = second_opinion
        if use_stage2 and getattr(scorer, "key", None) == STAGE2_SCORER:
            shipped_stage2()  # loaded at start: a missing or stale artefact refuses to start, in one line
        self.chunk_size = max(1, chunk_size)
        self.thresholds = thresholds or AbuseThresholds()
        self.use_patterns = use_patterns
        self.patterns: PatternLayer = pattern_layer()  # the rule files load and validate now, not mid-scan

    @property
    def scorer_name(self) -> str:
        if self.second_opinion is None:
            return self.scorer.name
        return f"{self.scorer.name}; second opinion: {self.second_opinion.name}"

    @property
    def is_fallback(self) -> bool:
        return self.scorer.is_fallback

    def score_many(self, texts: Sequence[str], *, note: str = "") -> list[AbuseScores]:
        """Scores for each text, in order (the expensive part; thresholds are applied later).

        Wave 13: each text is read in standard spelling first (:func:`bot.abuse.dialect.normalise`: "naebody wid
        miss ye" is scored as "nobody would miss you"). Its parts are scored too, and the text flags when it or a
        part does: each sentence of a long post (:func:`sentences`), and the text with names read as pronouns
        (:func:`person_view`). A part keeps the guards of its whole text.
        """
        if not texts:
            return []
        distinct = list(dict.fromkeys(texts))
        readings = {text: dialect.normalise(text) for text in distinct}
        split: dict[str, list[tuple[str, str]]] = {}  # text -> its parts, each with what it is
        known: dict[str, str] = {}  # reading -> its body (apostrophes, spaces, attributed quotes masked)
        for text in distinct:
            if readings[text] not in known:
                known[readings[text]] = self.patterns.body(readings[text])
            body = known[readings[text]]
            parts = [(s, "one sentence of a long post") for s in sentences(body) if not refers_to_institution(s, body)]
            named = person_view(body)
            if named != body:
                parts.append((named, "a name read as a pronoun"))
                parts += [(s, "one sentence of a long post; a name read as a pronoun") for s in sentences(named)]
            split[text] = parts
        mains = list(dict.fromkeys(readings.values()))
        scored = dict(zip(mains, self._score_texts(mains, note=note, bodies=known), strict=True))
        # parts only for texts that do not flag whole at the default bars (a guild's lower bars see them too)
        wanted = {text for text in distinct
                  if split[text] and _build_flag(scored[readings[text]], self.thresholds) is None}
        todo = list(dict.fromkeys(s for text in wanted for s, _ in split[text] if s not in scored))
        scored.update(zip(todo, self._score_texts(todo, note=note), strict=True))
        out: dict[str, AbuseScores] = {}
        for text in distinct:
            main = scored[readings[text]]
            reading = "read in standard spelling" if readings[text] != text else ""
            views = [replace(scored[s], guarded=scored[s].guarded | main.guarded,
                             reading="; ".join(x for x in (reading, how) if x))
                     for s, how in split[text]] if text in wanted else []
            out[text] = replace(main, parts=views, reading=reading) if views or reading else main
        return [out[text] for text in texts]

    def _score_texts(self, texts: Sequence[str], *, note: str = "",
                     bodies: dict[str, str] | None = None) -> list[AbuseScores]:
        """Scores for each text as written (see :meth:`score_many`).

        Each distinct text is scored once. A scorer that sets ``skip_untargeted`` (the learned scorer) is not
        asked about texts with no target: its scores could not flag them (see :func:`build_flag`).
        """
        if not texts:
            return []
        targets = {text: find_target(text) for text in dict.fromkeys(texts)}
        known = bodies or {}
        bodies = {text: known[text] if text in known else self.patterns.body(text) for text in targets}
        skip = bool(getattr(self.scorer, "skip_untargeted", False))
        # longest first: a model pads each batch to its longest text, so similar lengths batch together
        todo = sorted((text for text, target in targets.items() if target is not None or not skip),
                      key=len, reverse=True)
        mild = self.scorer.is_fallback
        rows: list[Scores] = []
        for start in range(0, len(todo), self.chunk_size):  # bounded memory for a whole export
            chunk = todo[start:start + self.chunk_size]
            rows += self.scorer.score_many([self.patterns.neutralise(t, mild=mild, body=bodies[t]) for t in chunk])
        if len(rows) != len(todo):
            raise RuntimeError(f"scorer {self.scorer.key} returned {len(rows)} rows for {len(todo)} texts")
        scored = dict(zip(todo, rows, strict=True))
        patterns = {text: self.patterns.hits(text, body=bodies[text]) for text in targets} if self.use_patterns else {}
        gated = bool(getattr(self.scorer, "needs_evidence", False))
        missing: dict[str, frozenset[str]] = {}
        backed: dict[str, frozenset[str]] = {}
        near_any: set[str] = set()  # texts with a model label near a bar: the only ones guards can change
        for text, row in scored.items():
            near = {label for label, value in row.items() if value >= EVIDENCE_FROM}
            if near:
                near_any.add(text)
                if gated:  # only labels near a bar are worth the cue rules' time
                    missing[text] = unevidenced(text, near)
                    if near & CORROBORATED_LABELS:
                        backed[text] = corroborated(text, near & CORROBORATED_LABELS)
        guarded = {text: guarded_labels(text) for text in near_any}
        second: dict[str, float] = {}
        stage2 = shipped_stage2() if gated and self.scorer.key == STAGE2_SCORER and self.use_stage2 else None
        if stage2 is not None:  # only what could flag: a label near its bar, a target, no guard
            for text in near_any:
                if targets[text] is not None and not guarded[text]:
                    p = stage2.flags(text, scored[text], targets[text])
                    if p is not None:
                        second[text] = p
        opinions: dict[str, tuple[str, float]] = {}
        if self.second_opinion is not None and gated:
            ask = [text for text in near_any if targets[text] is not None and not guarded[text]
                   and text not in second and max((v for k, v in scored[text].items() if k not in GENERIC_LABELS),
                                                  default=0.0) >= ASK_FROM]
            for text, opinion in zip(ask, self.second_opinion.opinions(ask), strict=True):
                if opinion is not None and agrees(opinion[0], scored[text]):
                    opinions[text] = opinion
        return [
            AbuseScores(
                scores=dict(scored.get(text, {})),
                patterns=list(patterns.get(text, [])),
                scorer=self.scorer.key,
                fallback=self.scorer.is_fallback,
                note=note,
                target=targets[text],
                targeted=True,
                guarded=guarded.get(text, frozenset()),
                unevidenced=missing.get(text, frozenset()),
                short=gated and word_count(text) <= SHORT_WORDS,
                gated=gated,
                corroborated=backed.get(text, frozenset()),
                stage2=second.get(text),
                opinion=opinions.get(text),
            )
            for text in texts
        ]

    def flags_for(self, results: Sequence[AbuseScores], thresholds: AbuseThresholds | None = None) -> list[list[Flag]]:
        bars = thresholds or self.thresholds
        out = []
        for result in results:
            flag = build_flag(result, bars)
            out.append([flag] if flag else [])
        return out

    def detect_many(self, texts: Sequence[str], thresholds: AbuseThresholds | None = None) -> list[list[Flag]]:
        """Abuse flags for each text, in order; ``thresholds`` overrides the defaults (per guild)."""
        return self.flags_for(self.score_many(texts), thresholds)

    def detect(self, text: str, thresholds: AbuseThresholds | None = None) -> list[Flag]:
        return self.detect_many([text], thresholds)[0]
