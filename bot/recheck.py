"""When a party is registered, what the database already holds about its case is checked again.

A thread title, a poster's display name, a source's URL or an excerpt stored before the registration
may name the newly protected party. Each is rewritten with the party's label; pending actions' texts
(the notice, the queue post, a retitle) are rewritten the same way before they are sent, and the case's
cached summary is dropped so that it is rebuilt. Matching runs off the event loop.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from typing import Any

from bot.action_plan import Planned
from bot.protected_text import label_protected
from bot.registry import ProtectedRegistry
from bot.storage import Store
from bot.storage.repositories.outbox import SEALED_KEYS, insert_actions

# (table, key column, text columns, the WHERE clause selecting the case's rows)
_TARGETS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("cases", "case_id", ("title",), "case_id = ?"),
    ("flags", "flag_id", ("author_name", "excerpt"), "case_id = ?"),
    ("held_messages", "flag_id", ("author_name", "redacted"),
     "flag_id IN (SELECT flag_id FROM flags WHERE case_id = ?)"),
    ("sources", "source_id", ("url", "title", "publisher", "body"), "case_id = ?"),
)


@dataclass(slots=True)
class RecheckReport:
    """How many stored texts were rewritten, per ``table.column`` (counts only, never the texts)."""

    rewritten: dict[str, int] = field(default_factory=dict)
    queue_updates: int = 0  # queue posts on Discord to be edited

    @property
    def total(self) -> int:
        return sum(self.rewritten.values())


def _relabel_payload(payload: Any, registry: ProtectedRegistry) -> Any:
    if isinstance(payload, str):
        return label_protected(payload, registry)
    if isinstance(payload, list):
        return [_relabel_payload(v, registry) for v in payload]
    if isinstance(payload, dict):
        return {k: v if k in SEALED_KEYS else _relabel_payload(v, registry) for k, v in payload.items()}
    return payload


async def recheck_case(store: Store, case_id: int, registry: ProtectedRegistry) -> RecheckReport:
    """Rewrite every stored text of ``case_id`` that ``registry`` matches; one transaction."""
    report = RecheckReport()
    updates: list[tuple[str, str, str, Any, str]] = []  # (table, column, key column, key, new text)
    for table, key, columns, where in _TARGETS:
        rows = await store.db.fetchall(f"SELECT {key}, {', '.join(columns)} FROM {table} WHERE {where}", (case_id,))
        for row in rows:
            for column in columns:
                old = row[column] or ""
                new = await asyncio.to_thread(label_protected, old, registry) if old else old
                if new != old:
                    updates.append((table, column, key, row[key], new))
                    name = f"{table}.{column}"
                    report.rewritten[name] = report.rewritten.get(name, 0) + 1
    pending = await store.db.fetchall(
        "SELECT action_id, payload_json FROM outbox WHERE status = 'pending' "
        "AND flag_id IN (SELECT flag_id FROM flags WHERE case_id = ?)", (case_id,))
    payloads = []
    for row in pending:
        payload = json.loads(row["payload_json"])
        relabelled = await asyncio.to_thread(_relabel_payload, payload, registry)
        if relabelled != payload:
            payloads.append((json.dumps(relabelled), row["action_id"]))
    if payloads:
        report.rewritten["outbox.payload_json"] = len(payloads)
    # queue posts already on Discord show the old author name or excerpt: edit them (an action, stored here)
    flags_changed = {key_value for table, _c, _k, key_value, _n in updates if table in ("flags", "held_messages")}
    async with store.db.transaction() as conn:
        for table, column, key, key_value, new in updates:
            await conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (new, key_value))
        for payload_json, action_id in payloads:
            await conn.execute("UPDATE outbox SET payload_json = ? WHERE action_id = ?", (payload_json, action_id))
        for flag_id in sorted(flags_changed):
            async with conn.execute("SELECT guild_id, queue_message_id FROM flags WHERE flag_id = ?",
                                    (flag_id,)) as cur:
                queued = await cur.fetchone()
            if queued is not None and queued["queue_message_id"] is not None:
                await insert_actions(conn, [Planned("queue_update", {})], guild_id=queued["guild_id"],
                                     flag_id=flag_id)
                report.queue_updates += 1
        if report.total:
            await conn.execute("DELETE FROM summaries WHERE case_id = ?", (case_id,))
    if report.total:
        await store.db.forget_old_versions()  # the WAL still holds the rows as they were
    return report
