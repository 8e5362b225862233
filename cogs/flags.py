"""``/flags``: list open flags (filter by category and state, paginated), show one, per-detector stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import CasewatchError
from bot.flags import Category
from bot.storage import FlagState
from cogs import _embeds, _views
from cogs._checks import moderator_only

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

PAGE_SIZE = 10

CATEGORY_CHOICES = [app_commands.Choice(name=c.value.replace("_", " "), value=c.value) for c in Category]
STATE_CHOICES = [app_commands.Choice(name=s.value, value=s.value) for s in FlagState]


class FlagPager(discord.ui.View):
    """Previous/next buttons for ``/flags list``; only the moderator who asked can turn the pages."""

    def __init__(self, cog: Flags, owner_id: int, guild_id: int, state: str | None, category: str | None,
                 total: int) -> None:
        super().__init__(timeout=300)
        self.cog, self.owner_id, self.guild_id = cog, owner_id, guild_id
        self.state, self.category, self.total = state, category, total
        self.page = 0
        self._sync_buttons()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message("These pages belong to another moderator's /flags list.",
                                                ephemeral=True)
        return False

    async def _turn(self, interaction: discord.Interaction[Any], delta: int) -> None:
        self.page = min(max(0, self.page + delta), self.pages - 1)
        self._sync_buttons()
        embed = await self.cog.page_embed(self.guild_id, self.state, self.category, self.page, self.total)
        await interaction.response.edit_message(embed=embed, view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self._turn(interaction, 1)


class Flags(commands.Cog):
    flags = app_commands.Group(name="flags", description="Flags raised by Casewatch", guild_only=True)

    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot

    @property
    def store(self) -> Any:
        assert self.bot.store is not None
        return self.bot.store

    async def page_embed(self, guild_id: int, state: str | None, category: str | None, page: int,
                         total: int) -> discord.Embed:
        rows = await self.store.flags.page(guild_id, state=state, category=category, limit=PAGE_SIZE,
                                           offset=page * PAGE_SIZE)
        what = " ".join(x for x in (state or "all", (category or "").replace("_", " ")) if x)
        embed = discord.Embed(title=f"Flags: {what}", colour=discord.Colour.orange())
        embed.description = "\n".join(_embeds.flag_line(r) for r in rows) or "No flags match."
        embed.set_footer(text=f"page {page + 1} of {max(1, -(-total // PAGE_SIZE))} · {total} flag(s)")
        return embed

    @flags.command(name="list", description="List flags (open by default)")
    @app_commands.describe(category="Only this category", state="Only this state (default: open)")
    @app_commands.choices(category=CATEGORY_CHOICES, state=STATE_CHOICES)
    @moderator_only()
    async def list_(self, interaction: discord.Interaction[Any], category: str | None = None,
                    state: str | None = "open") -> None:
        assert interaction.guild_id is not None
        total = await self.store.flags.count(interaction.guild_id, state=state, category=category)
        embed = await self.page_embed(interaction.guild_id, state, category, 0, total)
        pager = FlagPager(self, interaction.user.id, interaction.guild_id, state, category, total)
        if pager.pages > 1:
            await interaction.response.send_message(embed=embed, view=pager, ephemeral=True)
        else:
            await interaction.response.send_message(embed=embed, ephemeral=True)

    @flags.command(name="show", description="Show one flag with its review buttons")
    @app_commands.describe(flag_id="The flag's id (from the queue or /flags list)")
    @moderator_only()
    async def show(self, interaction: discord.Interaction[Any], flag_id: str) -> None:
        assert interaction.guild_id is not None and self.bot.moderation is not None
        flag = await self.store.flags.get(int(flag_id)) if flag_id.isdigit() else None
        if flag is None or flag.guild_id != interaction.guild_id:
            raise CasewatchError(f"no flag {flag_id} in this server")
        count = await self.bot.moderation.recent_flag_count(interaction.guild_id, flag.author_id)
        audit = await self.store.audit.for_flag(flag.flag_id)
        await interaction.response.send_message(
            embed=_embeds.flag_embed(flag, recent_flags=count, audit=audit), view=_views.review_view(flag),
            ephemeral=True)

    @flags.command(name="purge", description="Purge sealed originals and audit text past the retention period now")
    @moderator_only()
    async def purge(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None
        assert self.bot.services is not None
        retention = self.bot.services.retention
        report = await retention.purge(guild_id=interaction.guild_id, actor_id=str(interaction.user.id))
        await interaction.response.send_message(
            f"Retention {retention.days} days: {report.line()}. Decisions stay in the audit log.", ephemeral=True)

    @flags.command(name="stats", description="Per detector: flags, confirmed, dismissed, precision")
    @moderator_only()
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None
        stats = await self.store.flags.stats(interaction.guild_id)
        await interaction.response.send_message(embed=_embeds.stats_embed(stats), ephemeral=True)


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Flags(bot))
