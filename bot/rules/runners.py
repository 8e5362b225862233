"""Per-kind runners: how a rule of each kind decides whether it fires on a text (used by the examples test).

A runner is ``(rule, text) -> bool``. Detectors register one for each kind whose meaning is more than "a
pattern or a word occurs" (a name guard fires when it *suppresses* a name; a tie cue when it ties a
detail to a party). Kinds without one use :func:`fires`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from bot.rules.model import Rule

Runner = Callable[[Rule, str], bool]

_RUNNERS: dict[str, Runner] = {}


def register_runner(kind: str) -> Callable[[Runner], Runner]:
    """Decorator: make ``fn`` the runner of rules of ``kind`` (one runner per kind)."""

    def deco(fn: Runner) -> Runner:
        existing = _RUNNERS.get(kind)
        if existing is not None and existing is not fn and existing.__qualname__ != fn.__qualname__:
            raise ValueError(f"kind {kind!r} already has a runner")
        _RUNNERS[kind] = fn
        return fn

    return deco


def import_runner_modules(modules: tuple[str, ...]) -> None:
    """Import the modules rule files name, so that their runners register."""
    for name in modules:
        importlib.import_module(name)


def runner_for(kind: str) -> Runner:
    return _RUNNERS.get(kind, fires)


def fires(rule: Rule, text: str) -> bool:
    """The generic runner: a pattern or word matches, and, if the rule has context words, one is present."""
    if next(rule.hits(text), None) is None:
        return False
    if not rule.context:
        return True
    folded = " " + " ".join("".join(ch if ch.isalnum() else " " for ch in text.casefold()).split()) + " "
    return any(f" {w} " in folded for w in rule.context_set)
