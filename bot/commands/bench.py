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
    "load": "bot.loadtest.bench",  # bot processes x shards on one database through a loopback gateway
    "images": "bot.images.bench",  # image reading (OCR): images/s, p50/p99 by size, RSS, event-loop lag
    "import": "bot.bench_import",  # /case import of a 256 KB case file: RSS and event-loop stall
    "scan": "bot.abuse.bench_scan",  # whole-process `scan` of 20,000 distinct messages, abuse on and off
}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="run a benchmark suite (identity, abuse, images or load)",
        description="Run a benchmark suite; options after the suite name go to the suite "
                    "(see: python -m bot bench abuse --help).",
    )
    p.add_argument("args", nargs=argparse.REMAINDER, metavar="SUITE [options]",
                   help=f"which suite to run ({', '.join(sorted(SUITES))}; `--suite NAME` works too), then its "
                        "options")
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


def suite_option_to_positional(argv: list[str]) -> list[str]:
    """``bench --suite NAME ...`` (as older Makefiles call it) -> ``bench NAME ...``: argparse cannot hand the
    options after ``--suite NAME`` to the suite otherwise. The suite is read by :func:`split_suite`."""
    if len(argv) >= 2 and argv[0] == "bench" and argv[1].startswith("--suite"):
        suite, rest = split_suite(argv[1:])
        return [argv[0], suite, *rest]
    return argv


def split_suite(argv: list[str]) -> tuple[str, list[str]]:
    """``SUITE rest...``, ``--suite SUITE rest...`` or ``--suite=SUITE rest...`` -> (suite, rest)."""
    if argv and argv[0] == "--suite":
        suite, rest = (argv[1] if len(argv) > 1 else ""), argv[2:]
    elif argv and argv[0].startswith("--suite="):
        suite, rest = argv[0].split("=", 1)[1], argv[1:]
    elif argv and not argv[0].startswith("-"):
        suite, rest = argv[0], argv[1:]
    else:
        suite, rest = "", argv
    if suite not in SUITES:
        raise InputError(f"name a suite: {', '.join(sorted(SUITES))}" + (f" (not {suite!r})" if suite else ""))
    return suite, rest


def handle(args: argparse.Namespace) -> int:
    suite, rest = split_suite(list(args.args))
    module = importlib.import_module(SUITES[suite])
    parser = argparse.ArgumentParser(prog=f"python -m bot bench {suite}", description=plain_help(module.__doc__),
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    if hasattr(module, "add_arguments"):
        module.add_arguments(parser)
    return int(module.run(parser.parse_args(rest)) or 0)
