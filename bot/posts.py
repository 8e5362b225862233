"""What the Discord side hands the engine (a :class:`Post`) and what a check returns (an :class:`Outcome`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.flags import Attachment, Message, Verdict
from bot.text import clean_text


@dataclass(slots=True)
class Post:
    """A message, or a thread title, as the Discord side hands it over."""

    guild_id: int
    thread_id: int
    forum_id: int | None
    message_id: int
    author_id: int
    author_name: str
    content: str
    author_avatar: str = ""
    timestamp: str = ""
    role_ids: tuple[int, ...] = ()
    attachments: tuple[Attachment, ...] = ()
    reply_to: int | None = None
    is_title: bool = False
    is_edit: bool = False
    replay: bool = False  # read back from history after downtime: it may have been checked already

    def __post_init__(self) -> None:
        # before anything else reads them: a lone surrogate becomes U+FFFD, the rest is still checked
        self.content = clean_text(self.content)
        self.author_name = clean_text(self.author_name)

    @property
    def key(self) -> str:
        """The id flags are stored under: the message id, or ``title-<thread id>`` for a thread title."""
        return f"title-{self.thread_id}" if self.is_title else str(self.message_id)

    def to_message(self) -> Message:
        return Message(
            id=self.key, author=str(self.author_id), content=self.content, timestamp=self.timestamp,
            attachments=self.attachments, reply_to=str(self.reply_to) if self.reply_to else None,
            thread_id=str(self.thread_id), is_title=self.is_title,
        )


@dataclass(slots=True)
class Outcome:
    """What a check concluded: the verdict, the stored flag and the stored actions to run (in order)."""

    verdict: Verdict | None = None
    flag_id: int | None = None
    actions: list[int] = field(default_factory=list)
    skipped: str = ""  # why the post was not checked, or why a flagged edit raised no new alert
