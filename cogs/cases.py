"""``/case``: link a thread to a case, protect and unprotect parties, import a case file, show a case.

Values typed into ``/case protect`` are hashed the moment they arrive (``Moderation.protect``) and are
never echoed, logged or stored in plain text; replies name the party by its label only.
"""

from __future__ import annotations

import contextlib
import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import discord_limits as limits
from bot.errors import CasewatchError
from bot.services import Services
from bot.storage.repositories.cases import CaseRow
from bot.summaries_service import OpeningPost
from cogs import _embeds
from cogs._checks import REFUSAL, NotModerator, member_is_moderator, moderator_only
from cogs._pager import PAGE_SIZE, Paginator, page_count
from cogs._services import guild_id_of, services_of

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)

MAX_CASE_FILE_BYTES = 256_000
#: The opening posts of at most this many of a case's linked forum posts are summary sources.
MAX_OPENING_POSTS = 3
#: ``interaction.extras`` key under which the summary cooldown's bucket is kept, to refund a refusal.
COOLDOWN_BUCKET = "casewatch.summary_cooldown"


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
        label="Identifiers: school, collar number, handle", style=discord.TextStyle.paragraph,
        required=False, max_length=2000)

    def __init__(self, services: Services, case: CaseRow) -> None:
        super().__init__(timeout=900)
        self.services = services
        self.case = case

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        # hashing and storing (and re-checking what is stored) can take longer than Discord's 3 s
        await interaction.response.defer(ephemeral=True, thinking=True)
        names, identifiers = split_values(self.names.value), split_values(self.identifiers.value)
        # drop the plain values from the modal as soon as they are handed over
        for item in (self.names, self.identifiers):
            item._value = ""
        try:
            n_names, n_ids = await self.services.cases.protect(
                self.case.case_id, self.label.value, self.basis.value, names, identifiers,
                actor_id=str(interaction.user.id))
        except CasewatchError as exc:
            await interaction.followup.send(f"Not saved: {exc}", ephemeral=True)
            return
        finally:
            names.clear()
            identifiers.clear()
        await interaction.followup.send(
            f"Protected **{self.label.value.strip()}** in case `{self.case.case_key}`: {n_names} name(s) and "
            f"{n_ids} identifier(s) hashed; the values are not stored.", ephemeral=True)

    async def on_error(  # type: ignore[override]  # Modal's own signature
            self, interaction: discord.Interaction[Any], error: Exception, /) -> None:
        log.error("protect modal failed: %s", type(error).__name__)  # never the values
        text = "Not saved: an internal error occurred."
        if interaction.response.is_done():
            await interaction.followup.send(text, ephemeral=True)
        else:
            await interaction.response.send_message(text, ephemeral=True)


def summary_embed(summary: Any) -> discord.Embed:
    """Title, body with citation markers, sources as links, 'generated from N sources, last updated ...'."""
    from bot.summary.render import to_embed

    shown = to_embed(summary)
    embed = discord.Embed(title=shown.title, description=shown.body, colour=discord.Colour.dark_teal())
    if shown.sources:
        embed.add_field(name="Sources", value=shown.sources_text, inline=False)
    embed.set_footer(text=shown.footer)
    return embed


async def summary_cooldown(interaction: discord.Interaction[Any]) -> app_commands.Cooldown | None:
    """The per-member summary cooldown from the guild's settings; none for a moderator's refresh.

    The bucket is kept on the interaction so that a refusal (no case, no sources) can give it back. With a
    rate of 1, discord.py asks this factory for a fresh bucket on every call that passes the check, and it
    forgets buckets once their period is over, so nothing grows without bound.
    """
    if getattr(interaction.namespace, "refresh", False) or interaction.guild_id is None:
        return None
    settings = await services_of(interaction.client).settings.get(interaction.guild_id)
    if settings.summary_cooldown_s <= 0:
        return None
    bucket = app_commands.Cooldown(1, float(settings.summary_cooldown_s))
    interaction.extras[COOLDOWN_BUCKET] = bucket
    return bucket


def summary_cooldown_key(interaction: discord.Interaction[Any]) -> tuple[int | None, int, bool]:
    """Per member; a refresh has its own key so that :func:`summary_cooldown` is asked (and exempts it)."""
    return interaction.guild_id, interaction.user.id, bool(getattr(interaction.namespace, "refresh", False))


def refund_cooldown(interaction: discord.Interaction[Any]) -> None:
    """Give back the cooldown this interaction started (it was refused, so it cost nothing)."""
    bucket = interaction.extras.pop(COOLDOWN_BUCKET, None)
    if isinstance(bucket, app_commands.Cooldown):
        bucket.reset()


def matching(current: str, values: list[str]) -> list[app_commands.Choice[str]]:
    """Autocomplete: the values containing what was typed (case-insensitive), at most Discord's 25."""
    typed = current.strip().lower()
    hits = [v for v in values if typed in v.lower()]
    return [app_commands.Choice(name=v[: limits.CHOICE_NAME.value], value=v)
            for v in hits[: limits.AUTOCOMPLETE_CHOICES.value] if len(v) <= limits.CHOICE_VALUE.value]


class Cases(commands.Cog):
    """Case management for moderators, and case summaries for everyone."""

    case = app_commands.Group(name="case", description="Cases linked to forum posts", guild_only=True)
    source = app_commands.Group(name="source", description="Sources of a case's summary", parent=case)
    public = app_commands.Group(name="public", description="Public parties: named in open court or to the press",
                                parent=case)

    def __init__(self, bot: CasewatchBot, services: Services) -> None:
        self.bot = bot
        self.services = services

    async def _case_here(self, interaction: discord.Interaction[Any], key: str | None) -> CaseRow:
        """The case named by ``key``, or the one linked to the thread the command was run in."""
        case = await self._find_case(interaction, key)
        if case is not None:
            return case
        if key:
            raise CasewatchError(f"no case with key {key[:100]!r} in this server")
        raise CasewatchError("run this in a forum post linked to a case, or give the case key")

    async def _find_case(self, interaction: discord.Interaction[Any], key: str | None) -> CaseRow | None:
        if interaction.guild_id is None:
            return None
        if key:
            return await self.services.cases.by_key(interaction.guild_id, key)
        if interaction.channel_id is not None:
            return await self.services.cases.for_thread(interaction.channel_id)
        return None

    # -- autocomplete --------------------------------------------------------------------------------
    async def case_keys(self, interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        """The server's case keys (moderators only: keys are not shown to everyone)."""
        if interaction.guild_id is None or not await member_is_moderator(interaction):
            return []
        cases = await self.services.cases.in_guild(interaction.guild_id)
        return matching(current, [c.case_key for c in reversed(cases)])  # newest first

    async def party_labels(self, interaction: discord.Interaction[Any],
                           current: str) -> list[app_commands.Choice[str]]:
        """Labels of the protected parties of the case named by ``key`` (or of this post's case)."""
        return await self._labels(interaction, current, public=False)

    async def _labels(self, interaction: discord.Interaction[Any], current: str, *,
                      public: bool) -> list[app_commands.Choice[str]]:
        if not await member_is_moderator(interaction):
            return []
        case = await self._find_case(interaction, getattr(interaction.namespace, "key", None))
        if case is None:
            return []
        cases = self.services.cases
        parties = await (cases.public_parties if public else cases.parties)(case.case_id)
        return matching(current, [p.label for p in parties])

    # -- commands ------------------------------------------------------------------------------------
    @case.command(name="link", description="Link this forum post to an existing case")
    @app_commands.describe(key="The case key (see /case show)")
    @app_commands.autocomplete(key=case_keys)
    @moderator_only()
    async def link(self, interaction: discord.Interaction[Any], key: str) -> None:
        channel = interaction.channel
        if not isinstance(channel, discord.Thread):
            raise CasewatchError("run /case link inside the forum post to link")
        case = await self.services.cases.link_thread(guild_id_of(interaction), channel.id, channel.parent_id, key)
        await interaction.response.send_message(f"Linked this post to case `{case.case_key}`.", ephemeral=True)

    @case.command(name="protect", description="Protect a party of this case (names are hashed, never shown)")
    @app_commands.describe(key="The case key; defaults to the case of this forum post")
    @app_commands.autocomplete(key=case_keys)
    @moderator_only()
    async def protect(self, interaction: discord.Interaction[Any], key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        await interaction.response.send_modal(ProtectModal(self.services, case))

    @case.command(name="unprotect", description="Remove a protected party from this case")
    @app_commands.describe(label="The party's label", key="The case key; defaults to this post's case")
    @app_commands.autocomplete(label=party_labels, key=case_keys)
    @moderator_only()
    async def unprotect(self, interaction: discord.Interaction[Any], label: str, key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        removed = await self.services.cases.unprotect(case.case_id, label)
        shown = discord.utils.escape_markdown(label[:100])
        text = f"Removed **{shown}** from case `{case.case_key}`." if removed else f"No party labelled **{shown}**."
        await interaction.response.send_message(text, ephemeral=True)

    async def public_labels(self, interaction: discord.Interaction[Any],
                            current: str) -> list[app_commands.Choice[str]]:
        """Labels of the public parties of the case named by ``key`` (or of this post's case)."""
        return await self._labels(interaction, current, public=True)

    @public.command(name="add", description="Register a public party: details about them are not evidence")
    @app_commands.describe(label="How to refer to them, e.g. 'the defendant' or 'the force'",
                           names="Their names, separated by commas (hashed like protected names)",
                           key="The case key; defaults to this post's case")
    @app_commands.autocomplete(key=case_keys)
    @moderator_only()
    async def public_add(self, interaction: discord.Interaction[Any], label: app_commands.Range[str, 1, 100],
                         names: app_commands.Range[str, 1, 1000], key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        wanted = label.strip().casefold()
        if any(p.label.casefold() == wanted for p in await self.services.cases.parties(case.case_id)):
            raise CasewatchError("a protected party has that label: give the public party another label")
        count = await self.services.cases.publicize(case.case_id, label, names.split(","),
                                                    actor_id=str(interaction.user.id))
        shown = discord.utils.escape_markdown(label.strip()[:100])
        await interaction.response.send_message(
            f"Registered the public party **{shown}** ({count} name{'s' if count != 1 else ''}) in case "
            f"`{case.case_key}`. Details about them no longer count as evidence about a protected party; "
            "a protected name always wins.", ephemeral=True)

    @public.command(name="remove", description="Remove a public party from this case")
    @app_commands.describe(label="The public party's label", key="The case key; defaults to this post's case")
    @app_commands.autocomplete(label=public_labels, key=case_keys)
    @moderator_only()
    async def public_remove(self, interaction: discord.Interaction[Any], label: str, key: str | None = None) -> None:
        case = await self._case_here(interaction, key)
        shown = discord.utils.escape_markdown(label[:100])
        if not any(p.label == label for p in await self.services.cases.public_parties(case.case_id)):
            text = f"No public party labelled **{shown}**."
        else:
            await self.services.cases.unprotect(case.case_id, label)
            text = f"Removed the public party **{shown}** from case `{case.case_key}`."
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
        case, case_file = await self.services.cases.import_case(
            guild_id_of(interaction), text, thread_id=thread.id if thread else None,
            forum_id=thread.parent_id if thread else None, actor_id=str(interaction.user.id))
        del text
        labels = _embeds.fit_lines([f"**{label}**" for label in case_file.labels], 1500).replace("\n", ", ")
        linked = " and linked this post to it" if thread else ""
        await interaction.followup.send(
            f"Imported case `{case.case_key}`{linked}. Protected parties: {labels} (hashed).", ephemeral=True)

    @case.command(name="show", description="Show a case: its parties by label, with counts")
    @app_commands.describe(key="The case key; without it, this post's case or a list of all cases")
    @app_commands.autocomplete(key=case_keys)
    @moderator_only()
    async def show(self, interaction: discord.Interaction[Any], key: str | None = None) -> None:
        cases = self.services.cases
        guild_id = guild_id_of(interaction)
        case = await self._find_case(interaction, key)
        if case is None and key:
            raise CasewatchError(f"no case with key {key[:100]!r} in this server")
        if case is None:
            await self._list_cases(interaction, guild_id)
            return
        embed = _embeds.case_embed(case, await cases.parties(case.case_id),
                                   threads=len(await cases.threads(case.case_id)),
                                   allowlist=await cases.allowlist_size(case.case_id))
        await interaction.response.send_message(embed=embed, ephemeral=True)

    async def _list_cases(self, interaction: discord.Interaction[Any], guild_id: int) -> None:
        """Every case of the server, newest first, a page at a time."""
        cases = list(reversed(await self.services.cases.in_guild(guild_id)))
        if not cases:
            raise CasewatchError("this server has no cases yet; a new post in a watched forum opens one")
        pages = page_count(len(cases))

        async def render(page: int) -> discord.Embed:
            rows = cases[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
            return _embeds.case_page_embed(rows, page=page, pages=pages, total=len(cases))

        await Paginator(render, pages=pages, owner_id=interaction.user.id).send(interaction)

    @source.command(name="add", description="Add a source (a news report, a court page) to this case")
    @app_commands.describe(url="The page's address", key="The case key; defaults to this post's case")
    @app_commands.autocomplete(key=case_keys)
    @moderator_only()
    async def source_add(self, interaction: discord.Interaction[Any], url: str, key: str | None = None) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)  # fetching a page takes seconds
        case = await self._case_here(interaction, key)
        settings = self.bot.settings
        doc = await self.services.summaries.add_source(case, url.strip(), actor_id=str(interaction.user.id),
                                               timeout_s=settings.fetch_timeout_s, max_bytes=settings.fetch_max_bytes,
                                               allow_private=settings.fetch_allow_private)
        await interaction.followup.send(
            f"Added **{discord.utils.escape_markdown((doc.title or 'source')[:200])}** to case `{case.case_key}` "
            f"({len(doc.text.split())} words, redacted before storing). The summary is rebuilt on the next "
            "/case summary.", ephemeral=True)

    @case.command(name="summary", description="A cited summary of this case from its sources")
    @app_commands.describe(refresh="Rebuild now (moderators only)", key="The case key; defaults to this post's case")
    @app_commands.autocomplete(key=case_keys)
    @app_commands.checks.dynamic_cooldown(summary_cooldown, key=summary_cooldown_key)
    async def summary(self, interaction: discord.Interaction[Any], refresh: bool = False,
                      key: str | None = None) -> None:
        # defer before anything else: reading opening posts and building a summary take seconds
        await interaction.response.defer(thinking=True, ephemeral=refresh)
        try:
            if refresh and not await member_is_moderator(interaction):
                raise NotModerator(REFUSAL)
            case = await self._case_here(interaction, key)
            stored = await self.services.summaries.sources(case.case_id)
            openings: list[OpeningPost] = []
            await self._opening_posts(interaction, case, openings)  # no deadline: the reply is deferred
            if not stored and not any(p.content.strip() for p in openings):
                raise CasewatchError("this case has no sources yet; a moderator can add one with /case source add")
        except (CasewatchError, app_commands.CheckFailure):
            refund_cooldown(interaction)  # a refusal costs no cooldown
            if not refresh:  # the deferred reply is public: take it down so the refusal stays private
                with contextlib.suppress(discord.HTTPException):
                    await interaction.delete_original_response()
            raise
        summary, _rebuilt = await self.services.summaries.summary(case, refresh=refresh, opening_posts=openings)
        openings.clear()  # the unredacted text goes no further
        await interaction.followup.send(embed=summary_embed(summary), ephemeral=refresh)

    async def _opening_posts(self, interaction: discord.Interaction[Any], case: CaseRow,
                             posts: list[OpeningPost]) -> None:
        """Add to ``posts`` the opening message of the case's linked forum posts (the one run in first).

        A forum post's opening message has the thread's id. It is read from the message cache or from
        Discord each time, handed to the engine to be redacted, and never stored; a post whose opening
        message is gone or unreadable is left out.
        """
        thread_ids = await self.services.cases.threads(case.case_id)
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


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Cases(bot, services_of(bot)))
