"""``python -m bot bench SUITE [options]``: benchmarks that measure (they never assert)."""

from __future__ import annotations

import argparse
import importlib
import inspect
import re
import textwrap

from bot.errors import InputError

SUITES = {
    "identity": "bot.bench_identity",  # identity detectors: messages per second on one core
    "abuse": "bot.abuse.bench",  # abuse scorers: throughput, latency, RSS, event-loop lag
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="run a benchmark suite (identity or abuse)",
        description="Run a benchmark suite; options after the suite name go to the suite "
                    "(see: python -m bot bench abuse --help).",
    )
    p.add_argument("suite", nargs="?", choices=sorted(SUITES), help="which suite to run")
    p.add_argument("--suite", dest="suite_opt", choices=sorted(SUITES), help=argparse.SUPPRESS)
    p.add_argument("rest", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    p.set_defaults(func=handle)


def plain_help(doc: str | None, width: int = 78) -> str:
    """A module docstring as terminal help: reStructuredText markup dropped, paragraphs and bullets kept."""
    text = inspect.cleandoc(doc or "")
    text = re.sub(r":[a-z:]+:`~([^`]+)`", lambda m: m[1].rsplit(".", 1)[-1], text)  # :class:`~a.B` -> B
    text = re.sub(r":[a-z:]+:`([^`]+)`", r"\1", text)
    text = text.replace("``", "")
    blocks = []
    for block in re.split(r"\n\s*\n", text):
        items = re.split(r"\n(?=\s*[*-] )", block)
        for item in items:
            words = " ".join(item.split())
            bullet = words.startswith(("* ", "- "))
            blocks.append(textwrap.fill(words, width, subsequent_indent="  " if bullet else ""))
        blocks.append("")
    return "\n".join(blocks).strip()


def handle(args: argparse.Namespace) -> int:
    suite = args.suite or args.suite_opt
    if not suite:
        raise InputError(f"name a suite: {', '.join(sorted(SUITES))}")
    module = importlib.import_module(SUITES[suite])
    parser = argparse.ArgumentParser(prog=f"python -m bot bench {suite}", description=plain_help(module.__doc__),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    if hasattr(module, "add_arguments"):
        module.add_arguments(parser)
    return int(module.run(parser.parse_args(args.rest)) or 0)
