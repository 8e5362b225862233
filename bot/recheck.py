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

# (table, key column, text columns, the WHERE clause selecting the rows; {cases} and {threads} are the
# placeholders of the related case ids and of the case's thread ids)
_TARGETS: tuple[tuple[str, str, tuple[str, ...], str], ...] = (
    ("cases", "case_id", ("title",), "case_id IN ({cases})"),
    ("flags", "flag_id", ("author_name", "excerpt"), "case_id IN ({cases}) OR channel_id IN ({threads})"),
    ("held_messages", "flag_id", ("author_name", "redacted"),
     "flag_id IN (SELECT flag_id FROM flags WHERE case_id IN ({cases}) OR channel_id IN ({threads}))"),
    ("sources", "source_id", ("url", "title", "publisher", "body"), "case_id IN ({cases})"),
)


async def _related(store: Store, case_id: int) -> tuple[list[int], list[int]]:
    """The case and the cases its threads were opened under (a post later linked to an imported case keeps
    its own first case, with the post's title), and the case's thread ids."""
    threads = await store.cases.threads(case_id)
    keys = [f"thread-{t}" for t in threads]
    cases = {case_id}
    if keys:
        marks = ", ".join("?" * len(keys))
        cases |= {r["case_id"] for r in await store.db.fetchall(
            f"SELECT case_id FROM cases WHERE case_key IN ({marks})", keys)}
    return sorted(cases), threads


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


def _relabel_rows(rows: list[tuple[str, str, str, Any, str]], pending: list[tuple[int, str]],
                  registry: ProtectedRegistry) -> tuple[list[tuple[str, str, str, Any, str]], list[tuple[str, int]]]:
    """The CPU part (run in a worker thread): which texts change, and how."""
    updates = []
    for table, column, key, key_value, old in rows:
        new = label_protected(old, registry)
        if new != old:
            updates.append((table, column, key, key_value, new))
    payloads = []
    for action_id, payload_json in pending:
        payload = json.loads(payload_json)
        relabelled = _relabel_payload(payload, registry)
        if relabelled != payload:
            payloads.append((json.dumps(relabelled), action_id))
    return updates, payloads


async def recheck_case(store: Store, case_id: int, registry: ProtectedRegistry) -> RecheckReport:
    """Rewrite every stored text of ``case_id`` that ``registry`` matches; one transaction."""
    report = RecheckReport()
    cases, threads = await _related(store, case_id)
    marks = {"cases": ", ".join("?" * len(cases)), "threads": ", ".join("?" * len(threads)) or "NULL"}
    rows: list[tuple[str, str, str, Any, str]] = []  # (table, column, key column, key, text)
    for table, key, columns, where in _TARGETS:
        params = [*cases, *threads] if "{threads}" in where else cases
        found = await store.db.fetchall(
            f"SELECT {key}, {', '.join(columns)} FROM {table} WHERE {where.format(**marks)}", params)
        rows += [(table, column, key, row[key], row[column]) for row in found for column in columns if row[column]]
    pending = [(r["action_id"], r["payload_json"]) for r in await store.db.fetchall(
        "SELECT action_id, payload_json FROM outbox WHERE status = 'pending' AND flag_id IN (SELECT flag_id FROM "
        f"flags WHERE case_id IN ({marks['cases']}) OR channel_id IN ({marks['threads']}))", [*cases, *threads])]
    updates, payloads = await asyncio.to_thread(_relabel_rows, rows, pending, registry)
    for table, column, *_ in updates:
        report.rewritten[f"{table}.{column}"] = report.rewritten.get(f"{table}.{column}", 0) + 1
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
            await conn.executemany("DELETE FROM summaries WHERE case_id = ?", [(c,) for c in cases])
    if report.total:
        await store.db.forget_old_versions()  # the WAL still holds the rows as they were
    return report
