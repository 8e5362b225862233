"""Unit tests of the outbox action runner: stored actions are done, retried or given up as they should."""

from __future__ import annotations

import asyncio
import unittest.mock
from typing import Any

import discord
import pytest

from bot.services import Services
from bot.storage import Store
from cogs._actions import ActionRunner
from tests.conftest import SECRET_KEY
from tests.helpers import CasewatchBotMock, MockUser


def http_error(cls: type[discord.HTTPException], status: int) -> discord.HTTPException:
    response = unittest.mock.MagicMock(status=status, reason="error")
    return cls(response, {"message": "error", "code": 0})


def runner_for(store: Store) -> tuple[ActionRunner, Any, Any]:
    host = CasewatchBotMock()
    partial = unittest.mock.MagicMock(spec=discord.PartialMessageable)
    message = unittest.mock.MagicMock(spec=discord.PartialMessage)
    partial.get_partial_message.return_value = message
    host.bot.get_partial_messageable.return_value = partial
    host.services = Services.build(store, SECRET_KEY)
    return ActionRunner(host), host, message  # type: ignore[arg-type]


@pytest.mark.parametrize(("error", "status", "attempts"), [
    (None, "done", 1),
    (http_error(discord.NotFound, 404), "done", 1),  # already gone: the goal is met
    (http_error(discord.Forbidden, 403), "failed", 1),  # no permission: retrying will not help
    (http_error(discord.DiscordServerError, 503), "pending", 1),  # an outage: retried later
])
async def test_delete_outcomes(store: Store, error: Exception | None, status: str, attempts: int) -> None:
    runner, host, message = runner_for(store)
    message.delete.side_effect = error
    action_id = await store.outbox.enqueue("delete", {"channel_id": 10, "message_id": 20}, guild_id=1)
    await runner.run(action_id)
    host.bot.get_partial_messageable.assert_called_once_with(10, guild_id=1)
    message.delete.assert_awaited_once()
    item = await store.outbox.get(action_id)
    assert item is not None and (item.status, item.attempts) == (status, attempts)


async def test_pending_actions_are_retried_and_done_ones_are_not_repeated(store: Store) -> None:
    runner, _, message = runner_for(store)
    message.delete.side_effect = [http_error(discord.DiscordServerError, 503), None]
    action_id = await store.outbox.enqueue("delete", {"channel_id": 10, "message_id": 20}, guild_id=1)
    assert not await runner.run(action_id)
    assert await runner.run_pending() == 1
    assert await runner.run_pending() == 0
    assert not await runner.run(action_id)
    assert message.delete.await_count == 2


async def test_notice_to_closed_dms_is_not_retried(store: Store) -> None:
    runner, host, _ = runner_for(store)
    user = MockUser()
    user.send.side_effect = http_error(discord.Forbidden, 403)
    host.bot.get_user.return_value = user
    action_id = await store.outbox.enqueue("notify", {"user_id": user.id, "text": "why"}, guild_id=1)
    assert await runner.run(action_id)
    user.send.assert_awaited_once()
    assert user.send.await_args.args == ("why",)
    assert user.send.await_args.kwargs["nonce"] == str(action_id), "the DM carries the action's nonce"
    assert (await store.outbox.get(action_id)).status == "done"  # type: ignore[union-attr]


async def test_unknown_kind_is_given_up(store: Store) -> None:
    runner, _, _ = runner_for(store)
    action_id = await store.outbox.enqueue("launch_rockets", {}, guild_id=1)
    assert not await runner.run(action_id)
    item = await store.outbox.get(action_id)
    assert item is not None and item.status == "failed" and "unknown kind" in (item.last_error or "")


async def test_timeout_waits_for_the_guild(store: Store) -> None:
    runner, host, _ = runner_for(store)
    host.bot.get_guild.return_value = None
    action_id = await store.outbox.enqueue("timeout", {"user_id": 5, "minutes": 10}, guild_id=1)
    assert not await runner.run(action_id)
    item = await store.outbox.get(action_id)
    assert item is not None and item.status == "pending" and item.last_error == "RetryLater"


async def test_the_sweeper_and_the_live_path_never_run_one_action_twice(store: Store) -> None:
    runner, _, message = runner_for(store)
    gate = asyncio.Event()

    async def slow_delete() -> None:
        await gate.wait()

    message.delete.side_effect = slow_delete
    action_id = await store.outbox.enqueue("delete", {"channel_id": 10, "message_id": 20}, guild_id=1)
    live = asyncio.create_task(runner.run(action_id))
    await asyncio.sleep(0.01)
    sweep = asyncio.create_task(runner.run_pending())
    await asyncio.sleep(0.01)
    gate.set()
    assert await live is True and await sweep == 0
    assert message.delete.await_count == 1
    assert await runner.run_pending() == 0


async def test_a_broken_payload_is_counted_not_retried_forever(store: Store) -> None:
    runner, _, _ = runner_for(store)
    action_id = await store.outbox.enqueue("delete", {"channel_id": 10}, guild_id=1)  # no message id
    assert not await runner.run(action_id)
    item = await store.outbox.get(action_id)
    assert item is not None and item.attempts == 1 and item.last_error == "KeyError"


async def test_actions_of_one_flag_run_in_order_even_when_the_first_fails(store: Store) -> None:
    """A notice never goes out while its flag's delete is still pending (a 429 run, an outage)."""
    runner, host, message = runner_for(store)
    user = MockUser()
    host.bot.get_user.return_value = user
    message.delete.side_effect = [http_error(discord.DiscordServerError, 503), None]
    from bot.action_plan import Planned
    from bot.flags import Category, Flag, Message, Verdict

    verdict = Verdict(Message("20", "5", "x"), [Flag(Category.ABUSE, "t", 0.9, "r")])
    flag = store.flags.draft(verdict, guild_id=1, channel_id=10, author_id="5")
    delete, notify = await store.flags.store(flag, actions=[
        Planned("delete", {"channel_id": 10, "message_id": 20}), Planned("notify", {"user_id": 5, "text": "t"})])
    await runner.run_many([delete, notify])
    assert message.delete.await_count == 1 and user.send.await_count == 0, "the notice waits for the delete"
    assert await runner.run_pending() == 2
    assert [i.status for i in await store.outbox.for_flag(flag.flag_id)] == ["done", "done"]
    assert user.send.await_count == 1


async def test_the_sweeper_recreates_the_actions_of_a_flag_that_has_none(store: Store) -> None:
    from bot.flags import Action, Category, Flag, Message, Verdict
    from bot.guild_settings import GuildSettings

    runner, host, message = runner_for(store)
    host.bot.get_user.return_value = MockUser()
    await host.services.settings.save(1, GuildSettings(queue_channel_id=None))
    verdict = Verdict(Message("20", "5", "x"), [Flag(Category.ABUSE, "t", 0.9, "r", suggested=Action.REMOVE)],
                      action=Action.REMOVE)
    flag_id = await store.flags.add(verdict, guild_id=1, channel_id=10, author_id="5")  # stored, no actions
    assert await runner.sweep() == 2
    assert [i.kind for i in await store.outbox.for_flag(flag_id)] == ["delete", "notify"]
    assert await runner.sweep() == 0, "recreated once"
    assert message.delete.await_count == 1
