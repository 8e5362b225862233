"""The outbox: a Discord action is stored before it is attempted and marked done after.

A crash, an outage or a rate limit therefore never loses an action: whatever is still ``pending``
is retried when the bot starts (and by the retry loop while it runs).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from bot.storage.database import Database
from bot.storage.ids import new_id, utcnow

MAX_ATTEMPTS = 8
SEALED_KEYS = frozenset({"sealed"})  # payload keys holding sealed original text


@dataclass(frozen=True)
class OutboxItem:
    action_id: int
    guild_id: int | None
    flag_id: int | None
    kind: str
    payload: dict[str, Any]
    status: str
    attempts: int
    last_error: str | None


def _item(r: Any) -> OutboxItem:
    return OutboxItem(r["action_id"], r["guild_id"], r["flag_id"], r["kind"], json.loads(r["payload_json"]),
                      r["status"], r["attempts"], r["last_error"])


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, kind: str, payload: dict[str, Any], *, guild_id: int | None = None,
                      flag_id: int | None = None) -> int:
        """Store an action before attempting it. The payload must carry no registered identifier."""
        action_id, now = new_id(), utcnow()
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO outbox (action_id, guild_id, flag_id, kind, payload_json, status, attempts, "
                "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
                (action_id, guild_id, flag_id, kind, json.dumps(payload), now, now),
            )
        return action_id

    async def get(self, action_id: int) -> OutboxItem | None:
        r = await self.db.fetchone("SELECT * FROM outbox WHERE action_id = ?", (action_id,))
        return _item(r) if r else None

    async def mark_done(self, action_id: int) -> None:
        """Mark an action done and forget any sealed original text its payload carried."""
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT payload_json FROM outbox WHERE action_id = ?", (action_id,)) as cur:
                row = await cur.fetchone()
            payload = {k: v for k, v in json.loads(row[0]).items() if k not in SEALED_KEYS} if row else {}
            await conn.execute(
                "UPDATE outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, payload_json = ?, "
                "updated_at = ? WHERE action_id = ?", (json.dumps(payload), utcnow(), action_id),
            )

    async def mark_attempt_failed(self, action_id: int, error: str, *, give_up: bool = False) -> None:
        """Record a failed attempt; after :data:`MAX_ATTEMPTS` (or ``give_up``) the action is ``failed``."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ?, "
                "status = CASE WHEN ? OR attempts + 1 >= ? THEN 'failed' ELSE 'pending' END "
                "WHERE action_id = ?", (error[:500], utcnow(), int(give_up), MAX_ATTEMPTS, action_id),
            )

    async def pending(self, limit: int = 100) -> list[OutboxItem]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE status = 'pending' ORDER BY created_at, action_id LIMIT ?", (limit,)
        )
        return [_item(r) for r in rows]

    async def for_flag(self, flag_id: int) -> list[OutboxItem]:
        rows = await self.db.fetchall("SELECT * FROM outbox WHERE flag_id = ? ORDER BY action_id", (flag_id,))
        return [_item(r) for r in rows]
