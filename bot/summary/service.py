"""Summaries over the lead's storage (``bot.storage``): add sources once, build and cache per case.

Source text is redacted (registered identifiers become ``[label]``) *before* it is stored, and a stored
source is never fetched again. A summary is cached under the fingerprint of the case's sources and
rebuilt when a source is added (the repository also drops the cached summary then) or on ``refresh``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import aiohttp

from bot.case import CaseFile, ProtectedParty
from bot.source import SourceDoc
from bot.sources.load import fetch_source
from bot.summary.build import Summary, build_summary, summary_fingerprint
from bot.summary.llm import LLMConfig, rewrite_summary
from bot.summary.redaction import Checker, Redactor

if TYPE_CHECKING:
    from bot.storage import Store


def case_for_summary(case_key: str, title: str, labels: Sequence[str]) -> CaseFile:
    """A name-free :class:`CaseFile` for a stored case: labels only (the checker holds the digests)."""
    return CaseFile(id=case_key, title=title, protected=[ProtectedParty(label=label) for label in labels])


async def stored_sources(store: Store, case_id: int) -> list[SourceDoc]:
    return await store.sources.for_case(case_id)


def redact_source(doc: SourceDoc, redactor: Redactor) -> SourceDoc:
    """``doc`` with every protected span in its text, title and publisher replaced by the party's label, and
    its URL withheld ("") when it names a party (a slug such as ``.../jane-doe-teacher-charged``), its site kept
    in ``withheld_site`` when the site names no one.

    The only form of a source that may be kept, cached or fingerprinted; the hash of the unredacted
    bytes and the local path are dropped too.
    """
    shown = redactor.url(doc.url)
    return replace(doc, text=redactor.source_text(doc.text), url=shown, path="",
                   withheld_site=doc.withheld_site or redactor.withheld_site(doc.url, shown),
                   title=redactor.plain(doc.title, fallback="Untitled source") or "Untitled source",
                   publisher=redactor.plain(doc.publisher), raw_sha256="")


async def store_source(store: Store, case_id: int, doc: SourceDoc, redactor: Redactor, *,
                       added_by: str | None = None) -> tuple[int, SourceDoc]:
    """Redact and store a source (a local file, a fetched page); returns its id and the stored form."""
    safe = await asyncio.to_thread(redact_source, doc, redactor)  # the engine reads every sentence: CPU work
    source_id = await store.sources.add(case_id, body=safe.text, url=safe.url, title=safe.title,
                                        publisher=safe.publisher, published=safe.published, added_by=added_by,
                                        withheld_site=safe.withheld_site)
    return source_id, safe


async def add_source_url(
    store: Store,
    case_id: int,
    url: str,
    redactor: Redactor,
    *,
    added_by: str | None = None,
    timeout_s: float = 15.0,
    max_bytes: int = 3_000_000,
    allow_private: bool = False,
    session: aiohttp.ClientSession | None = None,
) -> tuple[int, SourceDoc]:
    """``/case source add <url>``: fetch once (unless already stored), extract, redact, store.

    Raises :class:`bot.sources.fetch.FetchError` (an ``InputError``) with a one-line message; an internal
    address is refused unless ``allow_private`` (``FETCH_ALLOW_PRIVATE``).
    """
    existing = await store.sources.by_url(case_id, url)
    if existing is not None:
        return existing.stored_id or 0, existing
    doc = await fetch_source(url, timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private,
                             session=session)
    return await store_source(store, case_id, doc, redactor, added_by=added_by)


def still_safe(summary: Summary, redactor: Redactor) -> bool:
    """Whether every sentence and the title pass today's checks unchanged."""
    texts = [s.text for s in summary.sentences] + [summary.title]
    return all(redactor.sentence(t).text == t for t in texts)


async def case_summary(
    store: Store,
    case_id: int,
    case: CaseFile,
    *,
    checker: Checker | None = None,
    redactor: Redactor | None = None,
    refresh: bool = False,
    llm: LLMConfig | None = None,
    extra: Sequence[SourceDoc] = (),
) -> tuple[Summary, bool]:
    """The case's summary from its stored sources and whether it was rebuilt (False: served from cache).

    ``checker`` is the case's identity engine (``IdentityEngine``); ``llm`` optionally rewrites (checked).
    ``extra`` are sources that are not stored, already passed through :func:`redact_source` (the thread's
    opening post, read from Discord each time); they follow the stored ones and are part of the cache key,
    so an edited opening post or a newly registered name rebuilds the summary.

    Raises :class:`bot.errors.InputError` when the case has no sources.
    """
    docs = await stored_sources(store, case_id) + list(extra)
    fingerprint = summary_fingerprint(docs)
    redactor = redactor or Redactor(case, checker)
    if not refresh:
        cached = await store.sources.cached_summary(case_id)
        if cached is not None and cached.fingerprint == fingerprint:
            summary = Summary.from_dict(cached.summary)
            # a name registered since the summary was cached must not be served from the cache
            if await asyncio.to_thread(still_safe, summary, redactor):
                return summary, False
    # ranking and checking every sentence of up to 256 KB of sources: in a worker thread, off the event loop
    summary = await asyncio.to_thread(build_summary, case, docs, redactor=redactor)
    if llm is not None:  # checked sentence by sentence; falls back to the extractive summary
        summary = await rewrite_summary(summary, case, docs, llm, redactor=redactor)
    await store.sources.put_summary(case_id, fingerprint, summary.to_dict())
    return summary, True
