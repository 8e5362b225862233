"""A loopback Discord for load runs (a bench tool, never used by the bot itself): many guilds, sharded.

It speaks just enough of Discord's gateway and REST API for the real discord.py client and the real bot:
each gateway connection IDENTIFYs as one shard and receives READY and GUILD_CREATE for that shard's
guilds (``(guild_id >> 22) % shard_count``); :meth:`LoadGateway.send` dispatches a MESSAGE_CREATE to
the connection of the guild's shard. REST records what the bot did, with the time it arrived:
deletes, DMs and queue posts. Like Discord, a message sent with a ``nonce`` and ``enforce_nonce``
that was already used in the same channel returns the message created the first time; the repeat is
counted (``deduplicated``), not created again. Limits Discord enforces are not modelled here; the
contract tests in ``tests/e2e/fake_discord.py`` cover them.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.loadtest.loopback import gateway_session, now_iso, start_app
from bot.shards import shard_of

JSON = dict[str, Any]
_EPOCH = 1_420_070_400_000  # Discord's snowflake epoch
BASIC_PERMISSIONS = (1 << 10) | (1 << 11) | (1 << 38) | (1 << 16) | (1 << 13)
#: Every answer carries rate-limit headers, as Discord's do: without them discord.py sends one request per
#: route at a time (the limit is unknown). The bucket is generous and never runs out: the load run measures
#: the bot, not Discord's limits.
RATE_LIMIT_HEADERS = {"Via": "1.1 google", "X-RateLimit-Limit": "50", "X-RateLimit-Remaining": "49",
                      "X-RateLimit-Reset-After": "1.0", "X-RateLimit-Bucket": "load-gateway"}
BOT_USER = 950_000_000_000_000_002
OWNER = 950_000_000_000_000_100


def snowflake(counter: itertools.count[int]) -> int:
    return ((int(time.time() * 1000) - _EPOCH) << 22) | (next(counter) & 0x3FFFFF)




@dataclass
class Guild:
    guild_id: int
    forum_id: int
    thread_id: int
    queue_id: int


@dataclass
class Tally:
    """What the bot did, as the gateway saw it (times from ``time.monotonic()``)."""

    deletes: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))  # message id → times
    dms: Counter[str] = field(default_factory=Counter)  # nonce → sends (created once, repeats deduplicated)
    queue_posts: Counter[str] = field(default_factory=Counter)
    deduplicated: int = 0
    unknown_routes: Counter[str] = field(default_factory=Counter)
    requests: int = 0


class LoadGateway:
    """The server: ``await start()``, then point discord.py at :attr:`api_base` and :attr:`gateway_url`."""

    def __init__(self, guilds: int, shard_count: int, *, users: int = 500, rest_delay_s: float = 0.0) -> None:
        self.rest_delay_s = rest_delay_s  # Discord's own latency for actions (deletes, sends), if wanted
        self._ids = itertools.count(1)
        self.shard_count = shard_count
        self.guilds: list[Guild] = []
        base = (int(time.time() * 1000) - _EPOCH - guilds) << 22
        for n in range(guilds):
            gid = base + (n << 22) + n  # one millisecond apart: guilds spread over the shards as on Discord
            self.guilds.append(Guild(gid, snowflake(self._ids), snowflake(self._ids), snowflake(self._ids)))
        self.by_thread = {g.thread_id: g for g in self.guilds}
        self._queues = {g.queue_id for g in self.guilds}
        self.users = {uid: self._user(uid, f"member{n}") for n, uid in
                      enumerate([950_000_000_000_100_000 + n for n in range(users)])}
        self.users[BOT_USER] = self._user(BOT_USER, "casewatch", bot=True)
        self.users[OWNER] = self._user(OWNER, "owner")
        self._channels: dict[int, JSON] = {}
        for g in self.guilds:
            payload = self._guild_payload(g)
            for channel in [*payload["channels"], *payload["threads"]]:
                self._channels[int(channel["id"])] = channel
        self.tally = Tally()
        self.dispatched: dict[int, float] = {}  # message id → dispatch time
        self._shards: dict[int, web.WebSocketResponse] = {}
        self.identified: list[list[int]] = []
        self._sent_nonces: dict[tuple[str, str], JSON] = {}
        self._runner: web.AppRunner | None = None
        self._seq = 0
        self.port = 0

    # -- payloads ----------------------------------------------------------------------------------
    @staticmethod
    def _user(uid: int, name: str, *, bot: bool = False) -> JSON:
        return {"id": str(uid), "username": name, "global_name": name, "discriminator": "0", "avatar": None,
                "bot": bot, "public_flags": 0}

    def _member(self, uid: int) -> JSON:
        return {"user": self.users[uid], "roles": [], "nick": None, "avatar": None, "flags": 0, "pending": False,
                "joined_at": "2024-01-01T00:00:00+00:00", "deaf": False, "mute": False,
                "communication_disabled_until": None}

    @staticmethod
    def _channel(g: Guild, cid: int, name: str, ctype: int) -> JSON:
        data: JSON = {"id": str(cid), "type": ctype, "guild_id": str(g.guild_id), "name": name, "position": 0,
                      "permission_overwrites": [], "parent_id": None, "nsfw": False, "topic": None,
                      "rate_limit_per_user": 0, "last_message_id": None, "flags": 0}
        if ctype == 15:
            data.update(available_tags=[], default_reaction_emoji=None, default_sort_order=None,
                        default_forum_layout=0, default_thread_rate_limit_per_user=0)
        return data

    def _guild_payload(self, g: Guild) -> JSON:
        thread = {"id": str(g.thread_id), "type": 11, "guild_id": str(g.guild_id), "parent_id": str(g.forum_id),
                  "owner_id": str(OWNER), "name": "R v Example: discussion", "last_message_id": None,
                  "rate_limit_per_user": 0, "message_count": 0, "member_count": 1, "flags": 0, "applied_tags": [],
                  "thread_metadata": {"archived": False, "auto_archive_duration": 10080,
                                      "archive_timestamp": now_iso(), "locked": False, "create_timestamp": now_iso()}}
        everyone = {"id": str(g.guild_id), "name": "@everyone", "color": 0, "hoist": False, "position": 0,
                    "permissions": str(BASIC_PERMISSIONS), "managed": False, "mentionable": False, "flags": 0}
        return {
            "id": str(g.guild_id), "name": "Load guild", "icon": None, "owner_id": str(OWNER), "roles": [everyone],
            "emojis": [], "stickers": [], "features": [], "threads": [thread],
            "channels": [self._channel(g, g.forum_id, "cases", 15), self._channel(g, g.queue_id, "mod-queue", 0)],
            "members": [self._member(BOT_USER)], "member_count": 2, "voice_states": [], "presences": [],
            "stage_instances": [], "guild_scheduled_events": [], "soundboard_sounds": [], "large": False,
            "unavailable": False, "joined_at": "2024-01-01T00:00:00+00:00", "afk_timeout": 300,
            "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
            "mfa_level": 0, "premium_tier": 0, "preferred_locale": "en-GB", "system_channel_id": None,
            "system_channel_flags": 0, "nsfw_level": 0,
        }

    # -- gateway -------------------------------------------------------------------------------------
    def shard_guilds(self, shard_id: int) -> list[Guild]:
        return [g for g in self.guilds if shard_of(g.guild_id, self.shard_count) == shard_id]

    async def _send(self, ws: web.WebSocketResponse, event: str, data: JSON) -> None:
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": event, "s": self._seq, "d": data}))

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        shard_id: int | None = None

        async def identify(d: JSON) -> None:
            nonlocal shard_id
            shard = d.get("shard") or [0, 1]
            shard_id = int(shard[0])
            self.identified.append(shard)
            self._shards[shard_id] = ws
            guilds = self.shard_guilds(shard_id)
            await self._send(ws, "READY", {
                "v": 10, "user": self.users[BOT_USER], "shard": shard,
                "guilds": [{"id": str(g.guild_id), "unavailable": True} for g in guilds],
                "session_id": f"session-{shard_id}-{next(self._ids)}", "resume_gateway_url": self.gateway_url,
                "application": {"id": str(BOT_USER), "flags": 0}, "private_channels": [], "relationships": [],
            })
            for g in guilds:
                await self._send(ws, "GUILD_CREATE", self._guild_payload(g))

        try:
            await gateway_session(ws, identify)
        finally:
            if shard_id is not None and self._shards.get(shard_id) is ws:
                del self._shards[shard_id]
        return ws

    def connected(self, shard_id: int) -> bool:
        ws = self._shards.get(shard_id)
        return ws is not None and not ws.closed

    async def send(self, guild: Guild, author_id: int, content: str) -> int | None:
        """A member posts ``content`` in the guild's watched thread; ``None`` if its shard is not connected."""
        ws = self._shards.get(shard_of(guild.guild_id, self.shard_count))
        if ws is None or ws.closed:
            return None
        mid = snowflake(self._ids)
        data: JSON = {"id": str(mid), "channel_id": str(guild.thread_id), "guild_id": str(guild.guild_id),
                "author": self.users[author_id], "member": {k: v for k, v in self._member(author_id).items()
                                                            if k != "user"},
                "content": content, "timestamp": now_iso(), "edited_timestamp": None, "tts": False,
                "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [], "embeds": [],
                "pinned": False, "type": 0, "flags": 0, "components": []}
        self.dispatched[mid] = time.monotonic()
        await self._send(ws, "MESSAGE_CREATE", data)
        return mid

    # -- REST --------------------------------------------------------------------------------------------
    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        method = request.method
        self.tally.requests += 1
        body: Any = None
        if request.can_read_body:
            text = await request.text()
            try:
                body = json.loads(text) if text else None
            except ValueError:
                body = None
        if method == "GET" and path in ("/gateway", "/gateway/bot"):
            return self._json({"url": self.gateway_url, "shards": self.shard_count, "session_start_limit": {
                "total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 16}})
        if method == "GET" and path in ("/oauth2/applications/@me", "/applications/@me"):
            return self._json({"id": str(BOT_USER), "name": "Casewatch", "description": "", "icon": None,
                               "bot_public": False, "bot_require_code_grant": False, "owner": self.users[OWNER],
                               "verify_key": "0" * 64, "flags": 0, "summary": "", "team": None,
                               "rpc_origins": [], "interactions_endpoint_url": None, "redirect_uris": []})
        if method == "GET" and path in ("/users/@me",):
            return self._json(self.users[BOT_USER])
        if method == "GET" and path.startswith("/users/"):
            user = self.users.get(int(path.rsplit("/", 1)[1]))
            return self._json(user) if user else self._json({"message": "Unknown User", "code": 10013}, 404)
        if self.rest_delay_s and method in ("DELETE", "POST"):
            await asyncio.sleep(self.rest_delay_s)
        if method == "DELETE" and path.startswith("/channels/") and "/messages/" in path:
            mid = int(path.rsplit("/", 1)[1])
            first = not self.tally.deletes.get(mid)
            self.tally.deletes[mid].append(time.monotonic())
            if first:
                return web.Response(status=204, headers=RATE_LIMIT_HEADERS)
            return self._json({"message": "Unknown Message", "code": 10008}, 404)
        if method == "GET" and path.startswith("/channels/") and path.count("/") == 2:
            channel = self._channels.get(int(path.rsplit("/", 1)[1]))
            return self._json(channel) if channel else self._json({"message": "Unknown Channel", "code": 10003}, 404)
        if method == "GET" and path.startswith("/channels/") and path.endswith("/messages"):
            return self._json([])  # catch-up history: the load run starts with empty threads
        if method == "POST" and path == "/users/@me/channels":
            uid = int(body["recipient_id"])
            return self._json({"id": str(uid + 1), "type": 1, "recipients": [self.users[uid]], "last_message_id": None})
        if method == "POST" and path.startswith("/channels/") and path.endswith("/messages"):
            return self._json(self._post_message(path.split("/")[2], body or {}))
        self.tally.unknown_routes[re.sub(r"\d+", "N", f"{method} {path}")] += 1
        return self._json({"message": f"load gateway has no route {method} {path}", "code": 0}, 404)

    def _post_message(self, channel_id: str, body: JSON) -> JSON:
        nonce = str(body.get("nonce") or "")
        if nonce and body.get("enforce_nonce") and (channel_id, nonce) in self._sent_nonces:
            self.tally.deduplicated += 1
            return self._sent_nonces[(channel_id, nonce)]
        queue = int(channel_id) in self._queues
        (self.tally.queue_posts if queue else self.tally.dms)[nonce or f"no-nonce-{next(self._ids)}"] += 1
        msg = {"id": str(snowflake(self._ids)), "channel_id": channel_id, "author": self.users[BOT_USER],
               "content": body.get("content") or "", "timestamp": now_iso(), "edited_timestamp": None, "tts": False,
               "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
               "embeds": body.get("embeds") or [], "pinned": False, "type": 0, "flags": 0,
               "components": body.get("components") or [], "nonce": nonce or None}
        if nonce:
            self._sent_nonces[(channel_id, nonce)] = msg
        return msg

    @staticmethod
    def _json(data: Any, status: int = 200) -> web.Response:
        return web.Response(status=status, body=json.dumps(data).encode(), content_type="application/json",
                            headers=RATE_LIMIT_HEADERS)

    # -- lifecycle ---------------------------------------------------------------------------------------
    async def start(self) -> None:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_get("/gateway-ws", self._gateway)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner, self.port = await start_app(app)

    async def stop(self) -> None:
        for ws in list(self._shards.values()):
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_base(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway-ws"


def point_discord_py_at(api_base: str, gateway_url: str) -> None:
    """Redirect discord.py in this process to a loopback server (bench worker processes only)."""
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    Route.BASE = api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)
