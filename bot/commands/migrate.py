"""``python -m bot migrate``: apply pending migrations and print the schema version."""

from __future__ import annotations

import argparse
import asyncio

from bot.settings import load_settings
from bot.storage import Database, migrations
from bot.storage.database import redact_url, target_of


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("migrate", help="apply pending database migrations and print the schema version",
                       description="Apply pending migrations (each in its own transaction) to DATABASE_URL.")
    p.add_argument("--database", help="SQLite file or postgresql:// URL to migrate (default: DATABASE_URL)")
    p.set_defaults(func=handle)


async def _migrate(path: str) -> tuple[int, int]:
    db = await Database.open(path, migrate=False)
    try:
        before = await migrations.current_version(db)
        await migrations.apply_pending(db)
        return before, await migrations.current_version(db)
    finally:
        await db.close()


def handle(args: argparse.Namespace) -> int:
    path = args.database or str(target_of(load_settings()))
    before, after = asyncio.run(_migrate(path))
    change = "no pending migrations" if before == after else f"migrated from version {before}"
    print(f"schema version {after} ({change}) in {redact_url(path)}")
    return 0
