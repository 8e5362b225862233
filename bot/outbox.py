"""The engine side of the action runner: claim a stored action, then mark it done or failed.

Actions of one flag run in the order they were stored (delete, then notice, then queue post): an action
cannot be claimed while an earlier action of its flag is still pending, for the live path and the sweeper
alike. A claim is a lease in the database (:meth:`OutboxRepository.claim`), held until
:meth:`Outbox.mark_done`, :meth:`Outbox.mark_failed` or :meth:`Outbox.release`, or until it expires
(``lease_s``, when the worker died): no action runs twice at once, in this process or any other.
Every message an action sends carries :meth:`Outbox.nonce` (derived from the action id) with
``enforce_nonce``, so Discord answers a resend after a crash with the message it already created.
"""

from __future__ import annotations

import os
import secrets
import socket

from bot import crashpoints
from bot.storage import Store
from bot.storage.repositories.outbox import OutboxItem


class Outbox:
    """``claim`` / ``mark_done`` / ``mark_failed`` / ``release``, and the list of actions that may run now."""

    #: How long a claim holds an action (seconds) before another worker may take it over.
    DEFAULT_LEASE_S = 30.0

    def __init__(self, store: Store, *, lease_s: float = DEFAULT_LEASE_S) -> None:
        self._repo = store.outbox
        self._sealer = store.sealer
        self._claimed: set[int] = set()
        self.worker = f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"
        self.lease_ms = int(lease_s * 1000)

    async def claim(self, action_id: int) -> OutboxItem | None:
        """The action, if it is pending, not claimed, and no earlier action of its flag is pending."""
        if action_id in self._claimed:
            return None
        self._claimed.add(action_id)
        try:
            item = await self._repo.claim(action_id, self.worker, self.lease_ms)
            if item is None:
                self._claimed.discard(action_id)
                return None
        except BaseException:
            self._claimed.discard(action_id)
            raise
        crashpoints.reached(f"action.claimed:{item.kind}")
        return item

    def release(self, item: OutboxItem) -> None:
        """Forget the claim in this process (its lease in the database ends with mark_done/mark_failed,
        :meth:`give_back`, or by expiry)."""
        self._claimed.discard(item.action_id)

    async def give_back(self, item: OutboxItem) -> None:
        """Release the claim and its lease now, so another worker need not wait for it to expire."""
        try:
            await self._repo.release(item.action_id, self.worker)
        finally:
            self.release(item)

    async def mark_done(self, item: OutboxItem) -> None:
        try:
            await self._repo.mark_done(item.action_id)
        finally:
            self.release(item)
        crashpoints.reached(f"action.done:{item.kind}")

    async def mark_failed(self, item: OutboxItem, error: str, *, give_up: bool = False) -> None:
        """A failed attempt: retried later, or ``failed`` for good (``give_up``, or too many attempts)."""
        try:
            await self._repo.mark_attempt_failed(item.action_id, error, give_up=give_up)
        finally:
            self.release(item)

    async def runnable(self, limit: int = 100) -> list[int]:
        """The ids of pending actions that may run now (the first pending one of each flag), oldest first."""
        return [i.action_id for i in await self._repo.runnable(limit)]

    async def for_flag(self, flag_id: int) -> list[OutboxItem]:
        return await self._repo.for_flag(flag_id)

    @staticmethod
    def nonce(item: OutboxItem) -> str:
        """Discord's ``nonce`` for a message the action sends (at most 25 characters)."""
        return str(item.action_id)

    def unseal(self, sealed: str) -> str:
        """The original text of a held message, for a repost."""
        return self._sealer.open(sealed)
