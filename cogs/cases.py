"""``/case``: link a thread to a case, protect and unprotect parties, import a case file, show a case.

Values typed into ``/case protect`` are hashed the moment they arrive (``Moderation.protect``) and are
never echoed, logged or stored in plain text; replies name the party by its label only.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.errors import CasewatchError
from bot.moderation import OpeningPost
from bot.storage.repositories.cases import CaseRow
from cogs._checks import REFUSAL, NotModerator, member_is_moderator, moderator_only

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)

MAX_CASE_FILE_BYTES = 256_000
#: The opening posts of at most this many of a case's linked forum posts are summary sources.
MAX_OPENING_POSTS = 3
#: How long /case summary waits for Discord to hand over opening posts (it must answer within 3 s).
OPENING_POSTS_WAIT_S = 2.0


def split_values(text: str) -> list[str]:
    """One value per line (commas also separate), blanks dropped."""
    return [v.strip() for line in text.splitlines() for v in line.split(",") if v.strip()]


class ProtectModal(discord.ui.Modal, title="Protect a party"):
    """Label, legal basis, names and identifiers. Submitted values go straight into the hasher."""

    label: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Label (how moderators refer to them)", placeholder="the complainant", max_length=80)
    basis: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Legal basis", placeholder="Sexual Offences (Amendment) Act 1992, s.1", required=False,
        max_length=200)
    names: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Names, one per line", style=discord.TextStyle.paragraph, required=False, max_length=2000)
    identifiers: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label="Identifiers (school, collar number, handle...)", style=discord.TextStyle.paragraph,
        required=False, max_length=2000)

    def __init__(self, bot: CasewatchBot, case: CaseRow) -> None:
        super().__init__(timeout=900)
        self.bot = bot
        self.case = case

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        assert self.bot.moderation is not None
        names, identifiers = split_values(self.names.value), split_values(self.identifiers.value)
        # drop the plain values from the modal as soon as they are handed over
        for item in (self.names, self.identifiers):
            item._value = ""
        try:
            n_names, n_ids = await self.bot.moderation.protect(
                self.case.case_id, self.label.value, self.basis.value, names, identifiers,
                actor_id=str(interaction.user.id))
        except CasewatchError as exc:
            await interaction.response.send_message(f"Not saved: {exc}", ephemeral=True)
            return
        finally:
            names.clear()
            identifiers.clear()
        await interaction.response.send_message(
            f"Protected **{self.label.value.strip()}** in case `{self.case.case_key}`: {n_names} name(s) and "
            f"{n_ids} identifier(s) hashed; the values are not stored.", ephemeral=True)

    async def on_error(  # type: ignore[override]  # Modal's own signature
            self, interaction: discord.Interaction[Any], error: Exception, /) -> None:
        log.error("protect modal failed: %s", type(error).__name__)  # never the values
        if not interaction.response.is_done():
            await interaction.response.send_message("Not saved: an internal error occurred.", ephemeral=True)


def summary_embed(summary: Any) -> discord.Embed:
    """Title, body with citation markers, sources as links, 'generated from N sources, last updated ...'."""
    from bot.summary.render import to_embed

    shown = to_embed(summary)
    embed = discord.Embed(title=shown.title, description=shown.body, colour=discord.Colour.dark_teal())
    if shown.sources:
        embed.add_field(name="Sources", value=shown.sources_text, inline=False)
    embed.set_footer(text=shown.footer)
    return embed


class Cases(commands.Cog):
    """Case management for moderators, and case summaries for everyone."""

    case = app_commands.Group(name="case", description="Cases linked to forum posts", guild_only=True)
    source = app_commands.Group(name="source", description="Sources of a case's summary", parent=case)

    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot
        self._last_summary: dict[tuple[int, int], float] = {}  # (guild, user) -> monotonic time

    @property
    def moderation(self) -> Any:
        assert self.bot.moderation is not None
        return self.bot.moderation

    async def _case_here(self, interaction: discord.Interaction[Any], key: str | None) -> CaseRow:
        """The case named by ``key``, or the one linked to the thread the command was run in."""
        assert interaction.guild_id is not None
        store = self.moderation.store
        if key:
            case = await store.cases.by_key(interaction.guild_id, key)
            if case is None:
                raise CasewatchError(f"no case with key {key!r} in this server")
            return case
        if interaction.channel_id is not None:
            case = await store.cases.for_thread(interaction.channel_id)
            if case is not None:
                return case
        raise CasewatchError("run this in a forum post linked to a case, or give the case key")

    @case.command(name="link", description="Link this forum post to an existing case")
    @app_commands.describe(key="The case key (see /case show)")
    @moderator_only()
    async def link(self, interaction: discord.Interaction[Any], key: str) -> None:
        channel = interaction.channel
        if not isinstance(channel, discord.Thread):
            raise CasewatchError("run /case link inside the forum post to link")
        assert interaction.guild_id is not None
        case = await self.moderation.link_thread(interaction.guild_id, channel.id, channel.parent_id, key)
        await interaction.response.send_message(f"Linked this post to case `{case.case_key}`.", ephemeral=True)

    @case.command(name="protect", description="Protect a party of this case (names are hashed, never shown)")
    @app_commands.describe(key="The case key; defaults to the case of this forum post")
    @moderator_only()
    async def protect(self, interaction: discord.Interaction[Any], key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        await interaction.response.send_modal(ProtectModal(self.bot, case))

    @case.command(name="unprotect", description="Remove a protected party from this case")
    @app_commands.describe(label="The party's label", key="The case key; defaults to this post's case")
    @moderator_only()
    async def unprotect(self, interaction: discord.Interaction[Any], label: str, key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        removed = await self.moderation.unprotect(case.case_id, label)
        text = f"Removed **{label}** from case `{case.case_key}`." if removed else f"No party labelled **{label}**."
        await interaction.response.send_message(text, ephemeral=True)

    @case.command(name="import", description="Import a case file (TOML); links this post if run in one")
    @app_commands.describe(file="A case TOML file")
    @moderator_only()
    async def import_(self, interaction: discord.Interaction[Any], file: discord.Attachment) -> None:
        if file.size > MAX_CASE_FILE_BYTES:
            raise CasewatchError(f"the case file is too large ({file.size} bytes; the limit is "
                                 f"{MAX_CASE_FILE_BYTES})")
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            text = (await file.read()).decode("utf-8")
        except UnicodeDecodeError:
            raise CasewatchError("the case file is not UTF-8 text") from None
        channel = interaction.channel
        thread = channel if isinstance(channel, discord.Thread) else None
        assert interaction.guild_id is not None
        case, case_file = await self.moderation.import_case(
            interaction.guild_id, text, thread_id=thread.id if thread else None,
            forum_id=thread.parent_id if thread else None, actor_id=str(interaction.user.id))
        del text
        labels = ", ".join(f"**{label}**" for label in case_file.labels) or "none"
        linked = " and linked this post to it" if thread else ""
        await interaction.followup.send(
            f"Imported case `{case.case_key}`{linked}. Protected parties: {labels} (hashed).", ephemeral=True)

    @case.command(name="show", description="Show a case: its parties by label, with counts")
    @app_commands.describe(key="The case key; defaults to this post's case")
    @moderator_only()
    async def show(self, interaction: discord.Interaction[Any], key: str | None = None) -> None:
        store = self.moderation.store
        assert interaction.guild_id is not None
        try:
            case = await self._case_here(interaction, key)
        except CasewatchError:
            cases = await store.cases.in_guild(interaction.guild_id)
            if not cases:
                raise CasewatchError("this server has no cases yet; a new post in a watched forum opens one") from None
            lines = [f"`{c.case_key}` — {c.title or '(untitled)'}" for c in cases[:25]]
            await interaction.response.send_message("Cases:\n" + "\n".join(lines), ephemeral=True)
            return
        embed = discord.Embed(title=case.title or case.case_key, colour=discord.Colour.blurple())
        embed.add_field(name="Key", value=f"`{case.case_key}`")
        embed.add_field(name="Jurisdiction", value=case.jurisdiction)
        embed.add_field(name="Linked posts", value=str(len(await store.cases.threads(case.case_id))))
        parties = await store.cases.parties(case.case_id)
        embed.add_field(
            name="Protected parties",
            value="\n".join(f"**{p.label}** — {p.name_count} name(s), {p.ident_count} identifier(s)"
                            + (f"; {p.basis}" if p.basis else "") for p in parties) or "none",
            inline=False)
        embed.add_field(name="Allow-list entries", value=str(len(await store.cases.allowlist(case.case_id))))
        await interaction.response.send_message(embed=embed, ephemeral=True)


    @source.command(name="add", description="Add a source (a news report, a court page) to this case")
    @app_commands.describe(url="The page's address", key="The case key; defaults to this post's case")
    @moderator_only()
    async def source_add(self, interaction: discord.Interaction[Any], url: str, key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        await interaction.response.defer(ephemeral=True, thinking=True)
        settings = self.bot.settings
        doc = await self.moderation.add_source(case, url.strip(), actor_id=str(interaction.user.id),
                                               timeout_s=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes,
                                               allow_private=settings.fetch_allow_private)
        await interaction.followup.send(
            f"Added **{discord.utils.escape_markdown(doc.title or 'source')}** to case `{case.case_key}` "
            f"({len(doc.text.split())} words, redacted before storing). The summary is rebuilt on the next "
            "/case summary.", ephemeral=True)

    @case.command(name="summary", description="A cited summary of this case from its sources")
    @app_commands.describe(refresh="Rebuild now (moderators only)", key="The case key; defaults to this post's case")
    async def summary(self, interaction: discord.Interaction[Any], refresh: bool = False,
                      key: str | None = None) -> None:
        assert interaction.guild_id is not None
        if refresh and not await member_is_moderator(interaction):
            raise NotModerator(REFUSAL)
        case = await self._case_here(interaction, key)
        stored = await self.moderation.store.sources.for_case(case.case_id)
        if not refresh:
            wait = await self._cooldown(interaction)
            if wait > 0:
                raise CasewatchError(f"you asked for a summary a moment ago; try again in {wait:.0f} s")
        openings: list[OpeningPost] = []
        with contextlib.suppress(TimeoutError):  # those read by then are used
            await asyncio.wait_for(self._opening_posts(interaction, case, openings), OPENING_POSTS_WAIT_S)
        if not stored and not any(p.content.strip() for p in openings):
            raise CasewatchError("this case has no sources yet; a moderator can add one with /case source add")
        await interaction.response.defer(thinking=True, ephemeral=refresh)
        summary, _rebuilt = await self.moderation.summary(case, refresh=refresh, opening_posts=openings)
        openings.clear()  # the unredacted text goes no further
        await interaction.followup.send(embed=summary_embed(summary), ephemeral=refresh)

    async def _opening_posts(self, interaction: discord.Interaction[Any], case: CaseRow,
                             posts: list[OpeningPost]) -> None:
        """Add to ``posts`` the opening message of the case's linked forum posts (the one run in first).

        A forum post's opening message has the thread's id. It is read from the message cache or from
        Discord each time, handed to the engine to be redacted, and never stored; a post whose opening
        message is gone or unreadable is left out.
        """
        thread_ids = await self.moderation.store.cases.threads(case.case_id)
        if interaction.channel_id in thread_ids:
            thread_ids.remove(interaction.channel_id)
            thread_ids.insert(0, interaction.channel_id)
        for thread_id in thread_ids[:MAX_OPENING_POSTS]:
            try:
                thread = self.bot.get_channel(thread_id) or await self.bot.fetch_channel(thread_id)
                if not isinstance(thread, discord.Thread):
                    continue
                message = thread.starter_message or await thread.fetch_message(thread.id)
            except discord.HTTPException:
                continue
            posts.append(OpeningPost(message.content, thread.name, message.created_at.date().isoformat(),
                                     message.jump_url))

    async def _cooldown(self, interaction: discord.Interaction[Any]) -> float:
        """Seconds left of the per-user summary cooldown (0 when the user may ask again); starts a new one."""
        assert interaction.guild_id is not None
        settings = await self.moderation.settings_for(interaction.guild_id)
        now = time.monotonic()
        key = (interaction.guild_id, interaction.user.id)
        last = self._last_summary.get(key)
        if last is not None and now - last < settings.summary_cooldown_s:
            return settings.summary_cooldown_s - (now - last)
        self._last_summary[key] = now
        return 0.0


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Cases(bot))
