"""The detector interface, after python-discord's filters: one context passed through every detector."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from bot.flags import Flag, Message
from bot.message_view import MessageView, view_of


@dataclass(slots=True)
class ScanContext:
    """What a detector may look at for one message.

    ``history`` holds the same author's recent messages in the same thread, oldest first, so that
    detectors can score details that accumulate across messages (jigsaw identification).
    ``flags`` collects what earlier detectors found; later detectors may read it.
    ``view`` is the message text's shared :class:`~bot.message_view.MessageView` (lower-cased text,
    words, skeleton, ...), computed once for all detectors.
    """

    message: Message
    history: Sequence[Message] = ()
    flags: list[Flag] = field(default_factory=list)
    extras: dict[str, object] = field(default_factory=dict)  # per-message caches shared by detectors
    shared_view: MessageView | None = field(default=None, repr=False, compare=False)

    @property
    def content(self) -> str:
        return self.message.content

    @property
    def view(self) -> MessageView:
        """The message text's shared view (the same object :func:`bot.message_view.view_of` returns)."""
        view = self.shared_view
        if view is None:
            view = self.shared_view = view_of(self.message.content)
        return view


class Detector(Protocol):
    """A detector has a stable name and one method."""

    name: str

    def triggered_on(self, ctx: ScanContext) -> list[Flag]:
        """Return the flags this detector raises for ``ctx.message`` (empty when clean)."""
        ...
