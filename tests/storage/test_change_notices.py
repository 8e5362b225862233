"""A change made by one process reaches the caches of another through PostgreSQL LISTEN/NOTIFY: a party
registered (``/case protect`` served by another shard's process) and guild settings."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.guild_settings import GuildSettings
from bot.posts import Post
from bot.services import Services
from bot.storage import Store
from tests.conftest import SECRET_KEY

GUILD, FORUM, THREAD = 1, 10, 100
NAME = "Quentin Marlowe-Fitch"


def post(message_id: int, content: str) -> Post:
    return Post(guild_id=GUILD, thread_id=THREAD, forum_id=FORUM, message_id=message_id, author_id=5,
                author_name="poster", content=content)


async def eventually(predicate: Callable[[], object], timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await predicate():  # type: ignore[misc]
        assert asyncio.get_running_loop().time() < deadline, "the change did not arrive"
        await asyncio.sleep(0.02)


async def two_processes(target: str | Path) -> tuple[Store, Services, Store, Services]:
    a, b = await Store.open(target, SECRET_KEY), await Store.open(target, SECRET_KEY)
    await a.db.listen()
    await b.db.listen()
    return a, Services.build(a, SECRET_KEY), b, Services.build(b, SECRET_KEY)


async def test_settings_and_a_registered_party_reach_the_other_process(db_target: str | Path) -> None:
    if "://" not in str(db_target):
        pytest.skip("SQLite is one process: see test_a_change_in_this_process_drops_the_cache")
    a, svc_a, b, svc_b = await two_processes(db_target)
    try:
        await svc_a.settings.save(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=7))
        assert (await svc_b.settings.get(GUILD)).queue_channel_id == 7
        case_id = await svc_b.cases.case_id_for(GUILD, FORUM, THREAD, title="R v Example")
        assert not (await svc_b.checks.check(post(1, f"it was {NAME} all along"))).verdict.flags

        # process A serves /case protect; process B checks the thread's next message
        await svc_a.cases.protect(case_id, "the complainant", "SOA 1992 s.1", [NAME], [], actor_id="mod")

        async def flagged() -> bool:
            outcome = await svc_b.checks.check(post(2 + int(asyncio.get_running_loop().time() * 1000),
                                                    f"it was {NAME} all along"))
            return bool(outcome.verdict and outcome.verdict.flags)

        await eventually(flagged)

        await svc_a.settings.save(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=8))

        async def settled() -> bool:
            return (await svc_b.settings.get(GUILD)).queue_channel_id == 8

        await eventually(settled)
    finally:
        await a.close()
        await b.close()


async def test_a_change_in_this_process_drops_the_cache(db_target: str | Path) -> None:
    """A repository write made behind the services' back (another cog, a script) still reaches them."""
    store = await Store.open(db_target, SECRET_KEY)
    await store.db.listen()
    try:
        svc = Services.build(store, SECRET_KEY)
        await store.guilds.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM]))
        assert (await svc.settings.get(GUILD)).watched_forum_ids == [FORUM]
        await store.guilds.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM, 11]))

        async def settled() -> bool:
            return (await svc.settings.get(GUILD)).watched_forum_ids == [FORUM, 11]

        await eventually(settled)
    finally:
        await store.close()
