"""A case's sources (text and metadata, fetched once, as :class:`bot.source.SourceDoc`) and its cached summary."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from bot.source import SourceDoc
from bot.storage.database import Database
from bot.storage.ids import new_id, utcnow


@dataclass(frozen=True)
class SummaryRow:
    case_id: int
    fingerprint: str
    summary: dict[str, Any]
    created_at: str


class SourceRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(self, case_id: int, *, body: str, url: str = "", title: str = "", publisher: str = "",
                  published: str = "", added_by: str | None = None, withheld_site: str = "") -> int:
        """Store a source's text (already redacted by the caller); the same text twice is stored once.
        ``withheld_site``: the site of a URL withheld because it named a party (the URL itself is not kept)."""
        digest = hashlib.sha256(body.encode("utf-8")).hexdigest()
        existing = await self.db.fetchone(
            "SELECT source_id FROM sources WHERE case_id = ? AND content_hash = ?", (case_id, digest)
        )
        if existing:
            return int(existing[0])
        source_id = new_id()
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO sources (source_id, case_id, url, title, publisher, published, body, content_hash, "
                "added_by, fetched_at, withheld_site) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (source_id, case_id, url, title, publisher, published, body, digest, added_by, utcnow(),
                 withheld_site),
            )
            await conn.execute("DELETE FROM summaries WHERE case_id = ?", (case_id,))
        return source_id

    async def by_url(self, case_id: int, url: str) -> SourceDoc | None:
        r = await self.db.fetchone("SELECT * FROM sources WHERE case_id = ? AND url = ?", (case_id, url))
        return self._row(r) if r else None

    async def for_case(self, case_id: int) -> list[SourceDoc]:
        rows = await self.db.fetchall(
            "SELECT * FROM sources WHERE case_id = ? ORDER BY fetched_at, source_id", (case_id,)
        )
        return [self._row(r) for r in rows]

    @staticmethod
    def _row(r: Any) -> SourceDoc:
        """A stored source as the one source model (``stored_id`` set; its text is the redacted body)."""
        return SourceDoc(title=r["title"], publisher=r["publisher"], published=r["published"], url=r["url"],
                         text=r["body"], fetched_at=r["fetched_at"], stored_id=int(r["source_id"]),
                         withheld_site=r["withheld_site"])

    # -- summaries ---------------------------------------------------------------------------------
    async def cached_summary(self, case_id: int) -> SummaryRow | None:
        r = await self.db.fetchone("SELECT * FROM summaries WHERE case_id = ?", (case_id,))
        return SummaryRow(r["case_id"], r["fingerprint"], json.loads(r["summary_json"]), r["created_at"]) if r else None

    async def put_summary(self, case_id: int, fingerprint: str, summary: dict[str, Any]) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO summaries (case_id, fingerprint, summary_json, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (case_id) DO UPDATE SET fingerprint = excluded.fingerprint, "
                "summary_json = excluded.summary_json, created_at = excluded.created_at",
                (case_id, fingerprint, json.dumps(summary), utcnow()),
            )
