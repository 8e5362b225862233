"""Every storage test runs twice: on SQLite and on a real PostgreSQL (see tests/pg.py)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.storage import Store
from tests.conftest import SECRET_KEY
from tests.pg import db_target, pg_admin_url

__all__ = ["db_target", "pg_admin_url"]


@pytest.fixture
async def store(db_target: str | Path) -> AsyncIterator[Store]:
    s = await Store.open(db_target, SECRET_KEY)
    try:
        yield s
    finally:
        await s.close()
