"""Compatibility: the old one-class ``Moderation`` API over :class:`bot.services.Services`.

The engine is now split by responsibility (see :mod:`bot.services`): ``bot.pipeline`` (checks),
``bot.cases_service``, ``bot.decisions``, ``bot.summaries_service``, ``bot.guild_config``, ``bot.outbox``,
``bot.cursors``. This facade delegates to them so the cogs can move to ``Services`` one by one; new code
should take a ``Services``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.case import CaseFile
from bot.decisions import Decision, DecisionError, DecisionResult
from bot.flags import Verdict
from bot.guild_config import is_exempt, is_moderator, policy_for
from bot.guild_settings import GuildSettings
from bot.notices import KIND_WORDS, notice_text
from bot.posts import Outcome, Post
from bot.services import Services
from bot.storage import Store
from bot.storage.repositories.cases import CaseRow
from bot.summaries_service import OpeningPost

__all__ = ["KIND_WORDS", "Decision", "DecisionError", "DecisionResult", "Moderation", "OpeningPost", "Outcome",
           "Post", "is_exempt", "is_moderator", "notice_text", "policy_for"]


class Moderation:
    """The old facade: every method delegates to one service of :attr:`services`."""

    def __init__(self, store: Store, secret_key: bytes, *, abuse: Any = None, engine_cache: int = 256,
                 services: Services | None = None) -> None:
        self.store = store
        self.key = secret_key
        self.services = services or Services.build(store, secret_key, abuse=abuse, engine_cache=engine_cache)

    @property
    def abuse(self) -> Any:
        return self.services.checks.abuse

    @abuse.setter
    def abuse(self, value: Any) -> None:
        self.services.checks.abuse = value

    async def close(self) -> None:
        await self.services.close()

    # guild settings
    async def settings_for(self, guild_id: int) -> GuildSettings:
        return await self.services.settings.get(guild_id)

    async def save_settings(self, guild_id: int, settings: GuildSettings) -> GuildSettings:
        return await self.services.settings.save(guild_id, settings)

    async def watches(self, guild_id: int, forum_id: int | None) -> bool:
        return await self.services.settings.watches(guild_id, forum_id)

    # cases
    async def case_for_thread(self, thread_id: int) -> CaseRow | None:
        return await self.services.cases.for_thread(thread_id)

    async def open_case(self, guild_id: int, forum_id: int | None, thread_id: int, title: str) -> int:
        return await self.services.cases.open_case(guild_id, forum_id, thread_id, title)

    async def link_thread(self, guild_id: int, thread_id: int, forum_id: int | None, case_key: str) -> CaseRow:
        return await self.services.cases.link_thread(guild_id, thread_id, forum_id, case_key)

    async def protect(self, case_id: int, label: str, basis: str, names: Sequence[str], identifiers: Sequence[str],
                      *, actor_id: str) -> tuple[int, int]:
        return await self.services.cases.protect(case_id, label, basis, names, identifiers, actor_id=actor_id)

    async def unprotect(self, case_id: int, label: str) -> bool:
        return await self.services.cases.unprotect(case_id, label)

    async def import_case(self, guild_id: int, text: str, *, thread_id: int | None, forum_id: int | None,
                          actor_id: str) -> tuple[CaseRow, CaseFile]:
        return await self.services.cases.import_case(guild_id, text, thread_id=thread_id, forum_id=forum_id,
                                                     actor_id=actor_id)

    # cursors
    async def flush_cursors(self) -> int:
        return await self.services.cursors.flush()

    async def thread_cursors(self, guild_id: int) -> dict[int, int | None]:
        return await self.services.cursors.for_guild(guild_id)

    # checks
    async def check(self, post: Post) -> Outcome:
        return await self.services.checks.check(post)

    async def check_abuse(self, post: Post, identity: Verdict | None) -> Outcome:
        return await self.services.checks.check_abuse(post, identity)

    @property
    def images(self) -> Any:
        """The image step (``bot.images``), or ``None`` when images are not read."""
        return self.services.checks.images

    async def check_images(self, post: Post, identity: Verdict | None) -> Outcome:
        return await self.services.checks.check_images(post, identity)

    # decisions
    async def decide(self, flag_id: int, decision: Decision | str, *, actor_id: str, guild_id: int,
                     content: str | None = None) -> DecisionResult:
        return await self.services.decisions.decide(flag_id, decision, actor_id=actor_id, guild_id=guild_id,
                                                    content=content)

    async def recent_flag_count(self, guild_id: int, author_id: str) -> int:
        return await self.services.decisions.recent_flag_count(guild_id, author_id)

    # summaries
    async def add_source(self, case: CaseRow, url: str, *, actor_id: str, timeout_s: float = 15.0,
                         max_bytes: int = 3_000_000, allow_private: bool = False) -> Any:
        return await self.services.summaries.add_source(case, url, actor_id=actor_id, timeout_s=timeout_s,
                                                        max_bytes=max_bytes, allow_private=allow_private)

    async def summary(self, case: CaseRow, *, refresh: bool = False,
                      opening_posts: Sequence[OpeningPost] = ()) -> tuple[Any, bool]:
        return await self.services.summaries.summary(case, refresh=refresh, opening_posts=opening_posts)
