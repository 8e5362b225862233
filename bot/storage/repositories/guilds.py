"""Guilds and their settings."""

from __future__ import annotations

from bot.guild_settings import GuildSettings
from bot.storage.database import Database
from bot.storage.ids import utcnow


class GuildRepository:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def ensure(self, guild_id: int) -> None:
        """Create the guild row with default settings if it is missing."""
        now = utcnow()
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guilds (guild_id, settings_json, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id) DO NOTHING",
                (guild_id, GuildSettings().model_dump_json(), now, now),
            )

    async def get_settings(self, guild_id: int) -> GuildSettings:
        row = await self.db.fetchone("SELECT settings_json FROM guilds WHERE guild_id = ?", (guild_id,))
        return GuildSettings.model_validate_json(row["settings_json"]) if row else GuildSettings()

    async def save_settings(self, guild_id: int, settings: GuildSettings) -> None:
        now = utcnow()
        async with self.db.transaction() as conn:
            await conn.execute(
                "INSERT INTO guilds (guild_id, settings_json, created_at, updated_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (guild_id) DO UPDATE SET settings_json = excluded.settings_json, "
                "updated_at = excluded.updated_at",
                (guild_id, settings.model_dump_json(), now, now),
            )
            conn.notify("guild", guild_id)

    async def all_ids(self) -> list[int]:
        return [int(r[0]) for r in await self.db.fetchall("SELECT guild_id FROM guilds ORDER BY guild_id")]
