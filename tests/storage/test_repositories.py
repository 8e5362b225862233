import pytest

from bot.flags import Action, Category, Flag, Message, Span, Verdict
from bot.guild_settings import GuildSettings
from bot.storage import FlagState, HeldMessage, Store
from bot.storage.repositories.flags import FlagNotFound
from tests.pg import dump


def verdict(mid: str = "m1", author: str = "u1", detector: str = "protected_party") -> Verdict:
    flag = Flag(Category.PROTECTED_IDENTITY, detector, 0.97, "names the pupil (full name)",
                (Span(5, 15, "[the pupil]"),), kind="full_name", label="the pupil", suggested=Action.REMOVE)
    return Verdict(Message(mid, author, "it's XXXXXXXXXX"), [flag], Action.REMOVE, "it's [the pupil]")


async def test_guild_settings_round_trip(store: Store) -> None:
    assert (await store.guilds.get_settings(42)).queue_channel_id is None
    s = GuildSettings(queue_channel_id=7, watched_forum_ids=[1, 2], policy={"abuse": "hold"})
    await store.guilds.save_settings(42, s)
    assert await store.guilds.get_settings(42) == s


async def test_case_thread_and_party(store: Store) -> None:
    await store.guilds.ensure(1)
    cid = await store.cases.create(1, "case-a", "A case")
    assert await store.cases.create(1, "case-a") == cid
    await store.cases.link_thread(100, 1, cid, forum_id=10)
    assert (await store.cases.for_thread(100)).case_id == cid
    await store.cases.put_party(cid, "the pupil", "s.39", [{"d": "ab12"}], name_count=2)
    await store.cases.put_party(cid, "the pupil", "s.45", [{"d": "cd34"}], name_count=1)
    parties = await store.cases.parties(cid)
    assert [(p.label, p.basis, p.records) for p in parties] == [("the pupil", "s.45", [{"d": "cd34"}])]
    assert await store.cases.remove_party(cid, "the pupil")
    assert not await store.cases.remove_party(cid, "the pupil")
    await store.cases.allow(cid, "ff00")
    await store.cases.allow(cid, "ff00")
    assert await store.cases.allowlist(cid) == {"ff00"}


async def test_flag_lifecycle_is_audited(store: Store) -> None:
    fid = await store.flags.add(verdict(), guild_id=1, channel_id=5)
    row = await store.flags.get(fid)
    assert row.state is FlagState.OPEN and row.category == "protected_identity" and row.action == "remove"
    assert row.findings[0].label == "the pupil" and row.excerpt == "it's [the pupil]"
    before, after = await store.flags.transition(
        fid, FlagState.CONFIRMED, actor_id="mod9", decision="confirm")
    assert (before, after) == (FlagState.OPEN, FlagState.CONFIRMED)
    audit = await store.audit.for_flag(fid)
    assert [(a.actor_id, a.state_before, a.state_after) for a in audit] == [
        ("casewatch", None, "open"), ("mod9", "open", "confirmed")]
    with pytest.raises(FlagNotFound):
        await store.flags.transition(999, FlagState.DISMISSED, actor_id="m", decision="dismiss")


async def test_held_original_is_sealed_and_discarded_on_confirm(store: Store, tmp_path) -> None:
    sealed = store.sealer.seal("the original naming text")
    held = HeldMessage(0, 5, "member", "", sealed, "the original [the pupil] text", [])
    fid = await store.flags.add(verdict(), guild_id=1, held=held)
    got = await store.flags.held(fid)
    assert got and store.sealer.open(got.original_sealed) == "the original naming text"
    assert "naming text" not in await dump(store.db)
    await store.flags.transition(fid, FlagState.CONFIRMED, actor_id="m", decision="confirm")
    assert await store.flags.held(fid) is None


async def test_list_count_stats_and_recent(store: Store) -> None:
    a = await store.flags.add(verdict("m1", "u1"), guild_id=1)
    await store.flags.add(verdict("m2", "u1", detector="identifying_detail"), guild_id=1)
    await store.flags.add(verdict("m3", "u2"), guild_id=2)
    await store.flags.transition(a, FlagState.DISMISSED, actor_id="m", decision="dismiss")
    assert [r.message_id for r in await store.flags.page(1)] == ["m2"]
    assert await store.flags.count(1, state=None) == 2
    assert await store.flags.recent_by_author(1, "u1") == 2
    stats = {s.detector: s for s in await store.flags.stats(1)}
    assert stats["protected_party"].dismissed == 1 and stats["protected_party"].precision == 0.0
    assert stats["identifying_detail"].precision is None


async def test_outbox_retries_until_done_or_failed(store: Store) -> None:
    aid = await store.outbox.enqueue("delete_message", {"channel_id": 1, "message_id": 2}, guild_id=1)
    assert [i.action_id for i in await store.outbox.pending()] == [aid]
    await store.outbox.mark_attempt_failed(aid, "429 rate limited")
    item = await store.outbox.get(aid)
    assert item.status == "pending" and item.attempts == 1 and item.last_error == "429 rate limited"
    await store.outbox.mark_done(aid)
    assert await store.outbox.pending() == []
    bad = await store.outbox.enqueue("dm_author", {"user_id": 3})
    await store.outbox.mark_attempt_failed(bad, "403 cannot DM", give_up=True)
    assert (await store.outbox.get(bad)).status == "failed"


async def test_sources_dedupe_and_invalidate_summary(store: Store) -> None:
    cid = await store.cases.create(None, "offline")
    await store.sources.put_summary(cid, "fp1", {"sentences": []})
    s1 = await store.sources.add(cid, body="Article text.", url="https://e.example/a", title="A")
    assert await store.sources.add(cid, body="Article text.") == s1
    assert await store.sources.cached_summary(cid) is None
    await store.sources.put_summary(cid, "fp2", {"sentences": [{"text": "x", "sources": [1]}]})
    assert (await store.sources.cached_summary(cid)).fingerprint == "fp2"
    assert (await store.sources.by_url(cid, "https://e.example/a")).title == "A"
    withheld = await store.sources.add(cid, body="Other text.", title="B", withheld_site="forum.example")
    sites = {d.stored_id: d.withheld_site for d in await store.sources.for_case(cid)}
    assert sites == {s1: "", withheld: "forum.example"}


async def test_done_action_forgets_sealed_payload(store: Store) -> None:
    aid = await store.outbox.enqueue("repost", {"channel_id": 1, "sealed": store.sealer.seal("x")})
    await store.outbox.mark_done(aid)
    assert (await store.outbox.get(aid)).payload == {"channel_id": 1}


async def test_dismissed_flag_discards_sealed_original(store: Store) -> None:
    held = HeldMessage(0, 5, "member", "", store.sealer.seal("text"), "[the pupil]", [])
    fid = await store.flags.add(verdict(), guild_id=1, held=held)
    await store.flags.transition(fid, FlagState.DISMISSED, actor_id="m", decision="dismiss")
    assert await store.flags.held(fid) is None
