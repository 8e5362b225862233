"""Helpers for CPU work that runs in a worker thread, off the event loop."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large, acyclic structure (a case's registry) is built.

    A full collection triggered by the allocations holds the GIL for hundreds of milliseconds, which stalls
    the event loop even though the work itself runs in another thread. Reference counting still frees
    everything; the collector resumes afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
