"""Argument parsing and dispatch for ``python -m bot``; every error is one line on stderr."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot import __version__
from bot.commands import COMMANDS
from bot.errors import CasewatchError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Casewatch: moderation for forums that discuss live legal cases.",
    )
    parser.add_argument("--version", action="version", version=f"casewatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:  # a command whose module is not written yet
            if exc.name == name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from bot.commands.bench import suite_option_to_positional

    parser = build_parser()
    try:
        args = parser.parse_args(suite_option_to_positional(list(sys.argv[1:] if argv is None else argv)))
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except CasewatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
