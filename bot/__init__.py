"""Casewatch engine: case registry, detectors, policy, queue, storage and summaries.

Nothing in this package imports discord.py; the Discord adapters live in ``cogs/``.
"""

__version__ = "0.1.0"
