"""Keep this process's caches true to the database when another process changes it.

Several bot processes share one PostgreSQL database (shards). Each keeps its own caches: guild settings
(:class:`~bot.guild_config.GuildConfig`), per-case engines (:class:`~bot.case_engines.CaseEngines`) and
thread → case links (:class:`~bot.cases_service.CaseService`). The repositories announce every change
that those caches depend on (``tx.notify``: ``guild``, ``case``, ``thread`` and an id; never content);
PostgreSQL delivers the notice to every process on commit (``LISTEN/NOTIFY``), and :func:`follow` drops
what it names. ``*`` (the notice connection was lost: something may have been missed) drops everything.
On SQLite there is one process, and notices are delivered in it after each commit.
"""

from __future__ import annotations

import logging
from typing import Protocol

from bot.storage.database import Database

log = logging.getLogger(__name__)


class _Config(Protocol):
    def forget(self, guild_id: int | None = None) -> None: ...


class _Engines(Protocol):
    def invalidate(self, case_id: int) -> None: ...
    def clear(self) -> None: ...


class _Cases(Protocol):
    def forget_thread(self, thread_id: int | None = None) -> None: ...


def follow(db: Database, *, config: _Config, engines: _Engines, cases: _Cases) -> None:
    """Drop cached settings, engines and thread links when a change notice names them."""

    def changed(topic: str, key: str) -> None:
        ident = int(key) if key.lstrip("-").isdigit() else None
        if topic == "guild" and ident is not None:
            config.forget(ident)
            engines.clear()  # the guild's policy is part of every engine of its cases
        elif topic == "case" and ident is not None:
            engines.invalidate(ident)
        elif topic == "thread" and ident is not None:
            cases.forget_thread(ident)
        elif topic == "*":
            config.forget()
            engines.clear()
            cases.forget_thread()
        else:
            log.debug("ignoring change notice topic %s", topic)

    db.on_change(changed)
