"""Retention: past RETENTION_DAYS the sealed originals of escalated flags and failed actions, and the free
text of audit rows, are purged; flags and decisions stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.flags import Action, Category, Flag, Message, Verdict
from bot.retention import PURGE_DECISION, purge
from bot.storage import FlagState, HeldMessage, Store

GUILD, OTHER_GUILD = 1, 2


def _verdict(message_id: str) -> Verdict:
    flag = Flag(category=Category.PROTECTED_IDENTITY, detector="registry", score=0.99, reason="names the complainant",
                suggested=Action.HOLD)
    return Verdict(Message(id=message_id, author="7", content="held text"), [flag], Action.HOLD,
                   "[the complainant] held text")


async def _held_flag(store: Store, message_id: str, guild_id: int = GUILD) -> int:
    held = HeldMessage(flag_id=0, channel_id=10, author_name="someone", author_avatar="",
                       original_sealed=store.sealer.seal("the original text"), redacted="[redacted]",
                       attachments=[])
    return await store.flags.add(_verdict(message_id), guild_id=guild_id, channel_id=10, held=held)


async def _age(store: Store, days: int) -> None:
    """Move every stored time ``days`` into the past (as if the rows were written then)."""
    then = (datetime.now(UTC) - timedelta(days=days)).isoformat(timespec="seconds")
    async with store.db.transaction() as conn:
        await conn.execute("UPDATE flags SET created_at = ?, updated_at = ?", (then, then))
        await conn.execute("UPDATE audit_log SET created_at = ?", (then,))
        await conn.execute("UPDATE outbox SET created_at = ?, updated_at = ?", (then, then))


async def test_old_escalated_originals_failed_reposts_and_audit_text_are_purged(store: Store) -> None:
    escalated = await _held_flag(store, "m1")
    await store.flags.transition(escalated, FlagState.ESCALATED, actor_id="mod", decision="escalate",
                                 note="free text from a decision")
    failed = await _held_flag(store, "m2")  # open, but its repost failed for good
    repost = await store.outbox.enqueue("repost", {"channel_id": 10, "sealed": store.sealer.seal("x")},
                                        guild_id=GUILD, flag_id=failed)
    await store.outbox.mark_attempt_failed(repost, "Forbidden", give_up=True)
    waiting = await _held_flag(store, "m4")  # still open, nothing failed: a moderator has yet to decide
    await _age(store, 31)
    recent = await _held_flag(store, "m3")
    await store.flags.transition(recent, FlagState.ESCALATED, actor_id="mod", decision="escalate", note="kept")

    report = await purge(store.db, days=30)

    assert (report.held_originals, report.failed_actions) == (2, 1)
    assert report.audit_notes == 1
    assert await store.flags.held(escalated) is None and await store.flags.held(failed) is None
    assert await store.flags.held(waiting) is not None and await store.flags.held(recent) is not None
    row = await store.db.fetchone("SELECT payload_json, status FROM outbox WHERE action_id = ?", (repost,))
    assert row is not None and "sealed" not in row["payload_json"] and row["status"] == "failed"
    # the decisions stay, without their text; the purge itself is audited
    audit = await store.audit.for_flag(escalated)
    assert [a.decision for a in audit] == ["flagged:hold", "escalate", PURGE_DECISION]
    assert all(a.note == "" for a in audit)
    flag = await store.flags.get(escalated)
    assert flag is not None and flag.state is FlagState.ESCALATED
    assert [a.note for a in await store.audit.for_flag(recent)][-1] == "kept"
    # a second run finds nothing more
    assert (await purge(store.db, days=30)).total == 0


async def test_purge_for_one_guild_leaves_the_others(store: Store) -> None:
    mine = await _held_flag(store, "m1", GUILD)
    theirs = await _held_flag(store, "m2", OTHER_GUILD)
    for flag_id in (mine, theirs):
        await store.flags.transition(flag_id, FlagState.ESCALATED, actor_id="mod", decision="escalate")
    await _age(store, 40)
    report = await purge(store.db, days=30, guild_id=GUILD, actor_id="mod")
    assert report.held_originals == 1
    assert await store.flags.held(mine) is None and await store.flags.held(theirs) is not None


async def test_a_shorter_retention_purges_sooner(store: Store) -> None:
    flag_id = await _held_flag(store, "m1")
    await store.flags.transition(flag_id, FlagState.ESCALATED, actor_id="mod", decision="escalate")
    await _age(store, 3)
    assert (await purge(store.db, days=30)).held_originals == 0
    assert (await purge(store.db, days=2)).held_originals == 1
