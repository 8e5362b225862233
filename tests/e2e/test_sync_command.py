"""``python -m bot sync`` forces a sync over REST, with no gateway connection."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.commands.sync import force_sync
from bot.settings import Settings
from tests.e2e.conftest import SECRET, TOKEN
from tests.e2e.fake_discord import FakeDiscord

pytestmark = pytest.mark.e2e


async def test_sync_pushes_the_tree_every_time_it_is_asked(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, discord_token=TOKEN, database_url=f"sqlite:///{tmp_path / 'cw.db'}",
        casewatch_secret_key=SECRET, dev_guild_id=fake.guild_id)
    assert await force_sync(settings) == 3
    assert await force_sync(settings) == 3
    puts = fake.find("PUT", rf"^/applications/{fake.app_id}/guilds/{fake.guild_id}/commands$")
    assert len(puts) == 2 and all(r.status == 200 for r in puts), "forced, though unchanged"
    assert not fake.identified, "no gateway session was opened"
    assert {c["name"] for c in fake.commands[str(fake.guild_id)]} == {"case", "flags", "settings"}
