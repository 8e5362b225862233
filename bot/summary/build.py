"""Build a cited, checked, redacted extractive summary of a case from its stored sources."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any

from bot.case import CaseFile
from bot.errors import InputError
from bot.source import Citation, SourceDoc, sources_fingerprint
from bot.summary.classify import classify
from bot.summary.rank import (
    PRONOUN_START,
    VAGUE_SUBJECT,
    Candidate,
    is_candidate,
    resolve_subject,
    same_fact,
    score_candidates,
    select,
    trim_frame,
    trim_reaction,
)
from bot.summary.redaction import REDACTED_MARK, Checker, Redactor
from bot.summary.sentences import Sentence, is_complete, source_sentences, split_sentences, word_count
from bot.summary.support import MIN_SUPPORT, best_match, word_support

SUMMARY_VERSION = "3"  # part of the cache key: bump when the summariser changes its output
MIN_WORDS = 60
MAX_WORDS = 200
TARGET_WORDS = 185


@dataclass(slots=True)
class SummarySentence:
    text: str
    sources: list[int]  # 1-based numbers into Summary.sources
    kind: str = "event"  # event, outcome, finding, process (context only when a source has nothing else)
    support: float = 1.0  # share of its content words found in the sources it cites


@dataclass(slots=True)
class Summary:
    """A finished summary; every field is safe to post (redacted, checked)."""

    case_id: str
    title: str
    sentences: list[SummarySentence]
    sources: list[Citation]
    generated_at: str
    fingerprint: str
    backend: str = "extractive"
    notes: list[str] = field(default_factory=list)  # e.g. "dropped 2 sentences naming the pupil"

    @property
    def body(self) -> str:
        return " ".join(f"{s.text} {''.join(f'[{n}]' for n in s.sources)}" for s in self.sentences)

    @property
    def words(self) -> int:
        return word_count(self.body)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Summary:
        sents = [SummarySentence(**s) for s in data.get("sentences", [])]
        refs = [Citation(**r) for r in data.get("sources", [])]
        rest = {k: data[k] for k in ("case_id", "title", "generated_at", "fingerprint", "backend", "notes")
                if k in data}
        return cls(sentences=sents, sources=refs, **rest)


def summary_fingerprint(docs: list[SourceDoc]) -> str:
    """The cache key of a case's summary: changes with any source and with the summariser's version."""
    return f"v{SUMMARY_VERSION}-{sources_fingerprint(docs)}"


def _debracket_labels(text: str, labels: list[str]) -> str:
    """Stored sources carry "[the pupil]"; a summary reads "the pupil"."""
    for label in labels:
        text = text.replace(f"[{label}]", label)
    return text


@dataclass(slots=True)
class _Prepared:
    docs: list[SourceDoc]
    texts: list[str]  # debracketed source texts
    sentences: list[list[str]]  # per source, all sentences (for fuzzy citation)


_FOOTNOTE = re.compile(r"\s?\[(?:\d+|[a-z]|edit|citation needed)\]")  # "[3]" would read as a citation


def _prepare(case: CaseFile, docs: list[SourceDoc]) -> _Prepared:
    texts = [_FOOTNOTE.sub("", _debracket_labels(d.text, case.labels)) for d in docs]
    return _Prepared(docs, texts, [[s.text for s in source_sentences(t, i)] for i, t in enumerate(texts)])


def cite(text: str, primary: int, prep: _Prepared, extra: Sequence[int] = ()) -> list[int]:
    """0-based sources supporting ``text``: the one it came from plus any other that says the same."""
    out = {primary}
    for j in range(len(prep.docs)):
        if j == primary:
            continue
        if word_support(text, prep.texts[j]) >= MIN_SUPPORT and (
            j in extra or best_match(text, prep.sentences[j]) >= 80
        ):
            out.add(j)
    return sorted(out)


def reading_order(picked: list[tuple[Candidate, list[int]]], duplicates: dict[int, list[Candidate]],
                  totals: dict[int, int]) -> list[tuple[Candidate, list[int]]]:
    """Most important first, as news is written: by the earliest relative position at which any source
    states the sentence (its own or a near-duplicate's), then by score; a sentence opening with a pronoun
    follows the sentence it continues when that was picked too."""
    def relpos(c: Candidate) -> float:
        same = [c, *duplicates.get(id(c), [])]
        return min(s.sentence.index / max(1, totals.get(s.sentence.source, 1)) for s in same)

    ordered = sorted(picked, key=lambda pc: (round(relpos(pc[0]), 2), -pc[0].score, pc[0].sentence.source))
    where = {(pc[0].sentence.source, pc[0].sentence.index): pc for pc in ordered}
    out: list[tuple[Candidate, list[int]]] = []
    for pc in ordered:
        s = pc[0].sentence
        if pc in out:
            continue
        out.append(pc)
        nxt = where.get((s.source, s.index + 1))
        while nxt is not None and nxt not in out and PRONOUN_START.match(nxt[0].sentence.text):
            out.append(nxt)
            nxt = where.get((s.source, nxt[0].sentence.index + 1))
    held = [pc for pc in ordered if pc not in out]
    return out + held


SECTION_ORDER = {"event": 0, "outcome": 1, "finding": 2, "process": 3, "context": 4}


def facts_first(picked: list[tuple[Candidate, list[int]]],
                kind_of: dict[int, str]) -> list[tuple[Candidate, list[int]]]:
    """The lead (the first outcome or finding in reading order, else the first event) as the headline,
    then events, outcomes, findings, next steps and any context, each in reading order; a sentence opening
    with a pronoun stays right after the sentence it continues."""
    if not picked:
        return picked
    lead = next((pc for pc in picked if kind_of[id(pc[0])] in ("outcome", "finding")),
                next((pc for pc in picked if kind_of[id(pc[0])] == "event"), picked[0]))
    kind_of[id(lead[0])] = "headline"
    rest = [pc for pc in picked if pc is not lead]
    order = {id(pc[0]): n for n, pc in enumerate(rest)}
    ranked = sorted(rest, key=lambda pc: (SECTION_ORDER.get(kind_of[id(pc[0])], 4), order[id(pc[0])]))
    out = [lead]
    for pc in ranked:
        if pc in out:
            continue
        out.append(pc)
        s = pc[0].sentence
        for nxt in rest:  # a pronoun sentence follows the sentence it continues, in that sentence's section
            t = nxt[0].sentence
            if nxt not in out and t.source == s.source and t.index == s.index + 1 and PRONOUN_START.match(t.text):
                kind_of[id(nxt[0])] = kind_of[id(pc[0])]
                out.append(nxt)
    return out


def checked(sentence: str, cites: list[int], prep: _Prepared, redactor: Redactor) -> str | None:
    """The sentence if it is supported by the sources it cites and safe (after redaction), else None."""
    found = checked_with(sentence, cites, prep, redactor)
    return found[0] if found is not None else None


def checked_with(sentence: str, cites: list[int], prep: _Prepared,
                 redactor: Redactor) -> tuple[str, list[int]] | None:
    """The safe (redacted) sentence and the sources that together support it, else None.

    A label put in for a name ("the complainant") may be a word its own source never uses; then another
    source that does use it may be cited with it, if the two together support the sentence.
    """
    red = redactor.sentence(sentence)
    if red.text is None or len(split_sentences(red.text)) != 1:
        return None
    if word_support(red.text, [prep.texts[i] for i in cites]) >= MIN_SUPPORT:
        return red.text, list(cites)
    if not red.changed:
        return None
    for j in range(len(prep.texts)):
        if j not in cites and word_support(red.text, [prep.texts[i] for i in [*cites, j]]) >= MIN_SUPPORT:
            return red.text, sorted([*cites, j])
    return None


def build_summary(
    case: CaseFile,
    docs: list[SourceDoc],
    *,
    checker: Checker | None = None,
    redactor: Redactor | None = None,
    target_words: int = TARGET_WORDS,
    min_words: int = MIN_WORDS,
    now: datetime | None = None,
) -> Summary:
    """Rank, select, cite, check and redact sentences from ``docs`` (the case's stored sources, in order).

    Raises :class:`InputError` when there are no sources or nothing in them can be summarised safely.
    """
    if not docs:
        raise InputError(f"case {case.id} has no sources to summarise")
    redactor = redactor or Redactor(case, checker)
    prep = _prepare(case, docs)
    notes: list[str] = []

    all_sentences: list[Sentence] = []
    required: dict[tuple[int, int], list[int]] = {}  # sentences whose label needs another source cited too
    totals: dict[int, int] = {}
    kinds: dict[tuple[int, int], str] = {}
    dropped_unsafe = 0
    for i, text in enumerate(prep.texts):
        # positions count complete sentences only: a forum post's leftover headings and tag lines must
        # not push its lead sentence down the order
        sents = [s for s in source_sentences(text, i) if is_complete(s.text)]
        totals[i] = len(sents)
        for n, s in enumerate(sents):
            text = trim_frame(s.text)
            if text[:1].islower():  # "[the pupil] told ..." read back from a stored source
                text = text[0].upper() + text[1:]
            s = Sentence(text, s.source, s.paragraph, n)
            if not is_candidate(s):
                continue
            if REDACTED_MARK.search(s.text):  # a stored source's withheld identifier: no sentence can carry it
                dropped_unsafe += 1
                continue
            kind = classify(trim_reaction(s.text))
            if kind == "opinion":
                continue  # never opinion stated as fact
            if n > 0 and VAGUE_SUBJECT.match(s.text):  # "It quashed ...": name the body the sentence before names
                resolved = resolve_subject(s.text, sents[n - 1].text)
                if resolved is None:
                    continue
                s = Sentence(resolved, s.source, s.paragraph, s.index)
            found = checked_with(trim_reaction(s.text), [i], prep, redactor)
            if found is None:
                dropped_unsafe += 1
                continue
            safe, needs = found
            all_sentences.append(Sentence(safe, s.source, s.paragraph, s.index))
            kinds[(i, s.index)] = kind
            if len(needs) > 1:
                required[(i, s.index)] = needs
    if dropped_unsafe:
        notes.append(f"left out {dropped_unsafe} source sentences that were unsafe or unsupported")

    every = score_candidates(all_sentences, totals)
    if not every:
        raise InputError(f"the sources of case {case.id} contain no sentence that can be summarised")
    kind_of = {id(c): kinds.get((c.sentence.source, c.sentence.index), "event") for c in every}
    same = same_fact(kind_of)
    facts = [c for c in every if kind_of[id(c)] != "context"]
    cands = facts or every
    chosen = select(cands, max_words=min(target_words, MAX_WORDS), min_words=min_words, same=same)
    if sum(c.words for c in chosen.picked) < min_words:  # thin sources: take what is safe and supported
        chosen = select(cands, max_words=min(target_words, MAX_WORDS), min_words=min_words, strict=False,
                        same=same)
    if sum(c.words for c in chosen.picked) < min_words and len(cands) < len(every):
        # context only when the sources have nothing else to say
        chosen = select(every, max_words=min(target_words, MAX_WORDS), min_words=min_words, strict=False,
                        same=same)
        notes.append("context sentences used: the sources report too few facts")

    picked: list[tuple[Candidate, list[int]]] = []
    for c in chosen.picked:
        extra = [d.sentence.source for d in chosen.duplicates.get(id(c), [])]
        # a paraphrase from another source is the same fact: cite both (their words together support it)
        cites = sorted(set(cite(c.sentence.text, c.sentence.source, prep, extra)) | set(extra))
        needs = required.get((c.sentence.source, c.sentence.index), [])
        picked.append((c, sorted(set(cites) | set(needs))))
    picked = reading_order(picked, chosen.duplicates, totals)
    picked = facts_first(picked, kind_of)

    sentences = [
        SummarySentence(c.sentence.text, [n + 1 for n in cites], kind_of[id(c)],
                        round(word_support(c.sentence.text, [prep.texts[n] for n in cites]), 2))
        for c, cites in picked
    ]
    refs = [
        Citation(
            n=i + 1,
            title=redactor.plain(d.title, fallback=f"Source {i + 1}") or f"Source {i + 1}",
            publisher=redactor.plain(d.publisher),
            published=d.published,
            url=redactor.url(d.url),
            withheld=d.withheld_site or redactor.withheld_site(d.url),
        )
        for i, d in enumerate(docs)
    ]
    title = redactor.plain(case.title, fallback="Case summary") or "Case summary"
    words = sum(word_count(s.text) for s in sentences)
    if words < min_words:
        notes.append(f"only {words} words of summarisable reporting in the sources")
    moment = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    return Summary(case.id, title, sentences, refs, moment, summary_fingerprint(docs), notes=notes)

