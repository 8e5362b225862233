"""Case-import benchmark: a case file of ``--kb`` KB (default 256, the ``/case import`` limit) imported the way
``/case import`` does it, into a fresh database, while a ticker measures how long the event loop stalls.

The file is made of protected parties whose names and identifiers are long run-together tokens (up to
``--token`` characters: 100, the cap on a registered token), the shape that made registration blow up.
Prints the import's wall time, the process's peak RSS and its growth, and the longest event-loop stall
(after a 2 KB import that takes the one-time cost of first use: module imports, rule files).
It measures; it asserts nothing (``tests/test_import_bounds.py`` checks the bounds).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import resource
import string
import tempfile
import time
from pathlib import Path

import psutil

TICK_S = 0.005


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kb", type=int, default=256, help="size of the case file in KB")
    parser.add_argument("--token", type=int, default=100, help="longest registered token (characters)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON line")


def _peak_rss_kb() -> int:
    """This process's peak RSS in KB. Linux keeps ``ru_maxrss`` across fork and exec (a process started by a
    big parent starts with the parent's peak), so the memory's own high-water mark (VmHWM) comes first."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # kilobytes on Linux


def case_text(kb: int, token: int, seed: int = 7) -> str:
    """A valid case TOML of about ``kb`` KB whose names are built from tokens up to ``token`` letters."""
    rng = random.Random(seed)
    parts = ['id = "bench-import"', 'title = "R v Benchmark"', 'jurisdiction = "GB"', ""]
    size, n = sum(len(p) + 1 for p in parts), 0
    while size < kb * 1000:
        n += 1
        names = []
        for _ in range(4):
            first = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(5, token))).capitalize()
            last = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(4, 12))).capitalize()
            names.append(f"{first} {last}")
        block = (f'[[protected]]\nlabel = "party {n}"\nbasis = "YJCEA 1999 s.45"\n'
                 f"names = {json.dumps(names)}\nidentifiers = []\n\n")
        if size + len(block) > kb * 1000:
            break
        parts.append(block)
        size += len(block)
    return "\n".join(parts)


async def _measure(text: str) -> dict[str, float]:
    from bot.services import Services
    from bot.storage import Store

    stalls: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(TICK_S)
            now = time.perf_counter()
            stalls.append(now - last - TICK_S)
            last = now

    with tempfile.TemporaryDirectory() as folder:
        store = await Store.open(Path(folder) / "bench.db", b"bench-import-key-0123456789abcdef")
        services = Services.build(store, b"bench-import-key-0123456789abcdef")
        proc = psutil.Process()
        rss_before = proc.memory_info().rss
        tick = asyncio.create_task(ticker())
        await asyncio.sleep(TICK_S * 2)
        started = time.perf_counter()
        await services.cases.import_case(1, text, thread_id=None, forum_id=None, actor_id="bench")
        elapsed = time.perf_counter() - started
        running = False
        await tick
        rss_after = proc.memory_info().rss
        await store.close()
    peak_kb = _peak_rss_kb()
    return {"seconds": round(elapsed, 2), "peak_rss_mb": round(peak_kb / 1024, 1),
            "rss_growth_mb": round((rss_after - rss_before) / 2**20, 1),
            "max_stall_ms": round(max(stalls, default=0.0) * 1000, 1), "ticks": len(stalls)}


async def _warm_then_measure(text: str) -> tuple[dict[str, float], dict[str, float]]:
    """A 2 KB import first (its stall is the first use of the modules: imports, rule loading), then ``text``."""
    warm = await _measure(case_text(2, 20))
    return warm, await _measure(text)


def run(args: argparse.Namespace) -> int:
    text = case_text(args.kb, args.token, args.seed)
    warm, measured = asyncio.run(_warm_then_measure(text))
    figures = {"case_kb": round(len(text.encode()) / 1000, 1), "parties": text.count("[[protected]]"),
               **measured, "first_use_stall_ms": warm["max_stall_ms"]}
    if args.json:
        print(json.dumps(figures))
    else:
        print(f"case import: {figures['case_kb']} KB, {figures['parties']} parties, longest token {args.token}")
        print(f"  import {figures['seconds']} s; peak RSS {figures['peak_rss_mb']} MB "
              f"(grew {figures['rss_growth_mb']} MB); longest event-loop stall {figures['max_stall_ms']} ms "
              f"(first use of the modules, in a 2 KB import before it: {figures['first_use_stall_ms']} ms)")
    return 0
