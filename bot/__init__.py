"""Casewatch engine: case registry, detectors, policy, queue, storage and summaries.

Nothing in this package imports discord.py; the Discord adapters live in ``cogs/``.
"""

__version__ = "0.1.0"


def _larger_regex_cache(size: int = 4096) -> None:
    """Let ``re`` keep every pattern the rule files compile. Its cache holds 512; the rules compile about 1,600
    distinct patterns at start, several twice (a rule file validated, then loaded again by the layer that uses
    it), so the repeats were compiled again (about 0.25 CPU-s of every start, before any message is read)."""
    import re

    if getattr(re, "_MAXCACHE", size) < size:
        re._MAXCACHE = size  # type: ignore[attr-defined]


_larger_regex_cache()
