"""The per-message path, end to end: post → context → detectors → policy → the stored flag and its actions.

1. **Post**: the Discord side hands over a :class:`~bot.posts.Post` (a message, an edit, a title, a replay).
2. **Context**: the guild's settings (watched forum? exempt role?), the thread's case, its engine and the
   thread's recent messages.
3. **Detectors and policy**: the case's identity engine (registered parties, identifying details, jigsaw)
   decides a :class:`~bot.flags.Verdict`; abuse is scored beside it (batched) and joins here too.
4. **Flag and actions**: the flag and ALL its actions (delete or retitle, the author's notice, the queue
   post, escalation steps) are stored in one transaction, before anything is attempted. The cogs then run
   the actions in order; a crash at any point leaves them pending for the sweeper, never lost.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bot import action_plan
from bot.abuse.invitation import with_invitation
from bot.abuse.labels import AbuseThresholds
from bot.case_engines import CaseEngines
from bot.cases_service import CaseService
from bot.cursors import ThreadCursors
from bot.flags import Action, Category, Flag, Verdict
from bot.guild_config import GuildConfig, is_exempt
from bot.guild_settings import GuildSettings
from bot.images import image_abuse_flags, image_flags
from bot.images.restore import held_attachments, stripped_copies
from bot.images.step import ImageStep
from bot.posts import Outcome, Post
from bot.protected_text import label_protected
from bot.storage import FlagState, HeldMessage, Store
from bot.storage.repositories.flags import FlagRow, verdict_signature

ACTIVE = [str(FlagState.OPEN), str(FlagState.CONFIRMED), str(FlagState.ESCALATED)]


class Pipeline:
    """``check`` (identity), ``check_abuse`` and ``check_images``; all end in :meth:`_record`."""

    def __init__(self, store: Store, config: GuildConfig, cases: CaseService, engines: CaseEngines,
                 cursors: ThreadCursors, *, abuse: Any = None, images: ImageStep | None = None) -> None:
        self.store, self.config, self.cases, self.engines, self.cursors = store, config, cases, engines, cursors
        self.abuse = abuse  # anything with ``async detect(text, thresholds) -> list[Flag]``
        self.images = images  # reads attached images off the event loop (bot.images)
        # a live post and its catch-up replay never both store a flag: one lock per message (not one for all,
        # which would make every flag of the process wait for every other one's database round trips)
        self._recording: dict[str, list[Any]] = {}  # message key -> [lock, holders and waiters]

    async def check(self, post: Post) -> Outcome:
        """Run the identity detectors on ``post``; store its flag and actions (not yet run)."""
        settings = await self.config.get(post.guild_id)
        if post.forum_id is None or post.forum_id not in settings.watched_forum_ids:
            return Outcome(skipped="not in a watched forum")
        if is_exempt(settings, post.role_ids):
            outcome = Outcome(skipped="exempt role")
        else:
            case_id = await self.cases.case_id_for(post.guild_id, post.forum_id, post.thread_id,
                                                   title=post.content if post.is_title else "")
            assert case_id is not None  # created when missing
            built = await self.engines.get(case_id, post.guild_id)
            message = post.to_message()
            verdict = built.engine.check(message, built.history.recent(message))
            built.history.add(message)
            outcome = await self._record(post, verdict, case_id, settings) if verdict.flags else Outcome(verdict)
        if not post.is_title:  # only once its flag and actions are stored
            self.cursors.advance(post.thread_id, post.message_id)
        return outcome

    async def check_abuse(self, post: Post, identity: Verdict | None) -> Outcome:
        """Score ``post`` for abuse (batched, off the identity path); its flag joins through :meth:`_record`."""
        if self.abuse is None or post.is_title:
            return Outcome(skipped="no abuse scorer")
        settings = await self.config.get(post.guild_id)
        thresholds = AbuseThresholds.from_dict(settings.abuse_thresholds) if settings.abuse_thresholds else None
        found: list[Flag] = await self.abuse.detect(post.content, thresholds)
        found = with_invitation(post.content, identity.flags if identity is not None else (), found)
        if not found:
            return Outcome(verdict=identity)
        case_id = await self.cases.case_id_for(post.guild_id, post.forum_id, post.thread_id, create=False)
        message = post.to_message()
        if case_id is not None:
            verdict = (await self.engines.get(case_id, post.guild_id)).engine.finalize(Verdict(message=message), found)
        else:
            verdict = Verdict(message=message, flags=found, action=Action.strongest([f.suggested for f in found]))
        already_down = identity is not None and identity.action.rank >= Action.HOLD.rank
        return await self._record(post, verdict, case_id, settings, already_down=already_down)

    async def check_images(self, post: Post, identity: Verdict | None) -> Outcome:
        """Read the post's images (text, EXIF) and record what they add to its text's verdict (``identity``).

        Runs after the text's own flag is stored and acted on, so a slow image never delays it.
        """
        if self.images is None or post.is_title or not self.images.wants(post.attachments):
            return Outcome(skipped="no images to read")
        settings = await self.config.get(post.guild_id)
        if not settings.images or is_exempt(settings, post.role_ids):
            return Outcome(skipped="images are not read here")
        case_id = await self.cases.case_id_for(post.guild_id, post.forum_id, post.thread_id, create=False)
        if case_id is None:
            return Outcome(skipped="no case")
        built = await self.engines.get(case_id, post.guild_id)
        message = post.to_message()
        results = await self.images.read(post.attachments)
        text_flags = identity.flags if identity is not None else built.engine.check(message).flags
        found = image_flags(built.engine, message, results, text_flags=text_flags,
                            history=built.history.recent(message))
        thresholds = AbuseThresholds.from_dict(settings.abuse_thresholds) if settings.abuse_thresholds else None
        found += await image_abuse_flags(self.abuse, results, thresholds, at=len(post.content))
        if not found:
            return Outcome(verdict=identity)
        verdict = built.engine.finalize(Verdict(message=message), found)
        verdict.excerpt = built.engine.excerpt(post.content, [*text_flags, *found])  # the text's own matches hidden
        already_down = identity is not None and identity.action.rank >= Action.HOLD.rank
        copies = await stripped_copies(self.images.reader, results) if verdict.action.rank >= Action.HOLD.rank else {}
        return await self._record(post, verdict, case_id, settings, already_down=already_down, copies=copies)

    async def _record(self, post: Post, verdict: Verdict, case_id: int | None, settings: GuildSettings,
                      *, already_down: bool = False, copies: dict[int, tuple[bytes, str]] | None = None) -> Outcome:
        entry = self._recording.setdefault(post.key, [asyncio.Lock(), 0])
        entry[1] += 1  # callers holding or waiting for this message's lock
        try:
            async with entry[0]:
                return await self._record_once(post, verdict, case_id, settings, already_down=already_down,
                                               copies=copies)
        finally:
            entry[1] -= 1
            if not entry[1]:
                del self._recording[post.key]

    async def _record_once(self, post: Post, verdict: Verdict, case_id: int | None, settings: GuildSettings,
                           *, already_down: bool = False,
                           copies: dict[int, tuple[bytes, str]] | None = None) -> Outcome:
        found = set(verdict_signature(verdict).split("|"))  # no second alert for what was flagged before...
        for earlier in reversed(await self.store.flags.for_message(post.key)):
            if found <= set(earlier.signature.split("|")):  # ...but its actions, if they went missing
                return Outcome(verdict=verdict, flag_id=earlier.flag_id, skipped="repeats an earlier flag",
                               actions=await self.restore_actions(earlier))
        return await self._store_flag(post, verdict, case_id, settings, already_down=already_down, copies=copies)

    async def _store_flag(self, post: Post, verdict: Verdict, case_id: int | None, settings: GuildSettings,
                          *, already_down: bool, copies: dict[int, tuple[bytes, str]] | None = None) -> Outcome:
        author_name = await self.safe_author_name(post, case_id)
        flag = self.store.flags.draft(verdict, guild_id=post.guild_id, case_id=case_id, channel_id=post.thread_id,
                                      author_id=str(post.author_id), author_name=author_name)
        held = None
        if verdict.action.rank >= Action.HOLD.rank and not post.is_title:  # sealed: a moderator may restore it
            held = HeldMessage(
                flag_id=flag.flag_id, channel_id=post.thread_id, author_name=author_name,
                author_avatar=post.author_avatar, original_sealed=self.store.sealer.seal(post.content),
                redacted=verdict.excerpt,
                attachments=held_attachments(post.attachments, copies or {}, self.store.sealer.seal))
        plan = action_plan.for_flag(flag, settings, basis=await self.cases.basis(case_id), already_down=already_down)
        audits = []
        if flag.category == Category.ABUSE:  # the ladder counts this flag too
            count = 1 + await self.store.flags.recent_by_author(
                post.guild_id, flag.author_id, days=settings.escalation_window_days, category=flag.category,
                states=ACTIVE)
            for step, planned in action_plan.escalation(settings, flag.author_id, count):
                plan.append(planned)
                audits.append((f"escalation:{step.action}", f"after {count} flags"))
        actions = await self.store.flags.store(flag, held=held, actions=plan, audits=audits)
        return Outcome(verdict=verdict, flag_id=flag.flag_id, actions=actions)

    async def safe_author_name(self, post: Post, case_id: int | None) -> str:
        """The poster's display name as it may be stored and shown: a registered name in it becomes the label."""
        if case_id is None or not post.author_name:
            return post.author_name
        registry = (await self.engines.get(case_id, post.guild_id)).registry
        return label_protected(post.author_name, registry)

    async def restore_actions(self, flag: FlagRow) -> list[int]:
        """Plan and store the actions of an open flag that has none (lost by a crash before they were stored
        with their flag); returns the new action ids, or ``[]`` when it has some already."""
        guild_id = flag.guild_id
        if flag.state is not FlagState.OPEN or guild_id is None or await self.store.outbox.for_flag(flag.flag_id):
            return []
        flag = await self.store.flags.get(flag.flag_id) or flag  # with its findings, for the notice
        settings = await self.config.get(guild_id)
        others = [f for f in await self.store.flags.for_message(flag.message_id) if f.flag_id != flag.flag_id]
        down = any(Action(f.action).rank >= Action.HOLD.rank and f.flag_id < flag.flag_id for f in others)
        plan = action_plan.for_flag(flag, settings, basis=await self.cases.basis(flag.case_id), already_down=down)
        return await self.store.outbox.add_if_none(flag.flag_id, guild_id, plan)

    async def restore_missing_actions(self) -> list[int]:
        """The sweeper's pass: recreate the actions of every recent open flag that has none."""
        return [a for flag in await self.store.flags.without_actions() for a in await self.restore_actions(flag)]
