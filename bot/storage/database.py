"""The SQLite store: one connection, WAL, foreign keys, busy timeout, and one writer path."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError
from bot.storage import migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000


class Database:
    """An open store. Reads go straight to the connection; writes go through :meth:`transaction`."""

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()
        self.schema_version = 0

    # -- lifecycle -----------------------------------------------------------------------------
    @classmethod
    async def open(
        cls, path: str | Path, *, migrate: bool = True, migrations_dir: Path | None = None
    ) -> Database:
        """Open (creating if needed) the database at ``path`` and apply pending migrations."""
        p = Path(path)
        if str(p) != ":memory:":
            p.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(p, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {p}: {exc}") from None
        db = cls(conn, p)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            if migrate:
                await migrations.apply_pending(conn, migrations_dir or migrations.MIGRATIONS_DIR)
            db.schema_version = await migrations.current_version(conn)
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StorageError(f"{p} is not a usable SQLite database ({exc})") from None
        except BaseException:
            await conn.close()
            raise
        return db

    async def close(self) -> None:
        async with self._write_lock:
            await self.conn.close()

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- access ----------------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """The one writer path: serialised, BEGIN IMMEDIATE, committed or rolled back as a whole."""
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                await self.conn.rollback()
                raise
            else:
                await self.conn.commit()

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())
