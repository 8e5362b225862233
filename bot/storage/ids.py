"""Application-assigned ids and timestamps, so the same SQL runs on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
import os
import time
from datetime import UTC, datetime

_EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
_counter = itertools.count(int.from_bytes(os.urandom(2), "big"))
_last = 0


def new_id() -> int:
    """A time-ordered 63-bit id: milliseconds since 2025 in the high bits, a counter in the low 22.

    Strictly increasing within a process (the outbox runs a flag's actions in id order).
    """
    global _last
    ms = int(time.time() * 1000) - _EPOCH_MS
    _last = max((ms << 22) | (next(_counter) & 0x3FFFFF), _last + 1)
    return _last


def utcnow() -> str:
    """Now, as ISO-8601 UTC text with seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")
