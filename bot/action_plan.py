"""Which Discord actions a flag needs, in the order they must run: take it down, tell the author, queue it.

The plan is computed from what is stored about the flag, so the same plan is made when the flag is first
stored and when its actions are recreated after a crash. Payloads carry no registered identifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from bot.flags import Action
from bot.guild_settings import EscalationStep, GuildSettings
from bot.images.restore import COPY_KEY
from bot.notices import Finding, notice_text, warning_text


@dataclass(frozen=True, slots=True)
class Planned:
    """One action to store in the outbox (it runs after every action planned before it for its flag)."""

    kind: str  # delete | retitle | notify | queue | timeout | repost | queue_update
    payload: dict[str, Any]


class Flagged(Protocol):
    """What the plan reads about a flag (a stored ``FlagRow``, or its draft before it is stored)."""

    @property
    def channel_id(self) -> int | None: ...
    @property
    def message_id(self) -> str: ...
    @property
    def author_id(self) -> str: ...
    @property
    def action(self) -> str: ...
    @property
    def category(self) -> str: ...
    @property
    def excerpt(self) -> str: ...
    @property
    def findings(self) -> Sequence[Finding]: ...


def is_title(flag: Flagged) -> bool:
    return flag.message_id.startswith("title-")


def for_flag(flag: Flagged, settings: GuildSettings, *, basis: dict[str, str],
             already_down: bool = False) -> list[Planned]:
    """A flag's actions: the delete (or retitle), then the author's notice, then the queue post."""
    action, title = Action(flag.action), is_title(flag)
    plan: list[Planned] = []
    if action.rank >= Action.HOLD.rank and not already_down and flag.channel_id is not None:
        if title:
            plan.append(Planned("retitle", {"thread_id": flag.channel_id, "name": flag.excerpt[:100]}))
        else:
            plan.append(Planned("delete", {"channel_id": flag.channel_id, "message_id": int(flag.message_id)}))
        text = notice_text(flag, thread_name="", basis=basis, rules_url=settings.rules_url,
                           held=action is Action.HOLD and not title, title=title)
        plan.append(Planned("notify", {"user_id": int(flag.author_id), "text": text}))
    if settings.queue_channel_id is not None and action is not Action.NONE:
        plan.append(Planned("queue", {"channel_id": settings.queue_channel_id}))
    return plan


def escalation(settings: GuildSettings, author_id: str, count: int) -> list[tuple[EscalationStep, Planned]]:
    """The ladder: the steps due at the author's ``count``-th abuse flag in the window (warn, time out)."""
    steps = []
    for step in (s for s in settings.escalation if s.after == count):
        if step.action == "warn":
            planned = Planned("notify", {"user_id": int(author_id), "text": warning_text(settings.rules_url)})
        else:
            planned = Planned("timeout", {"user_id": int(author_id), "minutes": step.minutes or 60,
                                          "reason": f"Casewatch: {count} abuse flags"})
        steps.append((step, planned))
    return steps


def repost(held: Any) -> Planned:
    """Put a held message back under its author's name (the sealed original is forgotten once done)."""
    files = [a for a in held.attachments if a.get(COPY_KEY)]  # images: only their metadata-free copies
    return Planned("repost", {"channel_id": held.channel_id, "username": held.author_name,
                              "avatar_url": held.author_avatar, "sealed": held.original_sealed,
                              **({"files": files} if files else {})})
