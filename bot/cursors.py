"""Catch-up cursors: the newest message checked in each thread, kept in memory and written in batches."""

from __future__ import annotations

from collections import Counter

from bot.storage import Store


class ThreadCursors:
    """``advance`` once a message's flag and actions are stored; ``flush`` every few seconds and on close.

    Messages are checked concurrently, so a later message may be done while an earlier one is still being
    checked (or scored for abuse): the Discord side brackets all the work on a message with ``start`` and
    ``finish``, and the cursor written never passes a message in between (nor one whose work raised), so a
    crash cannot leave it unread. A crash loses at most the last interval: those messages are read back and
    checked again on start, as replays that raise no second alert.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: dict[int, int] = {}  # thread id -> newest message id done, not yet written
        self._in_flight: dict[int, Counter[int]] = {}  # thread id -> message ids being checked

    def start(self, thread_id: int, message_id: int) -> None:
        self._in_flight.setdefault(thread_id, Counter())[message_id] += 1

    def finish(self, thread_id: int, message_id: int) -> None:
        """All the work on ``message_id`` is stored (not called when it raised: the cursor waits for it)."""
        flying = self._in_flight.get(thread_id)
        if flying is not None and flying[message_id] > 0:
            flying[message_id] -= 1
            if flying[message_id] == 0:
                del flying[message_id]
            if not flying:
                del self._in_flight[thread_id]

    def advance(self, thread_id: int, message_id: int) -> None:
        """``message_id`` was checked: its flag and actions, if any, are stored."""
        if message_id > self._pending.get(thread_id, 0):
            self._pending[thread_id] = message_id

    def _writable(self) -> dict[int, int]:
        """Each thread's newest done message below its oldest message still in flight."""
        writable = {}
        for thread_id, message_id in self._pending.items():
            flying = self._in_flight.get(thread_id)
            if flying:
                message_id = min(message_id, min(flying) - 1)
            writable[thread_id] = message_id
        return writable

    async def flush(self) -> int:
        """Write the cursors that may move in one transaction; returns how many threads moved."""
        writable = self._writable()
        moving = {t: m for t, m in writable.items() if m > 0}
        for thread_id, message_id in moving.items():
            if self._pending.get(thread_id) == message_id:
                del self._pending[thread_id]
        if not moving:
            return 0
        try:
            await self._store.cases.advance_cursors(moving)
        except BaseException:
            for thread_id, message_id in moving.items():  # keep them for the next flush
                if message_id > self._pending.get(thread_id, 0):
                    self._pending[thread_id] = message_id
            raise
        return len(moving)

    async def for_guild(self, guild_id: int) -> dict[int, int | None]:
        """The guild's linked threads and the newest message id checked in each (pending ones included)."""
        cursors = await self._store.cases.cursors(guild_id)
        for thread_id, message_id in self._writable().items():
            if thread_id in cursors:
                cursors[thread_id] = max(cursors[thread_id] or 0, message_id)
        return cursors
