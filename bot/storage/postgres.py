"""PostgreSQL behind :class:`~bot.storage.database.Database`: asyncpg with a connection pool.

* SQL arrives SQLite style and is translated once (:func:`~bot.storage.database.to_postgres`).
* asyncpg is strict about parameter types; each statement's parameter types are asked of the server
  once and values are adapted to them here (``0/1`` for a boolean, an id for a text column), so the
  repositories pass the same values to both engines.
* The writer path is a pooled connection in a transaction (READ COMMITTED); rows that must not change
  underneath are read ``FOR UPDATE`` (:attr:`Transaction.for_update`), and the outbox claims work with
  ``FOR UPDATE SKIP LOCKED``.
* Change notices travel with ``pg_notify`` inside the writing transaction, so they are delivered on
  commit to every process that :meth:`PostgresDatabase.listen`\\ s, this one included.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from bot.errors import StorageError
from bot.storage.database import (
    CHANGES_CHANNEL,
    Database,
    Result,
    Row,
    Transaction,
    checked_params,
    redact_url,
    to_postgres,
)

log = logging.getLogger(__name__)

DEFAULT_POOL_SIZE = 20
#: Advisory lock key held while migrations run, so two processes starting together migrate once.
MIGRATION_LOCK = 0x43415345  # "CASE"
_RETURNS_ROWS = re.compile(r"^\s*(SELECT|WITH|VALUES|SHOW|TABLE)\b|\bRETURNING\b", re.IGNORECASE)
_INT = frozenset({"int2", "int4", "int8"})
_FLOAT = frozenset({"float4", "float8", "numeric"})
_TEXT = frozenset({"text", "varchar", "bpchar", "name", "unknown"})
_param_types: dict[str, tuple[str, ...]] = {}


def _adapt(kind: str, value: Any) -> Any:
    """``value`` in the Python type asyncpg wants for a parameter of server type ``kind``."""
    if value is None:
        return None
    if kind == "bool":
        return bool(value)
    if kind in _TEXT and not isinstance(value, str):
        return str(value)
    if kind in _INT and isinstance(value, str | bool | float):
        return int(value)
    if kind in _FLOAT and isinstance(value, int):
        return float(value)
    return value


async def _args(conn: asyncpg.Connection, query: str, params: Iterable[Any]) -> list[Any]:
    values = list(params)
    if not values:
        return values
    kinds = _param_types.get(query)
    if kinds is None:
        stmt = await conn.prepare(query)
        kinds = _param_types[query] = tuple(t.name for t in stmt.get_parameters())
    return [_adapt(kind, v) for kind, v in zip(kinds, values, strict=False)]


def _rowcount(status: str) -> int:
    tail = status.rsplit(" ", 1)[-1]
    return int(tail) if tail.isdigit() else 0


async def _run(conn: asyncpg.Connection, sql: str, params: Iterable[Any]) -> Result:
    query = to_postgres(sql)
    values = checked_params(params)
    try:
        args = await _args(conn, query, values)
        if _RETURNS_ROWS.search(query):
            rows = await conn.fetch(query, *args)
            return Result(rows, len(rows))
        return Result([], _rowcount(await conn.execute(query, *args)))
    except asyncpg.PostgresError as exc:
        raise _storage_error(exc) from exc


def _storage_error(exc: asyncpg.PostgresError) -> Exception:
    """Integrity errors keep their type (callers catch them); the rest become a one-line StorageError.

    The message names the SQLSTATE and the server's message only: parameters are never included.
    """
    if isinstance(exc, asyncpg.IntegrityConstraintViolationError):
        return exc
    return StorageError(f"PostgreSQL error {exc.sqlstate}: {str(exc).splitlines()[0] if str(exc) else ''}")


class PostgresTransaction(Transaction):
    dialect = "postgresql"

    def __init__(self, conn: asyncpg.Connection) -> None:
        super().__init__()
        self.conn = conn

    async def _execute(self, sql: str, params: tuple[Any, ...]) -> Result:
        return await _run(self.conn, sql, params)

    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> None:
        batch = [list(checked_params(p)) for p in seq]
        if not batch:
            return
        query = to_postgres(sql)
        try:
            rows = [await _args(self.conn, query, p) for p in batch]
            await self.conn.executemany(query, rows)
        except asyncpg.PostgresError as exc:
            raise _storage_error(exc) from exc


class PostgresDatabase(Database):
    """A PostgreSQL database reached through an asyncpg pool."""

    dialect = "postgresql"

    def __init__(self, pool: asyncpg.Pool, url: str) -> None:
        super().__init__()
        self.pool = pool
        self.url = url
        self._listener: asyncpg.Connection | None = None
        self._listen_task: asyncio.Task[None] | None = None
        self._closing = False

    @classmethod
    async def connect(cls, url: str, *, pool_size: int = DEFAULT_POOL_SIZE) -> PostgresDatabase:
        dsn = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        try:
            pool = await asyncpg.create_pool(
                dsn, min_size=1, max_size=max(2, pool_size),
                server_settings={"application_name": "casewatch"},
            )
        except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
            raise StorageError(f"cannot connect to PostgreSQL at {redact_url(url)}: "
                               f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}") from None
        return cls(pool, dsn)

    async def close(self) -> None:
        self._closing = True
        if self._listen_task is not None:
            self._listen_task.cancel()
        if self._listener is not None and not self._listener.is_closed():
            await self._listener.close()
        await self.pool.close()

    @property
    def connections(self) -> int:
        return self.pool.get_size() + (1 if self._listener is not None and not self._listener.is_closed() else 0)

    # -- access ------------------------------------------------------------------------------------
    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[PostgresTransaction]:
        async with self.pool.acquire() as conn, conn.transaction():
            tx = PostgresTransaction(conn)
            yield tx
            for topic, key in tx.notices:
                await conn.execute("SELECT pg_notify($1, $2)", CHANGES_CHANNEL, f"{topic}:{key}")
        if self._listener is None:  # not listening: deliver this process's own notices directly
            for topic, key in tx.notices:
                await self._deliver(topic, key)

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        async with self.pool.acquire() as conn:
            return (await _run(conn, sql, params)).rows

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> Result:
        async with self.pool.acquire() as conn:
            return await _run(conn, sql, params)

    async def run_script(self, script: str) -> None:
        try:
            async with self.pool.acquire() as conn, conn.transaction():
                await conn.execute(script)
        except asyncpg.PostgresError as exc:
            raise _storage_error(exc) from exc

    def unusable(self, exc: Exception) -> Exception:
        return _storage_error(exc) if isinstance(exc, asyncpg.PostgresError) else exc

    async def forget_old_versions(self) -> None:
        """VACUUM: dead row versions (purged or rewritten content) become free space to be overwritten."""
        async with self.pool.acquire() as conn:
            await conn.execute("VACUUM")

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold a database-wide advisory lock (migrations: several processes starting at once)."""
        async with self.pool.acquire() as conn:
            await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            try:
                yield
            finally:
                await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

    # -- LISTEN/NOTIFY -----------------------------------------------------------------------------
    async def listen(self) -> None:
        """Receive change notices from every process on this database (a dedicated connection).

        If that connection is lost, every listener is told that everything may have changed
        (``"*"``) and the connection is re-opened, so no cache outlives a missed notice.
        """
        if self._listener is not None:
            return
        self._listener = await asyncpg.connect(self.url, server_settings={"application_name": "casewatch-listen"})
        await self._listener.add_listener(CHANGES_CHANNEL, self._on_notify)
        self._listener.add_termination_listener(self._on_lost)

    def _on_notify(self, _conn: Any, _pid: int, _channel: str, payload: str) -> None:
        topic, _, key = payload.partition(":")
        asyncio.get_running_loop().create_task(self._deliver(topic, key))

    def _on_lost(self, _conn: Any) -> None:
        if self._closing:
            return
        self._listener = None
        log.warning("lost the PostgreSQL change-notice connection; dropping caches and reconnecting")
        self._listen_task = asyncio.get_running_loop().create_task(self._reconnect())

    async def _reconnect(self) -> None:
        await self._deliver("*", "")
        delay = 0.5
        while not self._closing:
            try:
                await self.listen()
                await self._deliver("*", "")
                return
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)
