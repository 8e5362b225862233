"""Unit tests of the watch cog's catch-up after downtime: which threads, what history, what is replayed."""

from __future__ import annotations

import datetime
from collections.abc import AsyncIterator
from typing import Any

import discord

from bot.guild_settings import GuildSettings
from bot.posts import Outcome, Post
from cogs.watch import CATCH_UP_EDIT_WINDOW, CATCH_UP_LIMIT, CatchUp, Watch
from tests.helpers import CasewatchBotMock, MockGuild, MockMember, MockMessage, MockThread

FORUM, OTHER_FORUM = 10, 11


def make_cog(guild: MockGuild, cursors: dict[int, int | None]) -> tuple[Watch, CasewatchBotMock]:
    host = CasewatchBotMock()
    host.bot.guilds = [guild]
    host.services.settings.get.return_value = GuildSettings(watched_forum_ids=[FORUM])
    host.services.cursors.for_guild.return_value = cursors
    host.services.settings.watches.return_value = True
    host.services.checks.abuse = None
    host.services.checks.check.return_value = Outcome(verdict=None)
    return Watch(host, host.services), host  # type: ignore[arg-type]


def thread(guild: MockGuild, thread_id: int, *, parent: int = FORUM, archived: bool = False) -> MockThread:
    return MockThread(id=thread_id, guild=guild, parent_id=parent, archived=archived, name=f"post {thread_id}")


async def test_only_active_watched_threads_that_are_linked_or_newer_are_read_back() -> None:
    guild = MockGuild()
    linked, fresh_link, archived, elsewhere, old_unlinked, new_unlinked = (
        thread(guild, 100), thread(guild, 200), thread(guild, 300, archived=True),
        thread(guild, 400, parent=OTHER_FORUM), thread(guild, 450), thread(guild, 9_000))
    guild.threads = [linked, fresh_link, archived, elsewhere, old_unlinked, new_unlinked]
    cog, host = make_cog(guild, {100: 5_000, 200: None, 300: 4_000, 400: 4_500})
    seen: list[tuple[int, int | None]] = []

    async def record(t: Any, cursor: int | None, done: CatchUp) -> None:
        seen.append((t.id, cursor))

    cog._catch_up_thread = record  # type: ignore[method-assign]
    done = await cog.catch_up()
    assert seen == [(100, 5_000), (200, None), (9_000, None)]
    assert done.threads == 3
    host.services.cases.open_case.assert_awaited_once_with(guild.id, FORUM, 9_000, "post 9000")
    title: Post = host.services.checks.check.await_args.args[0]
    assert title.is_title and title.thread_id == 9_000, "a post opened while offline has its title checked"


async def test_history_after_the_cursor_is_replayed_oldest_first_then_recent_edits() -> None:
    guild = MockGuild()
    t = thread(guild, 100)
    author = MockMember()
    cursor = discord.utils.time_snowflake(datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    old_time = datetime.datetime(2025, 12, 1, tzinfo=datetime.UTC)
    new_time = datetime.datetime(2026, 1, 2, tzinfo=datetime.UTC)
    after = [MockMessage(id=cursor + i, channel=t, author=author, content=f"new {i}", edited_at=None)
             for i in (1, 2, 3)]
    before = [MockMessage(id=cursor, channel=t, author=author, content="edited offline", edited_at=new_time),
              MockMessage(id=cursor - 1, channel=t, author=author, content="edited long ago", edited_at=old_time),
              MockMessage(id=cursor - 2, channel=t, author=author, content="never edited", edited_at=None)]
    calls: list[dict[str, Any]] = []

    def history(**kwargs: Any) -> AsyncIterator[Any]:
        calls.append(kwargs)

        async def gen() -> AsyncIterator[Any]:
            for m in (after if "after" in kwargs else before):
                yield m
        return gen()

    t.history.side_effect = history
    guild.threads = [t]
    cog, host = make_cog(guild, {100: cursor})
    done = await cog.catch_up()

    assert calls[0]["after"].id == cursor and calls[0]["limit"] == CATCH_UP_LIMIT and calls[0]["oldest_first"]
    assert calls[1]["before"].id == cursor + 1 and calls[1]["limit"] == CATCH_UP_EDIT_WINDOW
    posts: list[Post] = [c.args[0] for c in host.services.checks.check.await_args_list]
    assert posts[0].is_title and posts[0].is_edit and posts[0].replay, "a rename while offline is caught"
    replayed = [(p.content, p.is_edit, p.replay) for p in posts[1:]]
    assert replayed == [("new 1", False, True), ("new 2", False, True), ("new 3", False, True),
                        ("edited offline", True, True)]
    assert (done.threads, done.messages) == (1, 4)


async def test_a_thread_without_a_cursor_is_read_from_its_opening_message_and_no_edit_pass() -> None:
    guild = MockGuild()
    t = thread(guild, 100)
    calls: list[dict[str, Any]] = []

    def history(**kwargs: Any) -> AsyncIterator[Any]:
        calls.append(kwargs)

        async def gen() -> AsyncIterator[Any]:
            return
            yield
        return gen()

    t.history.side_effect = history
    guild.threads = [t]
    cog, host = make_cog(guild, {100: None})
    await cog.catch_up()
    assert len(calls) == 1 and calls[0]["after"].id == 99, "from the opening message (same id as the thread)"
    host.services.checks.check.assert_not_awaited()


async def test_nothing_is_read_when_no_forum_is_watched() -> None:
    guild = MockGuild()
    guild.threads = [thread(guild, 100)]
    cog, host = make_cog(guild, {100: 1})
    host.services.settings.get.return_value = GuildSettings()
    assert await cog.catch_up() == CatchUp()
    host.services.cursors.for_guild.assert_not_awaited()
    guild.threads[0].history.assert_not_called()
