"""The protected-party detector: registered names and identifiers of protected parties, through obfuscation.

Matching is :class:`bot.matcher.ProtectedMatcher`'s; this module turns its matches into
``protected_identity`` flags: one flag per party and kind, with every span replaced by ``[label]``,
the suggested action of the strongest match, and a reason that names the party's label and the kind of
match, never the matched text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from bot.detectors.base import ScanContext
from bot.detectors.forum import addressed_spans
from bot.flags import Action, Category, Flag, Span
from bot.matcher import ProtectedMatch, ProtectedMatcher
from bot.registry import (
    FIRST_NAME,
    FULL_NAME,
    HANDLE,
    HANDLE_STEM,
    INITIALS,
    NAME_INITIAL,
    NICKNAME,
    SURNAME,
    TITLE_INITIAL,
    ProtectedRegistry,
)

#: ``ScanContext.extras`` key under which the detector leaves its matches for later detectors
EXTRAS_KEY = "protected_matches"
_MAX_CONFIDENCE = 0.99
_SPLIT_WINDOW = 80  # characters either side of the join between two messages
# a message ending in a short piece of a word ("Jor", "kier"): the next may carry the rest of it
_SPLIT_WORD_KINDS = frozenset({FULL_NAME, NAME_INITIAL, SURNAME, FIRST_NAME, NICKNAME, HANDLE})
_WORD_END = re.compile(r"(?<![^\W\d_])[^\W\d_]{1,12}$")
#: the kinds of match a longer public name around them shields (a whole protected name or identifier never)
_SHIELDED = frozenset({SURNAME, FIRST_NAME, NICKNAME, NAME_INITIAL, TITLE_INITIAL, INITIALS})


class ProtectedPartyDetector:
    """Flags registered names and identifiers of a case's protected parties."""

    name = "protected_party"

    def __init__(self, registry: ProtectedRegistry) -> None:
        self.registry = registry
        self.matcher = ProtectedMatcher(registry)

    def find(self, text: str, *, untied_first_names: bool = False) -> list[ProtectedMatch]:
        """The matches in ``text`` (spans into it, label, kind, score, digest); for redacting summaries."""
        return self.matcher.find(text, untied_first_names=untied_first_names)

    def triggered_on(self, ctx: ScanContext) -> list[Flag]:
        members = ctx.extras.get("members")
        matches = self.matcher.find(ctx.content, members=members if isinstance(members, frozenset) else frozenset(),
                                    view=ctx.view)
        split = self._split_across(ctx)
        if split:  # the full name across the join replaces the surname found in this message alone
            matches = [m for m in matches if not any(
                s.label == m.label and s.score > m.score and s.start <= m.start and m.end <= s.end for s in split)]
            matches += split
        if matches and "@" in ctx.content and isinstance(members, frozenset) and members:
            # a thread member's @name is someone in the conversation, not the party's handle, nor a name of
            # theirs run into it ("@kai_from_hayle" when a protected boy is called Kai)
            spans = addressed_spans(ctx.content, members, opening_replies=False)
            matches = [m for m in matches if not any(s <= m.start and m.end <= e for s, e in spans) and (
                m.kind not in (HANDLE, HANDLE_STEM) or not any(s < m.end and m.start < e for s, e in spans))]
        public = ctx.extras.get("public_spans")  # bot.detectors.identifying.PUBLIC_KEY, set by the engine
        if matches and isinstance(public, list) and public:
            named = [(p[0], p[1]) for p in public if isinstance(p, tuple)]
            # "Mr S" when a public party's surname also starts with S: the initial is not evidence of either
            matches = [m for m in matches if m.kind != TITLE_INITIAL or not any(
                s < m.end and m.end - 1 < e for s, e in named)]  # covers the letter
            matches = [m for m in matches if not shielded(m, named)]

        ctx.extras[EXTRAS_KEY] = matches
        return flags_for(matches, self.name)

    def _split_across(self, ctx: ScanContext) -> list[ProtectedMatch]:
        """A name split over the author's previous message and this one ("it's Rosalind" / "Okonjo."): the
        end of the one and the start of the other are matched as one text; what spans the join counts here."""
        if not ctx.history or not ctx.content:
            return []
        before = ctx.history[-1].content[-_SPLIT_WINDOW:]
        after = ctx.content[:_SPLIT_WINDOW]
        if not before.strip() or not after.strip():
            return []
        joined = before.rstrip() + " "
        cut = len(joined)
        joined += after.lstrip()
        shift = len(after) - len(after.lstrip())
        out = []
        for m in self.matcher.find(joined):
            if m.start < cut < m.end:
                out.append(replace(m, start=shift, end=m.end - cut + shift,
                                   how=(*m.how, "split across two messages")))
        head, tail = before.rstrip(), after.lstrip()
        if head[-1:].isalpha() and tail[:1].isalpha() and tail[:1].islower() and _WORD_END.search(head):
            # "the kid was Jor" / "dan P. everyone knew": a name cut inside a word, read run together
            cut = len(head)
            seen = {(m.label, m.end) for m in out}
            for m in self.matcher.find(head + tail):
                if m.start < cut < m.end and m.kind in _SPLIT_WORD_KINDS and (m.label, m.end - cut + shift) not in seen:
                    out.append(replace(m, start=shift, end=m.end - cut + shift,
                                       how=(*m.how, "split inside a word across two messages")))
        return out


def shielded(match: ProtectedMatch, public: list[tuple[int, int]]) -> bool:
    """A protected surname (or other part of a name) inside a longer public name: "Gary Smithson told the
    paper ..." names the public father, not the protected child who shares his surname. The same span found
    as both stays protected (the protected entry wins), and so does a protected form longer than the public
    one ("Kyle Smithson", "the Smithson lad")."""
    return match.kind in _SHIELDED and any(
        p[0] <= match.start and match.end <= p[1] and p[1] - p[0] > match.end - match.start for p in public)


def evidence(matches: list[ProtectedMatch]) -> dict[str, float]:
    """How sure the message names each party, from all the evidence found for it: independent mentions
    (distinct spans) combine as a noisy-OR of their scores, so a misspelt full name next to the party's
    surname, or a first name and a handle, say more together than either alone."""
    spans: dict[str, dict[tuple[int, int], float]] = {}
    for m in matches:
        party = spans.setdefault(m.label, {})
        party[(m.start, m.end)] = max(party.get((m.start, m.end), 0.0), m.score)
    out = {}
    for label, scores in spans.items():
        doubt = 1.0
        for score in scores.values():
            doubt *= 1.0 - score
        out[label] = min(_MAX_CONFIDENCE, 1.0 - doubt)
    return out


def flags_for(matches: list[ProtectedMatch], detector: str = ProtectedPartyDetector.name) -> list[Flag]:
    """One flag per (party, kind), strongest first; its score is the evidence for the party (see
    :func:`evidence`), never less than its best match."""
    if not matches:
        return []
    groups: dict[tuple[str, str], list[ProtectedMatch]] = {}
    for m in matches:
        groups.setdefault((m.label, m.kind), []).append(m)
    sure = evidence(matches)
    flags = []
    for (label, kind), group in groups.items():
        best = max(group, key=lambda m: m.score)
        how = tuple(dict.fromkeys(h for m in group for h in m.how))
        reason = ProtectedMatch(best.start, best.end, label, kind, best.score, best.digest, best.suggested,
                                how).describe()
        if len(group) > 1:
            reason += f", {len(group)} times"
        score = max(best.score, round(sure[label], 3))
        flags.append(Flag(
            category=Category.PROTECTED_IDENTITY,
            detector=detector,
            score=score,
            reason=reason,
            spans=tuple(Span(m.start, m.end, f"[{label}]") for m in group),
            kind=kind,
            label=label,
            suggested=Action.strongest([m.suggested for m in group]),
        ))
    flags.sort(key=lambda f: (-f.suggested.rank, -f.score))
    return flags
