"""Sourced case summaries: extractive (LexRank + fact cues), cited, support-checked and redacted.

For the cog (``/case summary``, ``/case summary refresh``, ``/case source add``)::

    from bot.summary.service import add_source_url, case_for_summary, case_summary, redact_source
    from bot.summary import Redactor, to_embed
    from bot.sources import opening_post_source

    case = case_for_summary(case_row.case_key, case_row.title, labels)     # labels only, no names
    redactor = Redactor(case, checker=engine)                               # the case's IdentityEngine
    await add_source_url(store, case_id, url, redactor, added_by=str(user_id),
                         timeout_s=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes)
    opening = redact_source(opening_post_source(text, title="Opening post", publisher=thread_name,
                                                posted=date, url=jump_url), redactor)  # never stored
    summary, rebuilt = await case_summary(store, case_id, case, redactor=redactor, refresh=False,
                                          extra=[opening])
    embed = to_embed(summary)   # title, body, sources (n, label, url), n_sources, updated_at, footer

Without storage: ``build_summary(case, docs, checker=engine)`` with ``docs`` from
:func:`bot.sources.case_sources` / :func:`bot.sources.local_case_sources`, then :func:`render_markdown`,
:func:`render_json` or :func:`to_embed`; :func:`summary_fingerprint` is the cache key.
"""

from bot.source import Citation
from bot.summary.build import Summary, SummarySentence, build_summary, summary_fingerprint
from bot.summary.redaction import Redactor
from bot.summary.render import EmbedSummary, render_json, render_markdown, to_embed

__all__ = [
    "Citation",
    "EmbedSummary",
    "Redactor",
    "Summary",
    "SummarySentence",
    "build_summary",
    "render_json",
    "render_markdown",
    "summary_fingerprint",
    "to_embed",
]
