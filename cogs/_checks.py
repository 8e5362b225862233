"""Who may moderate: Manage Messages, or the guild's configured moderator role. Everyone else is refused."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from bot.guild_config import is_moderator
from cogs._services import services_of

REFUSAL = "Only moderators (Manage Messages or the moderator role) can do that."


class NotModerator(app_commands.CheckFailure):
    """Raised by :func:`moderator_only`; the error handler answers with :data:`REFUSAL`, ephemerally."""


async def member_is_moderator(interaction: discord.Interaction[Any]) -> bool:
    """True when the member who triggered ``interaction`` may moderate in this guild."""
    if interaction.guild_id is None or not isinstance(interaction.user, discord.Member):
        return False
    settings = await services_of(interaction.client).settings.get(interaction.guild_id)
    return is_moderator(
        settings,
        manage_messages=interaction.permissions.manage_messages,
        role_ids=[role.id for role in interaction.user.roles],
    )


def moderator_only() -> Any:
    """An app-command check: the command runs only for moderators."""

    async def predicate(interaction: discord.Interaction[Any]) -> bool:
        if await member_is_moderator(interaction):
            return True
        raise NotModerator(REFUSAL)

    return app_commands.check(predicate)


async def refuse(interaction: discord.Interaction[Any], text: str = REFUSAL) -> None:
    """Answer ``interaction`` with an ephemeral message, whether or not it was answered already."""
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True)
    else:
        await interaction.response.send_message(text, ephemeral=True)
