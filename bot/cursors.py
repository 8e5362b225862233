"""Catch-up cursors: the newest message checked in each thread, kept in memory and written in batches."""

from __future__ import annotations

from bot.storage import Store


class ThreadCursors:
    """``advance`` after a message's flag and actions are stored; ``flush`` every few seconds and on close.

    A crash loses at most the last interval: those messages are read back and checked again on start,
    as replays that raise no second alert.
    """

    def __init__(self, store: Store) -> None:
        self._store = store
        self._pending: dict[int, int] = {}

    def advance(self, thread_id: int, message_id: int) -> None:
        if message_id > self._pending.get(thread_id, 0):
            self._pending[thread_id] = message_id

    async def flush(self) -> int:
        """Write the pending cursors in one transaction; returns how many threads moved."""
        pending, self._pending = self._pending, {}
        if not pending:
            return 0
        try:
            await self._store.cases.advance_cursors(pending)
        except BaseException:
            for thread_id, message_id in pending.items():  # keep them for the next flush
                self.advance(thread_id, message_id)
            raise
        return len(pending)

    async def for_guild(self, guild_id: int) -> dict[int, int | None]:
        """The guild's linked threads and the newest message id checked in each (pending ones included)."""
        cursors = await self._store.cases.cursors(guild_id)
        for thread_id, message_id in self._pending.items():
            if thread_id in cursors:
                cursors[thread_id] = max(cursors[thread_id] or 0, message_id)
        return cursors
