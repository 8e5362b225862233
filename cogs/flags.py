"""``/flags``: list open flags (filter by category and state, paginated), show one, per-detector stats."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import discord_limits as limits
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
class FlagId(app_commands.Transformer):
    """The ``flag_id`` option: the flag's number, autocompleted, handed to the command as an ``int``.

    Flag ids are 63-bit, beyond Discord's INTEGER option (at most 2**53), so the option travels as a
    string of digits; anything else is refused in one line before the command runs.
    """

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def min_value(self) -> int:  # min_length of the string option
        return 1

    @property
    def max_value(self) -> int:  # max_length: 2**63 has 19 digits
        return 20

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> int:
        digits = value.strip().lstrip("#")
        if not digits.isdigit() or int(digits) >= 2**63:
            raise CasewatchError(f"{value[:20]!r} is not a flag id: give the number shown in the queue")
        return int(digits)

    async def autocomplete(self, interaction: discord.Interaction[Any],  # type: ignore[override]
                           value: str) -> list[app_commands.Choice[str]]:
        """The newest open flags (flags in any state once digits are typed), by id."""
        if interaction.guild_id is None or not await member_is_moderator(interaction):
            return []
        typed = "".join(ch for ch in str(value) if ch.isdigit())
        rows = await services_of(interaction.client).decisions.page(
            interaction.guild_id, state=None if typed else "open", limit=100)
        hits = [r for r in rows if typed in str(r.flag_id)][: limits.AUTOCOMPLETE_CHOICES.value]
        return [app_commands.Choice(name=f"{r.flag_id} · {r.category} · {r.state}"[: limits.CHOICE_NAME.value],
                                    value=str(r.flag_id)) for r in hits]


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
    @moderator_only()
    async def show(self, interaction: discord.Interaction[Any],
                   flag_id: app_commands.Transform[int, FlagId]) -> None:
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
        guild_id = guild_id_of(interaction)
        await interaction.response.defer(ephemeral=True, thinking=True)  # a purge can take a while
        retention = self.retention
        report = await retention.purge(guild_id=guild_id, actor_id=str(interaction.user.id))
        await interaction.followup.send(
            f"Retention {retention.days} days: {report.line()}. Decisions stay in the audit log.", ephemeral=True)

    @flags.command(name="stats", description="Per detector: flags, confirmed, dismissed, precision")
    @moderator_only()
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        stats = await self.decisions.stats(guild_id_of(interaction))
        await interaction.response.send_message(embed=_embeds.stats_embed(stats), ephemeral=True)


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Flags(bot, services_of(bot)))
