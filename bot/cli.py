"""Argument parsing and dispatch for ``python -m bot``; every error is one line on stderr."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from bot import __version__
from bot.commands import COMMANDS
from bot.errors import CasewatchError


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or with ``only`` (a command's name) just that command: its module alone is
    imported (each command's module imports what it runs, some of it slow: the Discord client, the models)."""
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Casewatch: moderation for forums that discuss live legal cases.",
    )
    parser.add_argument("--version", action="version", version=f"casewatch {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, module_name in COMMANDS.items():
        if only is not None and name != only:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:  # a command whose module is not written yet
            if exc.name == module_name:
                continue
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from bot.commands.bench import suite_option_to_positional

    words = suite_option_to_positional(list(sys.argv[1:] if argv is None else argv))
    command = next((w for w in words if not w.startswith("-")), None)
    parser = build_parser(command if command in COMMANDS else None)  # help or a mistake: every command
    try:
        args = parser.parse_args(words)
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        return int(args.func(args) or 0)
    except CasewatchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
