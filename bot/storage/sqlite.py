"""SQLite behind :class:`~bot.storage.database.Database`: one aiosqlite connection, WAL, foreign keys,
a busy timeout, and one writer path (a process-local lock around ``BEGIN IMMEDIATE``)."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import StorageError
from bot.storage.database import Database, Result, Row, Transaction

BUSY_TIMEOUT_MS = 5000


class SqliteTransaction(Transaction):
    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection) -> None:
        super().__init__()
        self.conn = conn

    async def _execute(self, sql: str, params: tuple[Any, ...]) -> Result:
        async with self.conn.execute(sql, params) as cur:
            rows = list(await cur.fetchall())
            return Result(list(rows), cur.rowcount if cur.rowcount >= 0 else len(rows))

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        await self.conn.executemany(sql, [tuple(p) for p in seq])


class SqliteDatabase(Database):
    """An open SQLite file. Reads go straight to the connection; writes go through :meth:`transaction`."""

    dialect = "sqlite"

    def __init__(self, conn: aiosqlite.Connection, path: Path) -> None:
        super().__init__()
        self.conn = conn
        self.path = path
        self._write_lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path) -> SqliteDatabase:
        if str(path) != ":memory:":
            path.parent.mkdir(parents=True, exist_ok=True)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StorageError(f"cannot open database {path}: {exc}") from None
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            await conn.execute("SELECT COUNT(*) FROM sqlite_master")
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise StorageError(f"{path} is not a usable SQLite database ({exc})") from None
        return cls(conn, path)

    async def close(self) -> None:
        async with self._write_lock:
            await self.conn.close()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[SqliteTransaction]:
        async with self._write_lock:
            await self.conn.execute("BEGIN IMMEDIATE")
            tx = SqliteTransaction(self.conn)
            try:
                yield tx
            except BaseException:
                await self.conn.rollback()
                raise
            else:
                await self.conn.commit()
        for topic, key in tx.notices:
            await self._deliver(topic, key)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self.conn.execute(sql, tuple(params)) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        async with self.conn.execute(sql, tuple(params)) as cur:
            return await cur.fetchone()

    async def run_script(self, script: str) -> None:
        """Run ``script`` inside one BEGIN … COMMIT; on error roll back and re-raise."""
        async with self._write_lock:
            try:
                await self.conn.executescript(f"BEGIN;\n{script}\n;\nCOMMIT;")
            except BaseException:
                if self.conn.in_transaction:
                    await self.conn.rollback()
                raise
