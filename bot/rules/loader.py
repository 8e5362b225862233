"""Loading rule files: TOML parsed, validated with pydantic, one clear line when something is wrong."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from pydantic import ValidationError

from bot.rules.model import Rule, RuleError, RuleFile, RuleSet

#: the folder of rule files that ship with the bot (one sub-folder per area: identity/, abuse/, summary/)
RULES_DIR = Path(__file__).resolve().parent


def rule_files(root: Path = RULES_DIR) -> list[Path]:
    """Every ``*.toml`` rule file under ``root``, sorted."""
    return sorted(root.rglob("*.toml"))


def load_rule_file(path: Path) -> tuple[list[Rule], str | None]:
    """The rules of one file and its runner module; raises :class:`RuleError` with one line."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise RuleError(f"cannot read rule file {path.name}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RuleError(f"rule file {path.name} is not valid TOML: {exc}") from None
    try:
        parsed = RuleFile.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = list(first["loc"])
        where = ".".join(str(p) for p in loc) or "top level"
        if len(loc) >= 2 and loc[0] == "rule" and isinstance(loc[1], int):
            rules = data.get("rule", [])
            rid = rules[loc[1]].get("id", "?") if loc[1] < len(rules) and isinstance(rules[loc[1]], dict) else "?"
            where = f"rule {rid!r} ({'.'.join(str(p) for p in loc[2:]) or 'rule'})"
        raise RuleError(f"rule file {path.name} is invalid at {where}: {first['msg']}") from None
    return parsed.rule, parsed.runner


def load_rules(paths: Iterable[Path] | Path | None = None) -> RuleSet:
    """A :class:`RuleSet` from files (or every file under a folder); ids must be unique across them."""
    if paths is None:
        paths = rule_files()
    elif isinstance(paths, Path):
        paths = rule_files(paths) if paths.is_dir() else [paths]
    rules: list[Rule] = []
    runners: list[str] = []
    for p in paths:
        found, runner = load_rule_file(p)
        rules += found
        if runner:
            runners.append(runner)
    try:
        return RuleSet(rules, tuple(dict.fromkeys(runners)))
    except RuleError as exc:
        raise RuleError(f"{exc} (rule ids must be unique across rule files)") from None


@cache
def shipped_rules() -> RuleSet:
    """The rules that ship with the bot, loaded once per process."""
    return load_rules()
