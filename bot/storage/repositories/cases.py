"""Cases, their protected parties (keyed digests only), allow-lists, and the threads linked to them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.storage.database import Database
from bot.storage.ids import new_id, utcnow


@dataclass(frozen=True)
class CaseRow:
    case_id: int
    guild_id: int | None
    case_key: str
    title: str
    jurisdiction: str
    created_at: str


@dataclass(frozen=True)
class PartyRow:
    """A protected party as stored: its label and basis, and digests that only the secret key can match."""

    party_id: int
    case_id: int
    label: str
    basis: str
    records: list[dict[str, Any]]
    name_count: int
    ident_count: int


def _case(row: Any) -> CaseRow:
    return CaseRow(row["case_id"], row["guild_id"], row["case_key"], row["title"], row["jurisdiction"],
                   row["created_at"])


class CaseRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- cases -------------------------------------------------------------------------------------
    async def create(self, guild_id: int | None, case_key: str, title: str = "", jurisdiction: str = "GB") -> int:
        """Create a case, or return the existing one with the same key in the guild."""
        existing = await self.by_key(guild_id, case_key)
        if existing:
            return existing.case_id
        case_id = new_id()
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO cases (case_id, guild_id, case_key, title, jurisdiction, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (case_id, guild_id, case_key, title, jurisdiction, utcnow()),
            )
        return case_id

    async def get(self, case_id: int) -> CaseRow | None:
        row = await self.db.fetchone("SELECT * FROM cases WHERE case_id = ?", (case_id,))
        return _case(row) if row else None

    async def by_key(self, guild_id: int | None, case_key: str) -> CaseRow | None:
        row = await self.db.fetchone(
            "SELECT * FROM cases WHERE guild_id IS ? AND case_key = ?", (guild_id, case_key)
        )
        return _case(row) if row else None

    async def in_guild(self, guild_id: int | None) -> list[CaseRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM cases WHERE guild_id IS ? ORDER BY created_at, case_id", (guild_id,)
        )
        return [_case(r) for r in rows]

    # -- threads -----------------------------------------------------------------------------------
    async def link_thread(self, thread_id: int, guild_id: int, case_id: int, forum_id: int | None = None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO threads (thread_id, guild_id, forum_id, case_id, linked_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (thread_id) DO UPDATE SET case_id = excluded.case_id",
                (thread_id, guild_id, forum_id, case_id, utcnow()),
            )
            conn.notify("thread", thread_id)

    async def for_thread(self, thread_id: int) -> CaseRow | None:
        row = await self.db.fetchone(
            "SELECT c.* FROM cases c JOIN threads t ON t.case_id = c.case_id WHERE t.thread_id = ?", (thread_id,)
        )
        return _case(row) if row else None

    async def threads(self, case_id: int) -> list[int]:
        rows = await self.db.fetchall(
            "SELECT thread_id FROM threads WHERE case_id = ? ORDER BY linked_at, thread_id", (case_id,))
        return [int(r[0]) for r in rows]

    # -- catch-up cursors --------------------------------------------------------------------------
    async def advance_cursors(self, cursors: Mapping[int, int]) -> None:
        """Move each thread's cursor (the newest message id checked) forward to the given id, never back.

        One transaction for the whole batch; threads that are not linked are ignored.
        """
        if not cursors:
            return
        async with self.db.transaction() as conn:
            await conn.executemany(
                "UPDATE threads SET last_message_id = ? "
                "WHERE thread_id = ? AND (last_message_id IS NULL OR last_message_id < ?)",
                [(message_id, thread_id, message_id) for thread_id, message_id in cursors.items()],
            )

    async def cursors(self, guild_id: int) -> dict[int, int | None]:
        """Every linked thread of the guild with its cursor (``None``: no message checked yet)."""
        rows = await self.db.fetchall("SELECT thread_id, last_message_id FROM threads WHERE guild_id = ?",
                                      (guild_id,))
        return {int(r[0]): (int(r[1]) if r[1] is not None else None) for r in rows}

    # -- protected parties -------------------------------------------------------------------------
    async def put_party(
        self, case_id: int, label: str, basis: str, records: list[dict[str, Any]],
        *, name_count: int = 0, ident_count: int = 0, created_by: str | None = None,
    ) -> int:
        """Store (or replace) a party by label. ``records`` must be digests (``ProtectedRegistry.to_records``)."""
        party_id = new_id()
        async with self.db.transaction() as conn:
            await conn.execute("DELETE FROM protected_parties WHERE case_id = ? AND label = ?", (case_id, label))
            await conn.execute(
                "INSERT INTO protected_parties (party_id, case_id, label, basis, records_json, name_count, "
                "ident_count, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (party_id, case_id, label, basis, json.dumps(records), name_count, ident_count, created_by,
                 utcnow()),
            )
            conn.notify("case", case_id)
        return party_id

    async def remove_party(self, case_id: int, label: str) -> bool:
        async with self.db.transaction() as conn:
            cur = await conn.execute(
                "DELETE FROM protected_parties WHERE case_id = ? AND label = ?", (case_id, label)
            )
            conn.notify("case", case_id)
            return (cur.rowcount or 0) > 0

    async def parties(self, case_id: int) -> list[PartyRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM protected_parties WHERE case_id = ? ORDER BY created_at, party_id", (case_id,)
        )
        return [
            PartyRow(r["party_id"], r["case_id"], r["label"], r["basis"], json.loads(r["records_json"]),
                     r["name_count"], r["ident_count"])
            for r in rows
        ]

    async def party_labels_and_records(self, case_id: int) -> list[tuple[str, str, str]]:
        """(label, basis, records as stored JSON) of each party: decoding is left to the caller, who may do
        it off the event loop (a 256 KB case file holds thousands of digests)."""
        rows = await self.db.fetchall(
            "SELECT label, basis, records_json FROM protected_parties WHERE case_id = ? "
            "ORDER BY created_at, party_id", (case_id,))
        return [(r["label"], r["basis"], r["records_json"]) for r in rows]

    # -- allow-list --------------------------------------------------------------------------------
    async def allow(self, case_id: int, digest: str, added_by: str | None = None) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO allowlist (case_id, digest, added_by, created_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (case_id, digest) DO NOTHING",
                (case_id, digest, added_by, utcnow()),
            )
            conn.notify("case", case_id)

    async def allowlist(self, case_id: int) -> set[str]:
        rows = await self.db.fetchall("SELECT digest FROM allowlist WHERE case_id = ?", (case_id,))
        return {r[0] for r in rows}
