"""Render a :class:`Summary` as Markdown, as JSON, or as an embed-friendly structure for the cog.

Every form has the same structure: a one-sentence headline ("What happened"), the other events, then
Outcome, Findings and What's next (each only where the sources say), then the Sources (title, publisher,
date and a link that passed redaction). Embed sizes come from :mod:`bot.discord_limits`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import discord_limits as limits
from bot.source import Citation
from bot.summary.build import Summary

EMBED_DESCRIPTION_LIMIT = limits.EMBED_DESCRIPTION.value
EMBED_FIELD_LIMIT = limits.FIELD_VALUE.value
#: section labels, in order; "headline" opens the summary, events follow it unlabelled
SECTIONS: tuple[tuple[str, str], ...] = (
    ("headline", "What happened"), ("event", ""), ("outcome", "Outcome"), ("finding", "Findings"),
    ("process", "What's next"), ("context", "Background"),
)


def _markers(ns: list[int]) -> str:
    return "".join(f"[{n}]" for n in ns)


def source_line(ref: Citation) -> str:
    """"[1] Title, Publisher, 2025-03-02, https://..." (empty parts left out)."""
    return ref.line


def sections(summary: Summary) -> list[tuple[str, str]]:
    """(label, text) per non-empty section, in order; every sentence ends with its citation markers."""
    out = []
    for kind, label in SECTIONS:
        said = [s for s in summary.sentences if s.kind == kind]
        if said:
            out.append((label, " ".join(f"{s.text} {_markers(s.sources)}" for s in said)))
    # a summary made before sections existed (or by a rewrite that keeps no kinds) still shows every sentence
    shown = {k for k, _ in SECTIONS}
    rest = [s for s in summary.sentences if s.kind not in shown]
    if rest:
        out.append(("", " ".join(f"{s.text} {_markers(s.sources)}" for s in rest)))
    return out


def structured_body(summary: Summary) -> str:
    """The sections as Markdown paragraphs: "**Outcome:** ..." (Discord and the command line alike)."""
    return "\n\n".join(f"**{label}:** {text}" if label else text for label, text in sections(summary))


def render_markdown(summary: Summary) -> str:
    """Title line, the structured body (every sentence ends with its citation markers), then Sources."""
    lines = [f"# {summary.title}", "", structured_body(summary), "", "## Sources"]
    lines += [f"- {source_line(ref)}" for ref in summary.sources]
    return "\n".join(lines) + "\n"


def render_json(summary: Summary) -> dict[str, object]:
    """``{"title", "sentences": [{"text", "sources": [n]}], "sources": [...], ...}``."""
    return {
        "case_id": summary.case_id,
        "title": summary.title,
        "sentences": [{"text": s.text, "sources": list(s.sources), "kind": s.kind, "support": s.support}
                      for s in summary.sentences],
        "sections": [{"label": label or "Details", "text": text} for label, text in sections(summary)],
        "sources": [
            {"n": r.n, "title": r.title, "publisher": r.publisher, "published": r.published, "url": r.url}
            for r in summary.sources
        ],
        "words": summary.words,
        "generated_at": summary.generated_at,
        "fingerprint": summary.fingerprint,
        "backend": summary.backend,
    }


@dataclass(frozen=True, slots=True)
class EmbedSummary:
    """Everything the cog needs to post a summary embed, already trimmed to Discord's limits."""

    title: str
    body: str
    sources: tuple[Citation, ...]
    n_sources: int
    updated_at: str  # ISO 8601, UTC
    footer: str
    fingerprint: str

    @property
    def sources_text(self) -> str:
        return _sources_text(self.sources)


def _sources_text(sources: tuple[Citation, ...]) -> str:
    """One line per source; whole lines only (a link cut in half is no link), within a field's limit."""
    lines: list[str] = []
    for c in sources:
        line = c.markdown if len(c.markdown) <= 300 else f"[{c.n}] {_clip(c.label, 200)}"
        if len("\n".join([*lines, line])) > EMBED_FIELD_LIMIT - 2:
            lines.append("…")
            break
        lines.append(line)
    return "\n".join(lines)


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def to_embed(summary: Summary) -> EmbedSummary:
    """The embed-friendly form: title, structured body, linked sources, 'generated from N sources, last
    updated ...', sized so that the whole embed stays within Discord's total."""
    body = structured_body(summary)
    sources = tuple(summary.sources)
    try:
        when = datetime.fromisoformat(summary.generated_at).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        when = summary.generated_at
    n = len(summary.sources)
    footer = f"generated from {n} source{'s' if n != 1 else ''}, last updated {when}"
    title = _clip(summary.title, limits.EMBED_TITLE.value)
    listing = _sources_text(sources)
    # the total counts title, description, field names and values, and the footer
    room = limits.EMBED_TOTAL.value - len(title) - len("Sources") - len(listing) - len(footer)
    return EmbedSummary(
        title=title,
        body=_clip(body, min(EMBED_DESCRIPTION_LIMIT, room)),
        sources=sources,
        n_sources=n,
        updated_at=summary.generated_at,
        footer=footer,
        fingerprint=summary.fingerprint,
    )
