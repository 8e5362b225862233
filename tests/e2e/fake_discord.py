"""A small stand-in for Discord's REST API and gateway, served over loopback with aiohttp.

The real discord.py client talks to it unchanged once :func:`point_discord_py_at` has redirected
``discord.http.Route.BASE`` and ``DiscordWebSocket.DEFAULT_GATEWAY``. It keeps one guild with a forum
channel, a thread in it, a queue channel, members and roles; it records every REST request so that tests
can assert on what the bot did, and lets tests inject gateway events (messages, edits, threads,
interactions) and rate limits.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import re
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot import discord_limits as limits
from bot.loadtest.loopback import gateway_session, now_iso, start_app

JSON = dict[str, Any]

# Permission bits (https://discord.com/developers/docs/topics/permissions)
ADMINISTRATOR = 1 << 3
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
MANAGE_MESSAGES = 1 << 13
MODERATE_MEMBERS = 1 << 40
MANAGE_WEBHOOKS = 1 << 29
SEND_IN_THREADS = 1 << 38
BASIC = VIEW_CHANNEL | SEND_MESSAGES | SEND_IN_THREADS | (1 << 16)  # + read message history
#: How long Discord remembers a message's nonce for ``enforce_nonce`` ("the past few minutes").
NONCE_WINDOW_S = 300.0




@dataclass
class Recorded:
    """One REST request the fake received."""

    method: str
    path: str  # without the /api/v10 prefix
    query: dict[str, str]
    body: Any  # parsed JSON, or the multipart ``payload_json``, or raw text
    raw: str  # the whole body as text, for "this string never appears" assertions
    status: int = 200
    uploads: list[tuple[str, bytes]] = field(default_factory=list)  # multipart file parts: (file name, bytes)


@dataclass
class RateLimit:
    method: str
    pattern: re.Pattern[str]
    remaining: int
    retry_after: float


@dataclass
class FakeDiscord:
    """The server. Create, ``await start()``, point discord.py at :attr:`api_base` / :attr:`gateway_url`."""

    guild_id: int = 900_000_000_000_000_001
    app_id: int = 900_000_000_000_000_002
    forum_id: int = 900_000_000_000_000_010
    queue_id: int = 900_000_000_000_000_011
    general_id: int = 900_000_000_000_000_012
    thread_id: int = 900_000_000_000_000_020
    mod_role_id: int = 900_000_000_000_000_030
    exempt_role_id: int = 900_000_000_000_000_031
    bot_user_id: int = 900_000_000_000_000_002
    owner_id: int = 900_000_000_000_000_100
    requests: list[Recorded] = field(default_factory=list)
    users: dict[int, JSON] = field(default_factory=dict)
    members: dict[int, JSON] = field(default_factory=dict)
    channels: dict[int, JSON] = field(default_factory=dict)
    messages: dict[int, JSON] = field(default_factory=dict)
    webhooks: dict[int, JSON] = field(default_factory=dict)
    commands: dict[str, list[JSON]] = field(default_factory=dict)
    identified: list[JSON] = field(default_factory=list)
    pages: dict[str, str] = field(default_factory=dict)  # HTML served at /pages/<name> (sources to fetch)
    files: dict[str, bytes] = field(default_factory=dict)  # attachments served at /attachments/<name>
    cdn: dict[str, tuple[bytes, str]] = field(default_factory=dict)  # the CDN: path -> (body, content type)
    cdn_hits: list[str] = field(default_factory=list)
    page_hits: list[str] = field(default_factory=list)  # every /pages/<name> request, served or not
    #: called as ``hook(phase, request)`` with phase "received" (before the fake acts on a request) and
    #: "handled" (after it acted, before it answers): the crash test kills the bot at either
    request_hooks: list[Callable[[str, Recorded], None]] = field(default_factory=list)
    created: list[JSON] = field(default_factory=list)  # every message the bot created (never forgotten)
    enforce_limits: bool = True  # answer 400/404 where Discord would (see "Discord's limits" below)
    rejected: list[tuple[Recorded, JSON]] = field(default_factory=list)  # (request, Discord's error body)

    def __post_init__(self) -> None:
        self._ids = itertools.count(910_000_000_000_000_000)
        self._seq = 0
        self._sockets: list[web.WebSocketResponse] = []
        self._rate_limits: list[RateLimit] = []
        self._nonces: dict[tuple[str, str], tuple[float, JSON]] = {}  # (author id, nonce) -> (when, message)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.request_event = asyncio.Event()
        self._interactions: dict[str, tuple[float, bool]] = {}  # id -> (when dispatched, acknowledged)
        self.add_user(self.bot_user_id, "casewatch", bot=True, member=True, roles=[])
        self.add_user(self.owner_id, "owner", roles=[])
        for cid, name, ctype in (
            (self.forum_id, "cases", 15),
            (self.queue_id, "mod-queue", 0),
            (self.general_id, "general", 0),
        ):
            self.channels[cid] = self._channel_payload(cid, name, ctype)
        self.channels[self.thread_id] = self.thread_payload(self.thread_id, "R v Example: discussion")

    # ---- ids and payloads ---------------------------------------------------------------------------

    def new_id(self) -> int:
        return next(self._ids)

    def add_user(
        self, user_id: int, name: str, *, bot: bool = False, member: bool = True, roles: list[int] | None = None
    ) -> JSON:
        user = {
            "id": str(user_id),
            "username": name,
            "global_name": name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": bot,
            "public_flags": 0,
        }
        self.users[user_id] = user
        if member:
            self.members[user_id] = {
                "user": user,
                "roles": [str(r) for r in (roles or [])],
                "nick": None,
                "avatar": None,
                "joined_at": "2024-01-01T00:00:00+00:00",
                "deaf": False,
                "mute": False,
                "flags": 0,
                "pending": False,
                "communication_disabled_until": None,
            }
        return user

    def _channel_payload(self, cid: int, name: str, ctype: int) -> JSON:
        data: JSON = {
            "id": str(cid),
            "type": ctype,
            "guild_id": str(self.guild_id),
            "name": name,
            "position": len(self.channels),
            "permission_overwrites": [],
            "parent_id": None,
            "nsfw": False,
            "topic": None,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "flags": 0,
        }
        if ctype == 15:
            data.update(available_tags=[], default_reaction_emoji=None, default_sort_order=None,
                        default_forum_layout=0, default_thread_rate_limit_per_user=0)
        return data

    def thread_payload(self, tid: int, name: str, *, owner_id: int | None = None, parent_id: int | None = None) -> JSON:
        return {
            "id": str(tid),
            "type": 11,
            "guild_id": str(self.guild_id),
            "parent_id": str(parent_id or self.forum_id),
            "owner_id": str(owner_id or self.owner_id),
            "name": name,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "message_count": 0,
            "member_count": 1,
            "flags": 0,
            "applied_tags": [],
            "thread_metadata": {
                "archived": False,
                "auto_archive_duration": 10080,
                "archive_timestamp": now_iso(),
                "locked": False,
                "create_timestamp": now_iso(),
            },
        }

    def roles(self) -> list[JSON]:
        def role(rid: int, name: str, perms: int, position: int) -> JSON:
            return {
                "id": str(rid), "name": name, "color": 0, "colors": {"primary_color": 0}, "hoist": False,
                "position": position, "permissions": str(perms), "managed": False, "mentionable": False,
                "flags": 0, "icon": None, "unicode_emoji": None,
            }

        return [
            role(self.guild_id, "@everyone", BASIC, 0),
            role(self.mod_role_id, "Moderators", BASIC, 2),
            role(self.exempt_role_id, "Trusted", BASIC, 1),
        ]

    def guild_payload(self) -> JSON:
        threads = [c for c in self.channels.values() if c["type"] == 11]
        channels = [c for c in self.channels.values() if c["type"] in (0, 15)]
        return {
            "id": str(self.guild_id),
            "name": "Case Forum",
            "icon": None,
            "owner_id": str(self.owner_id),
            "roles": self.roles(),
            "emojis": [],
            "stickers": [],
            "features": [],
            "channels": channels,
            "threads": threads,
            # without the privileged GUILD_MEMBERS intent Discord sends only the bot's own member here
            "members": [m for uid, m in self.members.items() if uid == self.bot_user_id],
            "member_count": len(self.members),
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "large": False,
            "unavailable": False,
            "joined_at": "2024-01-01T00:00:00+00:00",
            "afk_timeout": 300,
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "premium_tier": 0,
            "preferred_locale": "en-GB",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "nsfw_level": 0,
        }

    def message_payload(
        self, author_id: int, content: str, *, channel_id: int | None = None, message_id: int | None = None,
        edited: bool = False, webhook_id: int | None = None, embeds: list[JSON] | None = None,
    ) -> JSON:
        channel_id = channel_id or self.thread_id
        data: JSON = {
            "id": str(message_id or self.new_id()),
            "channel_id": str(channel_id),
            "guild_id": str(self.guild_id),
            "author": self.users[author_id],
            "content": content,
            "timestamp": now_iso(),
            "edited_timestamp": now_iso() if edited else None,
            "tts": False,
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [],
            "embeds": embeds or [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
        }
        member = self.members.get(author_id)
        if member is not None and webhook_id is None:
            data["member"] = {k: v for k, v in member.items() if k != "user"}
        if webhook_id is not None:
            data["webhook_id"] = str(webhook_id)
        return data

    # ---- gateway ------------------------------------------------------------------------------------

    async def dispatch(self, event: str, data: JSON) -> None:
        """Send a DISPATCH (op 0) event to every connected client."""
        if not self._sockets:
            raise RuntimeError("no gateway client is connected")
        if event == "INTERACTION_CREATE":
            self._interactions[data["id"]] = (time.monotonic(), False)
        self._seq += 1
        payload = json.dumps({"op": 0, "t": event, "s": self._seq, "d": data})
        for ws in list(self._sockets):
            if not ws.closed:
                with contextlib.suppress(ConnectionError):  # a client that died without closing
                    await ws.send_str(payload)

    async def send_message(self, author_id: int, content: str, *, channel_id: int | None = None,
                           attachments: list[JSON] | None = None) -> JSON:
        """A user posts ``content`` (and ``attachments``): the message is stored and MESSAGE_CREATE dispatched."""
        data = self.message_payload(author_id, content, channel_id=channel_id)
        data["attachments"] = attachments or []
        self.messages[int(data["id"])] = data
        await self.dispatch("MESSAGE_CREATE", data)
        return data

    def post_offline(self, author_id: int, content: str, *, channel_id: int | None = None) -> JSON:
        """A user posts while the bot is not connected: the message is stored, no event is sent."""
        data = self.message_payload(author_id, content, channel_id=channel_id)
        self.messages[int(data["id"])] = data
        return data

    def edit_offline(self, message: JSON, content: str) -> JSON:
        """A user edits a message while the bot is not connected."""
        data = {**message, "content": content, "edited_timestamp": now_iso()}
        self.messages[int(data["id"])] = data
        return data

    async def edit_message(self, message: JSON, content: str) -> JSON:
        data = {**message, "content": content, "edited_timestamp": now_iso()}
        self.messages[int(data["id"])] = data
        await self.dispatch("MESSAGE_UPDATE", data)
        return data

    async def create_thread(self, title: str, opening: str, *, author_id: int) -> tuple[JSON, JSON]:
        """A new forum post: THREAD_CREATE, then the opening message (whose id equals the thread's)."""
        tid = self.new_id()
        thread = {**self.thread_payload(tid, title, owner_id=author_id), "newly_created": True}
        self.channels[tid] = thread
        await self.dispatch("THREAD_CREATE", thread)
        msg = self.message_payload(author_id, opening, channel_id=tid, message_id=tid)
        self.messages[tid] = msg
        await self.dispatch("MESSAGE_CREATE", msg)
        return thread, msg

    def create_thread_offline(self, title: str, opening: str, *, author_id: int) -> tuple[JSON, JSON]:
        """A forum post made while the bot is not connected; it arrives with the next GUILD_CREATE."""
        tid = self.new_id()
        thread = self.thread_payload(tid, title, owner_id=author_id)
        self.channels[tid] = thread
        msg = self.message_payload(author_id, opening, channel_id=tid, message_id=tid)
        self.messages[tid] = msg
        return thread, msg

    async def rename_thread(self, thread_id: int, title: str) -> None:
        thread = {**self.channels[thread_id], "name": title}
        thread.pop("newly_created", None)
        self.channels[thread_id] = thread
        await self.dispatch("THREAD_UPDATE", thread)

    def _interaction_base(self, itype: int, user_id: int, channel_id: int, permissions: int) -> JSON:
        member = {**self.members[user_id], "permissions": str(permissions)}
        channel = self.channels.get(channel_id, {"id": str(channel_id), "type": 0})
        return {
            "id": str(self.new_id()),
            "application_id": str(self.app_id),
            "type": itype,
            "token": f"itoken-{self.new_id()}",
            "version": 1,
            "guild_id": str(self.guild_id),
            "channel_id": str(channel_id),
            "channel": channel,
            "member": member,
            "app_permissions": str(BASIC | MANAGE_MESSAGES | MODERATE_MEMBERS | MANAGE_WEBHOOKS),
            "locale": "en-GB",
            "guild_locale": "en-GB",
            "entitlements": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        }

    async def press_button(self, message: JSON, custom_id: str, *, user_id: int, permissions: int = BASIC) -> JSON:
        """A member presses a button on ``message``; returns the interaction payload."""
        data = self._interaction_base(3, user_id, int(message["channel_id"]), permissions)
        data["message"] = message
        data["data"] = {"custom_id": custom_id, "component_type": 2}
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    async def slash(
        self, name: str, options: list[JSON], *, user_id: int, permissions: int = BASIC,
        channel_id: int | None = None, resolved: JSON | None = None,
    ) -> JSON:
        """A member runs ``/name ...``; ``options`` are Discord's option payloads (sub-commands nest)."""
        self.check_invocation(name, options)
        data = self._interaction_base(2, user_id, channel_id or self.general_id, permissions)
        data["data"] = {"id": str(self.new_id()), "name": name, "type": 1, "options": options,
                        "guild_id": str(self.guild_id)}
        if resolved:
            data["data"]["resolved"] = resolved
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    async def submit_modal(
        self, custom_id: str, values: dict[str, str], *, user_id: int, permissions: int = BASIC,
        channel_id: int | None = None,
    ) -> JSON:
        data = self._interaction_base(5, user_id, channel_id or self.general_id, permissions)
        rows = [
            {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]}
            for key, value in values.items()
        ]
        data["data"] = {"custom_id": custom_id, "components": rows}
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        self._sockets.append(ws)

        async def identify(d: JSON) -> None:
            self.identified.append({k: v for k, v in d.items() if k != "token"})
            await self._send_ready(ws, d.get("shard") or [0, 1])

        try:
            await gateway_session(ws, identify)
        finally:
            self._sockets.remove(ws)
        return ws

    async def _send_ready(self, ws: web.WebSocketResponse, shard: list[int]) -> None:
        self._seq += 1
        ready = {
            "v": 10,
            "shard": shard,  # [shard id, shard count] as identified (the bot is auto-sharded)
            "user": self.users[self.bot_user_id],
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": f"session-{self.new_id()}",
            "resume_gateway_url": self.gateway_url,
            "application": {"id": str(self.app_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
        }
        await ws.send_str(json.dumps({"op": 0, "t": "READY", "s": self._seq, "d": ready}))
        self._seq += 1
        await ws.send_str(json.dumps({"op": 0, "t": "GUILD_CREATE", "s": self._seq, "d": self.guild_payload()}))

    # ---- REST ---------------------------------------------------------------------------------------

    def rate_limit(self, method: str, path_regex: str, *, times: int = 1, retry_after: float = 0.2) -> None:
        """Answer the next ``times`` matching requests with 429 and ``Retry-After``."""
        self._rate_limits.append(RateLimit(method, re.compile(path_regex), times, retry_after))

    def find(self, method: str, path_regex: str = "") -> list[Recorded]:
        """Recorded requests whose method matches and whose path matches ``path_regex``."""
        rx = re.compile(path_regex)
        return [r for r in self.requests if r.method == method and rx.search(r.path)]

    async def wait_for_request(self, method: str, path_regex: str = "", *, count: int = 1,
                               timeout: float = 10.0) -> list[Recorded]:
        """Wait until at least ``count`` matching requests succeeded (status < 300)."""
        async def poll() -> list[Recorded]:
            while True:
                found = [r for r in self.find(method, path_regex) if r.status < 300]
                if len(found) >= count:
                    return found
                self.request_event.clear()
                await self.request_event.wait()

        return await asyncio.wait_for(poll(), timeout)

    def all_request_text(self) -> str:
        return "\n".join(r.raw for r in self.requests)

    @staticmethod
    def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
        body = b"" if data is None else json.dumps(data).encode()
        hdrs = {"Content-Type": "application/json", "Via": "1.1 google", **(headers or {})}
        if status == 204:
            return web.Response(status=204)
        return web.Response(status=status, body=body, headers=hdrs)

    async def _read_body(self, request: web.Request, uploads: list[tuple[str, bytes]] | None = None,
                         ) -> tuple[Any, str]:
        ctype = request.headers.get("Content-Type", "")
        if ctype.startswith("multipart/"):
            reader = await request.multipart()
            body: Any = None
            texts = []
            while (part := await reader.next()) is not None:
                data = await part.read()  # type: ignore[union-attr]
                text = data.decode("utf-8", "replace")
                texts.append(text)
                if getattr(part, "name", "") == "payload_json":
                    body = json.loads(text)
                elif getattr(part, "filename", None) and uploads is not None:
                    uploads.append((str(part.filename), bytes(data)))  # type: ignore[union-attr]
            return body, "\n".join(texts)
        raw = await request.text()
        if not raw:
            return None, ""
        try:
            return json.loads(raw), raw
        except ValueError:
            return raw, raw

    async def _rest(self, request: web.Request) -> web.Response:
        path = "/" + request.match_info["tail"]
        uploads: list[tuple[str, bytes]] = []
        body, raw = await self._read_body(request, uploads)
        rec = Recorded(request.method, path, dict(request.query), body, raw, uploads=uploads)
        self.requests.append(rec)
        for hook in self.request_hooks:
            hook("received", rec)
        try:
            for rl in self._rate_limits:
                if rl.remaining > 0 and rl.method == request.method and rl.pattern.search(path):
                    rl.remaining -= 1
                    rec.status = 429
                    return self._json(
                        {"message": "You are being rate limited.", "retry_after": rl.retry_after, "global": False},
                        429,
                        {"Retry-After": str(rl.retry_after), "X-RateLimit-Scope": "user"},
                    )
            if (refused := self._refuse_like_discord(rec)) is not None:
                return refused
            for method, rx, handler in self._routes:
                if method == request.method and (m := rx.fullmatch(path)):
                    result = handler(body, *m.groups())
                    status = 200
                    if isinstance(result, tuple):
                        result, status = result
                    rec.status = status
                    for hook in self.request_hooks:
                        hook("handled", rec)
                    return self._json(result, status)
            rec.status = 404
            return self._json({"message": f"fake has no route {request.method} {path}", "code": 0}, 404)
        finally:
            self.request_event.set()

    @property
    def _routes(self) -> Iterator[tuple[str, re.Pattern[str], Callable[..., Any]]]:
        table: list[tuple[str, str, Callable[..., Any]]] = [
            ("GET", r"/gateway(?:/bot)?", lambda b: {"url": self.gateway_url, "shards": 1,
             "session_start_limit": {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}}),
            ("GET", r"/users/@me", lambda b: self.users[self.bot_user_id]),
            ("GET", r"/oauth2/applications/@me", lambda b: self._app_payload()),
            ("GET", r"/applications/@me", lambda b: self._app_payload()),
            ("PUT", r"/applications/(\d+)/commands", lambda b, a: self._put_commands("global", b)),
            ("PUT", r"/applications/(\d+)/guilds/(\d+)/commands", lambda b, a, g: self._put_commands(g, b)),
            ("GET", r"/applications/(\d+)/commands", lambda b, a: self.commands.get("global", [])),
            ("GET", r"/applications/(\d+)/guilds/(\d+)/commands", lambda b, a, g: self.commands.get(g, [])),
            ("GET", r"/channels/(\d+)", lambda b, c: self.channels.get(int(c)) or ({"message": "Unknown Channel",
                                                                                    "code": 10003}, 404)),
            ("PATCH", r"/channels/(\d+)", self._patch_channel),
            ("GET", r"/users/(\d+)", lambda b, u: self.users.get(int(u)) or ({"message": "Unknown User",
                                                                              "code": 10013}, 404)),
            ("GET", r"/channels/(\d+)/messages/(\d+)", self._get_message),
            ("GET", r"/channels/(\d+)/messages", self._history),
            ("DELETE", r"/channels/(\d+)/messages/(\d+)", self._delete_message),
            ("POST", r"/channels/(\d+)/messages", self._post_message),
            ("PATCH", r"/channels/(\d+)/messages/(\d+)", self._patch_message),
            ("POST", r"/users/@me/channels", self._open_dm),
            ("GET", r"/channels/(\d+)/webhooks", lambda b, c: [w for w in self.webhooks.values()
                                                               if w["channel_id"] == c]),
            ("POST", r"/channels/(\d+)/webhooks", self._create_webhook),
            ("POST", r"/webhooks/(\d+)/([^/]+)", self._execute_webhook),
            ("POST", r"/interactions/(\d+)/([^/]+)/callback", lambda b, i, t: {"interaction": {
                "id": i, "type": 3, "response_message_ephemeral": bool((b or {}).get("data", {}).get("flags"))}}),
            ("PATCH", r"/webhooks/(\d+)/([^/]+)/messages/@original", self._edit_original),
            ("POST", r"/webhooks/(\d+)/([^/]+)/messages", self._post_message_to_webhook_followup),
            ("PATCH", r"/guilds/(\d+)/members/(\d+)", self._patch_member),
            ("GET", r"/guilds/(\d+)/members/(\d+)", lambda b, g, u: self.members.get(int(u))
             or ({"message": "Unknown Member", "code": 10007}, 404)),
        ]
        for method, rx, handler in table:
            yield method, re.compile(rx), handler

    def _app_payload(self) -> JSON:
        return {
            "id": str(self.app_id), "name": "Casewatch", "description": "", "icon": None,
            "bot_public": False, "bot_require_code_grant": False, "owner": self.users[self.owner_id],
            "verify_key": "0" * 64, "flags": 0, "summary": "", "team": None, "rpc_origins": [],
            "interactions_endpoint_url": None, "redirect_uris": [],
        }

    def _put_commands(self, scope: str, body: list[JSON]) -> list[JSON]:
        stored = []
        for cmd in body or []:
            stored.append({
                "id": str(self.new_id()), "application_id": str(self.app_id), "version": "1",
                "type": cmd.get("type", 1), "description": cmd.get("description", ""),
                "options": cmd.get("options", []), "default_member_permissions": cmd.get("default_member_permissions"),
                "dm_permission": cmd.get("dm_permission", True), "nsfw": cmd.get("nsfw", False), **cmd,
            })
            if scope != "global":
                stored[-1]["guild_id"] = scope
        self.commands[scope] = stored
        return stored

    def _patch_channel(self, body: JSON, channel_id: str) -> Any:
        channel = self.channels.get(int(channel_id))
        if channel is None:
            return {"message": "Unknown Channel", "code": 10003}, 404
        channel.update({k: v for k, v in (body or {}).items() if k in ("name", "archived", "locked")})
        return channel

    def _get_message(self, body: Any, channel_id: str, message_id: str) -> Any:
        msg = self.messages.get(int(message_id))
        if msg is None or msg["channel_id"] != channel_id:
            return {"message": "Unknown Message", "code": 10008}, 404
        return rest_message(msg)

    def _history(self, body: Any, channel_id: str) -> Any:
        """GET /channels/{id}/messages?limit=&before=|after=: newest first, like Discord (ids are in time order)."""
        if int(channel_id) not in self.channels:
            return {"message": "Unknown Channel", "code": 10003}, 404
        query = self.requests[-1].query
        limit = max(1, min(int(query.get("limit", 50)), 100))
        ids = sorted(i for i, m in self.messages.items() if m["channel_id"] == channel_id)
        if "after" in query:
            picked = [i for i in ids if i > int(query["after"])][:limit]
        else:
            before = int(query["before"]) if "before" in query else None
            picked = [i for i in ids if before is None or i < before][-limit:]
        return [rest_message(self.messages[i]) for i in reversed(picked)]

    def _delete_message(self, body: Any, channel_id: str, message_id: str) -> Any:
        msg = self.messages.pop(int(message_id), None)
        if msg is None:
            return {"message": "Unknown Message", "code": 10008}, 404
        return None, 204

    def _post_message(self, body: JSON, channel_id: str) -> JSON:
        """Create a message; with ``enforce_nonce``, a nonce the same author used in the past few minutes
        returns that message and creates none (as Discord does)."""
        body = body or {}
        nonce = body.get("nonce")
        key = (str(self.bot_user_id), str(nonce))
        if nonce is not None and body.get("enforce_nonce"):
            seen = self._nonces.get(key)
            if seen is not None and time.monotonic() - seen[0] < NONCE_WINDOW_S:
                return seen[1]
        msg = self.message_payload(self.bot_user_id, body.get("content") or "", channel_id=int(channel_id),
                                   embeds=body.get("embeds") or [])
        msg["components"] = body.get("components") or []
        if int(channel_id) not in self.channels or self.channels[int(channel_id)]["type"] == 1:
            msg.pop("guild_id", None)
            msg.pop("member", None)
        if nonce is not None:
            msg["nonce"] = nonce
            if body.get("enforce_nonce"):
                self._nonces[key] = (time.monotonic(), msg)
        self.messages[int(msg["id"])] = msg
        self.created.append(msg)
        return msg

    def _patch_message(self, body: JSON, channel_id: str, message_id: str) -> Any:
        msg = self.messages.get(int(message_id))
        if msg is None:
            return {"message": "Unknown Message", "code": 10008}, 404
        msg.update({k: v for k, v in (body or {}).items() if k in ("content", "embeds", "components")})
        msg["edited_timestamp"] = now_iso()
        return msg

    def _open_dm(self, body: JSON) -> JSON:
        uid = int(body["recipient_id"])
        cid = 800_000_000_000_000_000 + uid % 100_000_000
        channel = {"id": str(cid), "type": 1, "recipients": [self.users[uid]], "last_message_id": None}
        self.channels[cid] = channel
        return channel

    def _create_webhook(self, body: JSON, channel_id: str) -> JSON:
        wid = self.new_id()
        hook = {
            "id": str(wid), "type": 1, "token": f"wtoken{wid}", "channel_id": channel_id,
            "guild_id": str(self.guild_id), "name": body.get("name", "hook"), "avatar": None,
            "application_id": str(self.app_id), "user": self.users[self.bot_user_id],
        }
        self.webhooks[wid] = hook
        return hook

    def _execute_webhook(self, body: JSON, webhook_id: str, token: str) -> Any:
        if int(webhook_id) == self.app_id:  # an interaction follow-up
            return self._post_message_to_webhook_followup(body, webhook_id, token)
        hook = self.webhooks.get(int(webhook_id))
        if hook is None or hook["token"] != token:
            return {"message": "Unknown Webhook", "code": 10015}, 404
        # thread_id comes as a query parameter; the recorded request keeps it
        channel_id = int(self.requests[-1].query.get("thread_id") or hook["channel_id"])
        wuser = {**self.users[self.bot_user_id], "id": webhook_id, "username": body.get("username") or hook["name"],
                 "bot": True}
        msg = self.message_payload(self.bot_user_id, body.get("content") or "", channel_id=channel_id,
                                   webhook_id=int(webhook_id), embeds=body.get("embeds") or [])
        msg["author"] = wuser
        self.messages[int(msg["id"])] = msg
        self.created.append(msg)
        return msg

    def _edit_original(self, body: JSON, app_id: str, token: str) -> JSON:
        return self.message_payload(self.bot_user_id, (body or {}).get("content") or "")

    def _post_message_to_webhook_followup(self, body: JSON, app_id: str, token: str) -> JSON:
        return self.message_payload(self.bot_user_id, (body or {}).get("content") or "",
                                    embeds=(body or {}).get("embeds") or [])

    def _patch_member(self, body: JSON, guild_id: str, user_id: str) -> Any:
        member = self.members.get(int(user_id))
        if member is None:
            return {"message": "Unknown Member", "code": 10007}, 404
        if "communication_disabled_until" in (body or {}):
            member["communication_disabled_until"] = body["communication_disabled_until"]
        return member

    async def _file(self, request: web.Request) -> web.Response:
        body = self.files.get(request.match_info["name"])
        return web.Response(status=404) if body is None else web.Response(body=body)

    async def _cdn(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        self.cdn_hits.append(path)
        found = self.cdn.get(path)
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[0], content_type=found[1])

    def cdn_attachment(self, name: str, body: bytes, content_type: str, *, channel_id: int | None = None) -> JSON:
        """A message attachment served by the fake's CDN, as Discord's ``attachments`` entry of a message."""
        aid = self.new_id()
        path = f"{channel_id or self.thread_id}/{aid}/{name}"
        self.cdn[path] = (body, content_type)
        url = f"{self.base_url}/cdn/attachments/{path}?ex=1&is=2&hm=abc"
        return {"id": str(aid), "filename": name, "size": len(body), "url": url, "proxy_url": url,
                "content_type": content_type}

    def attachment(self, name: str, body: bytes, content_type: str = "text/plain") -> JSON:
        """Serve ``body`` as an uploaded attachment; returns its payload for ``resolved.attachments``."""
        self.files[name] = body
        aid = str(self.new_id())
        url = f"{self.base_url}/attachments/{name}"
        return {"id": aid, "filename": name, "size": len(body), "url": url, "proxy_url": url,
                "content_type": content_type}

    async def _page(self, request: web.Request) -> web.Response:
        self.page_hits.append(request.match_info["name"])
        html = self.pages.get(request.match_info["name"])
        if html is None:
            return web.Response(status=404, text="not found")
        return web.Response(text=html, content_type="text/html")

    # ---- Discord's limits ---------------------------------------------------------------------------
    # The same table as the contract test (bot.discord_limits). Discord answers a payload over a limit with
    # 400 and code 50035 "Invalid Form Body" and an errors tree; an interaction answered after 3 s, or
    # twice, is refused; so is a message with both no content and nothing else.

    def _refuse_like_discord(self, rec: Recorded) -> web.Response | None:
        if not self.enforce_limits:
            return None
        status, error = self._discord_error(rec.method, rec.path, rec.body)
        if error is None:
            return None
        rec.status = status
        self.rejected.append((rec, error))
        return self._json(error, status)

    def _discord_error(self, method: str, path: str, body: Any) -> tuple[int, JSON | None]:
        problems: list[limits.Problem] = []
        if method == "PUT" and re.fullmatch(r"/applications/\d+(?:/guilds/\d+)?/commands", path):
            problems = limits.check_commands(body or [])
        elif m := re.fullmatch(r"/interactions/(\d+)/[^/]+/callback", path):
            when, acknowledged = self._interactions.get(m[1], (None, False))
            if when is None or time.monotonic() - when > limits.INTERACTION_DEADLINE_S.value:
                return 404, {"message": "Unknown interaction", "code": 10062}
            if acknowledged:
                return 400, {"message": "Interaction has already been acknowledged.", "code": 40060}
            problems = self._callback_problems(body or {})
            if not problems:
                self._interactions[m[1]] = (when, True)
        elif method in ("POST", "PATCH") and re.fullmatch(
                r"/channels/\d+/messages(?:/\d+)?|/webhooks/\d+/[^/]+(?:/messages/@original)?", path):
            problems = limits.check_message(body or {})
            if method == "POST" and not any((body or {}).get(k) for k in ("content", "embeds", "components",
                                                                           "attachments", "sticker_ids")):
                return 400, {"message": "Cannot send an empty message", "code": 50006}
        if not problems:
            return 200, None
        return 400, limits.error_body(problems)

    def check_invocation(self, name: str, options: list[JSON]) -> None:
        """Raise if Discord's client could not send ``/name options``: an unknown command or option, a
        missing required option, a value of the wrong type, outside min/max or not one of the choices.
        (Discord validates these before the bot sees anything, so a test must not send them either.)"""
        if not self.enforce_limits:
            return
        synced = [c for scope in self.commands.values() for c in scope if c["name"] == name]
        if not synced:
            raise ValueError(f"Discord has no command /{name} (was it synced?)")
        _check_options(f"/{name}", synced[0].get("options") or [], options)

    async def autocomplete(self, name: str, options: list[JSON], *, user_id: int, permissions: int = BASIC,
                           channel_id: int | None = None) -> JSON:
        """A member types into an autocompleted option (the one marked ``"focused": True`` in ``options``)."""
        data = self._interaction_base(4, user_id, channel_id or self.general_id, permissions)
        data["data"] = {"id": str(self.new_id()), "name": name, "type": 1, "options": options,
                        "guild_id": str(self.guild_id)}
        await self.dispatch("INTERACTION_CREATE", data)
        return data

    @staticmethod
    def _callback_problems(body: JSON) -> list[limits.Problem]:
        data = body.get("data") or {}
        kind = body.get("type")
        if kind in (4, 7):  # a message, or an edit of the message a component is on
            return [(f"data.{p}", m) for p, m in limits.check_message(data)]
        if kind == 9:
            return limits.check_modal(data)
        if kind == 8:  # autocomplete
            choices = data.get("choices") or []
            problems = [("data.choices", f"Must be {limits.AUTOCOMPLETE_CHOICES.value} or fewer in length.")
                        ] if len(choices) > limits.AUTOCOMPLETE_CHOICES.value else []
            for i, choice in enumerate(choices):
                if len(str(choice.get("name", ""))) > limits.CHOICE_NAME.value:
                    problems.append((f"data.choices.{i}.name", "Must be 100 or fewer in length."))
                if isinstance(choice.get("value"), str) and len(choice["value"]) > limits.CHOICE_VALUE.value:
                    problems.append((f"data.choices.{i}.value", "Must be 100 or fewer in length."))
            return problems
        return []

    # ---- lifecycle ----------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_base(self) -> str:
        return f"{self.base_url}/api/v10"

    @property
    def gateway_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_get("/pages/{name}", self._page)
        app.router.add_get("/attachments/{name}", self._file)
        app.router.add_get("/cdn/attachments/{path:.+}", self._cdn)
        app.router.add_route("*", "/api/v10/{tail:.*}", self._rest)
        self._runner, self.port = await start_app(app)

    async def drop_connections(self) -> None:
        for ws in list(self._sockets):
            await ws.close()

    async def stop(self) -> None:
        await self.drop_connections()
        if self._runner is not None:
            await self._runner.cleanup()


_OPTION_TYPES: dict[int, tuple[type, ...]] = {3: (str,), 4: (int,), 5: (bool,), 10: (int, float)}


def _check_options(where: str, schema: list[JSON], given: list[JSON]) -> None:
    """Validate ``given`` option payloads against the synced ``schema`` as Discord's client does."""
    by_name = {o["name"]: o for o in schema}
    for opt in given:
        spec = by_name.get(opt["name"])
        if spec is None:
            raise ValueError(f"{where}: Discord has no option {opt['name']!r}")
        if spec["type"] != opt["type"]:
            raise ValueError(f"{where} {opt['name']}: type {opt['type']}, but the option is type {spec['type']}")
        if spec["type"] in (1, 2):
            _check_options(f"{where} {opt['name']}", spec.get("options") or [], opt.get("options") or [])
            continue
        value, focused = opt.get("value"), opt.get("focused", False)
        if focused:  # still being typed: anything goes
            continue
        kinds = _OPTION_TYPES.get(spec["type"])
        if kinds and (not isinstance(value, kinds) or (spec["type"] != 5 and isinstance(value, bool))):
            raise ValueError(f"{where} {opt['name']}: {value!r} is not a value of type {spec['type']}")
        if spec.get("choices") and value not in [c["value"] for c in spec["choices"]]:
            raise ValueError(f"{where} {opt['name']}: {value!r} is not one of the choices")
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and (value < spec.get("min_value", -(2**53)) or value > spec.get("max_value", 2**53)):
            raise ValueError(f"{where} {opt['name']}: {value!r} is outside the option's range")
        if isinstance(value, str) and not (spec.get("min_length", 0) <= len(value) <= spec.get("max_length", 6000)):
            raise ValueError(f"{where} {opt['name']}: {len(value)} characters is outside the option's length")
    if not any(o["type"] in (1, 2) for o in given):
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in {g["name"] for g in given}]
        if missing:
            raise ValueError(f"{where}: required option(s) {missing} missing")


def rest_message(message: JSON) -> JSON:
    """A stored message as REST returns it: ``member`` comes only with gateway events, never from REST."""
    return {k: v for k, v in message.items() if k != "member"}


@contextlib.contextmanager
def point_discord_py_at(fake: FakeDiscord) -> Iterator[None]:
    """Redirect discord.py's REST base and gateway to ``fake`` for the duration of the block."""
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    old_base, old_gateway = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = fake.api_base
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    try:
        yield
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = old_base, old_gateway


async def wait_until(predicate: Callable[[], bool | Awaitable[bool]], timeout: float = 10.0) -> None:
    """Poll ``predicate`` (sync or async) every 10 ms until it is true."""
    async def poll() -> None:
        while True:
            result = predicate()
            if not isinstance(result, bool):
                result = await result  # type: ignore[misc]
            if result:
                return
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)
