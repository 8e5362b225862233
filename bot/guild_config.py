"""Each guild's settings (cached), and the rules read from them: who moderates, who is exempt, the policy."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.flags import Action, Category
from bot.guild_settings import GuildSettings
from bot.policy import DEFAULT_RULES, Policy, Rule
from bot.storage import Store

log = logging.getLogger(__name__)


def is_moderator(settings: GuildSettings, *, manage_messages: bool, role_ids: Sequence[int]) -> bool:
    """Members with Manage Messages, or the configured moderator role, may moderate."""
    return manage_messages or (settings.moderator_role_id is not None and settings.moderator_role_id in role_ids)


def is_exempt(settings: GuildSettings, role_ids: Sequence[int]) -> bool:
    return any(r in settings.exempt_role_ids for r in role_ids)


def policy_for(settings: GuildSettings) -> Policy:
    """The guild's policy: its overrides (``category`` or ``category:kind`` → action) before the defaults."""
    overrides = []
    for key, action in sorted(settings.policy.items(), key=lambda kv: ":" not in kv[0]):  # kinds first
        category, _, kind = key.partition(":")
        try:
            overrides.append(Rule(Category(category), Action(action), 0.0, frozenset({kind}) if kind else None))
        except ValueError:
            log.warning("ignoring an invalid policy entry for %s", key)
    return Policy(rules=(*overrides, *DEFAULT_RULES))


class GuildConfig:
    """``/settings``: read (cached) and save a guild's settings; ``on_change`` runs after every save."""

    def __init__(self, store: Store, *, on_change: Callable[[], None] = lambda: None) -> None:
        self._store = store
        self._cache: dict[int, GuildSettings] = {}
        self._on_change = on_change

    async def get(self, guild_id: int) -> GuildSettings:
        cached = self._cache.get(guild_id)
        if cached is None:
            cached = self._cache[guild_id] = await self._store.guilds.get_settings(guild_id)
        return cached

    def forget(self, guild_id: int | None = None) -> None:
        """Drop the cached settings of ``guild_id`` (every guild when ``None``): changed elsewhere."""
        if guild_id is None:
            self._cache.clear()
        else:
            self._cache.pop(guild_id, None)

    async def save(self, guild_id: int, settings: GuildSettings) -> GuildSettings:
        settings = GuildSettings.model_validate(settings.model_dump())
        await self._store.guilds.save_settings(guild_id, settings)
        self._cache[guild_id] = settings
        self._on_change()  # the policy may have changed
        return settings

    async def watches(self, guild_id: int, forum_id: int | None) -> bool:
        return forum_id is not None and forum_id in (await self.get(guild_id)).watched_forum_ids
