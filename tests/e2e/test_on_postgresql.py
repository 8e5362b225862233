"""The real bot on PostgreSQL: the demo database is copied from SQLite with ``copy-db`` and the bot runs on
the copy unchanged (same key, same settings apart from DATABASE_URL), end to end through the fake."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bot.storage.copy import copy_url
from tests.e2e.conftest import SECRET, BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_moderation_flow import NAME, POSTER, assert_no_secret, queue_posts, start_watching
from tests.pg import fresh_database, pg_admin_url
from tests.storage.test_copy_db import demo_database

__all__ = ["pg_admin_url"]

pytestmark = pytest.mark.e2e


async def test_bot_runs_on_the_demo_database_copied_to_postgresql(
        fake: FakeDiscord, tmp_path: Path, pg_admin_url: str, default_settings: dict[str, Any]) -> None:
    sqlite = tmp_path / "demo.db"
    await demo_database(sqlite, SECRET.encode())
    url = await fresh_database(pg_admin_url)
    assert all(t.ok for t in await copy_url(sqlite, url))

    runner = BotRunner(fake, url)
    try:
        bot, thread = await start_watching(fake, runner, default_settings)
        assert bot.store.db.dialect == "postgresql"
        msg = await fake.send_message(POSTER, f"Everyone knows it's {NAME}.", channel_id=int(thread["id"]))
        await settle(bot, lambda: bool(fake.find("DELETE", rf"/messages/{msg['id']}$")) and bool(queue_posts(fake)))
        flag = await bot.store.flags.latest_for_message(msg["id"])
        assert flag is not None and flag.action == "remove"
        assert await bot.store.flags.count(None, state=None) > 0, "the copied demo flags are there too"
        assert_no_secret(fake.all_request_text())
    finally:
        await runner.stop()
