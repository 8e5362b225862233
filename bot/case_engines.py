"""One identity engine per case, built from the case's hashed registry and allow-list (an LRU cache)."""

from __future__ import annotations

import asyncio
import json
from collections import OrderedDict
from dataclasses import dataclass

from bot.engine import IdentityEngine, ThreadHistory
from bot.flags import Message
from bot.guild_config import GuildConfig, policy_for
from bot.offloop import gc_paused
from bot.protected_text import label_protected
from bot.registry import PUBLIC_BASIS, ProtectedRegistry
from bot.storage import Store
from bot.storage.repositories.cases import PartyRow


def is_public_row(party: PartyRow) -> bool:
    """Whether a stored party row is a public party (``/case import`` of ``[[public]]``), not a protected one."""
    return party.basis == PUBLIC_BASIS


def registry_from_stored(records_json: list[str], key: bytes) -> ProtectedRegistry:
    """A case's registry from its parties' stored records (CPU work: callers run it in a worker thread)."""
    with gc_paused():
        return ProtectedRegistry.from_records([r for blob in records_json for r in json.loads(blob)], key)


#: a warm-up text that reaches the learned scorer and the commonest recognizers (a relative, a school, a street)
WARM_UP_TEXT = "her mum works at the school on Station Road, she gets the bus at 8 with her brother"


def warm_up() -> None:
    """Load what every case's engine shares (the learned identifying-detail scorer, the recognizers and their
    rules) by checking one text: CPU work for a worker thread at start-up, so the first message does not pay
    for it on the event loop. A missing or broken artefact raises :class:`~bot.errors.ConfigError` here,
    before the bot connects (fail closed), not on the first message."""
    with gc_paused():
        IdentityEngine().check(Message(id="warm-up", author="warm-up", content=WARM_UP_TEXT))


@dataclass(slots=True)
class CaseEngine:
    case_id: int
    registry: ProtectedRegistry
    engine: IdentityEngine
    history: ThreadHistory

    def fresh_engine(self) -> IdentityEngine:
        """Another engine on the same registry and parties with no message memory of its own, for a summary's
        checks (they run in a worker thread while the case engine serves messages). The default policy and no
        public parties: a summary is posted by the bot, so it over-redacts rather than trusts."""
        return IdentityEngine(self.registry, parties=self.engine.parties)


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
            stored = await self._store.cases.party_labels_and_records(case_id)
            parties = [p for p in stored if p[1] != PUBLIC_BASIS]
            public = [p for p in stored if p[1] == PUBLIC_BASIS]  # [[public]] parties: never evidence
            registry = await asyncio.to_thread(registry_from_stored, [p[2] for p in parties], self._key)
            public_registry = (await asyncio.to_thread(registry_from_stored, [p[2] for p in public], self._key)
                               if public else None)
            for digest in await self._store.cases.allowlist(case_id):
                registry.allow(digest)
            policy = policy_for(await self._config.get(guild_id))
            # off the loop: a first engine loads the shared scorer and rules (seconds on a busy machine), and
            # each one builds its detectors' tables
            engine = await asyncio.to_thread(
                IdentityEngine, registry, policy=policy, parties=[(label, basis) for label, basis, _ in parties],
                public=public_registry)
            built = self._engines[case_id] = CaseEngine(case_id, registry, engine, ThreadHistory())
            while len(self._engines) > self._size:
                self._engines.popitem(last=False)
            return built
