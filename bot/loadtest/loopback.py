"""What both loopback Discords share (the load gateway here, the test fake in ``tests/e2e``).

:func:`start_app` serves an aiohttp application on a free loopback port; :func:`gateway_session` speaks the
part of Discord's gateway protocol that does not depend on the server's data: HELLO, heartbeat ACKs, and an
invalid session for a RESUME (neither server keeps sessions, so the client identifies again). Each server
answers IDENTIFY itself, through ``on_identify``.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web

HEARTBEAT_INTERVAL_MS = 41_250


def now_iso() -> str:
    """A Discord timestamp for now."""
    return datetime.now(UTC).isoformat()


async def start_app(app: web.Application) -> tuple[web.AppRunner, int]:
    """Serve ``app`` on 127.0.0.1 at a port the system chooses; the runner (to clean up) and the port."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]


def _frame(op: int, d: Any = None) -> str:
    return json.dumps({"op": op, "d": d, "s": None, "t": None})


async def gateway_session(ws: web.WebSocketResponse,
                          on_identify: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
    """Run one prepared gateway connection until the client closes it."""
    await ws.send_str(_frame(10, {"heartbeat_interval": HEARTBEAT_INTERVAL_MS}))
    async for msg in ws:
        if msg.type != aiohttp.WSMsgType.TEXT:
            continue
        payload = json.loads(msg.data)
        op = payload.get("op")
        if op == 1:  # heartbeat
            await ws.send_str(_frame(11))
        elif op == 2:  # identify
            await on_identify(payload["d"])
        elif op == 6:  # resume: no session is kept, so the client must identify again
            await ws.send_str(_frame(9, False))
