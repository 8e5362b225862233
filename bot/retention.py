"""Retention: sealed originals and free text are kept ``RETENTION_DAYS`` (default 30), then purged.

What goes, past the cutoff:

- the sealed original of a held message whose flag was escalated, or one of whose actions failed for good
  (a resolved flag's original is discarded at once; an open one is still waiting for a moderator);
- the sealed original inside an action that failed for good (a repost Discord never accepted);
- the free text of audit rows (their ``note``).

What stays: every flag, its state and findings, and every audit row with its decision, actor, states and
time: the audit log keeps each decision without content. Each purge is itself audited (decision
``retention_purge``, no note).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.storage.database import Database
from bot.storage.ids import new_id, utcnow
from bot.storage.repositories.outbox import SEALED_KEYS

DEFAULT_RETENTION_DAYS = 30
PURGE_DECISION = "retention_purge"


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What one purge removed (counts only)."""

    held_originals: int = 0
    failed_actions: int = 0
    audit_notes: int = 0

    @property
    def total(self) -> int:
        return self.held_originals + self.failed_actions + self.audit_notes

    def line(self) -> str:
        return (f"purged {self.held_originals} sealed original(s) of escalated or failed flags, "
                f"{self.failed_actions} of failed action(s), and the text of {self.audit_notes} audit row(s)")


def cutoff(days: int, now: datetime | None = None) -> str:
    """The ISO-8601 UTC time before which content is purged."""
    if days < 1:
        raise ValueError("retention must be at least one day")
    return ((now or datetime.now(UTC)) - timedelta(days=days)).isoformat(timespec="seconds")


async def purge(db: Database, *, days: int = DEFAULT_RETENTION_DAYS, guild_id: int | None = None,
                actor_id: str = "casewatch", now: datetime | None = None) -> PurgeReport:
    """Purge what is older than ``days`` (in one guild, or all); one transaction, audited."""
    before = cutoff(days, now)
    scope, scope_params = ("", ()) if guild_id is None else (" AND f.guild_id = ?", (guild_id,))
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT h.flag_id, f.guild_id, f.state FROM held_messages h JOIN flags f ON f.flag_id = h.flag_id "
            "WHERE ((f.state = 'escalated' AND f.updated_at < ?) OR EXISTS (SELECT 1 FROM outbox o WHERE "
            f"o.flag_id = f.flag_id AND o.status = 'failed' AND o.updated_at < ?)){scope}",
            (before, before, *scope_params),
        ) as cur:
            held = [(r[0], r[1], r[2]) for r in await cur.fetchall()]
        for flag_id, _guild, _state in held:
            await conn.execute("DELETE FROM held_messages WHERE flag_id = ?", (flag_id,))

        action_scope = "" if guild_id is None else " AND guild_id = ?"
        async with conn.execute(
            "SELECT action_id, payload_json FROM outbox WHERE status = 'failed' AND updated_at < ?"
            f"{action_scope}", (before, *scope_params),
        ) as cur:
            failed = list(await cur.fetchall())
        scrubbed = 0
        for action_id, payload_json in failed:
            try:
                payload = json.loads(payload_json)
            except ValueError:
                payload = None
            if not isinstance(payload, dict) or not any(k in payload for k in SEALED_KEYS):
                continue
            kept = {k: v for k, v in payload.items() if k not in SEALED_KEYS} | {"purged": True}
            await conn.execute("UPDATE outbox SET payload_json = ?, updated_at = ? WHERE action_id = ?",
                               (json.dumps(kept), utcnow(), action_id))
            scrubbed += 1

        async with conn.execute(
            f"UPDATE audit_log SET note = '' WHERE note != '' AND created_at < ?{action_scope}",
            (before, *scope_params),
        ) as cur:
            notes = cur.rowcount or 0

        now_text = utcnow()
        for flag_id, flag_guild, state in held:
            await conn.execute(
                "INSERT INTO audit_log (audit_id, guild_id, flag_id, actor_id, decision, state_before, "
                "state_after, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)",
                (new_id(), flag_guild, flag_id, actor_id, PURGE_DECISION, state, state, now_text),
            )
    report = PurgeReport(len(held), scrubbed, notes)
    if report.total:
        await db.forget_old_versions()  # the WAL still holds what was purged
    return report


class RetentionService:
    """``/flags purge`` and the daily purge, over the store (the cogs never touch it)."""

    def __init__(self, db: Database, days: int = DEFAULT_RETENTION_DAYS) -> None:
        self._db = db
        self.days = days

    async def purge(self, *, guild_id: int | None = None, actor_id: str = "casewatch") -> PurgeReport:
        return await purge(self._db, days=self.days, guild_id=guild_id, actor_id=actor_id)
