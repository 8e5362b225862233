"""Application-assigned ids and timestamps, so the same SQL runs on SQLite and PostgreSQL."""

from __future__ import annotations

import os
import threading
import time
from datetime import UTC, datetime

_EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z
_NODE_BITS, _SEQ_BITS = 10, 12
_lock = threading.Lock()
_last_ms = -1
_seq = 0


def _node_id() -> int:
    """This process's node number (``CASEWATCH_NODE_ID``, else from the process id): processes writing one
    database at the same millisecond never produce the same id as long as their node numbers differ."""
    value = os.environ.get("CASEWATCH_NODE_ID")
    return (int(value) if value and value.isdigit() else os.getpid()) & ((1 << _NODE_BITS) - 1)


_NODE = _node_id()


def new_id() -> int:
    """A time-ordered 63-bit id: milliseconds since 2025 (41 bits), the node (10), a sequence (12).

    Strictly increasing within a process (the outbox runs a flag's actions in id order).
    """
    global _last_ms, _seq
    with _lock:
        ms = int(time.time() * 1000) - _EPOCH_MS
        if ms <= _last_ms:  # same millisecond (or the clock stepped back): keep counting from the last one
            ms = _last_ms
            _seq = (_seq + 1) & ((1 << _SEQ_BITS) - 1)
            if _seq == 0:  # 4,096 ids in one millisecond: borrow the next millisecond
                ms = _last_ms + 1
        else:
            _seq = 0
        _last_ms = ms
        return (ms << (_NODE_BITS + _SEQ_BITS)) | (_NODE << _SEQ_BITS) | _seq


def utcnow() -> str:
    """Now, as ISO-8601 UTC text with seconds precision."""
    return datetime.now(UTC).isoformat(timespec="seconds")
