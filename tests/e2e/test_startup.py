"""The bot starts against the loopback Discord, syncs its commands, and stays silent on clean traffic."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import TOKEN, BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord

pytestmark = pytest.mark.e2e


async def test_start_identifies_with_intents_and_syncs_commands(fake: FakeDiscord, runner: BotRunner) -> None:
    bot = await runner.start()
    assert bot.get_guild(fake.guild_id) is not None
    intents = fake.identified[-1]["intents"]
    assert intents & (1 << 0) and intents & (1 << 9) and intents & (1 << 15)  # guilds, messages, content
    assert not intents & (1 << 1)  # no privileged members intent
    synced = fake.find("PUT", rf"/applications/{fake.app_id}/guilds/{fake.guild_id}/commands")
    assert synced, "app commands are synced to DEV_GUILD_ID"
    assert TOKEN not in fake.all_request_text()


async def test_message_outside_watched_forum_causes_no_request(fake: FakeDiscord, runner: BotRunner) -> None:
    bot = await runner.start()
    before = len(fake.requests)
    await fake.send_message(fake.owner_id, "hello there", channel_id=fake.thread_id)
    await settle(bot)
    assert fake.requests[before:] == []
