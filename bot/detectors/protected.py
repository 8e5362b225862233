"""The protected-party detector: registered names and identifiers of protected parties, through obfuscation.

Matching is :class:`bot.matcher.ProtectedMatcher`'s; this module turns its matches into
``protected_identity`` flags: one flag per party and kind, with every span replaced by ``[label]``,
the suggested action of the strongest match, and a reason that names the party's label and the kind of
match, never the matched text.
"""

from __future__ import annotations

from bot.detectors.base import ScanContext
from bot.detectors.forum import addressed_spans
from bot.flags import Action, Category, Flag, Span
from bot.matcher import ProtectedMatch, ProtectedMatcher
from bot.registry import HANDLE, HANDLE_STEM, ProtectedRegistry

#: ``ScanContext.extras`` key under which the detector leaves its matches for later detectors
EXTRAS_KEY = "protected_matches"


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
        matches = self.matcher.find(ctx.content)
        members = ctx.extras.get("members")
        if matches and "@" in ctx.content and isinstance(members, frozenset) and members:
            # a thread member's @name is someone in the conversation, not the party's handle
            spans = addressed_spans(ctx.content, members, opening_replies=False)
            matches = [m for m in matches if m.kind not in (HANDLE, HANDLE_STEM)
                       or not any(s < m.end and m.start < e for s, e in spans)]
        ctx.extras[EXTRAS_KEY] = matches
        return flags_for(matches, self.name)


def flags_for(matches: list[ProtectedMatch], detector: str = ProtectedPartyDetector.name) -> list[Flag]:
    """One flag per (party, kind), strongest first."""
    groups: dict[tuple[str, str], list[ProtectedMatch]] = {}
    for m in matches:
        groups.setdefault((m.label, m.kind), []).append(m)
    flags = []
    for (label, kind), group in groups.items():
        best = max(group, key=lambda m: m.score)
        how = tuple(dict.fromkeys(h for m in group for h in m.how))
        reason = ProtectedMatch(best.start, best.end, label, kind, best.score, best.digest, best.suggested,
                                how).describe()
        if len(group) > 1:
            reason += f", {len(group)} times"
        flags.append(Flag(
            category=Category.PROTECTED_IDENTITY,
            detector=detector,
            score=best.score,
            reason=reason,
            spans=tuple(Span(m.start, m.end, f"[{label}]") for m in group),
            kind=kind,
            label=label,
            suggested=Action.strongest([m.suggested for m in group]),
        ))
    flags.sort(key=lambda f: (-f.suggested.rank, -f.score))
    return flags
