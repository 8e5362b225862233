"""``/case source add`` and ``/case summary``: sources redacted with the case's registry, cited summaries."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bot.case_engines import CaseEngines
from bot.errors import InputError
from bot.source import SourceDoc
from bot.storage import Store
from bot.storage.repositories.cases import CaseRow


@dataclass(slots=True)
class OpeningPost:
    """A forum post's opening message as the Discord side reads it for ``/case summary`` (not stored)."""

    content: str
    thread_title: str
    posted: str  # YYYY-MM-DD
    url: str  # the message's jump URL


class SummaryService:
    """Sources and summaries of a case; every text passes the case's redactor before it is kept or shown."""

    def __init__(self, store: Store, engines: CaseEngines) -> None:
        self._store = store
        self._engines = engines

    async def sources(self, case_id: int) -> list[SourceDoc]:
        return await self._store.sources.for_case(case_id)

    async def _parts(self, case: CaseRow) -> tuple[Any, Any]:
        """A name-free case file (labels only) and a redactor that matches the case's digests."""
        from bot.summary.redaction import Redactor
        from bot.summary.service import case_for_summary

        built = await self._engines.get(case.case_id, case.guild_id or 0)
        case_file = case_for_summary(case.case_key, case.title, built.engine.labels)
        checker = await asyncio.to_thread(built.fresh_engine)
        return case_file, Redactor(case_file, checker)

    async def add_source(self, case: CaseRow, url: str, *, actor_id: str, timeout_s: float = 15.0,
                         max_bytes: int = 3_000_000, allow_private: bool = False) -> Any:
        """Fetch once, extract, redact, store; the cached summary is rebuilt next time."""
        from bot.summary.service import add_source_url

        _, redactor = await self._parts(case)
        _, doc = await add_source_url(self._store, case.case_id, url, redactor, added_by=actor_id,
                                      timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private)
        return doc

    async def summary(self, case: CaseRow, *, refresh: bool = False,
                      opening_posts: Sequence[OpeningPost] = ()) -> tuple[Any, bool]:
        """The case's cited summary (cached per case) and whether it was rebuilt.

        ``opening_posts`` are sources too, cited as "Opening post, <thread title>, <date>, <link>". Each is
        redacted with the case's current registry at once and never stored; the summary's cache key
        covers its redacted text, so an edit or a newly registered name rebuilds the summary.
        """
        from bot.sources import opening_post_source
        from bot.summary.service import case_summary, redact_source

        case_file, redactor = await self._parts(case)
        extra = []
        for post in opening_posts:
            try:
                doc = opening_post_source(post.content, title="Opening post", publisher=post.thread_title,
                                          posted=post.posted, url=post.url)
            except InputError:  # nothing to summarise in it (an image, a link)
                continue
            extra.append(await asyncio.to_thread(redact_source, doc, redactor))  # CPU work: off the loop
        return await case_summary(self._store, case.case_id, case_file, checker=redactor.checker,
                                  redactor=redactor, refresh=refresh, extra=extra)
