"""Application-assigned ids and timestamps, so the same SQL runs on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import os
import time
from datetime import UTC, datetime

_EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
_counter = itertools.count(int.from_bytes(os.urandom(2), "big"))


def new_id() -> int:
    """A time-ordered 63-bit id: milliseconds since 2025 in the high bits, a counter in the low 22."""
    ms = int(time.time() * 1000) - _EPOCH_MS
    return (ms << 22) | (next(_counter) & 0x3FFFFF)


def utcnow() -> str:
    """Now, as ISO-8601 UTC text with seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")
