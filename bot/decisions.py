"""Moderator decisions on queued flags, and the queue itself (listing, one flag, its audit, statistics).

A decision changes the flag's state, writes the audit row and stores the actions it needs (delete, repost,
timeout, queue update) in one transaction; the cogs then run the actions.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot import action_plan
from bot.action_plan import Planned
from bot.case_engines import CaseEngines
from bot.errors import CasewatchError
from bot.flags import Action
from bot.guild_config import GuildConfig
from bot.matcher import ProtectedMatcher
from bot.storage import FlagState, Store
from bot.storage.repositories.audit import AuditRow
from bot.storage.repositories.flags import DetectorStats, FlagRow


class Decision(StrEnum):
    """What a moderator can decide about a queued flag (the review buttons)."""

    CONFIRM = "confirm"
    RESTORE = "restore"
    DISMISS = "dismiss"
    ALLOW = "allow"  # dismiss, and allow-list the match in its context for the case
    ESCALATE = "escalate"
    TIMEOUT = "timeout"


class DecisionError(CasewatchError):
    """A decision that does not apply to this flag (restoring a message that was not held, ...)."""


@dataclass(slots=True)
class DecisionResult:
    flag: FlagRow
    before: FlagState
    after: FlagState
    actions: list[int]
    summary: str  # one line for the moderator, labels only


class DecisionService:
    """The review queue: ``decide`` plus what ``/flags`` lists and shows."""

    def __init__(self, store: Store, config: GuildConfig, engines: CaseEngines) -> None:
        self._store = store
        self._config = config
        self._engines = engines

    # -- the queue -------------------------------------------------------------------------------
    async def get(self, flag_id: int, guild_id: int | None = None) -> FlagRow | None:
        """One flag (``None`` if it does not exist, or belongs to another guild when ``guild_id`` is given)."""
        flag = await self._store.flags.get(flag_id)
        return None if flag is None or (guild_id is not None and flag.guild_id != guild_id) else flag

    async def page(self, guild_id: int, *, state: str | None = "open", category: str | None = None,
                   limit: int = 10, offset: int = 0) -> list[FlagRow]:
        return await self._store.flags.page(guild_id, state=state, category=category, limit=limit, offset=offset)

    async def count(self, guild_id: int, *, state: str | None = "open", category: str | None = None) -> int:
        return await self._store.flags.count(guild_id, state=state, category=category)

    async def stats(self, guild_id: int) -> list[DetectorStats]:
        return await self._store.flags.stats(guild_id)

    async def audit(self, flag_id: int) -> list[AuditRow]:
        return await self._store.audit.for_flag(flag_id)

    async def recent_flag_count(self, guild_id: int | None, author_id: str) -> int:
        days = (await self._config.get(guild_id)).recent_flag_days if guild_id is not None else 30
        return await self._store.flags.recent_by_author(guild_id, author_id, days=days)

    async def record_queue_post(self, flag_id: int, channel_id: int, message_id: int) -> None:
        await self._store.flags.set_queue_message(flag_id, channel_id, message_id)

    # -- decisions -------------------------------------------------------------------------------
    async def decide(self, flag_id: int, decision: Decision | str, *, actor_id: str, guild_id: int,
                     content: str | None = None) -> DecisionResult:
        """Apply a moderator's decision: state change, audit row and the actions it needs, in one transaction.

        ``content``: the message's current text, when it is still up (for an allow-list entry of a flag
        that was only queued); a message that was taken down is read from its sealed copy instead.
        """
        decision = Decision(decision)
        flag = await self.get(flag_id, guild_id)
        if flag is None:
            raise DecisionError("this flag no longer exists")
        plan: list[Planned] = []
        new_state, note = flag.state, ""
        taken_down = Action(flag.action).rank >= Action.HOLD.rank
        if decision is Decision.CONFIRM:
            if not taken_down and action_plan.is_title(flag):
                plan.append(Planned("retitle", {"thread_id": flag.channel_id, "name": flag.excerpt[:100]}))
            elif not taken_down and flag.channel_id is not None:
                plan.append(Planned("delete", {"channel_id": flag.channel_id, "message_id": int(flag.message_id)}))
            new_state, summary = FlagState.CONFIRMED, "Removal confirmed."
        elif decision is Decision.RESTORE:
            held = await self._store.flags.held(flag_id)
            if held is None:
                raise DecisionError("only a held message can be restored, and only once")
            plan.append(action_plan.repost(held))
            new_state, summary = FlagState.RESTORED, "Restored: the original is reposted under the author's name."
        elif decision in (Decision.DISMISS, Decision.ALLOW):
            held = await self._store.flags.held(flag_id) if flag.state is FlagState.OPEN else None
            summary = "Dismissed as a false positive."
            if decision is Decision.ALLOW:
                text = self._store.sealer.open(held.original_sealed) if held else content
                added = await self._allow(flag, text, actor_id) if text else 0
                note = f"{added} allow-list entr{'y' if added == 1 else 'ies'}"
                summary += f" Added {note} for this case." if added else " No registered match to allow-list."
            if held is not None:  # it was taken down wrongly: put it back
                plan.append(action_plan.repost(held))
                summary += " The message is reposted under the author's name."
            new_state = FlagState.DISMISSED
        elif decision is Decision.ESCALATE:
            new_state, summary = FlagState.ESCALATED, "Escalated."
        else:
            settings = await self._config.get(guild_id)
            minutes = next((s.minutes for s in settings.escalation if s.action == "timeout" and s.minutes), 60)
            plan.append(Planned("timeout", {"user_id": int(flag.author_id), "minutes": minutes,
                                            "reason": "Casewatch: timed out by a moderator"}))
            note, summary = f"{minutes} minutes", f"Author timed out for {minutes} minutes."
        if flag.queue_message_id is not None:
            plan.append(Planned("queue_update", {}))
        before, after, actions = await self._store.flags.resolve(
            flag_id, new_state, actor_id=actor_id, decision=str(decision), note=note, actions=plan)
        updated = await self._store.flags.get(flag_id)
        assert updated is not None
        return DecisionResult(updated, before, after, actions, summary)

    async def _allow(self, flag: FlagRow, text: str, actor_id: str) -> int:
        """Allow-list every registered match in ``text`` (in its context) for the flag's case."""
        if flag.case_id is None or flag.guild_id is None:
            return 0
        built = await self._engines.get(flag.case_id, flag.guild_id)
        digests = {m.digest for m in ProtectedMatcher(built.registry).find(text)}
        for digest in digests:
            await self._store.cases.allow(flag.case_id, digest, added_by=actor_id)
        self._engines.invalidate(flag.case_id)
        return len(digests)
