"""The end-to-end harness: the real discord.py client, the real bot, over loopback to :class:`FakeDiscord`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from bot.guild_settings import GuildSettings
from bot.settings import Settings
from tests.e2e.fake_discord import FakeDiscord, point_discord_py_at

TOKEN = "fake.discord.token-for-loopback-tests-only"
SECRET = "e2e-secret-key-0123456789abcdef"

pytestmark = pytest.mark.e2e


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord()
    await server.start()
    try:
        with point_discord_py_at(server):
            yield server
    finally:
        await server.stop()


class BotRunner:
    """Starts and stops :class:`cogs._client.CasewatchBot` against the fake, on one database file."""

    def __init__(self, fake: FakeDiscord, db_path: Path | str) -> None:
        self.fake = fake
        self.db_path = db_path
        self.bot: Any = None
        self._task: asyncio.Task[None] | None = None
        self.checked: list[tuple[Any, Any]] = []  # (post, outcome) for every post the engine checked
        self.overrides: dict[str, Any] = {}  # more settings, e.g. fetch_allow_private=True for the fake's pages

    @property
    def database_url(self) -> str:
        """``sqlite:///`` the file, or a ``postgresql://`` URL given as ``db_path``."""
        return str(self.db_path) if "://" in str(self.db_path) else f"sqlite:///{self.db_path}"

    def settings(self) -> Settings:
        return Settings(  # type: ignore[call-arg]
            _env_file=None, discord_token=TOKEN, database_url=self.database_url,
            casewatch_secret_key=SECRET, dev_guild_id=self.fake.guild_id, **self.overrides,
        )

    async def start(self, *, abuse: Any = None) -> Any:
        from cogs._client import CasewatchBot

        self.bot = CasewatchBot(self.settings(), abuse=abuse, guild_ready_timeout=0.05)

        async def on_casewatch_checked(post: Any, outcome: Any) -> None:
            self.checked.append((post, outcome))

        self.bot.add_listener(on_casewatch_checked)
        self._task = asyncio.create_task(self.bot.start(TOKEN))
        ready = asyncio.create_task(self.bot.wait_until_ready())
        done, _ = await asyncio.wait({ready, self._task}, timeout=10, return_when=asyncio.FIRST_COMPLETED)
        if self._task in done:
            ready.cancel()
            failed, self._task = self._task, None  # reported here, not again by stop()
            failed.result()  # raises what start() raised
        assert ready in done, "the bot did not become ready"
        return self.bot

    async def stop(self) -> None:
        if self.bot is not None:
            await self.bot.close()
        if self._task is not None:
            await asyncio.wait_for(self._task, 10)
        self.bot, self._task = None, None

    async def wait_checked(self, message_id: int | str, timeout: float = 10.0) -> Any:
        """Wait until the engine has checked ``message_id``; returns its outcome."""
        from tests.e2e.fake_discord import wait_until

        def seen() -> bool:
            return any(p.message_id == int(message_id) for p, _ in self.checked)

        await wait_until(seen, timeout)
        return next(o for p, o in reversed(self.checked) if p.message_id == int(message_id))

    async def configure(self, **changes: Any) -> GuildSettings:
        """Save guild settings through the engine, as ``/settings`` does."""
        moderation = self.bot.moderation
        current = await moderation.settings_for(self.fake.guild_id)
        return await moderation.save_settings(self.fake.guild_id, current.model_copy(update=changes))


@pytest.fixture
async def runner(fake: FakeDiscord, tmp_path: Path) -> AsyncIterator[BotRunner]:
    r = BotRunner(fake, tmp_path / "casewatch.db")
    try:
        yield r
    finally:
        await r.stop()


@pytest.fixture
def default_settings(fake: FakeDiscord) -> dict[str, Any]:
    return {
        "watched_forum_ids": [fake.forum_id],
        "queue_channel_id": fake.queue_id,
        "moderator_role_id": fake.mod_role_id,
        "exempt_role_ids": [fake.exempt_role_id],
        "rules_url": "https://example.org/rules",
    }


async def settle(bot: Any, predicate: Callable[[], bool | Awaitable[bool]] | None = None,
                 timeout: float = 10.0) -> None:
    """Let the bot finish what it is doing: background tasks drained, then ``predicate`` true."""
    from tests.e2e.fake_discord import wait_until

    await asyncio.sleep(0)
    await bot.drain(timeout)
    if predicate is not None:
        await wait_until(predicate, timeout)
