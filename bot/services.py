"""The engine's services, built once by the composition root (``cogs/_client.py``) and handed to the cogs.

Cogs receive a :class:`Services` and never touch the store: ``settings`` (guild settings), ``cases``,
``checks`` (the per-message pipeline), ``decisions`` (the review queue), ``summaries``, ``outbox`` (the
engine side of the action runner) and ``cursors`` (catch-up).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from bot import change_notices
from bot.case_engines import CaseEngines
from bot.cases_service import CaseService
from bot.cursors import ThreadCursors
from bot.decisions import DecisionService
from bot.guild_config import GuildConfig
from bot.images.step import ImageStep
from bot.logging_setup import redact_registered_with
from bot.outbox import Outbox
from bot.pipeline import Pipeline
from bot.retention import DEFAULT_RETENTION_DAYS, RetentionService
from bot.storage import Store
from bot.summaries_service import SummaryService


@dataclass(frozen=True, slots=True)
class Services:
    settings: GuildConfig
    cases: CaseService
    checks: Pipeline
    decisions: DecisionService
    summaries: SummaryService
    outbox: Outbox
    cursors: ThreadCursors
    retention: RetentionService

    @classmethod
    def build(cls, store: Store, secret_key: bytes, *, abuse: Any = None, engine_cache: int = 256,
              retention_days: int = DEFAULT_RETENTION_DAYS, images: ImageStep | None = None,
              outbox_lease_s: float = Outbox.DEFAULT_LEASE_S) -> Services:
        """Wire the services over one open store (the only place that holds it)."""
        engines: CaseEngines | None = None

        def settings_changed() -> None:  # the policy may have changed: rebuild the engines
            if engines is not None:
                engines.clear()

        config = GuildConfig(store, on_change=settings_changed)
        engines = CaseEngines(store, secret_key, config, size=engine_cache)
        cases = CaseService(store, secret_key, engines)
        redact_registered_with(engines.relabel)  # logs pass the same registry-based redaction
        cursors = ThreadCursors(store)
        change_notices.follow(store.db, config=config, engines=engines, cases=cases)  # other processes' changes
        return cls(
            settings=config, cases=cases,
            checks=Pipeline(store, config, cases, engines, cursors, abuse=abuse, images=images),
            decisions=DecisionService(store, config, engines), summaries=SummaryService(store, engines),
            outbox=Outbox(store, lease_s=outbox_lease_s), cursors=cursors,
            retention=RetentionService(store.db, retention_days),
        )

    async def close(self) -> None:
        """Write the pending cursors, then stop the abuse scorer (the store stays open)."""
        await self.cursors.flush()
        if self.checks.images is not None:
            await self.checks.images.close()
        abuse = self.checks.abuse
        close = getattr(abuse, "close", None) or getattr(abuse, "aclose", None)
        if close is not None:
            result = close()
            if asyncio.iscoroutine(result):
                await result
