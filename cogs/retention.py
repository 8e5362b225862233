"""Daily retention purge (``RETENTION_DAYS``): see :mod:`bot.retention`. ``/flags purge`` runs it on demand."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

from bot.services import Services
from cogs._services import services_of

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)


class Retention(commands.Cog):
    def __init__(self, bot: CasewatchBot, services: Services) -> None:
        self.bot = bot
        self.services = services

    async def cog_load(self) -> None:
        self.daily.start()

    async def cog_unload(self) -> None:
        self.daily.cancel()

    @tasks.loop(hours=24)
    async def daily(self) -> None:
        report = await self.services.retention.purge()
        if report.total:
            log.info("retention (%d days): %s", self.services.retention.days, report.line())

    @daily.before_loop
    async def _after_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Retention(bot, services_of(bot)))
