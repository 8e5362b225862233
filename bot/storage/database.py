"""The SQLite store: one connection, WAL, foreign keys, busy timeout, and one writer path."""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from bot.errors import InputError, StorageError
from bot.storage import migrations

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 5000
PRIVATE_FILE_MODE = 0o600
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def checked_params(params: Iterable[Any]) -> tuple[Any, ...]:
    """``params`` as a tuple; an integer beyond 64 bits (a 26-digit "id" typed by hand) is one clear
    :class:`InputError`, not the driver's ``OverflowError``."""
    values = tuple(params)
    for value in values:
        if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
            raise InputError(f"{len(str(abs(value)))}-digit number is out of range: ids have at most 19 digits")
    return values


def _restrict(path: Path) -> None:
    """Mode 600 for the database file and its WAL/shared-memory companions that exist."""
    if str(path) == ":memory:":
        return
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            if p.exists() and (p.stat().st_mode & 0o777) != PRIVATE_FILE_MODE:
                p.chmod(PRIVATE_FILE_MODE)
        except OSError as exc:
            log.warning("cannot make %s private (mode 600): %s", p, exc.strerror or exc)


def prepare_file(path: Path) -> None:
    """Check that ``path`` can be the database and create it with mode 600; one clear line if not.

    SQLite creates the WAL and shared-memory files with the database file's mode, so they are private too.
    """
    if path.is_dir():
        raise StorageError(f"the database path {path} is a folder, not a file: set DATABASE_URL or DATA_DIR")
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise StorageError(f"cannot create the data folder {path.parent}: {exc.strerror or exc} "
                           "(set DATA_DIR to a writable folder)") from None
    if not path.parent.is_dir():
        raise StorageError(f"{path.parent} is not a folder: set DATABASE_URL or DATA_DIR")
    if not os.access(path.parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise StorageError(f"the data folder {path.parent} is read-only: make it writable or set DATA_DIR")
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, PRIVATE_FILE_MODE)
    except OSError as exc:
        raise StorageError(f"cannot create the database {path}: {exc.strerror or exc} "
                           "(set DATABASE_URL or DATA_DIR to a writable place)") from None
    os.close(fd)
    _restrict(path)


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
            p = p.absolute()
            prepare_file(p)
        try:
            conn = await aiosqlite.connect(p, isolation_level=None)
        except sqlite3.Error as exc:
            await asyncio.sleep(0.01)  # let aiosqlite's worker thread finish before the loop may close
            raise StorageError(f"cannot open database {p}: {exc}") from None
        db = cls(conn, p)
        try:
            conn.row_factory = aiosqlite.Row
            await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            await conn.execute("PRAGMA journal_mode = WAL")
            await conn.execute("PRAGMA foreign_keys = ON")
            # deleted or rewritten content is zeroed in the file, not left in free space (retention, recheck)
            await conn.execute("PRAGMA secure_delete = ON")
            if migrate:
                await migrations.apply_pending(conn, migrations_dir or migrations.MIGRATIONS_DIR)
            db.schema_version = await migrations.current_version(conn)
        except sqlite3.DatabaseError as exc:
            await conn.close()
            if "readonly" in str(exc) or "unable to open" in str(exc):
                raise StorageError(f"cannot write the database {p} ({exc}): is its folder read-only? "
                                   "make it writable or set DATA_DIR") from None
            raise StorageError(f"{p} is not a usable SQLite database ({exc})") from None
        except BaseException:
            await conn.close()
            raise
        _restrict(p)  # the WAL and shared-memory files exist now: owner only, like the database
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

    async def forget_old_versions(self) -> None:
        """Checkpoint the WAL into the database and truncate it, so that old versions of rewritten or purged
        rows (still in WAL frames) are gone from disk; with ``secure_delete`` their space is zeroed."""
        async with self._write_lock:
            await self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        async with self.conn.execute(sql, checked_params(params)) as cur:
            return await cur.fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        async with self.conn.execute(sql, checked_params(params)) as cur:
            return list(await cur.fetchall())
