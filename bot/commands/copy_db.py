"""``python -m bot copy-db FROM TO``: copy a Casewatch database (SQLite → PostgreSQL) and verify it."""

from __future__ import annotations

import argparse
import asyncio

from rich.console import Console
from rich.table import Table

from bot.errors import StorageError
from bot.storage.copy import copy_url
from bot.storage.database import redact_url


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy-db", help="copy every row of one database into a new one and verify counts and checksums",
        description="Copy a Casewatch database, e.g. sqlite:///data/casewatch.db to postgresql://cw@db/casewatch. "
                    "The target is migrated first and must be empty; each table's row count and checksum are "
                    "compared afterwards. Keep the same CASEWATCH_SECRET_KEY for the target.",
    )
    p.add_argument("source", metavar="FROM_URL", help="the database to read (a SQLite path or URL)")
    p.add_argument("target", metavar="TO_URL", help="the new database (postgresql://… or a SQLite path)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    report = asyncio.run(copy_url(args.source, args.target))
    table = Table(title=f"{redact_url(args.source)} → {redact_url(args.target)}")
    for name in ("table", "rows", "copied", "checksum"):
        table.add_column(name, justify="right" if name in ("rows", "copied") else "left")
    for t in report:
        table.add_row(t.table, str(t.source_rows), str(t.target_rows),
                      "match" if t.source_sum == t.target_sum else "[red]DIFFERS[/]")
    Console().print(table)
    bad = [t.table for t in report if not t.ok]
    if bad:
        raise StorageError("the copy does not match the source in: " + ", ".join(bad))
    print(f"copied {sum(t.source_rows for t in report)} rows in {len(report)} tables; counts and checksums match")
    return 0
