"""Numbered SQL migrations (``migrations/NNN_name.sql``), each applied in its own transaction."""

from __future__ import annotations

import logging
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import aiosqlite

from bot.errors import StorageError
from bot.storage.ids import utcnow

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
_NAME = re.compile(r"^(\d{3,})_([a-z0-9_]+)\.sql$")

SCHEMA_TABLE = """
CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    path: Path

    @property
    def sql(self) -> str:
        return self.path.read_text(encoding="utf-8")


def discover(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Every migration file in ``directory``, in version order; duplicate versions are an error."""
    found: dict[int, Migration] = {}
    for path in sorted(directory.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise StorageError(f"migration file {path.name} is not named NNN_name.sql")
        version = int(m.group(1))
        if version in found:
            raise StorageError(f"two migrations share version {version}")
        found[version] = Migration(version, m.group(2), path)
    return [found[v] for v in sorted(found)]


async def current_version(conn: aiosqlite.Connection) -> int:
    await conn.execute(SCHEMA_TABLE)
    async with conn.execute("SELECT MAX(version) FROM schema_version") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


async def apply_pending(conn: aiosqlite.Connection, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply the migrations newer than the database; returns the versions applied.

    Each runs inside BEGIN/COMMIT together with its schema_version row, so a failing migration
    rolls back completely and leaves the database at the previous version.
    """
    applied: list[int] = []
    version = await current_version(conn)
    for mig in discover(directory):
        if mig.version <= version:
            continue
        script = (
            "BEGIN;\n"
            f"{mig.sql}\n;\n"
            f"INSERT INTO schema_version (version, name, applied_at) "
            f"VALUES ({mig.version}, '{mig.name}', '{utcnow()}');\n"
            "COMMIT;"
        )
        try:
            await conn.executescript(script)
        except sqlite3.Error as exc:
            if conn.in_transaction:
                await conn.rollback()
            raise StorageError(
                f"migration {mig.path.name} failed and was rolled back "
                f"(database stays at version {version}): {exc}"
            ) from None
        log.info("applied migration %s", mig.path.name)
        version = mig.version
        applied.append(mig.version)
    return applied
