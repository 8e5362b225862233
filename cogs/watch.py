"""Watching forum threads: new posts, messages, edits and title changes go to the engine; actions
decided for identity flags run at once, abuse scoring runs beside them and never delays them."""

from __future__ import annotations

import logging
from collections.abc import Coroutine
from typing import TYPE_CHECKING, Any

import discord
from discord.ext import commands

from bot.flags import Attachment
from bot.moderation import Moderation, Outcome, Post

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)


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
        attachments=tuple(Attachment(a.filename, a.content_type or "", a.size) for a in message.attachments),
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


class Watch(commands.Cog):
    """Listeners for the forum channels each guild has configured with ``/settings forum``."""

    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot

    @property
    def moderation(self) -> Moderation:
        assert self.bot.moderation is not None
        return self.bot.moderation

    async def handle(self, post: Post) -> Outcome:
        """Check ``post``; run its identity actions now; score abuse in the background."""
        outcome = await self.moderation.check(post)
        self.bot.dispatch("casewatch_checked", post, outcome)
        if outcome.skipped and not outcome.flag_id:
            return outcome
        if self.moderation.abuse is not None and not post.is_title:
            self.bot.spawn(self._abuse(post, outcome), name=f"abuse-{post.message_id}")
        if outcome.actions:
            await self.bot.actions.run_many(outcome.actions)
        return outcome

    async def _abuse(self, post: Post, identity: Outcome) -> None:
        outcome = await self.moderation.check_abuse(post, identity.verdict)
        if outcome.actions:
            await self.bot.actions.run_many(outcome.actions)

    async def _watched(self, guild_id: int, forum_id: int | None) -> bool:
        return not self.bot.closing and await self.moderation.watches(guild_id, forum_id)

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

    async def _on_message(self, message: discord.Message, post: Post) -> None:
        if not await self._watched(post.guild_id, post.forum_id):
            return
        if isinstance(message.channel, discord.Thread) and message.id == message.channel.id:
            # the opening message of a forum post: make sure the post has its case
            await self.moderation.open_case(post.guild_id, post.forum_id, post.thread_id, message.channel.name)
        await self.handle(post)

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
        await self.moderation.open_case(thread.guild.id, thread.parent_id, thread.id, thread.name)
        await self.handle(post_from_thread(thread))

    @commands.Cog.listener()
    async def on_thread_update(self, before: discord.Thread, after: discord.Thread) -> None:
        if before.name != after.name:
            await self._track(self._on_thread_rename(after))

    async def _on_thread_rename(self, thread: discord.Thread) -> None:
        if await self._watched(thread.guild.id, thread.parent_id):
            await self.handle(post_from_thread(thread, is_edit=True))


async def setup(bot: CasewatchBot) -> None:
    await bot.add_cog(Watch(bot))
