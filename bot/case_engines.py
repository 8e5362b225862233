"""One identity engine per case, built from the case's hashed registry and allow-list (an LRU cache)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from bot.engine import IdentityEngine, ThreadHistory
from bot.guild_config import GuildConfig, policy_for
from bot.registry import ProtectedRegistry
from bot.storage import Store


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
            parties = await self._store.cases.parties(case_id)
            registry = ProtectedRegistry.from_records([r for p in parties for r in p.records], self._key)
            for digest in await self._store.cases.allowlist(case_id):
                registry.allow(digest)
            policy = policy_for(await self._config.get(guild_id))
            engine = IdentityEngine(registry, policy=policy, parties=[(p.label, p.basis) for p in parties])
            built = self._engines[case_id] = CaseEngine(case_id, registry, engine, ThreadHistory())
            while len(self._engines) > self._size:
                self._engines.popitem(last=False)
            return built
