"""Performing stored actions on Discord: each outbox item is run, then marked done (or failed, to retry).

discord.py already waits out a 429 and retries the request; whatever still fails (an outage, a long
rate limit, a crash mid-way) stays ``pending`` in the outbox and is retried by the sweeper.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.storage.repositories.outbox import OutboxItem
from cogs import _embeds, _views

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)

WEBHOOK_NAME = "Casewatch restore"


class RetryLater(Exception):
    """The action cannot run yet (the guild is not ready, a channel is missing); try again later."""


class ActionRunner:
    """Runs outbox items by kind. One item runs at most once at a time."""

    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot
        self._running: set[int] = set()
        self._lock = asyncio.Lock()

    @property
    def store(self) -> Any:
        assert self.bot.store is not None, "the store is opened in setup_hook"
        return self.bot.store

    async def run_many(self, action_ids: list[int]) -> None:
        """Run actions in the order they were stored (delete before notify before queue)."""
        for action_id in action_ids:
            await self.run(action_id)

    async def run_pending(self) -> int:
        """Retry every pending action; returns how many were done."""
        done = 0
        for item in await self.store.outbox.pending():
            done += await self.run(item.action_id)  # re-read: it may have been done since the listing
        return done

    async def run(self, action_id: int) -> bool:
        """Attempt one stored action if it is still pending; returns whether it is now done.

        The action is claimed before its status is read and released only after its new status is
        stored, so the sweeper and the live path never perform the same action twice.
        """
        if action_id in self._running:
            return False
        self._running.add(action_id)
        try:
            item = await self.store.outbox.get(action_id)
            if item is None or item.status != "pending":
                return False
            return await self._attempt(item)
        finally:
            self._running.discard(action_id)

    async def _attempt(self, item: OutboxItem) -> bool:
        try:
            handler = getattr(self, f"_do_{item.kind}", None)
            if handler is None:
                await self.store.outbox.mark_attempt_failed(item.action_id, f"unknown kind {item.kind}",
                                                            give_up=True)
                return False
            await handler(item)
            await self.store.outbox.mark_done(item.action_id)
            return True
        except discord.Forbidden as exc:
            log.warning("action %s (%s) is not permitted: %s", item.action_id, item.kind, exc.text)
            await self.store.outbox.mark_attempt_failed(item.action_id, f"forbidden: {exc.text}", give_up=True)
            return False
        except (TimeoutError, discord.HTTPException, discord.RateLimited, RetryLater, OSError) as exc:
            log.warning("action %s (%s) failed, will retry: %s", item.action_id, item.kind, type(exc).__name__)
            await self.store.outbox.mark_attempt_failed(item.action_id, type(exc).__name__)
            return False
        except Exception as exc:  # a bug or bad payload: counted, so it ends as 'failed' instead of looping
            log.error("action %s (%s) raised %s", item.action_id, item.kind, type(exc).__name__, exc_info=exc)
            await self.store.outbox.mark_attempt_failed(item.action_id, type(exc).__name__)
            return False

    # -- handlers, one per kind --------------------------------------------------------------------
    async def _do_delete(self, item: OutboxItem) -> None:
        p = item.payload
        channel = self.bot.get_partial_messageable(int(p["channel_id"]), guild_id=item.guild_id)
        with contextlib.suppress(discord.NotFound):  # already gone: the goal is met
            await channel.get_partial_message(int(p["message_id"])).delete()

    async def _do_notify(self, item: OutboxItem) -> None:
        user_id = int(item.payload["user_id"])
        user = self.bot.get_user(user_id) or await self.bot.fetch_user(user_id)
        try:
            await user.send(item.payload["text"], allowed_mentions=discord.AllowedMentions.none())
        except discord.Forbidden:
            log.info("author %s does not accept DMs; notice not delivered", user_id)

    async def _do_queue(self, item: OutboxItem) -> None:
        assert item.flag_id is not None
        flag = await self.store.flags.get(item.flag_id)
        if flag is None:
            return
        channel = self.bot.get_partial_messageable(int(item.payload["channel_id"]), guild_id=item.guild_id)
        count = await self.bot.moderation.recent_flag_count(flag.guild_id, flag.author_id)  # type: ignore[union-attr]
        sent = await channel.send(embed=_embeds.flag_embed(flag, recent_flags=count),
                                  view=_views.review_view(flag))
        await self.store.flags.set_queue_message(flag.flag_id, channel.id, sent.id)

    async def _do_queue_update(self, item: OutboxItem) -> None:
        assert item.flag_id is not None
        flag = await self.store.flags.get(item.flag_id)
        if flag is None or flag.queue_message_id is None or flag.queue_channel_id is None:
            return
        channel = self.bot.get_partial_messageable(flag.queue_channel_id, guild_id=item.guild_id)
        count = await self.bot.moderation.recent_flag_count(flag.guild_id, flag.author_id)  # type: ignore[union-attr]
        audit = await self.store.audit.for_flag(flag.flag_id)
        await channel.get_partial_message(flag.queue_message_id).edit(
            embed=_embeds.flag_embed(flag, recent_flags=count, audit=audit), view=_views.review_view(flag))

    async def _do_retitle(self, item: OutboxItem) -> None:
        thread = self.bot.get_channel(int(item.payload["thread_id"]))
        if thread is None:
            thread = await self.bot.fetch_channel(int(item.payload["thread_id"]))
        if isinstance(thread, discord.Thread):
            await thread.edit(name=item.payload["name"] or "(title removed by moderators)")

    async def _do_timeout(self, item: OutboxItem) -> None:
        assert item.guild_id is not None
        guild = self.bot.get_guild(item.guild_id)
        if guild is None:
            raise RetryLater("guild not available yet")
        user_id = int(item.payload["user_id"])
        member = guild.get_member(user_id) or await guild.fetch_member(user_id)
        await member.timeout(timedelta(minutes=int(item.payload["minutes"])), reason=item.payload.get("reason"))

    async def _do_repost(self, item: OutboxItem) -> None:
        """Restore a held message: repost the original through a webhook under the author's name."""
        p = item.payload
        content = self.store.sealer.open(p["sealed"])
        channel = self.bot.get_channel(int(p["channel_id"])) or await self.bot.fetch_channel(int(p["channel_id"]))
        target = channel
        if isinstance(channel, discord.Thread):
            target = channel.parent or await self.bot.fetch_channel(channel.parent_id)
        if not isinstance(target, discord.TextChannel | discord.ForumChannel):
            raise RetryLater("no channel to repost in")
        webhook = await self._webhook(target)
        username, avatar = str(p.get("username") or "member"), p.get("avatar_url") or None
        none = discord.AllowedMentions.none()
        if isinstance(channel, discord.Thread):
            await webhook.send(content, username=username, avatar_url=avatar, thread=channel, allowed_mentions=none,
                               wait=True)
        else:
            await webhook.send(content, username=username, avatar_url=avatar, allowed_mentions=none, wait=True)

    async def _webhook(self, channel: discord.TextChannel | discord.ForumChannel) -> discord.Webhook:
        async with self._lock:
            for hook in await channel.webhooks():
                if hook.name == WEBHOOK_NAME and hook.token:
                    return hook
            return await channel.create_webhook(name=WEBHOOK_NAME, reason="Casewatch restores held messages")
