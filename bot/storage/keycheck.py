"""At open, the database and the secret key must belong together; otherwise refuse to start.

The database records the key's fingerprint (:func:`bot.keys.fingerprint`). A database made before the
fingerprint was kept is checked against a protected party's stored key check instead, then given one.
"""

from __future__ import annotations

import json
import sqlite3

from bot.errors import KeyMismatchError, StorageError
from bot.keys import fingerprint
from bot.storage.database import Database
from bot.storage.ids import utcnow

RESTORE = "restore the key it was made with (CASEWATCH_SECRET_KEY or the key file) from your backup"


async def _party_key_matches(db: Database, key: bytes) -> bool | None:
    """Whether ``key`` matches a stored party's key-check digest; None when no party is stored."""
    row = await db.fetchone("SELECT records_json FROM protected_parties LIMIT 1")
    if row is None:
        return None
    from bot.registry import ProtectedRegistry  # late: the registry pulls in the matcher's word lists

    expected = ProtectedRegistry(key).digest("\0key-check").hex()
    for record in json.loads(row["records_json"]):
        if record.get("type") == "key_check":
            return bool(record.get("digest") == expected)
    return None


async def verify_key(db: Database, key: bytes, *, source: str = "") -> str:
    """Record the key's fingerprint, or refuse with one line if the database was made with another key.

    Returns the fingerprint. ``source`` says where the key came from, for the refusal's line.
    """
    mine = fingerprint(key)
    try:
        row = await db.fetchone("SELECT fingerprint FROM key_fingerprint WHERE id = 1")
    except (sqlite3.OperationalError, StorageError):  # a test's own migrations without the table: nothing to check
        return mine
    where = f" (the key now comes from {source})" if source else ""
    if row is not None:
        if row["fingerprint"] != mine:
            raise KeyMismatchError(
                f"the secret key does not match the database {db.label} (made with key {row['fingerprint']}, "
                f"this key is {mine}){where}: {RESTORE}; refusing to start"
            )
        return mine
    if await _party_key_matches(db, key) is False:
        raise KeyMismatchError(
            f"the secret key does not match the protected parties stored in {db.label}{where}: {RESTORE} "
            "(or re-register the cases); refusing to start"
        )
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO key_fingerprint (id, fingerprint, created_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING",
            (mine, utcnow()),
        )
    return mine
