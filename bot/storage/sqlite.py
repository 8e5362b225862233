"""SQLite behind :class:`~bot.storage.database.Database`: one aiosqlite connection, WAL, foreign keys,
a busy timeout, and one writer path (a process-local lock around ``BEGIN IMMEDIATE``)."""

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
from bot.storage.database import Database, Result, Row, Transaction, checked_params, prepare_file, restrict_file

log = logging.getLogger(__name__)

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
            path = path.absolute()
            prepare_file(path)
        try:
            conn = await aiosqlite.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            await asyncio.sleep(0.01)  # let aiosqlite's worker thread finish before the loop may close
            raise StorageError(f"cannot open database {path}: {exc}") from None
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # deleted or rewritten content is zeroed in the file, not left in free space (retention, recheck)
            await conn.execute("PRAGMA secure_delete = ON")
            await conn.execute("SELECT COUNT(*) FROM sqlite_master")
        except sqlite3.DatabaseError as exc:
            await conn.close()
            raise _unusable(path, exc) from None
        return cls(conn, path)

    def unusable(self, exc: Exception) -> Exception:
        return _unusable(self.path, exc) if isinstance(exc, sqlite3.DatabaseError) else exc

    async def opened(self) -> None:
        """After migrations: the WAL and shared-memory files exist now, owner only like the database."""
        restrict_file(self.path)

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
        async with self.conn.execute(sql, checked_params(params)) as cur:
            return list(await cur.fetchall())

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        async with self.conn.execute(sql, checked_params(params)) as cur:
            return await cur.fetchone()

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> Result:
        async with self._write_lock, self.conn.execute(sql, checked_params(params)) as cur:
            rows = list(await cur.fetchall())
            return Result(rows, cur.rowcount if cur.rowcount >= 0 else len(rows))

    async def forget_old_versions(self) -> None:
        """Checkpoint the WAL into the database and truncate it, so that old versions of rewritten or purged
        rows (still in WAL frames) are gone from disk; with ``secure_delete`` their space is zeroed."""
        async with self._write_lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def run_script(self, script: str) -> None:
        """Run ``script`` inside one BEGIN … COMMIT; on error roll back and re-raise."""
        async with self._write_lock:
            try:
                await self.conn.executescript(f"BEGIN;\n{script}\n;\nCOMMIT;")
            except BaseException:
                if self.conn.in_transaction:
                    await self.conn.rollback()
                raise


def _unusable(path: Path, exc: sqlite3.DatabaseError) -> StorageError:
    if "readonly" in str(exc) or "unable to open" in str(exc):
        return StorageError(f"cannot write the database {path} ({exc}): is its folder read-only? "
                            "make it writable or set DATA_DIR")
    return StorageError(f"{path} is not a usable SQLite database ({exc})")
