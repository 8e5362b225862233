"""Storage: SQLite (aiosqlite) or PostgreSQL (asyncpg), numbered migrations, one repository per table group."""

from __future__ import annotations

from pathlib import Path

from bot.storage.database import Database
from bot.storage.keycheck import verify_key
from bot.storage.repositories.audit import AuditRepository
from bot.storage.repositories.cases import CaseRepository
from bot.storage.repositories.flags import FlagRepository, FlagState, HeldMessage
from bot.storage.repositories.guilds import GuildRepository
from bot.storage.repositories.outbox import OutboxRepository
from bot.storage.repositories.sources import SourceRepository
from bot.storage.sealing import Sealer

__all__ = ["Database", "FlagState", "HeldMessage", "Sealer", "Store"]


class Store:
    """The database with its repositories: ``store.guilds``, ``.cases``, ``.flags``, ``.audit``,
    ``.outbox``, ``.sources``; ``store.sealer`` seals held messages with the secret key."""

    def __init__(self, db: Database, secret_key: bytes) -> None:
        self.db = db
        self.guilds = GuildRepository(db)
        self.cases = CaseRepository(db)
        self.flags = FlagRepository(db)
        self.audit = AuditRepository(db)
        self.outbox = OutboxRepository(db)
        self.sources = SourceRepository(db)
        self.sealer = Sealer(secret_key)

    @classmethod
    async def open(cls, target: str | Path, secret_key: bytes, *, migrations_dir: Path | None = None,
                   key_source: str = "", pool_size: int | None = None) -> Store:
        """Open (and migrate) the database named by ``target`` (a SQLite path or a ``sqlite:///`` or
        ``postgresql://`` URL); refuses (:class:`KeyMismatchError`) a key it was not made with."""
        db = await Database.open(target, migrations_dir=migrations_dir, pool_size=pool_size)
        try:
            await verify_key(db, secret_key, source=key_source)
        except BaseException:
            await db.close()
            raise
        return cls(db, secret_key)

    @property
    def schema_version(self) -> int:
        return self.db.schema_version

    async def close(self) -> None:
        await self.db.close()

    async def __aenter__(self) -> Store:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()
