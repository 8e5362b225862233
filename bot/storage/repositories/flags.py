"""Flags (one per flagged message), their findings, held messages, and state changes with audit."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from bot import crashpoints
from bot.errors import CasewatchError
from bot.flags import Verdict
from bot.storage.database import Database
from bot.storage.ids import new_id, utcnow
from bot.storage.repositories.audit import insert_audit
from bot.storage.repositories.outbox import ActionSpec, insert_actions


class FlagState(StrEnum):
    OPEN = "open"  # waiting for a moderator
    CONFIRMED = "confirmed"  # a moderator agreed; the message stays down
    RESTORED = "restored"  # a moderator restored a held message
    DISMISSED = "dismissed"  # false positive
    ESCALATED = "escalated"  # passed to senior moderators / admins


class FlagNotFound(CasewatchError):
    pass


@dataclass(frozen=True)
class FindingRow:
    category: str
    detector: str
    kind: str
    label: str | None
    score: float
    reason: str


@dataclass(frozen=True)
class FlagRow:
    flag_id: int
    guild_id: int | None
    case_id: int | None
    channel_id: int | None
    message_id: str
    author_id: str
    author_name: str
    category: str
    action: str
    state: FlagState
    score: float
    reason: str
    excerpt: str
    signature: str
    queue_channel_id: int | None
    queue_message_id: int | None
    created_at: str
    updated_at: str
    findings: tuple[FindingRow, ...] = ()


@dataclass(frozen=True)
class HeldMessage:
    flag_id: int
    channel_id: int
    author_name: str
    author_avatar: str
    original_sealed: str
    redacted: str
    attachments: list[dict[str, Any]]


@dataclass(frozen=True)
class DetectorStats:
    detector: str
    flags: int
    confirmed: int
    dismissed: int

    @property
    def precision(self) -> float | None:
        decided = self.confirmed + self.dismissed
        return self.confirmed / decided if decided else None


def verdict_signature(verdict: Verdict) -> str:
    """What a verdict found, without content: used to skip an edit that only repeats an earlier flag."""
    parts = sorted({f"{f.category}:{f.detector}:{f.kind}:{f.label or ''}" for f in verdict.flags})
    return "|".join(parts)


def _row(r: Any, findings: Sequence[FindingRow] = ()) -> FlagRow:
    return FlagRow(
        r["flag_id"], r["guild_id"], r["case_id"], r["channel_id"], r["message_id"], r["author_id"],
        r["author_name"], r["category"], r["action"], FlagState(r["state"]), r["score"], r["reason"], r["excerpt"],
        r["signature"], r["queue_channel_id"], r["queue_message_id"], r["created_at"], r["updated_at"],
        tuple(findings),
    )


class FlagRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    def draft(
        self, verdict: Verdict, *, guild_id: int | None = None, case_id: int | None = None,
        channel_id: int | None = None, author_id: str | None = None, author_name: str = "",
    ) -> FlagRow:
        """The flag a verdict would be stored as (its id assigned, nothing written yet)."""
        if not verdict.flags:
            raise ValueError("a verdict without flags is not stored")
        top = max(verdict.flags, key=lambda f: (f.suggested.rank, f.score))
        now = utcnow()
        findings = sorted((FindingRow(str(f.category), f.detector, f.kind, f.label, f.score, f.reason)
                           for f in verdict.flags), key=lambda f: -f.score)
        return FlagRow(
            new_id(), guild_id, case_id, channel_id, str(verdict.message.id),
            str(author_id if author_id is not None else verdict.message.author), author_name, str(top.category),
            str(verdict.action), FlagState.OPEN, max(f.score for f in verdict.flags),
            "; ".join(dict.fromkeys(f.reason for f in verdict.flags)), verdict.excerpt, verdict_signature(verdict),
            None, None, now, now, tuple(findings),
        )

    async def add(
        self, verdict: Verdict, *, guild_id: int | None = None, case_id: int | None = None,
        channel_id: int | None = None, author_id: str | None = None, author_name: str = "",
        held: HeldMessage | None = None,
    ) -> int:
        """Store a flagged verdict (no actions); returns its id. See :meth:`store`."""
        flag = self.draft(verdict, guild_id=guild_id, case_id=case_id, channel_id=channel_id,
                          author_id=author_id, author_name=author_name)
        await self.store(flag, held=held)
        return flag.flag_id

    async def store(self, flag: FlagRow, *, held: HeldMessage | None = None, actions: Sequence[ActionSpec] = (),
                    audits: Sequence[tuple[str, str]] = ()) -> list[int]:
        """Store a drafted flag, its findings, the sealed original (for a hold), its audit rows and ALL its
        outbox actions in one transaction, before anything is attempted; returns the action ids in order.

        ``audits``: more ``(decision, note)`` rows by the bot (escalation steps) besides ``flagged:<action>``.
        """
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO flags (flag_id, guild_id, case_id, channel_id, message_id, author_id, author_name, "
                "category, action, state, score, reason, excerpt, signature, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?)",
                (flag.flag_id, flag.guild_id, flag.case_id, flag.channel_id, flag.message_id, flag.author_id,
                 flag.author_name, flag.category, flag.action, flag.score, flag.reason, flag.excerpt,
                 flag.signature, flag.created_at, flag.updated_at),
            )
            await conn.executemany(
                "INSERT INTO findings (finding_id, flag_id, category, detector, kind, label, score, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(new_id(), flag.flag_id, f.category, f.detector, f.kind, f.label, f.score, f.reason)
                 for f in flag.findings],
            )
            if held is not None:
                await conn.execute(
                    "INSERT INTO held_messages (flag_id, channel_id, author_name, author_avatar, original_sealed, "
                    "redacted, attachments_json, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (flag.flag_id, held.channel_id, held.author_name, held.author_avatar, held.original_sealed,
                     held.redacted, json.dumps(held.attachments), flag.created_at),
                )
            await insert_audit(conn, guild_id=flag.guild_id, flag_id=flag.flag_id, actor_id="casewatch",
                               decision=f"flagged:{flag.action}", state_before=None, state_after="open")
            for decision, note in audits:
                await insert_audit(conn, guild_id=flag.guild_id, flag_id=flag.flag_id, actor_id="casewatch",
                                   decision=decision, state_before=None, state_after=None, note=note)
            crashpoints.reached("flag.inserted")
            action_ids = await insert_actions(conn, actions, guild_id=flag.guild_id, flag_id=flag.flag_id)
            crashpoints.reached("actions.inserted")
        crashpoints.reached("flag.stored")
        return action_ids

    async def for_message(self, message_id: str) -> list[FlagRow]:
        """Every flag of a message (or ``title-<thread>``), oldest first, without findings."""
        rows = await self.db.fetchall("SELECT * FROM flags WHERE message_id = ? ORDER BY flag_id", (str(message_id),))
        return [_row(r) for r in rows]

    async def without_actions(self, *, days: int = 7, limit: int = 200) -> list[FlagRow]:
        """Open flags of the last ``days`` that have no outbox action at all (stored before actions were
        stored with their flag, or by an older version): the sweeper plans theirs again."""
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        rows = await self.db.fetchall(
            "SELECT flag_id FROM flags f WHERE f.state = 'open' AND f.created_at >= ? AND NOT EXISTS "
            "(SELECT 1 FROM outbox o WHERE o.flag_id = f.flag_id) ORDER BY f.flag_id LIMIT ?", (since, limit))
        flags = [await self.get(r["flag_id"]) for r in rows]
        return [f for f in flags if f is not None]

    async def get(self, flag_id: int) -> FlagRow | None:
        r = await self.db.fetchone("SELECT * FROM flags WHERE flag_id = ?", (flag_id,))
        if r is None:
            return None
        fr = await self.db.fetchall(
            "SELECT category, detector, kind, label, score, reason FROM findings WHERE flag_id = ? "
            "ORDER BY score DESC", (flag_id,),
        )
        return _row(r, [FindingRow(x["category"], x["detector"], x["kind"], x["label"], x["score"], x["reason"])
                        for x in fr])

    async def latest_for_message(self, message_id: str) -> FlagRow | None:
        r = await self.db.fetchone(
            "SELECT flag_id FROM flags WHERE message_id = ? ORDER BY created_at DESC, flag_id DESC LIMIT 1",
            (str(message_id),),
        )
        return await self.get(r["flag_id"]) if r else None

    @staticmethod
    def _where(guild_id: int | None, state: str | None, category: str | None) -> tuple[str, list[Any]]:
        """The WHERE clause shared by :meth:`page` and :meth:`count`."""
        sql, params = " WHERE guild_id IS ?", list[Any]([guild_id])
        if state:
            sql += " AND state = ?"
            params.append(state)
        if category:
            sql += " AND category = ?"
            params.append(category)
        return sql, params

    async def page(
        self, guild_id: int | None, *, state: str | None = "open", category: str | None = None,
        limit: int = 10, offset: int = 0,
    ) -> list[FlagRow]:
        where, params = self._where(guild_id, state, category)
        sql = f"SELECT * FROM flags{where} ORDER BY created_at DESC, flag_id DESC LIMIT ? OFFSET ?"
        return [_row(r) for r in await self.db.fetchall(sql, [*params, limit, offset])]

    async def count(self, guild_id: int | None, *, state: str | None = "open", category: str | None = None) -> int:
        where, params = self._where(guild_id, state, category)
        row = await self.db.fetchone(f"SELECT COUNT(*) FROM flags{where}", params)
        return int(row[0]) if row else 0

    async def recent_by_author(
        self, guild_id: int | None, author_id: str, *, days: int = 30, category: str | None = None,
        states: Sequence[str] | None = None,
    ) -> int:
        since = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
        sql = "SELECT COUNT(*) FROM flags WHERE guild_id IS ? AND author_id = ? AND created_at >= ?"
        params: list[Any] = [guild_id, str(author_id), since]
        if category:
            sql += " AND category = ?"
            params.append(category)
        if states:
            sql += f" AND state IN ({', '.join('?' * len(states))})"
            params += list(states)
        row = await self.db.fetchone(sql, params)
        return int(row[0]) if row else 0

    async def set_queue_message(self, flag_id: int, channel_id: int, message_id: int) -> None:
        async with self.db.transaction() as conn:
            await conn.execute(
                "UPDATE flags SET queue_channel_id = ?, queue_message_id = ?, updated_at = ? WHERE flag_id = ?",
                (channel_id, message_id, utcnow(), flag_id),
            )

    async def transition(
        self, flag_id: int, new_state: FlagState | str, *, actor_id: str, decision: str, note: str = "",
    ) -> tuple[FlagState, FlagState]:
        """Change a flag's state and write the audit row in one transaction; returns (before, after)."""
        before, after, _ = await self.resolve(flag_id, new_state, actor_id=actor_id, decision=decision, note=note)
        return before, after

    async def resolve(
        self, flag_id: int, new_state: FlagState | str, *, actor_id: str, decision: str, note: str = "",
        actions: Sequence[ActionSpec] = (),
    ) -> tuple[FlagState, FlagState, list[int]]:
        """Change a flag's state, write the audit row and store the ``actions`` the decision needs, in one
        transaction; returns (before, after, action ids).

        Resolving a flag (confirm, restore, dismiss) discards its sealed original: a caller that reposts
        it (restore, dismissing a wrongful removal) reads it first and hands it to the outbox, which
        forgets it once the repost is done.
        """
        after = FlagState(new_state)
        async with self.db.transaction() as conn:
            async with conn.execute("SELECT state, guild_id FROM flags WHERE flag_id = ?", (flag_id,)) as cur:
                r = await cur.fetchone()
            if r is None:
                raise FlagNotFound(f"flag {flag_id} does not exist")
            before = FlagState(r["state"])
            await conn.execute(
                "UPDATE flags SET state = ?, updated_at = ? WHERE flag_id = ?", (str(after), utcnow(), flag_id)
            )
            if after in (FlagState.CONFIRMED, FlagState.RESTORED, FlagState.DISMISSED):
                await conn.execute("DELETE FROM held_messages WHERE flag_id = ?", (flag_id,))
            await insert_audit(conn, guild_id=r["guild_id"], flag_id=flag_id, actor_id=actor_id,
                               decision=decision, state_before=str(before), state_after=str(after), note=note)
            action_ids = await insert_actions(conn, actions, guild_id=r["guild_id"], flag_id=flag_id)
        return before, after, action_ids

    async def held(self, flag_id: int) -> HeldMessage | None:
        r = await self.db.fetchone("SELECT * FROM held_messages WHERE flag_id = ?", (flag_id,))
        if r is None:
            return None
        return HeldMessage(r["flag_id"], r["channel_id"], r["author_name"], r["author_avatar"],
                           r["original_sealed"], r["redacted"], json.loads(r["attachments_json"]))

    async def stats(self, guild_id: int | None) -> list[DetectorStats]:
        rows = await self.db.fetchall(
            "SELECT fi.detector AS detector, COUNT(DISTINCT f.flag_id) AS n, "
            "COUNT(DISTINCT CASE WHEN f.state = 'confirmed' THEN f.flag_id END) AS confirmed, "
            "COUNT(DISTINCT CASE WHEN f.state = 'dismissed' THEN f.flag_id END) AS dismissed "
            "FROM flags f JOIN findings fi ON fi.flag_id = f.flag_id WHERE f.guild_id IS ? "
            "GROUP BY fi.detector ORDER BY n DESC, detector",
            (guild_id,),
        )
        return [DetectorStats(r["detector"], r["n"], r["confirmed"], r["dismissed"]) for r in rows]
