"""The database interface the repositories use, whichever engine is behind it.

``Database.open(target)`` picks the engine from ``target``: a path or ``sqlite:///file`` opens SQLite
(:mod:`bot.storage.sqlite`, aiosqlite, the embedded default); ``postgresql://…`` opens PostgreSQL
(:mod:`bot.storage.postgres`, asyncpg with a pool). Both speak the same small interface:

* reads: :meth:`Database.fetchone`, :meth:`Database.fetchall`, :meth:`Database.fetchval`;
* writes: ``async with db.transaction() as tx:`` then ``tx.execute`` / ``tx.executemany`` /
  ``tx.fetchone`` / ``tx.fetchall``; committed as a whole or rolled back;
* change notices: ``tx.notify(topic, key)`` inside a transaction reaches every
  :meth:`Database.on_change` callback after the commit, in this process (SQLite) or in every process on
  the same database (PostgreSQL ``LISTEN/NOTIFY``).

SQL is written once, SQLite style: ``?`` placeholders, and ``IS ?`` for a comparison that must match
NULL too. :func:`to_postgres` is the one place that turns it into PostgreSQL's ``$n`` form.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, Literal

from bot.errors import InputError, StorageError

log = logging.getLogger(__name__)

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
PRIVATE_FILE_MODE = 0o600


def checked_params(params: Iterable[Any]) -> tuple[Any, ...]:
    """``params`` as a tuple; an integer beyond 64 bits (a 26-digit "id" typed by hand) is one clear
    :class:`InputError`, not the driver's ``OverflowError``."""
    values = tuple(params)
    for value in values:
        if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
            raise InputError(f"{len(str(abs(value)))}-digit number is out of range: ids have at most 19 digits")
    return values

Dialect = Literal["sqlite", "postgresql"]
Row = Any  # aiosqlite.Row or asyncpg.Record: both index by name and by position
ChangeCallback = Callable[[str, str], Awaitable[None] | None]

#: The PostgreSQL channel that carries change notices (``topic:key``) between processes.
CHANGES_CHANNEL = "casewatch_changes"


def dialect_of(target: str | Path) -> Dialect:
    """``postgresql`` for a ``postgres://`` or ``postgresql://`` URL, ``sqlite`` for anything else."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
        return "postgresql"
    if "://" in text and not text.startswith("sqlite:///"):
        raise StorageError(f"unsupported database URL scheme {text.split(':', 1)[0]!r} "
                           "(use sqlite:///path or postgresql://user@host/db)")
    return "sqlite"


def sqlite_path(target: str | Path) -> Path:
    """The file of a SQLite target (a path, or ``sqlite:///relative`` / ``sqlite:////absolute``)."""
    text = str(target)
    return Path(text.removeprefix("sqlite:///")) if text.startswith("sqlite:///") else Path(target)


def target_of(settings: Any) -> str | Path:
    """What to open for ``settings``: the ``DATABASE_URL`` of a PostgreSQL server, else the SQLite file."""
    url = str(settings.database_url or "")
    return url if dialect_of(url) == "postgresql" else settings.database_path


def redact_url(target: str | Path) -> str:
    """A database target fit for logs and messages: a URL's password is replaced by ``***``."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", str(target))


def restrict_file(path: Path) -> None:
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
    restrict_file(path)


# -- SQL translation ------------------------------------------------------------------------------
_TOKEN = re.compile(r"'(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*|\bIS\s+\?|\?", re.IGNORECASE)


@functools.lru_cache(maxsize=1024)
def to_postgres(sql: str) -> str:
    """SQLite-style SQL in PostgreSQL form: ``?`` becomes ``$1, $2, …`` and ``IS ?`` becomes
    ``IS NOT DISTINCT FROM $n`` (NULL-safe equality). Quoted text and comments are left alone."""
    n = 0

    def sub(m: re.Match[str]) -> str:
        nonlocal n
        token = m.group(0)
        if token[0] in "'\"-":
            return token
        n += 1
        return f"IS NOT DISTINCT FROM ${n}" if token != "?" else f"${n}"

    return _TOKEN.sub(sub, sql)


# -- results and transactions ------------------------------------------------------------------------
class Result:
    """What ``tx.execute`` gives back: the rows (if the statement returns any) and the row count.

    It can be awaited or used as ``async with tx.execute(...) as cur:``, as with aiosqlite.
    """

    def __init__(self, rows: Sequence[Row], rowcount: int) -> None:
        self.rows = list(rows)
        self.rowcount = rowcount

    async def fetchone(self) -> Row | None:
        return self.rows[0] if self.rows else None

    async def fetchall(self) -> list[Row]:
        return list(self.rows)

    async def __aenter__(self) -> Result:
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


class PendingResult:
    """An execute call not run yet: ``await`` it or ``async with`` it."""

    def __init__(self, run: Callable[[], Awaitable[Result]]) -> None:
        self._run = run
        self._result: Result | None = None

    def __await__(self) -> Generator[Any, None, Result]:
        return self._get().__await__()

    async def _get(self) -> Result:
        if self._result is None:
            self._result = await self._run()
        return self._result

    async def __aenter__(self) -> Result:
        return await self._get()

    async def __aexit__(self, *exc: object) -> None:
        return None


class Transaction(ABC):
    """An open transaction: every statement in it commits or rolls back together."""

    dialect: Dialect

    def __init__(self) -> None:
        self.notices: list[tuple[str, str]] = []

    def execute(self, sql: str, params: Iterable[Any] = ()) -> PendingResult:
        args = checked_params(params)
        return PendingResult(lambda: self._execute(sql, args))

    @abstractmethod
    async def _execute(self, sql: str, params: tuple[Any, ...]) -> Result: ...

    @abstractmethod
    async def executemany(self, sql: str, seq: Iterable[Iterable[Any]]) -> None: ...

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        return await (await self.execute(sql, params)).fetchone()

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        return await (await self.execute(sql, params)).fetchall()

    def notify(self, topic: str, key: object) -> None:
        """Tell every process's :meth:`Database.on_change` callbacks, once this transaction commits,
        that ``topic`` ``key`` changed (``"case", 12``). Keys are ids, never content."""
        self.notices.append((topic, str(key)))

    @property
    def for_update(self) -> str:
        """``FOR UPDATE`` on PostgreSQL (lock the rows read), nothing on SQLite (one writer at a time)."""
        return " FOR UPDATE" if self.dialect == "postgresql" else ""


class Database(ABC):
    """An open database (see the module docstring). Open one with :meth:`Database.open`."""

    dialect: Dialect

    def __init__(self) -> None:
        self.schema_version = 0
        self._listeners: list[ChangeCallback] = []

    # -- lifecycle ---------------------------------------------------------------------------------
    @staticmethod
    async def open(target: str | Path, *, migrate: bool = True, migrations_dir: Path | None = None,
                   pool_size: int | None = None) -> Database:
        """Open the database named by ``target`` (creating a SQLite file if needed) and apply pending
        migrations unless ``migrate`` is false. ``pool_size``: PostgreSQL connections at most.
        """
        db: Database
        if dialect_of(target) == "postgresql":
            from bot.storage.postgres import DEFAULT_POOL_SIZE, PostgresDatabase

            db = await PostgresDatabase.connect(str(target), pool_size=pool_size or DEFAULT_POOL_SIZE)
        else:
            from bot.storage.sqlite import SqliteDatabase

            db = await SqliteDatabase.connect(sqlite_path(target))
        try:
            from bot.storage import migrations

            if migrate:
                await migrations.apply_pending(db, migrations_dir or migrations.MIGRATIONS_DIR)
            db.schema_version = await migrations.current_version(db)
            await db.opened()
        except StorageError:
            await db.close()
            raise
        except Exception as exc:
            await db.close()
            raise db.unusable(exc) from None
        except BaseException:
            await db.close()
            raise
        return db

    async def opened(self) -> None:
        """Called once the database is open and migrated (SQLite: make its new files private)."""
        return None

    def unusable(self, exc: Exception) -> Exception:
        """The one-line error for ``exc`` raised while opening (the engine's own errors become
        :class:`StorageError`); anything else is returned as it is."""
        return exc

    @abstractmethod
    async def close(self) -> None: ...

    async def __aenter__(self) -> Database:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    # -- access --------------------------------------------------------------------------------------
    @abstractmethod
    def transaction(self) -> AbstractAsyncContextManager[Transaction]:
        """The one writer path: ``async with db.transaction() as tx``; commit or roll back as a whole."""

    @abstractmethod
    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]: ...

    @abstractmethod
    async def execute(self, sql: str, params: Iterable[Any] = ()) -> Result:
        """One statement, committed on its own (no explicit transaction: one round trip on PostgreSQL)."""

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Iterable[Any] = ()) -> Any:
        row = await self.fetchone(sql, params)
        return row[0] if row is not None else None

    @abstractmethod
    async def forget_old_versions(self) -> None:
        """Make old versions of rewritten or purged rows unreadable on disk (after retention or a recheck):
        SQLite checkpoints and truncates its WAL; PostgreSQL vacuums."""

    @abstractmethod
    async def run_script(self, script: str) -> None:
        """Run several statements (a migration) inside the caller's :meth:`transaction`-free context."""

    @asynccontextmanager
    async def exclusive(self) -> AsyncIterator[None]:
        """Hold a database-wide lock (PostgreSQL: an advisory lock); SQLite's writer lock suffices there."""
        yield

    @property
    def label(self) -> str:
        """The database as shown to a person: the SQLite file, or the URL without its password."""
        return redact_url(str(getattr(self, "path", None) or getattr(self, "url", "")))

    @property
    def connections(self) -> int:
        """Server connections this process holds now (1 for SQLite)."""
        return 1

    # -- change notices ------------------------------------------------------------------------------
    def on_change(self, callback: ChangeCallback) -> None:
        """Call ``callback(topic, key)`` for every change notice (see :meth:`Transaction.notify`)."""
        self._listeners.append(callback)

    async def _deliver(self, topic: str, key: str) -> None:
        for callback in list(self._listeners):
            try:
                result = callback(topic, key)
                if result is not None:
                    await result
            except Exception:
                log.exception("a change listener failed for topic %s", topic)

    async def listen(self) -> None:
        """Start receiving other processes' change notices (PostgreSQL); nothing to do for SQLite."""
        return None

