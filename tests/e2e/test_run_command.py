"""``python -m bot run``: refuses to start without a token; stops gracefully on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from bot.commands.run import serve
from bot.settings import Settings
from bot.storage import Store
from tests.e2e.conftest import SECRET, TOKEN
from tests.e2e.fake_discord import FakeDiscord, wait_until

pytestmark = pytest.mark.e2e


def test_run_without_a_token_is_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_", "CASEWATCH_"))}
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])  # the repo, whatever the install mode
    out = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=120)
    assert out.returncode == 2
    assert out.stderr.strip().splitlines() == [
        "error: DISCORD_TOKEN is not set: put the bot token in .env (see docs/discord-setup.md)"]


async def test_sigterm_finishes_work_and_closes_the_database(fake: FakeDiscord, tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, discord_token=TOKEN, database_url=f"sqlite:///{tmp_path / 'cw.db'}",
        casewatch_secret_key=SECRET, dev_guild_id=fake.guild_id, abuse_backend="fallback")
    task = asyncio.create_task(serve(settings))
    await wait_until(lambda: bool(fake.identified) and bool(fake.commands), timeout=30)
    os.kill(os.getpid(), signal.SIGTERM)
    await asyncio.wait_for(task, 15)  # returns, raising nothing
    assert not fake._sockets, "the gateway connection is closed"
    async with await Store.open(tmp_path / "cw.db", SECRET.encode()) as store:  # closed cleanly, reusable
        assert store.schema_version >= 1
