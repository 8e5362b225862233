"""``--help`` reads as plain text: no reStructuredText markup, and every command describes itself."""

from __future__ import annotations

import subprocess
import sys

import pytest

from bot.cli import build_parser, main
from bot.commands import COMMANDS


@pytest.mark.parametrize("suite", ["identity", "abuse"])
def test_bench_suite_help_has_no_restructuredtext(suite: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["bench", suite, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "``" not in out and ":class:" not in out and ":func:" not in out and "`" not in out
    assert len(out.split("\n\n")) >= 3, "paragraphs are kept"


def test_every_command_has_a_description() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name, command in sub.choices.items():  # type: ignore[attr-defined]
        assert command.description, f"`python -m bot {name} --help` has no description"


def _commands(parser: object) -> set[str]:
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")  # type: ignore[attr-defined]
    return set(sub.choices)  # type: ignore[attr-defined]


def test_each_command_is_registered_by_its_own_module() -> None:
    assert _commands(build_parser()) == set(COMMANDS)
    for name in COMMANDS:
        assert _commands(build_parser(name)) == {name}


def test_running_scan_does_not_import_the_discord_client() -> None:
    probe = ("import sys; from bot.cli import build_parser; build_parser('scan'); "
             "print(sorted(m for m in ('discord', 'aiohttp') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
