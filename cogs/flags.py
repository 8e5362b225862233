"""``/flags``: list open flags (filter by category and state, paginated), show one, per-detector stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import CasewatchError
from bot.flags import Category
from bot.services import Services
from bot.storage import FlagState
from cogs import _embeds, _views
from cogs._checks import member_is_moderator, moderator_only
from cogs._pager import PAGE_SIZE, Paginator, page_count
from cogs._services import guild_id_of, services_of

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

CATEGORY_CHOICES = [app_commands.Choice(name=c.value.replace("_", " "), value=c.value) for c in Category]
STATE_CHOICES = [app_commands.Choice(name=s.value, value=s.value) for s in FlagState]
#: Flag ids fit Discord's integer option (at most 2**53).
MAX_FLAG_ID = 2**53


class Flags(commands.Cog):
    flags = app_commands.Group(name="flags", description="Flags raised by Casewatch", guild_only=True)

    def __init__(self, bot: CasewatchBot, services: Services) -> None:
        self.bot = bot
        self.decisions = services.decisions
        self.retention = services.retention

    async def page_embed(self, guild_id: int, state: str | None, category: str | None, page: int,
                         total: int) -> discord.Embed:
        rows = await self.decisions.page(guild_id, state=state, category=category, limit=PAGE_SIZE,
                                           offset=page * PAGE_SIZE)
        what = " ".join(x for x in (state or "all", (category or "").replace("_", " ")) if x)
        return _embeds.flag_page_embed(rows, what=what, page=page, pages=page_count(total), total=total)

    async def flag_ids(self, interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[int]]:
        """Autocomplete: the newest open flags (all states once digits are typed), by id."""
        if interaction.guild_id is None or not await member_is_moderator(interaction):
            return []
        typed = "".join(ch for ch in str(current) if ch.isdigit())
        rows = await self.decisions.page(interaction.guild_id, state=None if typed else "open", limit=100)
        hits = [r for r in rows if typed in str(r.flag_id)][:25]
        return [app_commands.Choice(name=f"{r.flag_id} · {r.category} · {r.state}"[:100], value=r.flag_id)
                for r in hits]

    @flags.command(name="list", description="List flags (open by default)")
    @app_commands.describe(category="Only this category", state="Only this state (default: open)")
    @app_commands.choices(category=CATEGORY_CHOICES, state=STATE_CHOICES)
    @moderator_only()
    async def list_(self, interaction: discord.Interaction[Any], category: str | None = None,
                    state: str | None = "open") -> None:
        guild_id = guild_id_of(interaction)
        total = await self.decisions.count(guild_id, state=state, category=category)

        async def render(page: int) -> discord.Embed:
            return await self.page_embed(guild_id, state, category, page, total)

        await Paginator(render, pages=page_count(total), owner_id=interaction.user.id).send(interaction)

    @flags.command(name="show", description="Show one flag with its review buttons")
    @app_commands.describe(flag_id="The flag's id (from the queue or /flags list)")
    @app_commands.autocomplete(flag_id=flag_ids)
    @moderator_only()
    async def show(self, interaction: discord.Interaction[Any],
                   flag_id: app_commands.Range[int, 1, MAX_FLAG_ID]) -> None:
        guild_id = guild_id_of(interaction)
        flag = await self.decisions.get(flag_id, guild_id)
        if flag is None:
            raise CasewatchError(f"no flag {flag_id} in this server")
        count = await self.decisions.recent_flag_count(guild_id, flag.author_id)
        audit = await self.decisions.audit(flag.flag_id)
        await interaction.response.send_message(
            embed=_embeds.flag_embed(flag, recent_flags=count, audit=audit), view=_views.review_view(flag),
            ephemeral=True)

    @flags.command(name="purge", description="Purge sealed originals and audit text past the retention period now")
    @moderator_only()
    async def purge(self, interaction: discord.Interaction[Any]) -> None:
        retention = self.retention
        report = await retention.purge(guild_id=guild_id_of(interaction), actor_id=str(interaction.user.id))
        await interaction.response.send_message(
            f"Retention {retention.days} days: {report.line()}. Decisions stay in the audit log.", ephemeral=True)

    @flags.command(name="stats", description="Per detector: flags, confirmed, dismissed, precision")
    @moderator_only()
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        stats = await self.decisions.stats(guild_id_of(interaction))
        await interaction.response.send_message(embed=_embeds.stats_embed(stats), ephemeral=True)


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Flags(bot, services_of(bot)))
