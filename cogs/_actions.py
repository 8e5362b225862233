"""Performing stored actions on Discord: each outbox item is claimed, run, then marked done (or failed).

discord.py already waits out a 429 and retries the request; whatever still fails (an outage, a long
rate limit, a crash mid-way) stays ``pending`` in the outbox and is retried by the sweeper. Actions of
one flag run in order (the engine's :class:`bot.outbox.Outbox` refuses to claim one while an earlier one
is pending). Every message sent carries the action's ``nonce`` with ``enforce_nonce`` (discord.py sets it
whenever a nonce is given), so a resend after a crash returns the message Discord already created; a
webhook repost, which Discord gives no nonce, first looks for itself among the thread's recent messages.
A delete that answers 404 is done: the goal is met.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import discord

from bot.discord_limits import split_content
from bot.images.restore import restored_files
from bot.outbox import Outbox
from bot.services import Services
from bot.storage.repositories.outbox import OutboxItem
from cogs import _embeds, _views

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)

WEBHOOK_NAME = "Casewatch restore"
#: How many of a thread's latest messages a repost looks through for itself before it is sent again.
REPOST_LOOKBACK = 50


class RetryLater(Exception):
    """The action cannot run yet (the guild is not ready, a channel is missing); try again later."""


class ActionRunner:
    """Runs outbox items by kind, in their flag's order; one item runs at most once at a time."""

    def __init__(self, bot: CasewatchBot) -> None:
        self.bot = bot
        self._lock = asyncio.Lock()

    @property
    def services(self) -> Services:
        services = self.bot.services
        assert services is not None, "the services are built in setup_hook"
        return services

    @property
    def outbox(self) -> Outbox:
        return self.services.outbox

    async def run_many(self, action_ids: list[int]) -> None:
        """Run actions in the order they were stored (delete before notify before queue)."""
        for action_id in action_ids:
            await self.run(action_id)

    async def run_pending(self) -> int:
        """Run every pending action that may run, flag by flag in order; returns how many were done."""
        done, tried = 0, set[int]()
        while ids := [i for i in await self.outbox.runnable() if i not in tried]:
            for action_id in ids:  # one pass each: a failure waits for the next sweep, its successors too
                tried.add(action_id)
                done += await self.run(action_id)
        return done

    async def sweep(self) -> int:
        """Recreate the actions of flags that have none, then run what is pending."""
        restored = await self.services.checks.restore_missing_actions()
        if restored:
            log.warning("recreated %d action(s) of flags stored without them", len(restored))
        return await self.run_pending()

    async def run(self, action_id: int) -> bool:
        """Attempt one stored action if it may run now; returns whether it is now done."""
        item = await self.outbox.claim(action_id)
        if item is None:
            return False
        return await self._attempt(item)

    async def _attempt(self, item: OutboxItem) -> bool:
        outbox = self.outbox
        try:
            handler = getattr(self, f"_do_{item.kind}", None)
            if handler is None:
                await outbox.mark_failed(item, f"unknown kind {item.kind}", give_up=True)
                return False
            await handler(item)
        except discord.Forbidden as exc:
            log.warning("action %s (%s) is not permitted: %s", item.action_id, item.kind, exc.text)
            await outbox.mark_failed(item, f"forbidden: {exc.text}", give_up=True)
            return False
        except (TimeoutError, discord.HTTPException, discord.RateLimited, RetryLater, OSError) as exc:
            log.warning("action %s (%s) failed, will retry: %s", item.action_id, item.kind, type(exc).__name__)
            await outbox.mark_failed(item, type(exc).__name__)
            return False
        except Exception as exc:  # a bug or bad payload: counted, so it ends as 'failed' instead of looping
            log.error("action %s (%s) raised %s", item.action_id, item.kind, type(exc).__name__, exc_info=exc)
            await outbox.mark_failed(item, type(exc).__name__)
            return False
        except BaseException:
            outbox.release(item)
            raise
        await outbox.mark_done(item)
        return True

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
            await user.send(item.payload["text"], allowed_mentions=discord.AllowedMentions.none(),
                            nonce=Outbox.nonce(item))
        except discord.Forbidden:
            log.info("author %s does not accept DMs; notice not delivered", user_id)

    async def _do_queue(self, item: OutboxItem) -> None:
        assert item.flag_id is not None
        decisions = self.services.decisions
        flag = await decisions.get(item.flag_id)
        if flag is None:
            return
        channel = self.bot.get_partial_messageable(int(item.payload["channel_id"]), guild_id=item.guild_id)
        count = await decisions.recent_flag_count(flag.guild_id, flag.author_id)
        sent = await channel.send(embed=_embeds.flag_embed(flag, recent_flags=count),
                                  view=_views.review_view(flag), nonce=Outbox.nonce(item))
        await decisions.record_queue_post(flag.flag_id, channel.id, sent.id)

    async def _do_queue_update(self, item: OutboxItem) -> None:
        assert item.flag_id is not None
        decisions = self.services.decisions
        flag = await decisions.get(item.flag_id)
        if flag is None or flag.queue_message_id is None or flag.queue_channel_id is None:
            return
        channel = self.bot.get_partial_messageable(flag.queue_channel_id, guild_id=item.guild_id)
        count = await decisions.recent_flag_count(flag.guild_id, flag.author_id)
        audit = await decisions.audit(flag.flag_id)
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
        content = self.outbox.unseal(p["sealed"])
        channel = self.bot.get_channel(int(p["channel_id"])) or await self.bot.fetch_channel(int(p["channel_id"]))
        target = channel
        if isinstance(channel, discord.Thread):
            target = channel.parent or await self.bot.fetch_channel(channel.parent_id)
        if not isinstance(target, discord.TextChannel | discord.ForumChannel):
            raise RetryLater("no channel to repost in")
        webhook = await self._webhook(target)
        username, avatar = str(p.get("username") or "member"), p.get("avatar_url") or None
        none = discord.AllowedMentions.none()
        # a Nitro member's message may be 4,000 characters: it comes back in parts within Discord's 2,000;
        # each part is looked for first (a crash may have cut an earlier attempt short), files go with the last
        parts = split_content(content)
        for i, part in enumerate(parts):
            if await self._already_reposted(channel, webhook, part):
                continue
            # images come back as the copies stripped of EXIF when the message was held, never the original file
            files = [discord.File(io.BytesIO(data), filename=name)
                     for name, data in restored_files(p.get("files") or [], self.outbox.unseal)
                     ] if i == len(parts) - 1 else []
            if isinstance(channel, discord.Thread):
                await webhook.send(part, username=username, avatar_url=avatar, thread=channel,
                                   allowed_mentions=none, wait=True, files=files)
            else:
                await webhook.send(part, username=username, avatar_url=avatar, allowed_mentions=none, wait=True,
                                   files=files)

    @staticmethod
    async def _already_reposted(channel: Any, webhook: discord.Webhook, content: str) -> bool:
        """Whether an earlier attempt (cut short by a crash) already reposted ``content`` through ``webhook``."""
        if not isinstance(channel, discord.Thread | discord.TextChannel):
            return False
        async for message in channel.history(limit=REPOST_LOOKBACK):
            if message.webhook_id == webhook.id and message.content == content:
                return True
        return False

    async def _webhook(self, channel: discord.TextChannel | discord.ForumChannel) -> discord.Webhook:
        async with self._lock:
            for hook in await channel.webhooks():
                if hook.name == WEBHOOK_NAME and hook.token:
                    return hook
            return await channel.create_webhook(name=WEBHOOK_NAME, reason="Casewatch restores held messages")
