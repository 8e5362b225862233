"""One bot process of a load run (a bench tool): the real :class:`cogs._client.CasewatchBot`, pointed at the
load gateway, with the shards and database of its environment (``SHARD_COUNT``, ``SHARD_IDS``,
``DATABASE_URL``, …). It prints one JSON line when ready and one a second with how many messages it has
checked, until SIGTERM (a clean stop) or SIGKILL (the failover run).

    python -m bot.loadtest.worker --api http://127.0.0.1:PORT/api/v10 --gateway ws://127.0.0.1:PORT/gateway-ws
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import signal
import sys
from typing import Any


def _emit(**fields: Any) -> None:
    sys.stdout.write(json.dumps(fields) + "\n")
    sys.stdout.flush()


async def serve(api: str, gateway: str, *, abuse: bool) -> None:
    from bot.loadtest.gateway import point_discord_py_at
    from bot.settings import load_settings
    from cogs._client import CasewatchBot

    point_discord_py_at(api, gateway)
    settings = load_settings()
    assert settings.discord_token is not None
    bot = CasewatchBot(settings, abuse="auto" if abuse else None, sync_commands=False, guild_ready_timeout=0.5)
    checked = 0

    async def on_casewatch_checked(post: Any, outcome: Any) -> None:
        nonlocal checked
        checked += 1

    async def on_ready() -> None:
        _emit(event="ready", shards=sorted(bot.shards), guilds=len(bot.guilds))

    bot.add_listener(on_casewatch_checked)
    bot.add_listener(on_ready)
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, _dump_tasks)
    runner = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()))

    async def report() -> None:
        while True:
            await asyncio.sleep(1.0)
            db = bot.store.db if bot.store is not None else None
            _emit(event="tick", checked=checked, connections=db.connections if db is not None else 0)

    reporter = asyncio.create_task(report())
    await asyncio.wait({runner, asyncio.create_task(stop.wait())}, return_when=asyncio.FIRST_COMPLETED)
    reporter.cancel()
    await bot.close()
    if runner.done() and not runner.cancelled() and runner.exception() is not None:
        logging.getLogger(__name__).error("the bot stopped: %r", runner.exception())
    with contextlib.suppress(Exception):
        await runner
    _emit(event="stopped", checked=checked)


def _dump_tasks() -> None:
    """SIGUSR1: where every task is waiting, counted by its innermost frame (to stderr)."""
    from collections import Counter

    where: Counter[str] = Counter()
    for task in asyncio.all_tasks():
        coro: Any = task.get_coro()
        chain = []
        while coro is not None and hasattr(coro, "cr_frame") and coro.cr_frame is not None:
            frame = coro.cr_frame
            chain.append(f"{frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.f_lineno}")
            coro = coro.cr_await
        where[" > ".join(chain[-3:]) + (f" [{type(coro).__name__}]" if coro is not None else "")] += 1
    for line, n in where.most_common(12):
        sys.stderr.write(f"TASKS {n:5d} {line}\n")
    sys.stderr.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--api", required=True)
    parser.add_argument("--gateway", required=True)
    parser.add_argument("--abuse", action="store_true", help="score abuse (ABUSE_BACKEND picks the scorer)")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="%(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args.api, args.gateway, abuse=args.abuse))


if __name__ == "__main__":
    main()
