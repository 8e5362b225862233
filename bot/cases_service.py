"""Cases: opening one per forum post, linking threads, importing case files, registering protected parties.

The values of ``/case protect`` are hashed into a registry at once and dropped; only digests are stored.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Sequence

from bot.case import CaseFile, parse_case
from bot.case_engines import CaseEngines, registry_from_stored
from bot.errors import CasewatchError
from bot.offloop import gc_paused
from bot.recheck import recheck_case
from bot.registry import ProtectedRegistry
from bot.storage import Store
from bot.storage.repositories.cases import CaseRow, PartyRow

log = logging.getLogger(__name__)


class CaseService:
    """``/case``: the cases of a guild, their threads, parties and allow-lists."""

    def __init__(self, store: Store, secret_key: bytes, engines: CaseEngines) -> None:
        self._store = store
        self._key = secret_key
        self._engines = engines
        self._open_lock = asyncio.Lock()
        self._thread_case: dict[int, int] = {}  # thread id -> case id, so the per-message path skips the db
        self._on_registered: list[Callable[[int], Awaitable[None]]] = []

    def forget_thread(self, thread_id: int | None = None) -> None:
        """Drop the cached case of ``thread_id`` (of every thread when ``None``): relinked elsewhere."""
        if thread_id is None:
            self._thread_case.clear()
        else:
            self._thread_case.pop(thread_id, None)

    # -- reading ---------------------------------------------------------------------------------
    async def for_thread(self, thread_id: int) -> CaseRow | None:
        return await self._store.cases.for_thread(thread_id)

    async def by_key(self, guild_id: int, case_key: str) -> CaseRow | None:
        return await self._store.cases.by_key(guild_id, case_key)

    async def get(self, case_id: int) -> CaseRow | None:
        return await self._store.cases.get(case_id)

    async def in_guild(self, guild_id: int) -> list[CaseRow]:
        return await self._store.cases.in_guild(guild_id)

    async def threads(self, case_id: int) -> list[int]:
        return await self._store.cases.threads(case_id)

    async def parties(self, case_id: int) -> list[PartyRow]:
        return await self._store.cases.parties(case_id)

    async def allowlist_size(self, case_id: int) -> int:
        return len(await self._store.cases.allowlist(case_id))

    async def basis(self, case_id: int | None) -> dict[str, str]:
        """Each party's label and legal basis (for the author's notice)."""
        return {} if case_id is None else {p.label: p.basis for p in await self._store.cases.parties(case_id)}

    async def case_id_for(self, guild_id: int, forum_id: int | None, thread_id: int, *, title: str = "",
                          create: bool = True) -> int | None:
        """The thread's case (cached); a watched thread without one gets one when ``create``."""
        if (case_id := self._thread_case.get(thread_id)) is not None:
            return case_id
        if (case := await self._store.cases.for_thread(thread_id)) is not None:
            self._thread_case[thread_id] = case.case_id
            return case.case_id
        return await self.open_case(guild_id, forum_id, thread_id, title) if create else None

    # -- changing --------------------------------------------------------------------------------
    async def open_case(self, guild_id: int, forum_id: int | None, thread_id: int, title: str) -> int:
        """A new forum post: a case keyed by the thread, titled by the post, linked to the thread."""
        async with self._open_lock:  # the thread and its opening message arrive together
            existing = await self._store.cases.for_thread(thread_id)
            if existing is not None:
                return existing.case_id
            await self._store.guilds.ensure(guild_id)
            case_id = await self._store.cases.create(guild_id, f"thread-{thread_id}", title[:200])
            await self._store.cases.link_thread(thread_id, guild_id, case_id, forum_id)
            self._thread_case[thread_id] = case_id
            return case_id

    async def link_thread(self, guild_id: int, thread_id: int, forum_id: int | None, case_key: str) -> CaseRow:
        """``/case link``: attach the thread to an existing case of the guild (by key)."""
        case = await self._store.cases.by_key(guild_id, case_key)
        if case is None:
            raise CasewatchError(f"no case with key {case_key!r} in this server (see /case show)")
        await self._store.cases.link_thread(thread_id, guild_id, case.case_id, forum_id)
        self._thread_case[thread_id] = case.case_id
        await self.recheck(case.case_id)  # the post's title and flags, stored before, meet the case's parties
        await self._registered(case.case_id)
        return case

    def add_registration_listener(self, listener: Callable[[int], Awaitable[None]]) -> None:
        """``listener(case_id)`` runs after parties were registered for a case (or a post linked to it): the
        Discord side re-checks the case's posts' current titles, which may name a party registered only now."""
        self._on_registered.append(listener)

    def remove_registration_listener(self, listener: Callable[[int], Awaitable[None]]) -> None:
        if listener in self._on_registered:
            self._on_registered.remove(listener)

    async def _registered(self, case_id: int) -> None:
        for listener in list(self._on_registered):
            try:
                await listener(case_id)
            except Exception:  # the registration stands; the titles are checked again on their next change
                log.exception("re-checking the titles of case %s failed", case_id)

    async def recheck(self, case_id: int) -> None:
        """Relabel what is stored about the case and its posts with all of its parties (:mod:`bot.recheck`)."""
        parties = await self._store.cases.party_labels_and_records(case_id)
        if parties:
            registry = await asyncio.to_thread(registry_from_stored, [p[2] for p in parties], self._key)
            await recheck_case(self._store, case_id, registry)

    async def protect(self, case_id: int, label: str, basis: str, names: Sequence[str],
                      identifiers: Sequence[str], *, actor_id: str, recheck: bool = True) -> tuple[int, int]:
        """Hash a party's names and identifiers into the case's registry; returns the counts stored."""
        label, basis = label.strip(), basis.strip()
        names = [n.strip() for n in names if n.strip()]
        identifiers = [i.strip() for i in identifiers if i.strip()]
        if not label:
            raise CasewatchError("a protected party needs a label (how moderators refer to them)")
        if not names and not identifiers:
            raise CasewatchError("give at least one name or identifier to protect")
        registry = await asyncio.to_thread(self._hashed, label, basis, names, identifiers)  # CPU: off the loop
        await self._store.cases.put_party(case_id, label, basis, registry.to_records(), name_count=len(names),
                                          ident_count=len(identifiers), created_by=actor_id)
        self._engines.invalidate(case_id)
        if recheck:  # titles, display names, URLs stored before now
            await recheck_case(self._store, case_id, registry)
            await self._registered(case_id)
        return len(names), len(identifiers)

    def _hashed(self, label: str, basis: str, names: Sequence[str], identifiers: Sequence[str]) -> ProtectedRegistry:
        with gc_paused():
            registry = ProtectedRegistry.from_records([], self._key)
            registry.add_party(label, basis, names, identifiers)
            return registry

    async def unprotect(self, case_id: int, label: str) -> bool:
        removed = await self._store.cases.remove_party(case_id, label)
        self._engines.invalidate(case_id)
        return removed

    async def import_case(self, guild_id: int, text: str, *, thread_id: int | None, forum_id: int | None,
                          actor_id: str) -> tuple[CaseRow, CaseFile]:
        """``/case import``: a case TOML; its parties are hashed, the thread (if any) is linked to it."""
        case_file = await asyncio.to_thread(parse_case, text, origin="the attached case file")  # off the loop
        await self._store.guilds.ensure(guild_id)
        case_id = await self._store.cases.create(guild_id, case_file.id, case_file.title, case_file.jurisdiction)
        for party in case_file.protected:
            await self.protect(case_id, party.label, party.basis, party.names, party.identifiers,
                               actor_id=actor_id, recheck=False)
        if thread_id is not None:
            await self._store.cases.link_thread(thread_id, guild_id, case_id, forum_id)
            self._thread_case[thread_id] = case_id
        if case_file.protected:  # once linked: one recheck with every party of the case, not one per party
            await self.recheck(case_id)
            await self._registered(case_id)
        case = await self._store.cases.get(case_id)
        assert case is not None
        return case, case_file
