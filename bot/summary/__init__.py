"""Sourced case summaries: extractive (LexRank + fact cues), cited, support-checked and redacted.

Public API (for the cog and the demo)::

    from bot.summary import build_summary, render_markdown, render_json, to_embed, summary_fingerprint
    summary = build_summary(case, docs, checker=engine)   # docs: list[bot.sources.SourceDoc]
"""

from bot.summary.build import SourceRef, Summary, SummarySentence, build_summary, summary_fingerprint
from bot.summary.render import EmbedSource, EmbedSummary, render_json, render_markdown, to_embed
from bot.summary.safety import Redactor

__all__ = [
    "EmbedSource",
    "EmbedSummary",
    "Redactor",
    "SourceRef",
    "Summary",
    "SummarySentence",
    "build_summary",
    "render_json",
    "render_markdown",
    "summary_fingerprint",
    "to_embed",
]
