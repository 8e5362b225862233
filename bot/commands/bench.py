"""``python -m bot bench SUITE [options]``: benchmarks that measure (they never assert)."""

from __future__ import annotations

import argparse
import importlib

from bot.errors import InputError

SUITES = {
    "identity": "bot.bench_identity",  # identity detectors: messages per second on one core
    "abuse": "bot.abuse.bench",  # abuse scorers: throughput, latency, RSS, event-loop lag
    "images": "bot.images.bench",  # image reading (OCR): images/s, p50/p99 by size, RSS, event-loop lag
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="run a benchmark suite (identity, abuse or images)",
        description="Run a benchmark suite; options after the suite name go to the suite "
                    "(`python -m bot bench abuse --help`).",
    )
    p.add_argument("suite", nargs="?", choices=sorted(SUITES), help="which suite to run")
    p.add_argument("--suite", dest="suite_opt", choices=sorted(SUITES), help=argparse.SUPPRESS)
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    suite = args.suite or args.suite_opt
    if not suite:
        raise InputError(f"name a suite: {', '.join(sorted(SUITES))}")
    module = importlib.import_module(SUITES[suite])
    parser = argparse.ArgumentParser(prog=f"python -m bot bench {suite}", description=module.__doc__)
    if hasattr(module, "add_arguments"):
        module.add_arguments(parser)
    return int(module.run(parser.parse_args(args.rest)) or 0)
