"""Migrations on both engines, the per-dialect files (every difference listed), and the SQL translation."""

import difflib
from pathlib import Path

import pytest

from bot.errors import StorageError
from bot.storage import Database, migrations
from bot.storage.database import dialect_of, redact_url, to_postgres
from tests.pg import tables

EXPECTED_TABLES = {"guilds", "cases", "protected_parties", "allowlist", "threads", "flags", "findings",
                   "held_messages", "audit_log", "outbox", "sources", "summaries", "schema_version"}

#: Every place where the SQL differs per engine: {version: the changed lines, as (sqlite, postgresql)}.
#: A new dialect file must be listed here, with the reason in its header comment.
DIFFERENCES: dict[int, set[tuple[str, str]]] = {}


def _code(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text().splitlines() if line.strip() and not line.startswith("--")]


def test_every_dialect_difference_is_listed() -> None:
    found = {}
    for version, (sqlite_file, pg_file) in migrations.differences().items():
        a, b = _code(sqlite_file), _code(pg_file)
        removed = [x[2:] for x in difflib.ndiff(a, b) if x.startswith("- ")]
        added = [x[2:] for x in difflib.ndiff(a, b) if x.startswith("+ ")]
        assert len(removed) == len(added), f"migration {version}: lines added or removed, not changed"
        found[version] = set(zip(removed, added, strict=True))
    assert found == DIFFERENCES


async def test_from_empty_creates_schema(db_target: str | Path) -> None:
    db = await Database.open(db_target)
    try:
        assert db.schema_version == migrations.discover(dialect=db.dialect)[-1].version
        assert await tables(db) >= EXPECTED_TABLES
    finally:
        await db.close()


async def test_second_run_changes_nothing(db_target: str | Path) -> None:
    await (await Database.open(db_target)).close()
    db = await Database.open(db_target)
    try:
        before = await db.fetchall("SELECT version, applied_at FROM schema_version ORDER BY version")
        assert await migrations.apply_pending(db) == []
        after = await db.fetchall("SELECT version, applied_at FROM schema_version ORDER BY version")
        assert [tuple(r) for r in after] == [tuple(r) for r in before]
    finally:
        await db.close()


async def test_failing_migration_rolls_back(db_target: str | Path, tmp_path: Path) -> None:
    mig = tmp_path / "migs"
    mig.mkdir()
    (mig / "001_base.sql").write_text("CREATE TABLE a (x INTEGER);")
    (mig / "002_broken.sql").write_text("CREATE TABLE b (y INTEGER);\nINSERT INTO nowhere VALUES (1);")
    with pytest.raises(StorageError) as exc:
        await Database.open(db_target, migrations_dir=mig)
    assert "002_broken.sql" in str(exc.value) and "version 1" in str(exc.value)
    assert "\n" not in str(exc.value)
    db = await Database.open(db_target, migrate=False)
    try:
        assert "b" not in await tables(db) and "a" in await tables(db)
        assert await db.fetchval("SELECT MAX(version) FROM schema_version") == 1
    finally:
        await db.close()


async def test_dialect_file_wins_over_the_shared_one(db_target: str | Path, tmp_path: Path) -> None:
    mig = tmp_path / "migs"
    mig.mkdir()
    (mig / "001_base.sql").write_text("CREATE TABLE shared (x INTEGER);")
    (mig / "002_typed.sqlite.sql").write_text("CREATE TABLE only_sqlite (x REAL);")
    (mig / "002_typed.postgresql.sql").write_text("CREATE TABLE only_postgresql (x DOUBLE PRECISION);")
    db = await Database.open(db_target, migrations_dir=mig)
    try:
        assert db.schema_version == 2
        assert {"shared", f"only_{db.dialect}"} <= await tables(db)
        other = "only_postgresql" if db.dialect == "sqlite" else "only_sqlite"
        assert other not in await tables(db)
    finally:
        await db.close()


def test_a_dialect_file_needs_its_counterpart(tmp_path: Path) -> None:
    (tmp_path / "001_x.postgresql.sql").write_text("SELECT 1;")
    with pytest.raises(StorageError, match="none for sqlite"):
        migrations.discover(tmp_path)


async def test_pragmas(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "c.db")
    assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"
    assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1
    assert (await db.fetchone("PRAGMA busy_timeout"))[0] > 0
    await db.close()


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


async def test_unreachable_postgresql_is_one_line_without_the_password() -> None:
    with pytest.raises(StorageError) as exc:
        await Database.open("postgresql://cw:hunter2@127.0.0.1:1/nowhere")
    assert "hunter2" not in str(exc.value) and "\n" not in str(exc.value) and "cw:***@" in str(exc.value)


def test_migrations_are_portable_sql() -> None:
    """No SQLite-only constructs that PostgreSQL would reject, outside a .sqlite.sql file."""
    for mig in migrations.discover(dialect="postgresql"):
        sql = mig.sql.upper()
        for bad in ("AUTOINCREMENT", "WITHOUT ROWID", "PRAGMA", "STRICT", "DATETIME("):
            assert bad not in sql, f"{mig.path.name} uses {bad}"


@pytest.mark.parametrize(("sql", "expected"), [
    ("SELECT * FROM t WHERE a = ? AND b = ?", "SELECT * FROM t WHERE a = $1 AND b = $2"),
    ("SELECT * FROM t WHERE g IS ? AND k = ?", "SELECT * FROM t WHERE g IS NOT DISTINCT FROM $1 AND k = $2"),
    ("SELECT '?', x FROM t WHERE y = ? -- what?\n AND z = ?",
     "SELECT '?', x FROM t WHERE y = $1 -- what?\n AND z = $2"),
    ("UPDATE t SET a = 'it''s ?' WHERE b = ?", "UPDATE t SET a = 'it''s ?' WHERE b = $1"),
    ("SELECT 1 WHERE x IS NULL", "SELECT 1 WHERE x IS NULL"),
])
def test_placeholders_become_numbered(sql: str, expected: str) -> None:
    assert to_postgres(sql) == expected


def test_engine_from_target() -> None:
    assert dialect_of("postgresql://u@h/db") == dialect_of("postgres://h/db") == "postgresql"
    assert dialect_of("sqlite:///data/x.db") == dialect_of(Path("x.db")) == "sqlite"
    with pytest.raises(StorageError, match="mysql"):
        dialect_of("mysql://h/db")
    assert redact_url("postgresql://u:secret@h/db") == "postgresql://u:***@h/db"
