"""Render a :class:`Summary` as Markdown, as JSON, or as an embed-friendly structure for the cog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.source import Citation
from bot.summary.build import Summary

EMBED_DESCRIPTION_LIMIT = 4096
EMBED_FIELD_LIMIT = 1024


def _markers(ns: list[int]) -> str:
    return "".join(f"[{n}]" for n in ns)


def source_line(ref: Citation) -> str:
    """"[1] Title, Publisher, 2025-03-02, https://..." (empty parts left out)."""
    return ref.line


def render_markdown(summary: Summary) -> str:
    """Title line, body (every sentence ends with its citation markers), then a Sources list."""
    body = " ".join(f"{s.text} {_markers(s.sources)}" for s in summary.sentences)
    lines = [f"# {summary.title}", "", body, "", "## Sources"]
    lines += [f"- {source_line(ref)}" for ref in summary.sources]
    return "\n".join(lines) + "\n"


def render_json(summary: Summary) -> dict[str, object]:
    """``{"title", "sentences": [{"text", "sources": [n]}], "sources": [...], ...}``."""
    return {
        "case_id": summary.case_id,
        "title": summary.title,
        "sentences": [{"text": s.text, "sources": list(s.sources)} for s in summary.sentences],
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
        text = "\n".join(s.markdown for s in self.sources)
        return text if len(text) <= EMBED_FIELD_LIMIT else text[: EMBED_FIELD_LIMIT - 1] + "…"


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def to_embed(summary: Summary) -> EmbedSummary:
    """The embed-friendly form: title, body, linked sources, 'generated from N sources, last updated ...'."""
    body = " ".join(f"{s.text} {_markers(s.sources)}" for s in summary.sentences)
    sources = tuple(summary.sources)
    try:
        when = datetime.fromisoformat(summary.generated_at).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        when = summary.generated_at
    n = len(summary.sources)
    footer = f"generated from {n} source{'s' if n != 1 else ''}, last updated {when}"
    return EmbedSummary(
        title=_clip(summary.title, 256),
        body=_clip(body, EMBED_DESCRIPTION_LIMIT),
        sources=sources,
        n_sources=n,
        updated_at=summary.generated_at,
        footer=footer,
        fingerprint=summary.fingerprint,
    )
