"""FETCH_TIMEOUT_S is one deadline for the whole fetch, not one per redirect hop."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot.sources.fetch import FetchError, fetch_url
from tests.loopback import serve

HOPS = 5
HOP_DELAY_S = 0.4  # each hop alone is well inside the limit; all of them together are not


async def test_slow_redirect_hops_share_one_deadline() -> None:
    served: list[int] = []

    async def hop(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        served.append(n)
        await asyncio.sleep(HOP_DELAY_S)
        if n < HOPS:
            raise web.HTTPFound(f"/hop/{n + 1}")
        return web.Response(text="<p>arrived</p>", content_type="text/html")

    app = web.Application()
    app.router.add_get("/hop/{n}", hop)
    async with serve(app) as base:
        # per hop, each 0.4 s request fits a 1 s limit and all five would arrive after 2 s
        with pytest.raises(FetchError, match="timed out after 1 s"):
            await fetch_url(f"{base}/hop/1", timeout_s=1.0, respect_robots=False, allow_private=True)
        assert len(served) < HOPS, "the deadline must stop the chain before its last hop"
        # the same chain with room for all of it arrives
        served.clear()
        fetched = await fetch_url(f"{base}/hop/1", timeout_s=30.0, respect_robots=False, allow_private=True)
        assert "arrived" in fetched.text and served == list(range(1, HOPS + 1))
