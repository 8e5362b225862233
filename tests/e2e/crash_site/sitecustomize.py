"""Loaded by the crash test's ``python -m bot run`` subprocess only (this folder is put first on its PYTHONPATH).

``CASEWATCH_TEST_DISCORD``: the loopback fake's base URL; discord.py's REST base and gateway point at it.
``CASEWATCH_TEST_CRASH_AT`` (+ ``CASEWATCH_TEST_CRASH_NTH``, default 1): SIGKILL this process the n-th time
the named point of :mod:`bot.crashpoints` is reached. Nothing outside ``tests/`` reads these variables.
"""

from __future__ import annotations

import os
import signal

_base = os.environ.get("CASEWATCH_TEST_DISCORD")
if _base:
    import yarl
    from discord.gateway import DiscordWebSocket
    from discord.http import Route

    Route.BASE = f"{_base}/api/v10"
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"{_base.replace('http', 'ws', 1)}/gateway")

_point = os.environ.get("CASEWATCH_TEST_CRASH_AT")
if _point:
    from bot import crashpoints

    _left = [int(os.environ.get("CASEWATCH_TEST_CRASH_NTH", "1"))]

    def _crash(point: str) -> None:
        if point == _point:
            _left[0] -= 1
            if _left[0] == 0:
                os.kill(os.getpid(), signal.SIGKILL)

    crashpoints.install(_crash)

_ready = os.environ.get("CASEWATCH_TEST_GUILD_READY_TIMEOUT")
if _ready:  # the fake has one guild: no need to wait 2 s for more (as the in-process e2e harness does)
    import discord

    _client_init = discord.Client.__init__

    def _init(self: discord.Client, *args: object, **options: object) -> None:
        options["guild_ready_timeout"] = float(_ready)
        _client_init(self, *args, **options)  # type: ignore[arg-type]

    discord.Client.__init__ = _init  # type: ignore[method-assign]
