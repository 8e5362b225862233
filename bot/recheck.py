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

from bot.protected_text import label_protected
from bot.registry import ProtectedRegistry
from bot.storage import Store
from bot.storage.repositories.outbox import SEALED_KEYS

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
    async with store.db.transaction() as conn:
        for table, column, key, key_value, new in updates:
            await conn.execute(f"UPDATE {table} SET {column} = ? WHERE {key} = ?", (new, key_value))
        for payload_json, action_id in payloads:
            await conn.execute("UPDATE outbox SET payload_json = ? WHERE action_id = ?", (payload_json, action_id))
        if report.total:
            await conn.execute("DELETE FROM summaries WHERE case_id = ?", (case_id,))
    return report
