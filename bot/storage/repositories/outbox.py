"""The outbox: a Discord action is stored before it is attempted and marked done after.

A flag's actions are inserted in the flag's own transaction (:func:`insert_actions`), so a crash never
leaves a flag without its actions. Actions of one flag run in ``action_id`` order: an action is runnable
only when no earlier action of its flag is still pending. Whatever is still ``pending`` after a crash, an
outage or a rate limit is retried when the bot starts and by the sweeper while it runs.

Several workers (bot processes) share one outbox through leases (:meth:`OutboxRepository.claim`): a claim
is one transaction that locks the action's row (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: a row another
worker is claiming is skipped, not waited for), checks that it is pending, unleased or past its lease and
first of its flag, and writes the worker's name and lease end. A worker that dies leaves its lease to
expire; another then finishes the action.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.storage.database import Database, Transaction
from bot.storage.ids import new_id, utcnow

MAX_ATTEMPTS = 8
SEALED_KEYS = frozenset({"sealed"})  # payload keys holding sealed original text


class ActionSpec(Protocol):
    """An action to store: ``bot.action_plan.Planned``."""

    @property
    def kind(self) -> str: ...
    @property
    def payload(self) -> dict[str, Any]: ...


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


async def insert_actions(conn: Transaction, actions: Sequence[ActionSpec], *, guild_id: int | None,
                         flag_id: int | None) -> list[int]:
    """Insert ``actions`` inside the caller's transaction, in order; returns their ids (increasing)."""
    now = utcnow()
    rows = [(new_id(), guild_id, flag_id, action.kind, json.dumps(action.payload), now, now) for action in actions]
    await conn.executemany(  # one round trip for all of them
        "INSERT INTO outbox (action_id, guild_id, flag_id, kind, payload_json, status, attempts, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)", rows)
    return [row[0] for row in rows]


#: Pending actions with no earlier pending action of the same flag (actions without a flag always), whose
#: lease (if any) has ended by the time given as the one parameter.
_RUNNABLE = ("SELECT * FROM outbox o WHERE o.status = 'pending' AND (o.lease_until IS NULL OR o.lease_until < ?) "
             "AND NOT EXISTS (SELECT 1 FROM outbox p "
             "WHERE p.flag_id = o.flag_id AND p.status = 'pending' AND p.action_id < o.action_id)")


def now_ms() -> int:
    """The lease clock: milliseconds since the Unix epoch."""
    return int(time.time() * 1000)


class OutboxRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def enqueue(self, kind: str, payload: dict[str, Any], *, guild_id: int | None = None,
                      flag_id: int | None = None) -> int:
        """Store one action before attempting it. The payload must carry no registered identifier."""
        async with self.db.transaction() as conn:
            (action_id,) = await insert_actions(conn, [_Spec(kind, payload)], guild_id=guild_id, flag_id=flag_id)
        return action_id

    async def add_if_none(self, flag_id: int, guild_id: int | None, actions: Sequence[ActionSpec]) -> list[int]:
        """Store a flag's actions unless it has some already (checked in the same transaction)."""
        if not actions:
            return []
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT 1 FROM outbox WHERE flag_id = ? LIMIT 1", (flag_id,)) as cur:
                if await cur.fetchone() is not None:
                    return []
            return await insert_actions(conn, actions, guild_id=guild_id, flag_id=flag_id)

    async def get(self, action_id: int) -> OutboxItem | None:
        r = await self.db.fetchone("SELECT * FROM outbox WHERE action_id = ?", (action_id,))
        return _item(r) if r else None

    async def runnable(self, limit: int = 100) -> list[OutboxItem]:
        """The pending actions that may run now (the first pending one of each flag, not leased to a
        worker), oldest first."""
        rows = await self.db.fetchall(f"{_RUNNABLE} ORDER BY o.action_id LIMIT ?", (now_ms(), limit))
        return [_item(r) for r in rows]

    async def claim(self, action_id: int, owner: str, lease_ms: int) -> OutboxItem | None:
        """Lease the action to ``owner`` for ``lease_ms`` if it may run now; ``None`` if it may not
        (done, failed, leased to a worker, an earlier action of its flag pending, or being claimed)."""
        now = now_ms()
        skip = " FOR UPDATE OF o SKIP LOCKED" if self.db.dialect == "postgresql" else ""
        candidate = _RUNNABLE.replace("SELECT *", "SELECT o.action_id", 1)
        result = await self.db.execute(  # one statement: lock the row (skipping one being claimed), lease it
            f"UPDATE outbox SET lease_owner = ?, lease_until = ? WHERE action_id = "
            f"({candidate} AND o.action_id = ?{skip}) RETURNING *", (owner, now + lease_ms, now, action_id))
        row = await result.fetchone()
        return _item(row) if row is not None else None

    async def release(self, action_id: int, owner: str) -> None:
        """Give a claimed action back (it stays pending) before its lease ends."""
        async with self.db.transaction() as tx:
            await tx.execute("UPDATE outbox SET lease_owner = NULL, lease_until = NULL "
                             "WHERE action_id = ? AND lease_owner = ?", (action_id, owner))

    async def blocked(self, item: OutboxItem) -> bool:
        """Whether an earlier action of the item's flag is still pending (it must run first)."""
        if item.flag_id is None:
            return False
        row = await self.db.fetchone(
            "SELECT 1 FROM outbox WHERE flag_id = ? AND status = 'pending' AND action_id < ? LIMIT 1",
            (item.flag_id, item.action_id))
        return row is not None

    async def mark_done(self, action_id: int) -> None:
        """Mark an action done and forget any sealed original text its payload carried."""
        quick = await self.db.execute(  # the common case, one statement: no sealed text in the payload
            "UPDATE outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, lease_owner = NULL, "
            "lease_until = NULL, updated_at = ? WHERE action_id = ? AND payload_json NOT LIKE ?",
            (utcnow(), action_id, '%"sealed"%'))
        if quick.rowcount:
            return
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT payload_json FROM outbox WHERE action_id = ?", (action_id,)) as cur:
                row = await cur.fetchone()
            payload = {k: v for k, v in json.loads(row[0]).items() if k not in SEALED_KEYS} if row else {}
            await conn.execute(
                "UPDATE outbox SET status = 'done', attempts = attempts + 1, last_error = NULL, payload_json = ?, "
                "lease_owner = NULL, lease_until = NULL, updated_at = ? WHERE action_id = ?",
                (json.dumps(payload), utcnow(), action_id),
            )

    async def mark_attempt_failed(self, action_id: int, error: str, *, give_up: bool = False) -> None:
        """Record a failed attempt; after :data:`MAX_ATTEMPTS` (or ``give_up``) the action is ``failed``."""
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, updated_at = ?, "
                "lease_owner = NULL, lease_until = NULL, "
                "status = CASE WHEN ? OR attempts + 1 >= ? THEN 'failed' ELSE 'pending' END "
                "WHERE action_id = ?", (error[:500], utcnow(), int(give_up), MAX_ATTEMPTS, action_id),
            )

    async def pending(self, limit: int = 100) -> list[OutboxItem]:
        rows = await self.db.fetchall(
            "SELECT * FROM outbox WHERE status = 'pending' ORDER BY action_id LIMIT ?", (limit,)
        )
        return [_item(r) for r in rows]

    async def for_flag(self, flag_id: int) -> list[OutboxItem]:
        rows = await self.db.fetchall("SELECT * FROM outbox WHERE flag_id = ? ORDER BY action_id", (flag_id,))
        return [_item(r) for r in rows]


@dataclass(frozen=True, slots=True)
class _Spec:
    kind: str
    payload: dict[str, Any]
