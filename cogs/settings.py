"""``/settings``: watched forums, queue channel, moderator and exempt roles, actions per category,
abuse thresholds, the escalation ladder and the rules link. Requires Manage Server."""

from __future__ import annotations

from dataclasses import fields
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.abuse.labels import AbuseThresholds
from bot.errors import CasewatchError
from bot.flags import Action, Category
from bot.guild_settings import EscalationStep, GuildSettings
from cogs._checks import NotModerator

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

SETTINGS_REFUSAL = "Only members with Manage Server can change Casewatch's settings."
THRESHOLD_CHOICES = [app_commands.Choice(name=f.name, value=f.name) for f in fields(AbuseThresholds)]
ADD_REMOVE = [app_commands.Choice(name="add", value="add"), app_commands.Choice(name="remove", value="remove")]
CATEGORY_CHOICES = [app_commands.Choice(name=c.value.replace("_", " "), value=c.value) for c in Category]
ACTION_CHOICES = [app_commands.Choice(name=a.value, value=a.value) for a in Action] + [
    app_commands.Choice(name="default (clear the override)", value="default")]


def parse_ladder(text: str) -> list[EscalationStep]:
    """``"2:warn, 3:timeout:60"`` → steps: after N abuse flags, warn or time out for M minutes."""
    steps = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        bits = [b.strip() for b in part.split(":")]
        try:
            if len(bits) == 2 and bits[1] == "warn":
                steps.append(EscalationStep(after=int(bits[0]), action="warn"))
            elif len(bits) == 3 and bits[1] == "timeout":
                steps.append(EscalationStep(after=int(bits[0]), action="timeout", minutes=int(bits[2])))
            else:
                raise ValueError
        except ValueError:
            raise CasewatchError(f"cannot read ladder step {part!r}: use N:warn or N:timeout:MINUTES") from None
    return sorted(steps, key=lambda s: s.after)


def describe(settings: GuildSettings) -> discord.Embed:
    def mention(ids: list[int], fmt: str) -> str:
        return ", ".join(fmt.format(i) for i in ids) or "none"

    embed = discord.Embed(title="Casewatch settings", colour=discord.Colour.blurple())
    embed.add_field(name="Watched forums", value=mention(settings.watched_forum_ids, "<#{}>"), inline=False)
    embed.add_field(name="Queue channel",
                    value=f"<#{settings.queue_channel_id}>" if settings.queue_channel_id else "not set")
    embed.add_field(name="Moderator role",
                    value=f"<@&{settings.moderator_role_id}>" if settings.moderator_role_id else "Manage Messages only")
    embed.add_field(name="Exempt roles", value=mention(settings.exempt_role_ids, "<@&{}>"))
    embed.add_field(name="Actions", value="\n".join(f"{k} → {v}" for k, v in settings.policy.items())
                    or "defaults", inline=False)
    embed.add_field(name="Abuse thresholds", value="\n".join(f"{k} ≥ {v:.2f}" for k, v in
                                                             settings.abuse_thresholds.items()) or "defaults")
    embed.add_field(name="Escalation", value=", ".join(
        f"after {s.after}: {s.action}" + (f" {s.minutes} min" if s.action == "timeout" else "")
        for s in settings.escalation) or "off")
    embed.add_field(name="Rules link", value=settings.rules_url or "not set", inline=False)
    embed.add_field(name="Images", value="read (text and photo location)" if settings.images else "not read")
    return embed


@app_commands.default_permissions(manage_guild=True)

def _toggled(ids: list[int], item: int, *, add: bool) -> list[int]:
    """``ids`` with ``item`` added once (``add``) or removed."""
    rest = [i for i in ids if i != item]
    return [*rest, item] if add else rest

class SettingsGroup(app_commands.Group, name="settings", description="Configure Casewatch for this server"):
    def __init__(self, bot: CasewatchBot) -> None:
        super().__init__(guild_only=True)
        self.bot = bot

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.permissions.manage_guild:
            return True
        raise NotModerator(SETTINGS_REFUSAL)

    async def _update(self, interaction: discord.Interaction[Any], change: Any, done: str) -> None:
        assert interaction.guild_id is not None and self.bot.moderation is not None
        moderation = self.bot.moderation
        current = (await moderation.settings_for(interaction.guild_id)).model_copy(deep=True)
        change(current)
        saved = await moderation.save_settings(interaction.guild_id, current)
        await interaction.response.send_message(done, embed=describe(saved), ephemeral=True)

    @app_commands.command(name="show", description="Show the current settings")
    async def show(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None and self.bot.moderation is not None
        settings = await self.bot.moderation.settings_for(interaction.guild_id)
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

    @app_commands.command(name="action", description="What to do with flags of a category (or one kind of it)")
    @app_commands.describe(kind="Optional finer kind, e.g. surname, phone, threat")
    @app_commands.choices(category=CATEGORY_CHOICES, action=ACTION_CHOICES)
    async def action(self, interaction: discord.Interaction[Any], category: str, action: str,
                     kind: str | None = None) -> None:
        key = f"{category}:{kind.strip()}" if kind and kind.strip() else category

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
    async def escalation(self, interaction: discord.Interaction[Any], ladder: str) -> None:
        steps = parse_ladder(ladder)
        await self._update(interaction, lambda s: setattr(s, "escalation", steps), "Escalation ladder updated.")

    @app_commands.command(name="rules", description="The link to the server's rules, quoted in notices")
    async def rules(self, interaction: discord.Interaction[Any], url: str) -> None:
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
        self.group = SettingsGroup(bot)

    async def cog_load(self) -> None:
        self.bot.tree.add_command(self.group)

    async def cog_unload(self) -> None:
        self.bot.tree.remove_command(self.group.name)


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Settings(bot))
