"""The verdict vocabulary shared by every detector, the policy, the queue and the cogs."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from bot.text import clean_text


class Category(StrEnum):
    """What kind of harm a flag is about."""

    PROTECTED_IDENTITY = "protected_identity"  # a registered name or identifier of a protected party
    IDENTIFYING_DETAIL = "identifying_detail"  # an unregistered detail tied to a protected party
    ABUSE = "abuse"  # insults, threats, identity attacks, obscenity
    UNCHECKED = "unchecked"  # something the bot could not check (an unreadable image): a moderator must look


class Action(StrEnum):
    """What the bot does with a message; ordered from mildest to strongest."""

    NONE = "none"
    REVIEW = "review"  # leave it up, queue it for a moderator
    HOLD = "hold"  # take it down, keep a redacted copy, a moderator may restore it
    REMOVE = "remove"  # take it down for good and tell the author why

    @property
    def rank(self) -> int:
        return _ACTION_RANK[self]

    @classmethod
    def strongest(cls, actions: list[Action] | tuple[Action, ...]) -> Action:
        return max(actions, key=lambda a: a.rank, default=cls.NONE)


_ACTION_RANK = {Action.NONE: 0, Action.REVIEW: 1, Action.HOLD: 2, Action.REMOVE: 3}


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets ``[start, end)`` into the original content, and what to show in their place."""

    start: int
    end: int
    replacement: str  # e.g. "[the pupil]" or "[phone number]"; never the matched text


@dataclass(frozen=True, slots=True)
class Flag:
    """One detector's finding about one message.

    ``reason`` is written for a moderator and may name a protected party's *label* ("the pupil"),
    never a registered name or identifier.
    """

    category: Category
    detector: str
    score: float
    reason: str
    spans: tuple[Span, ...] = ()
    kind: str = ""  # finer grain: "full_name", "surname", "phone", "postcode", "threat", ...
    label: str | None = None  # the protected party's label when the flag is about one
    suggested: Action = Action.REVIEW  # the detector's own view; policy has the last word

    def to_json(self) -> dict[str, object]:
        return {
            "category": str(self.category),
            "detector": self.detector,
            "score": round(self.score, 3),
            "reason": self.reason,
            "spans": [[s.start, s.end] for s in self.spans],
        }


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str = ""
    size: int = 0
    url: str = ""  # where Discord serves it (its CDN); read by bot.images
    path: str = ""  # a local copy (scan input: JSONL "path", an export's downloaded media), maybe relative


@dataclass(slots=True)
class Message:
    """A message as the engine sees it, whatever it came from (Discord, JSONL, an export)."""

    id: str
    author: str
    content: str
    timestamp: str = ""
    attachments: tuple[Attachment, ...] = ()
    reply_to: str | None = None
    thread_id: str = ""
    is_title: bool = False  # a thread title rather than a post
    author_name: str = ""  # the author's display name when ``author`` is an id (forum awareness)
    mentions: tuple[str, ...] = ()  # names of the members the message mentions (Discord's mention list)

    def __post_init__(self) -> None:
        # before anything else reads it: a lone surrogate becomes U+FFFD, the rest is still checked
        self.content = clean_text(self.content)
        self.author = clean_text(self.author)


@dataclass(slots=True)
class Verdict:
    """Everything the engine concluded about one message."""

    message: Message
    flags: list[Flag] = field(default_factory=list)
    action: Action = Action.NONE
    excerpt: str = ""  # the content with every flagged span replaced; safe to show

    @property
    def flagged(self) -> bool:
        return bool(self.flags)
