import sqlite3
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.storage import Database, migrations

EXPECTED_TABLES = {"guilds", "cases", "protected_parties", "allowlist", "threads", "flags", "findings",
                   "held_messages", "audit_log", "outbox", "sources", "summaries", "schema_version"}


def tables(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


async def test_from_empty_creates_schema(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "new" / "c.db")
    assert db.schema_version == len(migrations.discover())
    await db.close()
    assert tables(tmp_path / "new" / "c.db") >= EXPECTED_TABLES


async def test_second_run_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    await (await Database.open(path)).close()
    with sqlite3.connect(path) as conn:
        before = conn.execute("SELECT version, applied_at FROM schema_version").fetchall()
    db = await Database.open(path)
    assert await migrations.apply_pending(db.conn) == []
    await db.close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT version, applied_at FROM schema_version").fetchall() == before


async def test_pragmas(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "c.db")
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] > 0
    await db.close()


async def test_failing_migration_rolls_back(tmp_path: Path) -> None:
    mig = tmp_path / "migs"
    mig.mkdir()
    (mig / "001_base.sql").write_text("CREATE TABLE a (x INTEGER);")
    (mig / "002_broken.sql").write_text("CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);")
    path = tmp_path / "c.db"
    with pytest.raises(StorageError) as exc:
        await Database.open(path, migrations_dir=mig)
    assert "002_broken.sql" in str(exc.value) and "version 1" in str(exc.value)
    assert "\n" not in str(exc.value)
    assert "b" not in tables(path) and "a" in tables(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT MAX(version) FROM schema_version").fetchone()[0] == 1


async def test_badly_named_migration_is_refused(tmp_path: Path) -> None:
    (tmp_path / "oops.sql").write_text("SELECT 1;")
    with pytest.raises(StorageError, match=r"NNN_name\.sql"):
        migrations.discover(tmp_path)


async def test_not_a_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    path.write_bytes(b"this is a text file, not SQLite " * 40)
    with pytest.raises(StorageError) as exc:
        await Database.open(path)
    assert "not a usable SQLite database" in str(exc.value) and "\n" not in str(exc.value)


def test_migrations_are_portable_sql() -> None:
    """No SQLite-only constructs that PostgreSQL would reject."""
    for mig in migrations.discover():
        sql = mig.sql.upper()
        for bad in ("AUTOINCREMENT", "WITHOUT ROWID", "PRAGMA", "STRICT", "DATETIME("):
            assert bad not in sql, f"{mig.path.name} uses {bad}"
