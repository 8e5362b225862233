"""One identity engine per case, built from the case's hashed registry and allow-list (an LRU cache)."""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from dataclasses import dataclass

from bot.engine import IdentityEngine, ThreadHistory
from bot.guild_config import GuildConfig, policy_for
from bot.offloop import gc_paused
from bot.protected_text import label_protected
from bot.registry import ProtectedRegistry
from bot.storage import Store


def registry_from_stored(records_json: list[str], key: bytes) -> ProtectedRegistry:
    """A case's registry from its parties' stored records (CPU work: callers run it in a worker thread)."""
    with gc_paused():
        return ProtectedRegistry.from_records([r for blob in records_json for r in json.loads(blob)], key)


@dataclass(slots=True)
class CaseEngine:
    case_id: int
    registry: ProtectedRegistry
    engine: IdentityEngine
    history: ThreadHistory


class CaseEngines:
    """Builds a case's engine on first use; :meth:`invalidate` drops it when its parties or policy change."""

    def __init__(self, store: Store, secret_key: bytes, config: GuildConfig, *, size: int = 256) -> None:
        self._store = store
        self._key = secret_key
        self._config = config
        self._size = size
        self._engines: OrderedDict[int, CaseEngine] = OrderedDict()
        self._locks: dict[int, asyncio.Lock] = {}

    def relabel(self, text: str) -> str:
        """``text`` with the registered names of every case held in memory replaced by their labels."""
        for built in list(self._engines.values()):
            text = label_protected(text, built.registry)
        return text

    def invalidate(self, case_id: int) -> None:
        self._engines.pop(case_id, None)

    def clear(self) -> None:
        self._engines.clear()

    async def get(self, case_id: int, guild_id: int) -> CaseEngine:
        cached = self._engines.get(case_id)
        if cached is not None:
            self._engines.move_to_end(case_id)
            return cached
        async with self._locks.setdefault(case_id, asyncio.Lock()):
            if (cached := self._engines.get(case_id)) is not None:
                return cached
            parties = await self._store.cases.party_labels_and_records(case_id)
            registry = await asyncio.to_thread(registry_from_stored, [p[2] for p in parties], self._key)
            for digest in await self._store.cases.allowlist(case_id):
                registry.allow(digest)
            policy = policy_for(await self._config.get(guild_id))
            engine = IdentityEngine(registry, policy=policy, parties=[(label, basis) for label, basis, _ in parties])
            built = self._engines[case_id] = CaseEngine(case_id, registry, engine, ThreadHistory())
            while len(self._engines) > self._size:
                self._engines.popitem(last=False)
            return built
