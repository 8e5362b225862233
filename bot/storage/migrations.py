"""Numbered SQL migrations, the same on SQLite and PostgreSQL, each applied in its own transaction.

``migrations/NNN_name.sql`` runs on both engines. Where the SQL must differ, a version ships one file
per engine instead: ``NNN_name.sqlite.sql`` and ``NNN_name.postgresql.sql`` (a dialect file wins over
the shared one). ``tests/storage/test_migrations.py`` lists every such difference.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import StorageError
from bot.storage.database import Database, Dialect
from bot.storage.ids import utcnow

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parents[2] / "migrations"
DIALECTS: tuple[Dialect, ...] = ("sqlite", "postgresql")
_NAME = re.compile(r"^(\d{3,})_([a-z0-9_]+?)(?:\.(sqlite|postgresql))?\.sql$")

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


def discover(directory: Path = MIGRATIONS_DIR, dialect: Dialect = "sqlite") -> list[Migration]:
    """The migrations ``dialect`` runs, in version order (a dialect file wins over the shared one).

    Two names for one version, a dialect file without its counterpart (for the other engine, or the
    shared file), or a badly named file are errors.
    """
    files: dict[int, dict[str | None, Path]] = {}
    names: dict[int, str] = {}
    for path in sorted(directory.glob("*.sql")):
        m = _NAME.match(path.name)
        if not m:
            raise StorageError(f"migration file {path.name} is not named NNN_name.sql (or NNN_name.DIALECT.sql)")
        version, name, which = int(m.group(1)), m.group(2), m.group(3)
        if names.setdefault(version, name) != name:
            raise StorageError(f"two migrations share version {version}")
        files.setdefault(version, {})[which] = path
    found: list[Migration] = []
    for version in sorted(files):
        variants = files[version]
        if None not in variants and set(variants) != set(DIALECTS):
            missing = ", ".join(d for d in DIALECTS if d not in variants)
            raise StorageError(f"migration {version:03d} has a dialect file but none for {missing}")
        found.append(Migration(version, names[version], variants.get(dialect) or variants[None]))
    return found


def differences(directory: Path = MIGRATIONS_DIR) -> dict[int, tuple[Path, Path]]:
    """Versions whose SQL differs per engine: ``{version: (sqlite file, postgresql file)}``."""
    by_dialect = {d: {m.version: m.path for m in discover(directory, d)} for d in DIALECTS}
    return {v: (p, by_dialect["postgresql"][v]) for v, p in by_dialect["sqlite"].items()
            if p != by_dialect["postgresql"][v]}


async def current_version(db: Database) -> int:
    async with db.exclusive():
        await db.run_script(SCHEMA_TABLE)
        value = await db.fetchval("SELECT MAX(version) FROM schema_version")
    return int(value) if value is not None else 0


async def apply_pending(db: Database, directory: Path = MIGRATIONS_DIR) -> list[int]:
    """Apply the migrations newer than the database; returns the versions applied.

    Each runs inside one transaction together with its schema_version row, so a failing migration
    rolls back completely and leaves the database at the previous version. On PostgreSQL an advisory
    lock makes processes that start together apply each migration once.
    """
    applied: list[int] = []
    async with db.exclusive():
        await db.run_script(SCHEMA_TABLE)
        value = await db.fetchval("SELECT MAX(version) FROM schema_version")
        version = int(value) if value is not None else 0
        for mig in discover(directory, db.dialect):
            if mig.version <= version:
                continue
            script = (
                f"{mig.sql}\n;\n"
                f"INSERT INTO schema_version (version, name, applied_at) "
                f"VALUES ({mig.version}, '{mig.name}', '{utcnow()}');\n"
            )
            try:
                await db.run_script(script)
            except StorageError as exc:
                raise _failed(mig, version, str(exc)) from None
            except Exception as exc:
                raise _failed(mig, version, f"{type(exc).__name__}: {exc}") from None
            log.info("applied migration %s", mig.path.name)
            version = mig.version
            applied.append(mig.version)
    return applied


def _failed(mig: Migration, version: int, why: str) -> StorageError:
    first = why.splitlines()[0] if why else "unknown error"
    return StorageError(f"migration {mig.path.name} failed and was rolled back "
                        f"(database stays at version {version}): {first}")
