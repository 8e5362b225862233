"""Watching forum threads: new posts, messages, edits and title changes go to the engine; actions
decided for identity flags run at once, abuse scoring runs beside them and never delays them.

On ready (start-up, or a fresh gateway session after an outage) the cog catches up: for every active
thread of a watched forum that is linked to a case, it reads the history after the thread's cursor (the
newest message checked) and sends each message down the same path as ``on_message``, as a *replay* that
raises no second alert for a message flagged before. Messages edited while the bot was away are found
among the latest messages before the cursor. A thread opened while the bot was away (newer than any
cursor of its server) is opened as a case and read from its first message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.flags import Attachment
from bot.images import image_attachments
from bot.posts import Outcome, Post
from bot.services import Services
from cogs._services import services_of

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)

#: At most this many messages per thread are read back after downtime (oldest first).
CATCH_UP_LIMIT = 200
#: How many of the latest messages before the cursor are looked at for edits made during downtime.
CATCH_UP_EDIT_WINDOW = 50


@dataclass(slots=True)
class CatchUp:
    """What a catch-up pass did (logged, and returned for tests)."""

    threads: int = 0
    messages: int = 0
    flagged: int = 0
    roles: dict[int, tuple[int, ...]] = field(default_factory=dict)  # member roles fetched in this pass


def post_from_message(message: discord.Message, *, is_edit: bool = False) -> Post | None:
    """The engine's view of a guild thread message; ``None`` for bots, webhooks, DMs and non-threads."""
    if message.guild is None or message.webhook_id is not None or message.author.bot:
        return None
    channel = message.channel
    if not isinstance(channel, discord.Thread):
        return None
    author = message.author
    roles = tuple(r.id for r in author.roles) if isinstance(author, discord.Member) else ()
    return Post(
        guild_id=message.guild.id,
        thread_id=channel.id,
        forum_id=channel.parent_id,
        message_id=message.id,
        author_id=author.id,
        author_name=author.display_name,
        author_avatar=author.display_avatar.url,
        content=message.content,
        timestamp=message.created_at.isoformat(),
        role_ids=roles,
        attachments=tuple(Attachment(a.filename, a.content_type or "", a.size, url=a.url) for a in message.attachments),
        reply_to=message.reference.message_id if message.reference else None,
        is_edit=is_edit,
    )


def post_from_thread(thread: discord.Thread, *, is_edit: bool = False) -> Post:
    """A thread's title as a post by the thread's owner."""
    owner = thread.owner
    return Post(
        guild_id=thread.guild.id,
        thread_id=thread.id,
        forum_id=thread.parent_id,
        message_id=thread.id,
        author_id=thread.owner_id or 0,
        author_name=owner.display_name if owner else "thread owner",
        content=thread.name,
        role_ids=tuple(r.id for r in owner.roles) if owner else (),
        is_title=True,
        is_edit=is_edit,
    )


async def member_roles(guild: discord.Guild, user_id: int, cache: dict[int, tuple[int, ...]] | None = None,
                       ) -> tuple[int, ...]:
    """A member's role ids from the member cache, or from Discord on a miss (``cache`` keeps fetched ones).

    REST history carries no ``member`` (only gateway events do), and without the privileged members intent
    the cache holds few members; a member who has left has no roles. If Discord cannot say, the message
    is checked as a member's without roles (fail closed: an exempt member's post is checked, never the
    reverse).
    """
    member = guild.get_member(user_id)
    if member is not None:
        return tuple(r.id for r in member.roles)
    if cache is not None and user_id in cache:
        return cache[user_id]
    try:
        roles = tuple(r.id for r in (await guild.fetch_member(user_id)).roles)
    except discord.NotFound:
        roles = ()
    except discord.HTTPException as exc:
        log.warning("could not read a member's roles (HTTP %s); checking their post as a member without roles",
                    exc.status)
        return ()
    if cache is not None:
        cache[user_id] = roles
    return roles


class Watch(commands.Cog):
    """Listeners for the forum channels each guild has configured with ``/settings forum``."""

    def __init__(self, bot: CasewatchBot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self._catch_up_lock = asyncio.Lock()

    # -- catching up after downtime ----------------------------------------------------------------
    @commands.Cog.listener()
    async def on_ready(self) -> None:
        await self._track(self.catch_up())

    async def catch_up(self) -> CatchUp:
        """Check what was posted, edited or opened in watched forums while the bot was not listening."""
        done = CatchUp()
        async with self._catch_up_lock:  # a second on_ready waits for the first pass, then finds little
            for guild in list(self.bot.guilds):
                try:
                    await self._catch_up_guild(guild, done)
                except discord.HTTPException as exc:
                    log.warning("catch-up in guild %s stopped: HTTP %s", guild.id, exc.status)
        if done.threads:
            log.info("caught up on %d thread(s): %d message(s) checked, %d flagged", done.threads,
                     done.messages, done.flagged)
        return done

    async def _catch_up_guild(self, guild: discord.Guild, done: CatchUp) -> None:
        settings = await self.services.settings.get(guild.id)
        if not settings.watched_forum_ids:
            return
        cursors = await self.services.cursors.for_guild(guild.id)
        newest = max((c for c in cursors.values() if c), default=None)  # when the bot last checked anything
        for thread in list(guild.threads):
            if self.bot.closing:
                return
            if thread.parent_id not in settings.watched_forum_ids or thread.archived:
                continue
            if thread.id in cursors:
                cursor = cursors[thread.id]
            elif newest is not None and thread.id > newest:  # opened while the bot was away
                cursor = None
                await self.services.cases.open_case(guild.id, thread.parent_id, thread.id, thread.name)
                await self.handle(await self._title(thread, roles=done.roles))
            else:
                continue
            done.threads += 1
            await self._catch_up_thread(thread, cursor, done)

    async def _catch_up_thread(self, thread: discord.Thread, cursor: int | None, done: CatchUp) -> None:
        """Replay the thread's messages after ``cursor`` (all from its first when ``None``), then edits."""
        if cursor is not None:
            title = await self._title(thread, is_edit=True, roles=done.roles)
            title.replay = True
            await self.handle(title)  # renamed while the bot was away
        after = discord.Object(id=cursor if cursor is not None else thread.id - 1)
        async for message in thread.history(limit=CATCH_UP_LIMIT, after=after, oldest_first=True):
            await self._replay(message, done)
        if cursor is None:
            return
        since = discord.utils.snowflake_time(cursor)
        async for message in thread.history(limit=CATCH_UP_EDIT_WINDOW, before=discord.Object(id=cursor + 1)):
            if message.edited_at is not None and message.edited_at > since:
                await self._replay(message, done, is_edit=True)

    async def _replay(self, message: discord.Message, done: CatchUp, *, is_edit: bool = False) -> None:
        post = post_from_message(message, is_edit=is_edit or message.edited_at is not None)
        if post is None or self.bot.closing:
            return
        post.replay = True
        if not isinstance(message.author, discord.Member) and message.guild is not None:
            post.role_ids = await member_roles(message.guild, message.author.id, done.roles)
        outcome = await self._on_message(message, post)
        done.messages += 1
        done.flagged += bool(outcome is not None and outcome.flag_id and not outcome.skipped)

    async def _title(self, thread: discord.Thread, *, is_edit: bool = False,
                     roles: dict[int, tuple[int, ...]] | None = None) -> Post:
        """The thread's title as a post, with its owner's roles even when the owner is not cached."""
        post = post_from_thread(thread, is_edit=is_edit)
        if thread.owner is None and thread.owner_id:
            post.role_ids = await member_roles(thread.guild, thread.owner_id, roles)
        return post

    async def handle(self, post: Post) -> Outcome:
        """Check ``post``; run its identity actions now; score abuse in the background."""
        outcome = await self.services.checks.check(post)
        self.bot.dispatch("casewatch_checked", post, outcome)
        if outcome.skipped and not outcome.flag_id:
            return outcome
        if self.services.checks.abuse is not None and not post.is_title:
            self.bot.spawn(self._abuse(post, outcome), name=f"abuse-{post.message_id}")
        if not post.is_title and image_attachments(post.attachments) and self.services.checks.images is not None:
            self.bot.spawn(self._images(post, outcome), name=f"images-{post.message_id}")
        if outcome.actions:
            await self.bot.actions.run_many(outcome.actions)
        return outcome

    async def _abuse(self, post: Post, identity: Outcome) -> None:
        outcome = await self.services.checks.check_abuse(post, identity.verdict)
        if outcome.actions:
            await self.bot.actions.run_many(outcome.actions)

    async def _images(self, post: Post, identity: Outcome) -> None:
        """Read the post's images in the worker pool (bot.images); act on what they show."""
        outcome = await self.services.checks.check_images(post, identity.verdict)
        if outcome.actions:
            await self.bot.actions.run_many(outcome.actions)

    async def _watched(self, guild_id: int, forum_id: int | None) -> bool:
        return not self.bot.closing and await self.services.settings.watches(guild_id, forum_id)

    async def _track(self, coro: Coroutine[Any, Any, Any]) -> None:
        """Run a listener's work as a tracked task, so that shutdown waits for it to finish."""
        if self.bot.closing:
            coro.close()
            return
        await self.bot.spawn(coro)

    @commands.Cog.listener()
    async def on_message(self, message: discord.Message) -> None:
        if (post := post_from_message(message)) is not None:
            await self._track(self._on_message(message, post))

    async def _on_message(self, message: discord.Message, post: Post) -> Outcome | None:
        if not await self._watched(post.guild_id, post.forum_id):
            return None
        if isinstance(message.channel, discord.Thread) and message.id == message.channel.id:
            # the opening message of a forum post: make sure the post has its case
            await self.services.cases.open_case(post.guild_id, post.forum_id, post.thread_id, message.channel.name)
        return await self.handle(post)

    @commands.Cog.listener()
    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if "content" not in payload.data:  # an embed unfurl, not an edit of the text
            return
        if (post := post_from_message(payload.message, is_edit=True)) is not None:
            await self._track(self._on_edit(post))

    async def _on_edit(self, post: Post) -> None:
        if await self._watched(post.guild_id, post.forum_id):
            await self.handle(post)

    @commands.Cog.listener()
    async def on_thread_create(self, thread: discord.Thread) -> None:
        await self._track(self._on_thread_create(thread))

    async def _on_thread_create(self, thread: discord.Thread) -> None:
        if not await self._watched(thread.guild.id, thread.parent_id):
            return
        await self.services.cases.open_case(thread.guild.id, thread.parent_id, thread.id, thread.name)
        await self.handle(await self._title(thread))

    async def cog_load(self) -> None:
        self.services.cases.add_registration_listener(self._recheck_titles)

    async def cog_unload(self) -> None:
        self.services.cases.remove_registration_listener(self._recheck_titles)

    async def _recheck_titles(self, case_id: int) -> None:
        """A party was registered: the case's posts' current titles are checked again (retitled if named)."""
        for thread_id in await self.services.cases.threads(case_id):
            thread = self.bot.get_channel(thread_id)
            if isinstance(thread, discord.Thread):
                await self._track(self._on_thread_rename(thread))

    @commands.Cog.listener()
    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        if before.name != after.name:
            await self._track(self._on_thread_rename(after))

    async def _on_thread_rename(self, thread: discord.Thread) -> None:
        if await self._watched(thread.guild.id, thread.parent_id):
            await self.handle(await self._title(thread, is_edit=True))


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Watch(bot, services_of(bot)))
