"""What Casewatch does with a post, independent of Discord.

The Discord side (``cogs/``) turns events into :class:`Post` objects and hands them to
:class:`Moderation`, which runs the identity engine for the thread's case, stores the flag, and
*stores* every action it decides on in the outbox (delete, notify, queue, retitle, warn, timeout,
repost) before anything is attempted. The cogs then perform the stored actions and mark them done.
Moderator decisions on queued flags go through :meth:`Moderation.decide`, which changes the flag's
state and writes the audit row in one transaction.

No registered name or identifier passes through here in plain text except the content under check
and the values of ``/case protect``, which are hashed into a registry at once and dropped.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.abuse.labels import AbuseThresholds
from bot.case import CaseFile, parse_case
from bot.engine import IdentityEngine, ThreadHistory
from bot.errors import CasewatchError, InputError
from bot.flags import Action, Attachment, Category, Flag, Message, Verdict
from bot.guild_settings import GuildSettings
from bot.matcher import ProtectedMatcher
from bot.policy import DEFAULT_RULES, Policy, Rule
from bot.registry import ProtectedRegistry
from bot.storage import FlagState, HeldMessage, Store
from bot.storage.repositories.cases import CaseRow
from bot.storage.repositories.flags import FlagRow, verdict_signature

log = logging.getLogger(__name__)

#: Plain words for what kind of detail a flag is about (used in the author's notice).
KIND_WORDS = {
    "full_name": "a name", "name": "a name", "surname": "a surname", "forename": "a first name",
    "nickname": "a nickname", "identifier": "an identifying detail", "phone": "a phone number",
    "email": "an email address", "address": "a home address", "postcode": "a postcode",
    "school": "a school", "workplace": "a workplace", "social": "a social-media handle",
    "photo": "a photo", "jigsaw": "details that together identify someone",
}


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
class Post:
    """A message, or a thread title, as the Discord side hands it over."""

    guild_id: int
    thread_id: int
    forum_id: int | None
    message_id: int
    author_id: int
    author_name: str
    content: str
    author_avatar: str = ""
    timestamp: str = ""
    role_ids: tuple[int, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    reply_to: int | None = None
    is_title: bool = False
    is_edit: bool = False
    mentions: tuple[str, ...] = ()  # names of mentioned members (forum awareness)
    replay: bool = False  # read back from history after downtime: it may have been checked already

    @property
    def key(self) -> str:
        """The id flags are stored under: the message id, or ``title-<thread id>`` for a thread title."""
        return f"title-{self.thread_id}" if self.is_title else str(self.message_id)

    def to_message(self) -> Message:
        return Message(
            id=self.key, author=str(self.author_id), content=self.content, timestamp=self.timestamp,
            attachments=self.attachments, reply_to=str(self.reply_to) if self.reply_to else None,
            thread_id=str(self.thread_id), is_title=self.is_title, author_name=self.author_name,
            mentions=self.mentions,
        )


@dataclass(slots=True)
class Outcome:
    """What :meth:`Moderation.check` concluded: the verdict, the stored flag and the actions to run."""

    verdict: Verdict | None = None
    flag_id: int | None = None
    actions: list[int] = field(default_factory=list)
    skipped: str = ""  # why the post was not checked, or why a flagged edit raised no new alert


@dataclass(slots=True)
class OpeningPost:
    """A forum post's opening message as the Discord side reads it for ``/case summary`` (not stored)."""

    content: str
    thread_title: str
    posted: str  # YYYY-MM-DD
    url: str  # the message's jump URL


@dataclass(slots=True)
class DecisionResult:
    flag: FlagRow
    before: FlagState
    after: FlagState
    actions: list[int]
    summary: str  # one line for the moderator, labels only


@dataclass(slots=True)
class _CaseEngine:
    case_id: int
    registry: ProtectedRegistry
    engine: IdentityEngine
    history: ThreadHistory


def is_moderator(settings: GuildSettings, *, manage_messages: bool, role_ids: Sequence[int]) -> bool:
    """Members with Manage Messages, or the configured moderator role, may moderate."""
    return manage_messages or (settings.moderator_role_id is not None and settings.moderator_role_id in role_ids)


def policy_for(settings: GuildSettings) -> Policy:
    """The guild's policy: its overrides (``category`` or ``category:kind`` → action) before the defaults."""
    overrides = []
    for key, action in sorted(settings.policy.items(), key=lambda kv: ":" not in kv[0]):  # kinds first
        category, _, kind = key.partition(":")
        try:
            overrides.append(Rule(Category(category), Action(action), 0.0, frozenset({kind}) if kind else None))
        except ValueError:
            log.warning("ignoring an invalid policy entry for %s", key)
    return Policy(rules=(*overrides, *DEFAULT_RULES))


def is_exempt(settings: GuildSettings, role_ids: Sequence[int]) -> bool:
    return any(r in settings.exempt_role_ids for r in role_ids)


def notice_text(flag: FlagRow, *, thread_name: str, basis: dict[str, str], rules_url: str, held: bool,
                title: bool = False) -> str:
    """The author's DM: which kind of detail, the legal reason, the rules link; never the detail itself."""
    kinds = [f.kind for f in flag.findings if f.kind]
    what = KIND_WORDS.get(kinds[0], "a detail") if kinds else "a detail"
    labels = [f.label for f in flag.findings if f.label]
    where = f" in **{thread_name}**" if thread_name else ""
    verb = "held for review" if held else "removed"
    what_was = "The title of your post" if title else f"Your message{where}"
    if title:
        verb = "changed"
    if flag.category == Category.ABUSE:
        lines = [f"{what_was} was {verb} by the moderators' bot: it looked abusive "
                 f"({flag.findings[0].kind or 'abuse'} ) and breaks the server's rules on how to treat people."]
    else:
        lines = [f"{what_was} was {verb} by the moderators' bot."]
        who = labels[0] if labels else "a person the law protects"
        lines.append(f"It contained {what} that could identify {who}.")
        reasons = [basis[label] for label in dict.fromkeys(labels) if basis.get(label)]
        if reasons:
            lines.append(f"The law gives them anonymity ({'; '.join(reasons)}), so the forum may not publish "
                         "anything that identifies them, even indirectly.")
        else:
            lines.append("The law protects their anonymity, so the forum may not publish anything that "
                         "identifies them, even indirectly.")
    if held:
        lines.append("A moderator will review it and may restore it.")
    lines.append("Please don't post it again." + (f" Server rules: {rules_url}" if rules_url else ""))
    return "\n".join(lines).replace(" )", ")")


class Moderation:
    """The engine side of the bot: cases, checks, flags, stored actions and moderator decisions."""

    def __init__(self, store: Store, secret_key: bytes, *, abuse: Any = None, engine_cache: int = 256) -> None:
        self.store = store
        self.key = secret_key
        self.abuse = abuse  # anything with ``async detect(text) -> list[Flag]`` (bot.abuse.BatchingScorer)
        self._settings: dict[int, GuildSettings] = {}
        self._engines: OrderedDict[int, _CaseEngine] = OrderedDict()
        self._engine_cache = engine_cache
        self._case_locks: dict[int, asyncio.Lock] = {}
        self._open_lock = asyncio.Lock()
        self._thread_case: dict[int, int] = {}  # thread id -> case id, so the per-message path skips the db
        self._cursors: dict[int, int] = {}  # thread id -> newest message id checked, not yet written

    async def close(self) -> None:
        """Write the pending cursors, then stop the abuse scorer (the store stays open)."""
        await self.flush_cursors()
        close = getattr(self.abuse, "close", None) or getattr(self.abuse, "aclose", None)
        if close is not None:
            result = close()
            if asyncio.iscoroutine(result):
                await result

    # -- guild settings --------------------------------------------------------------------------
    async def settings_for(self, guild_id: int) -> GuildSettings:
        cached = self._settings.get(guild_id)
        if cached is None:
            cached = self._settings[guild_id] = await self.store.guilds.get_settings(guild_id)
        return cached

    async def save_settings(self, guild_id: int, settings: GuildSettings) -> GuildSettings:
        settings = GuildSettings.model_validate(settings.model_dump())
        await self.store.guilds.save_settings(guild_id, settings)
        self._settings[guild_id] = settings
        self._engines.clear()  # the policy may have changed
        return settings

    async def watches(self, guild_id: int, forum_id: int | None) -> bool:
        return forum_id is not None and forum_id in (await self.settings_for(guild_id)).watched_forum_ids

    # -- cases -----------------------------------------------------------------------------------
    async def case_for_thread(self, thread_id: int) -> CaseRow | None:
        return await self.store.cases.for_thread(thread_id)

    async def open_case(self, guild_id: int, forum_id: int | None, thread_id: int, title: str) -> int:
        """A new forum post: a case keyed by the thread, titled by the post, linked to the thread."""
        async with self._open_lock:  # the thread and its opening message arrive together
            existing = await self.store.cases.for_thread(thread_id)
            if existing is not None:
                return existing.case_id
            await self.store.guilds.ensure(guild_id)
            case_id = await self.store.cases.create(guild_id, f"thread-{thread_id}", title[:200])
            await self.store.cases.link_thread(thread_id, guild_id, case_id, forum_id)
            self._thread_case[thread_id] = case_id
            return case_id

    async def link_thread(self, guild_id: int, thread_id: int, forum_id: int | None, case_key: str) -> CaseRow:
        """``/case link``: attach the thread to an existing case of the guild (by key)."""
        case = await self.store.cases.by_key(guild_id, case_key)
        if case is None:
            raise CasewatchError(f"no case with key {case_key!r} in this server (see /case show)")
        await self.store.cases.link_thread(thread_id, guild_id, case.case_id, forum_id)
        self._thread_case[thread_id] = case.case_id
        return case

    async def protect(
        self, case_id: int, label: str, basis: str, names: Sequence[str], identifiers: Sequence[str],
        *, actor_id: str,
    ) -> tuple[int, int]:
        """Hash a party's names and identifiers into the case's registry; returns the counts stored."""
        label, basis = label.strip(), basis.strip()
        names = [n.strip() for n in names if n.strip()]
        identifiers = [i.strip() for i in identifiers if i.strip()]
        if not label:
            raise CasewatchError("a protected party needs a label (how moderators refer to them)")
        if not names and not identifiers:
            raise CasewatchError("give at least one name or identifier to protect")
        registry = ProtectedRegistry.from_records([], self.key)
        registry.add_party(label, basis, names, identifiers)
        records = registry.to_records()
        await self.store.cases.put_party(case_id, label, basis, records, name_count=len(names),
                                         ident_count=len(identifiers), created_by=actor_id)
        self.invalidate(case_id)
        return len(names), len(identifiers)

    async def unprotect(self, case_id: int, label: str) -> bool:
        removed = await self.store.cases.remove_party(case_id, label)
        self.invalidate(case_id)
        return removed

    async def import_case(self, guild_id: int, text: str, *, thread_id: int | None, forum_id: int | None,
                          actor_id: str) -> tuple[CaseRow, CaseFile]:
        """``/case import``: a case TOML; its parties are hashed, the thread (if any) is linked to it."""
        case_file = parse_case(text, origin="the attached case file")
        await self.store.guilds.ensure(guild_id)
        case_id = await self.store.cases.create(guild_id, case_file.id, case_file.title, case_file.jurisdiction)
        for party in case_file.protected:
            await self.protect(case_id, party.label, party.basis, party.names, party.identifiers,
                               actor_id=actor_id)
        if thread_id is not None:
            await self.store.cases.link_thread(thread_id, guild_id, case_id, forum_id)
            self._thread_case[thread_id] = case_id
        case = await self.store.cases.get(case_id)
        assert case is not None
        return case, case_file

    def invalidate(self, case_id: int) -> None:
        self._engines.pop(case_id, None)

    async def _engine_for(self, case_id: int, guild_id: int) -> _CaseEngine:
        cached = self._engines.get(case_id)
        if cached is not None:
            self._engines.move_to_end(case_id)
            return cached
        lock = self._case_locks.setdefault(case_id, asyncio.Lock())
        async with lock:
            if (cached := self._engines.get(case_id)) is not None:
                return cached
            parties = await self.store.cases.parties(case_id)
            records = [r for p in parties for r in p.records]
            registry = ProtectedRegistry.from_records(records, self.key)
            for digest in await self.store.cases.allowlist(case_id):
                registry.allow(digest)
            policy = policy_for(await self.settings_for(guild_id))
            engine = IdentityEngine(registry, policy=policy, parties=[(p.label, p.basis) for p in parties])
            built = _CaseEngine(case_id, registry, engine, ThreadHistory())
            self._engines[case_id] = built
            while len(self._engines) > self._engine_cache:
                self._engines.popitem(last=False)
            return built

    # -- catch-up cursors ------------------------------------------------------------------------
    def _advance(self, thread_id: int, message_id: int) -> None:
        """Remember that ``message_id`` was checked; written by :meth:`flush_cursors`, not now."""
        if message_id > self._cursors.get(thread_id, 0):
            self._cursors[thread_id] = message_id

    async def flush_cursors(self) -> int:
        """Write the pending thread cursors in one transaction; returns how many threads moved.

        The bot calls this every few seconds and on shutdown. A crash loses at most the last interval:
        those messages are read back and checked again on start, as replays that raise no second alert.
        """
        pending, self._cursors = self._cursors, {}
        if not pending:
            return 0
        try:
            await self.store.cases.advance_cursors(pending)
        except BaseException:
            for thread_id, message_id in pending.items():  # keep them for the next flush
                self._advance(thread_id, message_id)
            raise
        return len(pending)

    async def thread_cursors(self, guild_id: int) -> dict[int, int | None]:
        """The guild's linked threads and the newest message id checked in each (pending ones included)."""
        cursors = await self.store.cases.cursors(guild_id)
        for thread_id, message_id in self._cursors.items():
            if thread_id in cursors:
                cursors[thread_id] = max(cursors[thread_id] or 0, message_id)
        return cursors

    # -- checking posts --------------------------------------------------------------------------
    async def check(self, post: Post) -> Outcome:
        """Run the identity detectors on ``post`` and store the flag and its actions (not yet run)."""
        settings = await self.settings_for(post.guild_id)
        if post.forum_id is None or post.forum_id not in settings.watched_forum_ids:
            return Outcome(skipped="not in a watched forum")
        outcome = await self._check_watched(post, settings)
        if not post.is_title:  # only once its flag and actions are stored
            self._advance(post.thread_id, post.message_id)
        return outcome

    async def _check_watched(self, post: Post, settings: GuildSettings) -> Outcome:
        if is_exempt(settings, post.role_ids):
            return Outcome(skipped="exempt role")
        case_id = await self._case_id(post)
        assert case_id is not None  # created when missing
        built = await self._engine_for(case_id, post.guild_id)
        message = post.to_message()
        verdict = built.engine.check(message, built.history.recent(message))
        built.history.add(message)
        if not verdict.flags:
            return Outcome(verdict=verdict)
        return await self._record(post, verdict, case_id, settings)

    async def _case_id(self, post: Post, *, create: bool = True) -> int | None:
        """The thread's case (cached); a watched thread without one gets one when ``create``."""
        case_id = self._thread_case.get(post.thread_id)
        if case_id is not None:
            return case_id
        case = await self.case_for_thread(post.thread_id)
        if case is not None:
            self._thread_case[post.thread_id] = case.case_id
            return case.case_id
        if not create:
            return None
        return await self.open_case(post.guild_id, post.forum_id, post.thread_id,
                                    post.content if post.is_title else "")

    async def check_abuse(self, post: Post, identity: Verdict | None) -> Outcome:
        """Score ``post`` for abuse (batched, off the identity path) and act on what it finds."""
        if self.abuse is None or post.is_title:
            return Outcome(skipped="no abuse scorer")
        settings = await self.settings_for(post.guild_id)
        thresholds = AbuseThresholds.from_dict(settings.abuse_thresholds) if settings.abuse_thresholds else None
        found: list[Flag] = await self.abuse.detect(post.content, thresholds)
        if not found:
            return Outcome(verdict=identity)
        case_id = await self._case_id(post, create=False)
        message = post.to_message()
        if case_id is not None:
            built = await self._engine_for(case_id, post.guild_id)
            verdict = built.engine.finalize(Verdict(message=message), found)
        else:
            verdict = Verdict(message=message, flags=found, action=Action.strongest([f.suggested for f in found]))
        already_down = identity is not None and identity.action.rank >= Action.HOLD.rank
        return await self._record(post, verdict, case_id, settings, already_down=already_down)

    async def _record(self, post: Post, verdict: Verdict, case_id: int | None, settings: GuildSettings,
                      *, already_down: bool = False) -> Outcome:
        if post.is_edit or post.is_title or post.replay:
            latest = await self.store.flags.latest_for_message(post.key)
            if latest is not None and set(verdict_signature(verdict).split("|")) <= set(latest.signature.split("|")):
                return Outcome(verdict=verdict, flag_id=latest.flag_id, skipped="repeats an earlier flag")
        action = verdict.action
        held = None
        if action.rank >= Action.HOLD.rank and not post.is_title:  # sealed, so a moderator can restore it
            held = HeldMessage(
                flag_id=0, channel_id=post.thread_id, author_name=post.author_name, author_avatar=post.author_avatar,
                original_sealed=self.store.sealer.seal(post.content), redacted=verdict.excerpt,
                attachments=[{"filename": a.filename, "content_type": a.content_type} for a in post.attachments],
            )
        flag_id = await self.store.flags.add(
            verdict, guild_id=post.guild_id, case_id=case_id, channel_id=post.thread_id,
            author_id=str(post.author_id), author_name=post.author_name, held=held,
        )
        flag = await self.store.flags.get(flag_id)
        assert flag is not None
        outbox = self.store.outbox
        actions: list[int] = []
        takes_down = action.rank >= Action.HOLD.rank and not already_down
        if takes_down and post.is_title:
            actions.append(await outbox.enqueue("retitle", {"thread_id": post.thread_id, "name": verdict.excerpt[:100]},
                                                guild_id=post.guild_id, flag_id=flag_id))
        elif takes_down:
            actions.append(await outbox.enqueue(
                "delete", {"channel_id": post.thread_id, "message_id": post.message_id},
                guild_id=post.guild_id, flag_id=flag_id))
        if takes_down:
            basis = await self._basis(case_id)
            text = notice_text(flag, thread_name="", basis=basis, rules_url=settings.rules_url,
                               held=action is Action.HOLD and not post.is_title, title=post.is_title)
            actions.append(await outbox.enqueue("notify", {"user_id": post.author_id, "text": text},
                                                guild_id=post.guild_id, flag_id=flag_id))
        if settings.queue_channel_id is not None and action is not Action.NONE:
            actions.append(await outbox.enqueue("queue", {"channel_id": settings.queue_channel_id},
                                                guild_id=post.guild_id, flag_id=flag_id))
        if flag.category == Category.ABUSE:
            actions += await self._escalate(post.guild_id, str(post.author_id), flag_id, settings)
        return Outcome(verdict=verdict, flag_id=flag_id, actions=actions)

    async def _basis(self, case_id: int | None) -> dict[str, str]:
        if case_id is None:
            return {}
        return {p.label: p.basis for p in await self.store.cases.parties(case_id)}

    async def _escalate(self, guild_id: int, author_id: str, flag_id: int, settings: GuildSettings) -> list[int]:
        """The ladder: after N abuse flags (not dismissed) in the window, warn, then time out."""
        count = await self.store.flags.recent_by_author(
            guild_id, author_id, days=settings.escalation_window_days, category=str(Category.ABUSE),
            states=[str(FlagState.OPEN), str(FlagState.CONFIRMED), str(FlagState.ESCALATED)],
        )
        steps = [s for s in settings.escalation if s.after == count]
        actions = []
        for step in steps:
            if step.action == "warn":
                text = ("This is a warning from the moderators' bot: several of your recent messages were "
                        "flagged as abusive. Further abuse will lead to a timeout."
                        + (f" Server rules: {settings.rules_url}" if settings.rules_url else ""))
                actions.append(await self.store.outbox.enqueue(
                    "notify", {"user_id": int(author_id), "text": text}, guild_id=guild_id, flag_id=flag_id))
            else:
                actions.append(await self.store.outbox.enqueue(
                    "timeout", {"user_id": int(author_id), "minutes": step.minutes or 60,
                                "reason": f"Casewatch: {count} abuse flags"}, guild_id=guild_id, flag_id=flag_id))
            await self.store.audit.record(guild_id=guild_id, flag_id=flag_id, actor_id="casewatch",
                                          decision=f"escalation:{step.action}", note=f"after {count} flags")
        return actions

    # -- moderator decisions ---------------------------------------------------------------------
    async def decide(self, flag_id: int, decision: Decision | str, *, actor_id: str, guild_id: int,
                     content: str | None = None) -> DecisionResult:
        """Apply a moderator's decision: state change + audit row, then the actions it needs (stored).

        ``content``: the message's current text, when it is still up (for an allow-list entry of a flag
        that was only queued); a message that was taken down is read from its sealed copy instead.
        """
        decision = Decision(decision)
        flag = await self.store.flags.get(flag_id)
        if flag is None or flag.guild_id != guild_id:
            raise DecisionError("this flag no longer exists")
        outbox = self.store.outbox
        actions: list[int] = []
        taken_down = Action(flag.action).rank >= Action.HOLD.rank
        if decision is Decision.CONFIRM:
            if not taken_down and flag.message_id.startswith("title-"):
                actions.append(await outbox.enqueue(
                    "retitle", {"thread_id": flag.channel_id, "name": flag.excerpt[:100]},
                    guild_id=guild_id, flag_id=flag_id))
            elif not taken_down and flag.channel_id is not None:
                actions.append(await outbox.enqueue(
                    "delete", {"channel_id": flag.channel_id, "message_id": int(flag.message_id)},
                    guild_id=guild_id, flag_id=flag_id))
            before, after = await self.store.flags.transition(flag_id, FlagState.CONFIRMED, actor_id=actor_id,
                                                              decision="confirm")
            summary = "Removal confirmed."
        elif decision is Decision.RESTORE:
            held = await self.store.flags.held(flag_id)
            if held is None:
                raise DecisionError("only a held message can be restored, and only once")
            actions.append(await outbox.enqueue(
                "repost", {"channel_id": held.channel_id, "username": held.author_name,
                           "avatar_url": held.author_avatar, "sealed": held.original_sealed},
                guild_id=guild_id, flag_id=flag_id))
            before, after = await self.store.flags.transition(flag_id, FlagState.RESTORED, actor_id=actor_id,
                                                              decision="restore")
            summary = "Restored: the original is reposted under the author's name."
        elif decision in (Decision.DISMISS, Decision.ALLOW):
            held = await self.store.flags.held(flag_id) if flag.state is FlagState.OPEN else None
            note, summary = "", "Dismissed as a false positive."
            if decision is Decision.ALLOW:
                text = self.store.sealer.open(held.original_sealed) if held else content
                added = await self._allow(flag, text, actor_id) if text else 0
                note = f"{added} allow-list entr{'y' if added == 1 else 'ies'}"
                summary += f" Added {note} for this case." if added else " No registered match to allow-list."
            if held is not None:  # it was taken down wrongly: put it back
                actions.append(await outbox.enqueue(
                    "repost", {"channel_id": held.channel_id, "username": held.author_name,
                               "avatar_url": held.author_avatar, "sealed": held.original_sealed},
                    guild_id=guild_id, flag_id=flag_id))
                summary += " The message is reposted under the author's name."
            before, after = await self.store.flags.transition(flag_id, FlagState.DISMISSED, actor_id=actor_id,
                                                              decision=str(decision), note=note)
        elif decision is Decision.ESCALATE:
            before, after = await self.store.flags.transition(flag_id, FlagState.ESCALATED, actor_id=actor_id,
                                                              decision="escalate")
            summary = "Escalated."
        else:
            settings = await self.settings_for(guild_id)
            minutes = next((s.minutes for s in settings.escalation if s.action == "timeout" and s.minutes), 60)
            actions.append(await outbox.enqueue(
                "timeout", {"user_id": int(flag.author_id), "minutes": minutes,
                            "reason": "Casewatch: timed out by a moderator"}, guild_id=guild_id, flag_id=flag_id))
            before, after = await self.store.flags.transition(flag_id, flag.state, actor_id=actor_id,
                                                              decision="timeout", note=f"{minutes} minutes")
            summary = f"Author timed out for {minutes} minutes."
        if flag.queue_message_id is not None:
            actions.append(await outbox.enqueue("queue_update", {}, guild_id=guild_id, flag_id=flag_id))
        updated = await self.store.flags.get(flag_id)
        assert updated is not None
        return DecisionResult(updated, before, after, actions, summary)

    async def _allow(self, flag: FlagRow, text: str, actor_id: str) -> int:
        """Allow-list every registered match in ``text`` (in its context) for the flag's case."""
        if flag.case_id is None or flag.guild_id is None:
            return 0
        built = await self._engine_for(flag.case_id, flag.guild_id)
        digests = {m.digest for m in ProtectedMatcher(built.registry).find(text)}
        for digest in digests:
            await self.store.cases.allow(flag.case_id, digest, added_by=actor_id)
        self.invalidate(flag.case_id)
        return len(digests)

    # -- sources and summaries ------------------------------------------------------------------------
    async def _summary_parts(self, case: CaseRow) -> tuple[Any, Any]:
        """A name-free case file (labels only) and a redactor that matches the case's digests."""
        from bot.summary.safety import Redactor
        from bot.summary.service import case_for_summary

        built = await self._engine_for(case.case_id, case.guild_id or 0)
        case_file = case_for_summary(case.case_key, case.title, built.engine.labels)
        checker = IdentityEngine(built.registry, parties=built.engine.parties)  # a fresh one: no message memory
        return case_file, Redactor(case_file, checker)

    async def add_source(self, case: CaseRow, url: str, *, actor_id: str, timeout_s: float = 15.0,
                         max_bytes: int = 3_000_000, allow_private: bool = False) -> Any:
        """``/case source add``: fetch once, extract, redact, store; the cached summary is rebuilt next time."""
        from bot.summary.service import add_source_url

        _, redactor = await self._summary_parts(case)
        _, doc = await add_source_url(self.store, case.case_id, url, redactor, added_by=actor_id,
                                      timeout_s=timeout_s, max_bytes=max_bytes, allow_private=allow_private)
        return doc

    async def summary(self, case: CaseRow, *, refresh: bool = False,
                      opening_posts: Sequence[OpeningPost] = ()) -> tuple[Any, bool]:
        """The case's cited summary (cached per case) and whether it was rebuilt.

        ``opening_posts`` are sources too, cited as "Opening post, <thread title>, <date>, <link>". Each is
        redacted with the case's current registry at once and never stored; the summary's cache key
        covers its redacted text, so an edit or a newly registered name rebuilds the summary.
        """
        from bot.sources import opening_post_source
        from bot.summary.service import case_summary, redact_source

        case_file, redactor = await self._summary_parts(case)
        extra = []
        for post in opening_posts:
            try:
                doc = opening_post_source(post.content, title="Opening post", publisher=post.thread_title,
                                          posted=post.posted, url=post.url)
            except InputError:  # nothing to summarise in it (an image, a link)
                continue
            extra.append(redact_source(doc, redactor))
        return await case_summary(self.store, case.case_id, case_file, checker=redactor.checker,
                                  redactor=redactor, refresh=refresh, extra=extra)

    async def recent_flag_count(self, guild_id: int, author_id: str) -> int:
        settings = await self.settings_for(guild_id)
        return await self.store.flags.recent_by_author(guild_id, author_id, days=settings.recent_flag_days)


def utc_now() -> datetime:
    return datetime.now(UTC)
