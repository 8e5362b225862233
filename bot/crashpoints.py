"""Named points on the path of a removal, where the crash test may kill the process.

:func:`reached` does nothing unless a test installed a hook with :func:`install`; nothing in the bot,
its settings or its environment installs one (the crash test does it from a ``sitecustomize`` module
that exists only under ``tests/``), so production cannot turn it on by accident.
"""

from __future__ import annotations

from collections.abc import Callable

_hook: Callable[[str], None] | None = None


def install(hook: Callable[[str], None] | None) -> None:
    """Call ``hook(point)`` at every named point (``None`` removes it). For tests only."""
    global _hook
    _hook = hook


def reached(point: str) -> None:
    """Mark a named point (``flag.inserted``, ``flag.stored``, ``action.claimed:delete``, ...)."""
    if _hook is not None:
        _hook(point)
