"""Daily retention purge (``RETENTION_DAYS``): see :mod:`bot.retention`. ``/flags purge`` runs it on demand."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from discord.ext import commands, tasks

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)


class Retention(commands.Cog):
    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.daily.start()

    async def cog_unload(self) -> None:
        self.daily.cancel()

    @tasks.loop(hours=24)
    async def daily(self) -> None:
        services = getattr(self.bot, "services", None)
        if services is None:
            return
        report = await services.retention.purge()
        if report.total:
            log.info("retention (%d days): %s", services.retention.days, report.line())

    @daily.before_loop
    async def _after_ready(self) -> None:
        await self.bot.wait_until_ready()


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Retention(bot))
