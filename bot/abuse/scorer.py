"""The scorer interface: texts in, per-label scores (0..1) out, in order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

Scores = dict[str, float]


@runtime_checkable
class Scorer(Protocol):
    """A synchronous, batched abuse scorer; implementations may be slow and are run off the event loop."""

    #: For people: "detoxify-original (onnx int8)", "offline fallback (alt-profanity-check)".
    name: str
    #: Short machine key used in flag detector names: "detoxify", "onnx-int8", "fallback".
    key: str
    #: True for the offline fallback: its flags are for review only.
    is_fallback: bool

    @property
    def labels(self) -> tuple[str, ...]: ...

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        """One dict of label -> score per text, in the order given."""
        ...
