"""Unit tests of the watch cog with mocks specced on discord.py classes."""

from __future__ import annotations

import asyncio
import unittest.mock

import discord
import pytest

from bot.flags import Verdict
from bot.posts import Outcome, Post
from cogs.watch import Watch, post_from_message, post_from_thread
from tests.helpers import (
    CasewatchBotMock,
    MockMember,
    MockMessage,
    MockRole,
    MockTextChannel,
    MockThread,
    MockUser,
)


def test_post_from_message_carries_ids_roles_and_parent_forum() -> None:
    role = MockRole()
    thread = MockThread()
    author = MockMember(roles=[role], display_name="Poster")
    message = MockMessage(author=author, channel=thread, content="text")
    post = post_from_message(message)
    assert post is not None
    assert (post.guild_id, post.thread_id, post.forum_id) == (thread.guild.id, thread.id, thread.parent_id)
    assert (post.message_id, post.author_id, post.author_name) == (message.id, author.id, "Poster")
    assert role.id in post.role_ids and post.content == "text" and not post.is_edit


def test_post_from_message_skips_bots_webhooks_dms_and_channels_that_are_not_threads() -> None:
    assert post_from_message(MockMessage(author=MockMember(bot=True))) is None
    assert post_from_message(MockMessage(webhook_id=123)) is None
    assert post_from_message(MockMessage(guild=None, author=MockUser())) is None
    assert post_from_message(MockMessage(channel=MockTextChannel())) is None


def test_post_from_thread_is_a_title_by_the_owner() -> None:
    owner = MockMember(display_name="Opener")
    thread = MockThread(name="A title", owner=owner, owner_id=owner.id)
    post = post_from_thread(thread, is_edit=True)
    assert post.is_title and post.is_edit and post.content == "A title"
    assert post.author_id == owner.id and post.key == f"title-{thread.id}"


def make_cog(*, watched: bool = True, abuse: object = None) -> tuple[Watch, CasewatchBotMock]:
    host = CasewatchBotMock()
    host.services.settings.watches.return_value = watched
    host.services.checks.abuse = abuse
    host.services.checks.check.return_value = Outcome(verdict=None)
    return Watch(host, host.services), host  # type: ignore[arg-type]


async def drain(host: CasewatchBotMock) -> None:
    while pending := [t for t in host.spawned if not t.done()]:
        await asyncio.gather(*pending)


async def test_unwatched_forum_is_not_checked() -> None:
    cog, host = make_cog(watched=False)
    await cog.on_message(MockMessage())
    await drain(host)
    host.services.checks.check.assert_not_awaited()


async def test_watched_message_is_checked_and_its_actions_run_at_once() -> None:
    cog, host = make_cog()
    host.services.checks.check.return_value = Outcome(verdict=None, flag_id=7, actions=[11, 12])
    message = MockMessage(content="hello")
    await cog.on_message(message)
    await drain(host)
    [call] = host.services.checks.check.await_args_list
    post: Post = call.args[0]
    assert post.message_id == message.id and post.content == "hello"
    host.actions.run_many.assert_awaited_once_with([11, 12])
    assert host.dispatched[0][0] == "casewatch_checked"


async def test_abuse_is_scored_in_the_background_after_identity() -> None:
    order: list[str] = []
    cog, host = make_cog(abuse=object())
    verdict = Verdict(message=unittest.mock.MagicMock())
    host.services.checks.check.return_value = Outcome(verdict=verdict, actions=[1])

    async def run_many(ids: list[int]) -> None:
        order.append(f"actions {ids}")

    async def check_abuse(post: Post, identity: Verdict) -> Outcome:
        order.append("abuse")
        return Outcome(actions=[2])

    host.actions.run_many.side_effect = run_many
    host.services.checks.check_abuse.side_effect = check_abuse
    await cog.on_message(MockMessage())
    await drain(host)
    assert order[0] == "actions [1]", "the identity action is not held up by abuse scoring"
    assert order[1:] == ["abuse", "actions [2]"]
    assert host.services.checks.check_abuse.await_args.args[1] is verdict


async def test_exempt_or_skipped_posts_are_not_scored_for_abuse() -> None:
    cog, host = make_cog(abuse=object())
    host.services.checks.check.return_value = Outcome(skipped="exempt role")
    await cog.on_message(MockMessage())
    await drain(host)
    host.services.checks.check_abuse.assert_not_awaited()
    host.actions.run_many.assert_not_awaited()


async def test_nothing_new_is_started_while_closing() -> None:
    cog, host = make_cog()
    host.closing = True
    await cog.on_message(MockMessage())
    await drain(host)
    host.services.checks.check.assert_not_awaited()


async def test_edit_without_content_change_is_ignored_and_edit_with_content_is_checked() -> None:
    cog, host = make_cog()
    message = MockMessage(content="edited text")
    unfurl = unittest.mock.MagicMock(spec=discord.RawMessageUpdateEvent, data={"embeds": []}, message=message)
    await cog.on_raw_message_edit(unfurl)
    await drain(host)
    host.services.checks.check.assert_not_awaited()
    edit = unittest.mock.MagicMock(spec=discord.RawMessageUpdateEvent, data={"content": "edited text"},
                                   message=message)
    await cog.on_raw_message_edit(edit)
    await drain(host)
    post = host.services.checks.check.await_args.args[0]
    assert post.is_edit and post.content == "edited text"


async def test_new_forum_post_opens_a_case_and_checks_its_title() -> None:
    cog, host = make_cog()
    thread = MockThread(name="R v Someone")
    await cog.on_thread_create(thread)
    await drain(host)
    host.services.cases.open_case.assert_awaited_once_with(thread.guild.id, thread.parent_id, thread.id, "R v Someone")
    assert host.services.checks.check.await_args.args[0].is_title


@pytest.mark.parametrize("renamed", [True, False])
async def test_thread_update_checks_only_a_changed_title(renamed: bool) -> None:
    cog, host = make_cog()
    before = MockThread(name="Old")
    after = MockThread(id=before.id, name="New" if renamed else "Old", guild=before.guild,
                       parent_id=before.parent_id)
    await cog.on_thread_update(before, after)
    await drain(host)
    assert host.services.checks.check.await_count == (1 if renamed else 0)
