"""``/settings``: watched forums, queue channel, moderator and exempt roles, actions per category,
abuse thresholds, the escalation ladder and the rules link. Requires Manage Server."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands
from pydantic import ValidationError

from bot.abuse.labels import AbuseThresholds
from bot.errors import CasewatchError
from bot.flags import Action, Category
from bot.guild_settings import EscalationStep, GuildSettings
from bot.services import Services
from cogs._checks import NotModerator
from cogs._embeds import fit_lines
from cogs._services import guild_id_of, services_of

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

SETTINGS_REFUSAL = "Only members with Manage Server can change Casewatch's settings."
THRESHOLD_CHOICES = [app_commands.Choice(name=f.name, value=f.name) for f in fields(AbuseThresholds)]
ADD_REMOVE = [app_commands.Choice(name="add", value="add"), app_commands.Choice(name="remove", value="remove")]
CATEGORY_CHOICES = [app_commands.Choice(name=c.value.replace("_", " "), value=c.value) for c in Category]
ACTION_CHOICES = [app_commands.Choice(name=a.value, value=a.value) for a in Action] + [
    app_commands.Choice(name="default (clear the override)", value="default")]


#: Discord's longest timeout is 28 days.
MAX_TIMEOUT_MINUTES = 28 * 24 * 60


def parse_ladder(text: str) -> list[EscalationStep]:
    """``"2:warn, 3:timeout:60"`` → steps: after N abuse flags, warn or time out for M minutes.

    Each step's count is at least 1 and appears once; a timeout lasts 1 minute to 28 days.
    """
    steps: list[EscalationStep] = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        bits = [b.strip() for b in part.split(":")]
        shown = part[:40]
        try:
            if len(bits) == 2 and bits[1] == "warn":
                step = EscalationStep(after=int(bits[0]), action="warn")
            elif len(bits) == 3 and bits[1] == "timeout":
                minutes = int(bits[2])
                if not 1 <= minutes <= MAX_TIMEOUT_MINUTES:
                    raise CasewatchError(f"ladder step {shown!r}: a timeout lasts 1 to {MAX_TIMEOUT_MINUTES} "
                                         "minutes (28 days)")
                step = EscalationStep(after=int(bits[0]), action="timeout", minutes=minutes)
            else:
                raise ValueError
        except (ValueError, ValidationError):
            raise CasewatchError(f"cannot read ladder step {shown!r}: use N:warn or N:timeout:MINUTES "
                                 "with N of at least 1") from None
        if any(s.after == step.after for s in steps):
            raise CasewatchError(f"the ladder has two steps after {step.after} flags")
        steps.append(step)
    return sorted(steps, key=lambda s: s.after)


class LadderTransformer(app_commands.Transformer):
    """The ``ladder`` option: text in, validated :class:`EscalationStep` list out (a bad ladder is refused
    with one line before the command runs)."""

    @property
    def type(self) -> discord.AppCommandOptionType:
        return discord.AppCommandOptionType.string

    @property
    def max_value(self) -> int:  # Discord's max_length of the string option
        return 400

    async def transform(self, interaction: discord.Interaction[Any], value: str) -> list[EscalationStep]:
        return parse_ladder(value)


def known_kinds() -> dict[str, tuple[str, ...]]:
    """The finer kinds each category's detectors report, for ``/settings action kind:``."""
    from bot.abuse import labels
    from bot.images.check import UNREADABLE_IMAGE
    from bot.recognizers import DIRECT_KINDS, LOCATING_KINDS
    from bot.registry import KINDS

    abuse = {*labels.UNBIASED_LABELS, *labels.PATTERN_LABELS, labels.FALLBACK_LABEL}
    return {
        Category.PROTECTED_IDENTITY.value: tuple(KINDS),
        Category.IDENTIFYING_DETAIL.value: tuple(sorted({*DIRECT_KINDS, *LOCATING_KINDS, "jigsaw"})),
        Category.ABUSE.value: tuple(sorted(abuse)),
        Category.UNCHECKED.value: (UNREADABLE_IMAGE,),
    }


def describe(settings: GuildSettings) -> discord.Embed:
    def mention(ids: list[int], fmt: str) -> str:
        return fit_lines([fmt.format(i) for i in ids])

    embed = discord.Embed(title="Casewatch settings", colour=discord.Colour.blurple())
    embed.add_field(name="Watched forums", value=mention(settings.watched_forum_ids, "<#{}>"), inline=False)
    embed.add_field(name="Queue channel",
                    value=f"<#{settings.queue_channel_id}>" if settings.queue_channel_id else "not set")
    embed.add_field(name="Moderator role",
                    value=f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else "Manage Messages only")
    embed.add_field(name="Exempt roles", value=mention(settings.exempt_role_ids, "<@&{}>"))
    embed.add_field(name="Actions", value=fit_lines([f"{k} → {v}" for k, v in settings.policy.items()],
                                                    empty="defaults"), inline=False)
    embed.add_field(name="Abuse thresholds", value=fit_lines(
        [f"{k} ≥ {v:.2f}" for k, v in settings.abuse_thresholds.items()], empty="defaults"))
    embed.add_field(name="Escalation", value=fit_lines([
        f"after {s.after}: {s.action}" + (f" {s.minutes} min" if s.action == "timeout" else "")
        for s in settings.escalation], empty="off"))
    embed.add_field(name="Rules link", value=fit_lines([settings.rules_url], empty="not set"), inline=False)
    embed.add_field(name="Images", value="read (text and photo location)" if settings.images else "not read")
    return embed


def _toggled(ids: list[int], item: int, *, add: bool) -> list[int]:
    """``ids`` with ``item`` added once (``add``) or removed."""
    rest = [i for i in ids if i != item]
    return [*rest, item] if add else rest


class SettingsGroup(app_commands.Group, name="settings", description="Configure Casewatch for this server"):
    def __init__(self, services: Services) -> None:
        # hidden from members without Manage Server in Discord's UI (default_member_permissions); an
        # admin can still grant it per role under Integrations, which interaction_check then enforces
        super().__init__(guild_only=True, default_permissions=discord.Permissions(manage_guild=True))
        self.config = services.settings

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.permissions.manage_guild:
            return True
        raise NotModerator(SETTINGS_REFUSAL)

    async def _update(self, interaction: discord.Interaction[Any], change: Any, done: str) -> None:
        guild_id = guild_id_of(interaction)
        current = (await self.config.get(guild_id)).model_copy(deep=True)
        change(current)
        saved = await self.config.save(guild_id, current)
        await interaction.response.send_message(done, embed=describe(saved), ephemeral=True)

    @app_commands.command(name="show", description="Show the current settings")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        settings = await self.config.get(guild_id_of(interaction))
        await interaction.response.send_message(embed=describe(settings), ephemeral=True)

    @app_commands.command(name="forum", description="Watch (or stop watching) a forum channel")
    @app_commands.choices(change=ADD_REMOVE)
    async def forum(self, interaction: discord.Interaction[Any], change: str, channel: discord.ForumChannel) -> None:
        def apply(s: GuildSettings) -> None:
            s.watched_forum_ids = _toggled(s.watched_forum_ids, channel.id, add=change == "add")

        await self._update(interaction, apply, f"{'Watching' if change == 'add' else 'No longer watching'} "
                                               f"{channel.mention}.")

    @app_commands.command(name="queue", description="Where flags are posted for review")
    async def queue(self, interaction: discord.Interaction[Any], channel: discord.TextChannel) -> None:
        await self._update(interaction, lambda s: setattr(s, "queue_channel_id", channel.id),
                           f"Flags go to {channel.mention}.")

    @app_commands.command(name="modrole", description="The role that may moderate (besides Manage Messages)")
    @app_commands.describe(role="Leave empty to clear")
    async def modrole(self, interaction: discord.Interaction[Any], role: discord.Role | None = None) -> None:
        await self._update(interaction, lambda s: setattr(s, "moderator_role_id", role.id if role else None),
                           f"Moderator role: {role.mention if role else 'none'}.")

    @app_commands.command(name="exempt", description="Roles whose messages are not checked")
    @app_commands.choices(change=ADD_REMOVE)
    async def exempt(self, interaction: discord.Interaction[Any], change: str, role: discord.Role) -> None:
        def apply(s: GuildSettings) -> None:
            s.exempt_role_ids = _toggled(s.exempt_role_ids, role.id, add=change == "add")

        await self._update(interaction, apply, f"Exempt roles updated ({change} {role.mention}).")

    async def kinds(self, interaction: discord.Interaction[Any], current: str) -> list[app_commands.Choice[str]]:
        """Autocomplete: the kinds of the chosen category (all categories' before one is chosen)."""
        by_category = known_kinds()
        category = getattr(interaction.namespace, "category", None)
        kinds = by_category.get(category) or sorted({k for ks in by_category.values() for k in ks})
        typed = current.strip().lower()
        return [app_commands.Choice(name=k.replace("_", " "), value=k) for k in kinds if typed in k][:25]

    @app_commands.command(name="action", description="What to do with flags of a category (or one kind of it)")
    @app_commands.describe(kind="Optional finer kind, e.g. surname, phone, threat")
    @app_commands.choices(category=CATEGORY_CHOICES, action=ACTION_CHOICES)
    @app_commands.autocomplete(kind=kinds)
    async def action(self, interaction: discord.Interaction[Any], category: str, action: str,
                     kind: str | None = None) -> None:
        kind = (kind or "").strip()
        if kind and kind not in known_kinds().get(category, ()):
            raise CasewatchError(f"{category.replace('_', ' ')} has no kind {kind[:40]!r}; pick one from the list")
        key = f"{category}:{kind}" if kind else category

        def apply(s: GuildSettings) -> None:
            if action == "default":
                s.policy.pop(key, None)
            else:
                s.policy[key] = action

        await self._update(interaction, apply, f"{key} → {action}.")

    @app_commands.command(name="threshold", description="Minimum abuse score for a kind (toxicity, threat...)")
    @app_commands.describe(kind="The abuse label ('hold': score at which severe labels suggest hold)",
                           value="0 to 1; -1 clears it")
    @app_commands.choices(kind=THRESHOLD_CHOICES)
    async def threshold(self, interaction: discord.Interaction[Any], kind: str,
                        value: app_commands.Range[float, -1.0, 1.0]) -> None:
        def apply(s: GuildSettings) -> None:
            if value < 0:
                s.abuse_thresholds.pop(kind, None)
            else:
                s.abuse_thresholds[kind] = float(value)

        await self._update(interaction, apply, f"Threshold for {kind} updated.")

    @app_commands.command(name="escalation", description="The ladder for repeated abuse, e.g. 2:warn, 3:timeout:60")
    @app_commands.describe(ladder="Steps N:warn or N:timeout:MINUTES (1 to 40320), comma-separated")
    async def escalation(self, interaction: discord.Interaction[Any],
                         ladder: app_commands.Transform[list[EscalationStep], LadderTransformer]) -> None:
        steps = ladder
        await self._update(interaction, lambda s: setattr(s, "escalation", steps), "Escalation ladder updated.")

    @app_commands.command(name="rules", description="The link to the server's rules, quoted in notices")
    async def rules(self, interaction: discord.Interaction[Any], url: app_commands.Range[str, 1, 512]) -> None:
        if url and not url.startswith(("https://", "http://")):
            raise CasewatchError("the rules link must start with https://")
        await self._update(interaction, lambda s: setattr(s, "rules_url", url), "Rules link updated.")

    @app_commands.command(name="images", description="Read the text in attached images and the location in photos")
    async def images(self, interaction: discord.Interaction[Any], enabled: bool) -> None:
        await self._update(interaction, lambda s: setattr(s, "images", enabled),
                           "Images are read." if enabled else "Images are no longer read (only their messages' text).")


class Settings(commands.Cog):
    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot
        self.group = SettingsGroup(services_of(bot))

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Settings(bot))
