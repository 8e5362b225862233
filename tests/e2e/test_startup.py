"""The bot starts against the loopback Discord, syncs its commands, and stays silent on clean traffic."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import ConfigError
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


async def test_a_missing_identity_model_stops_start_up_before_the_gateway(
        fake: FakeDiscord, runner: BotRunner, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fail closed at start-up: not a bot that connects and then cannot check its first message."""
    from bot.identity_model import scorer

    monkeypatch.delenv("IDENTITY_MODEL", raising=False)
    monkeypatch.setattr(scorer, "HEAD_PATH", tmp_path / "detail_head.json")
    monkeypatch.setattr(scorer, "_SHIPPED", [])
    with pytest.raises(ConfigError, match="IDENTITY_MODEL=off"):
        await runner.start()
    assert not fake.identified, "it never opened the gateway"
