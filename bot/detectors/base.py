"""The detector interface, after python-discord's filters: one context passed through every detector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.flags import Flag, Message


@dataclass(slots=True)
class ScanContext:
    """What a detector may look at for one message.

    ``history`` holds the same author's recent messages in the same thread, oldest first, so that
    detectors can score details that accumulate across messages (jigsaw identification).
    ``flags`` collects what earlier detectors found; later detectors may read it.
    """

    message: Message
    history: Sequence[Message] = ()
    flags: list[Flag] = field(default_factory=list)
    extras: dict[str, object] = field(default_factory=dict)  # per-message caches shared by detectors

    @property
    def content(self) -> str:
        return self.message.content


class Detector(Protocol):
    """A detector has a stable name and one method."""

    name: str

    def triggered_on(self, ctx: ScanContext) -> list[Flag]:
        """Return the flags this detector raises for ``ctx.message`` (empty when clean)."""
        ...
