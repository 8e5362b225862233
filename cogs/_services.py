"""How the Discord side reaches the engine: the :class:`~bot.services.Services` built once in
``setup_hook``. Cogs take it in their constructor; checks, views and autocompletes, which only see an
interaction, ask :func:`services_of` for it. Nothing here touches the store."""

from __future__ import annotations

from typing import Any

import discord

from bot.errors import CasewatchError
from bot.services import Services


def services_of(client: Any) -> Services:
    """The engine's services of ``client`` (a :class:`~cogs._client.CasewatchBot`)."""
    services: Services | None = getattr(client, "services", None)
    if services is None:
        raise RuntimeError("the engine's services are built in setup_hook, before any cog is loaded")
    return services


def guild_id_of(interaction: discord.Interaction[Any]) -> int:
    """The server an interaction came from; the commands are guild-only, so this is a DM's refusal."""
    if interaction.guild_id is None:
        raise CasewatchError("use this command in a server")
    return interaction.guild_id
