"""The audit log: every automatic action and every moderator decision, with state before and after."""

from __future__ import annotations

from dataclasses import dataclass

from bot.storage.database import Database, Transaction
from bot.storage.ids import new_id, utcnow


@dataclass(frozen=True)
class AuditRow:
    audit_id: int
    guild_id: int | None
    flag_id: int | None
    actor_id: str
    decision: str
    state_before: str | None
    state_after: str | None
    note: str
    created_at: str


async def insert_audit(
    conn: Transaction, *, guild_id: int | None, flag_id: int | None, actor_id: str, decision: str,
    state_before: str | None, state_after: str | None, note: str = "",
) -> int:
    """Write one audit row inside the caller's transaction."""
    audit_id = new_id()
    await conn.execute(
        "INSERT INTO audit_log (audit_id, guild_id, flag_id, actor_id, decision, state_before, state_after, note, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (audit_id, guild_id, flag_id, str(actor_id), decision, state_before, state_after, note, utcnow()),
    )
    return audit_id


class AuditRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def record(
        self, *, guild_id: int | None, flag_id: int | None, actor_id: str, decision: str,
        state_before: str | None = None, state_after: str | None = None, note: str = "",
    ) -> int:
        async with self.db.transaction() as conn:
            return await insert_audit(conn, guild_id=guild_id, flag_id=flag_id, actor_id=actor_id,
                                      decision=decision, state_before=state_before, state_after=state_after,
                                      note=note)

    async def for_flag(self, flag_id: int) -> list[AuditRow]:
        rows = await self.db.fetchall(
            "SELECT * FROM audit_log WHERE flag_id = ? ORDER BY created_at, audit_id", (flag_id,)
        )
        return [AuditRow(r["audit_id"], r["guild_id"], r["flag_id"], r["actor_id"], r["decision"],
                         r["state_before"], r["state_after"], r["note"], r["created_at"]) for r in rows]
