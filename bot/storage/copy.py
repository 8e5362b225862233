"""Copy every row of one Casewatch database into another (SQLite → PostgreSQL, or back) and prove it.

The target is migrated to the same schema version first and must hold no rows. Tables are copied in
foreign-key order inside one transaction, in pages, and then both sides are read again: each table's
row count and a checksum over its canonical rows (sorted, typed) must match, or the copy is reported
as failed. Nothing is decrypted or re-hashed: sealed originals and keyed digests move as they are, so
the same ``CASEWATCH_SECRET_KEY`` keeps working on the target.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import StorageError
from bot.storage.database import Database, dialect_of, sqlite_path

PAGE = 2_000
SKIP = frozenset({"schema_version"})


@dataclass(frozen=True)
class TableCopy:
    table: str
    source_rows: int
    target_rows: int
    source_sum: str
    target_sum: str

    @property
    def ok(self) -> bool:
        return self.source_rows == self.target_rows and self.source_sum == self.target_sum


async def table_names(db: Database) -> list[str]:
    if db.dialect == "sqlite":
        rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    else:
        rows = await db.fetchall("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
    return sorted(r[0] for r in rows if r[0] not in SKIP)


async def columns(db: Database, table: str) -> list[tuple[str, bool]]:
    """``(column, is part of the primary key)`` in table order."""
    if db.dialect == "sqlite":
        return [(r[1], bool(r[5])) for r in await db.fetchall(f"PRAGMA table_info({table})")]
    rows = await db.fetchall(
        "SELECT c.column_name, EXISTS (SELECT 1 FROM information_schema.key_column_usage k "
        "JOIN information_schema.table_constraints t ON t.constraint_name = k.constraint_name "
        "AND t.table_name = k.table_name WHERE t.constraint_type = 'PRIMARY KEY' AND k.table_name = c.table_name "
        "AND k.column_name = c.column_name) FROM information_schema.columns c "
        "WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position", (table,))
    return [(r[0], bool(r[1])) for r in rows]


async def parents(db: Database, table: str) -> set[str]:
    """The tables ``table`` has foreign keys to."""
    if db.dialect == "sqlite":
        return {r[2] for r in await db.fetchall(f"PRAGMA foreign_key_list({table})")}
    rows = await db.fetchall(
        "SELECT DISTINCT ccu.table_name FROM information_schema.table_constraints tc "
        "JOIN information_schema.constraint_column_usage ccu ON ccu.constraint_name = tc.constraint_name "
        "WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_name = ?", (table,))
    return {r[0] for r in rows}


async def copy_order(db: Database) -> list[str]:
    """Every table, parents before children."""
    names = await table_names(db)
    deps = {t: (await parents(db, t)) - {t} for t in names}
    order: list[str] = []
    while deps:
        ready = sorted(t for t, d in deps.items() if d <= set(order))
        if not ready:
            raise StorageError("foreign keys form a cycle: " + ", ".join(sorted(deps)))
        for t in ready:
            order.append(t)
            deps.pop(t)
    return order


def _canonical(value: Any) -> Any:
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    return value


async def checksum(db: Database, table: str, names: list[str], key: list[str]) -> tuple[int, str]:
    """Row count and a SHA-256 over the sorted digests of the rows (each row as canonical JSON), so the
    sum does not depend on either engine's sort order for text."""
    rows: list[bytes] = []
    async for row in _pages(db, table, names, key):
        rows.append(hashlib.sha256(json.dumps([_canonical(v) for v in row], default=str).encode()).digest())
    return len(rows), hashlib.sha256(b"".join(sorted(rows))).hexdigest()


async def _pages(db: Database, table: str, names: list[str], key: list[str]) -> Any:
    select = f"SELECT {', '.join(names)} FROM {table} ORDER BY {', '.join(key or names)} LIMIT ? OFFSET ?"
    offset = 0
    while True:
        rows = await db.fetchall(select, (PAGE, offset))
        for r in rows:
            yield [r[i] for i in range(len(names))]
        if len(rows) < PAGE:
            return
        offset += PAGE


async def copy_database(source: Database, target: Database,
                        progress: Callable[[str, int], Awaitable[None] | None] | None = None) -> list[TableCopy]:
    """Copy all rows of ``source`` into the empty ``target`` (same schema version), then verify."""
    if source.schema_version != target.schema_version:
        raise StorageError(f"schema versions differ (source {source.schema_version}, target "
                           f"{target.schema_version}): run `python -m bot migrate` on the source first")
    order = await copy_order(source)
    missing = set(order) - set(await table_names(target))
    if missing:
        raise StorageError("the target lacks tables: " + ", ".join(sorted(missing)))
    shapes: dict[str, tuple[list[str], list[str]]] = {}
    for table in order:
        cols = await columns(source, table)
        names = [c for c, _ in cols]
        target_names = {c for c, _ in await columns(target, table)}
        if set(names) - target_names:
            raise StorageError(f"table {table} has columns the target lacks: "
                               + ", ".join(sorted(set(names) - target_names)))
        shapes[table] = (names, [c for c, pk in cols if pk])
        if await target.fetchval(f"SELECT COUNT(*) FROM {table}"):
            raise StorageError(f"the target is not empty (table {table} has rows); copy into a new database")
    async with target.transaction() as tx:
        for table in order:
            names, key = shapes[table]
            insert = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
            batch: list[list[Any]] = []
            done = 0
            async for row in _pages(source, table, names, key):
                batch.append(row)
                if len(batch) >= PAGE:
                    await tx.executemany(insert, batch)
                    done += len(batch)
                    batch = []
            if batch:
                await tx.executemany(insert, batch)
                done += len(batch)
            if progress is not None:
                result = progress(table, done)
                if result is not None:
                    await result
    report = []
    for table in order:
        names, key = shapes[table]
        n_src, sum_src = await checksum(source, table, names, key)
        n_dst, sum_dst = await checksum(target, table, names, key)
        report.append(TableCopy(table, n_src, n_dst, sum_src, sum_dst))
    return report


async def copy_url(from_target: str | Path, to_target: str | Path) -> list[TableCopy]:
    if dialect_of(from_target) == "sqlite" and not sqlite_path(from_target).is_file():
        raise StorageError(f"no SQLite database at {sqlite_path(from_target)}")
    source = await Database.open(from_target, migrate=False)
    try:
        target = await Database.open(to_target)
        try:
            return await copy_database(source, target)
        finally:
            await target.close()
    finally:
        await source.close()
