"""Migration 002 and the threads' catch-up cursors: batched, forward only, per guild."""

from __future__ import annotations

from bot.storage import Store
from tests.pg import columns


async def test_migration_adds_the_cursor_column(store: Store) -> None:
    assert store.schema_version >= 2
    assert "last_message_id" in await columns(store.db, "threads")


async def test_cursors_move_forward_only_and_ignore_unlinked_threads(store: Store) -> None:
    await store.guilds.ensure(1)
    await store.guilds.ensure(2)
    case = await store.cases.create(1, "c1")
    other = await store.cases.create(2, "c2")
    await store.cases.link_thread(100, 1, case, 10)
    await store.cases.link_thread(101, 1, case, 10)
    await store.cases.link_thread(200, 2, other, 20)
    assert await store.cases.cursors(1) == {100: None, 101: None}

    await store.cases.advance_cursors({100: 5_000, 101: 7_000, 999: 1})  # 999 is not linked
    await store.cases.advance_cursors({100: 4_000})  # older: ignored
    assert await store.cases.cursors(1) == {100: 5_000, 101: 7_000}
    assert await store.cases.cursors(2) == {200: None}
    await store.cases.advance_cursors({})
    await store.cases.advance_cursors({100: 9_000})
    assert (await store.cases.cursors(1))[100] == 9_000
