"""The identity engine: ordered detectors, a policy, redaction; the per-author thread history; and each
thread's last few messages by any author (:class:`ThreadWindow`), from which the identifying-detail detector
works out whom a "she" or "her nan's" refers to.

``IdentityEngine.check`` is the synchronous per-message path used by the scan command, the Discord cogs
and the summariser: protected parties first, then identifying details (which read the protected flags).
Abuse scoring is batched elsewhere and merged afterwards with :meth:`IdentityEngine.finalize`.
"""

from __future__ import annotations

import logging
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import lru_cache, partial

from bot.case import CaseFile
from bot.detectors.base import Detector, ScanContext
from bot.detectors.forum import ForumMembers
from bot.detectors.identifying import (
    NAMED_OF_KEY,
    PUBLIC_KEY,
    PUBLIC_OF_KEY,
    THREAD_KEY,
    IdentifyingDetailDetector,
)
from bot.detectors.protected import ProtectedPartyDetector
from bot.flags import Action, Category, Flag, Message, Verdict
from bot.matcher import ProtectedMatcher
from bot.message_view import MessageView, view_of
from bot.policy import Policy
from bot.protected_text import label_protected
from bot.recognizers.ties import GENDER_WINDOW, accused_nouns
from bot.redact import excerpt
from bot.registry import ProtectedRegistry

log = logging.getLogger(__name__)


class IdentityEngine:
    """Runs the identity detectors over one message and turns their flags into a verdict."""

    def __init__(
        self,
        registry: ProtectedRegistry | None = None,
        *,
        policy: Policy | None = None,
        detectors: Sequence[Detector] | None = None,
        parties: Sequence[tuple[str, str]] | None = None,
        remember: int = 10_000,
        public: ProtectedRegistry | None = None,
        accused: Sequence[str] = (),
    ) -> None:
        """``parties`` ((label, basis) pairs) default to the registry's; ``detectors`` to the standard pair."""
        self.policy = policy or Policy()
        self.registry = registry
        #: the matcher every excerpt is redacted with (see :meth:`excerpt`), made once
        self._labeller = ProtectedMatcher(registry) if registry is not None else None
        #: the case's public parties (defendant named in court, the court, the force): never evidence
        self.public = ProtectedMatcher(public) if public is not None else None
        if parties is None:
            parties = [(p.label, p.basis) for p in registry.parties] if registry is not None else []
        self.parties = list(parties)
        if detectors is None:
            found: list[Detector] = [ProtectedPartyDetector(registry)] if registry is not None else []
            found.append(IdentifyingDetailDetector(self.parties, accused=accused))
            detectors = found
        self.detectors: list[Detector] = list(detectors)
        # message id -> labels of protected parties it named; lets later messages tie details to them
        self._named: OrderedDict[str, tuple[str, ...]] = OrderedDict()
        self._remember = remember
        #: each thread's members (authors, mentioned names): their @names are never a party's handle
        self.members = ForumMembers()
        #: each thread's last few messages by any author: whom a "she" or "their dad" may refer to
        self.window = ThreadWindow()

    @classmethod
    def from_case(cls, case: CaseFile, key: bytes, *, policy: Policy | None = None) -> IdentityEngine:
        parties = [(p.label, p.basis) for p in case.protected]
        return cls(ProtectedRegistry.from_case(case, key), policy=policy, parties=parties,
                   public=ProtectedRegistry.public_from_case(case, key), accused=accused_nouns(case.title, parties))

    def add_members(self, thread_id: str, names: Iterable[str]) -> None:
        """Known members of a thread (``scan`` passes every author of its input up front)."""
        self.members.add(thread_id, names)

    @property
    def labels(self) -> list[str]:
        return [label for label, _ in self.parties]

    def check(self, message: Message, history: Sequence[Message] = ()) -> Verdict:
        """Identity flags, action and redacted excerpt for ``message``.

        ``history``: the same author's recent messages in the same thread, oldest first.
        """
        # parties named in the author's recent messages, or in the message this one replies to
        named = self.history_labels(message, history, self._named)
        self.members.add(message.thread_id, (message.author, message.author_name, *message.mentions))
        ctx = self.context(message, history, self.members.of(message.thread_id),
                           partial(self.window.recent, message), named, self._labels_of)
        self.detect(ctx, self.detectors)
        self.window.add(message)  # after the detectors: the window holds the messages before this one
        labels = self.named_labels(ctx)
        if labels:
            self.remember_named(self._named, message.id, labels)
        return self.verdict_of(ctx)

    # The steps of :meth:`check`, for a caller that keeps the per-thread state itself (``scan`` runs the
    # detectors in worker processes and replays the state, in message order, in the parent: bot.commands.scan_split)

    @staticmethod
    def history_labels(message: Message, history: Sequence[Message],
                       named: Mapping[str, tuple[str, ...]]) -> list[str]:
        """The protected parties named in ``history`` or in the message ``message`` replies to."""
        if named and (history or message.reply_to):
            earlier = [m.id for m in history] + ([message.reply_to] if message.reply_to else [])
            return list(dict.fromkeys(label for mid in earlier for label in named.get(mid, ())))
        return []

    def context(self, message: Message, history: Sequence[Message], members: frozenset[str],
                recent: Callable[[], list[Message]], named: list[str],
                labels_of: Callable[[str], tuple[str, ...]]) -> ScanContext:
        """The detectors' context for ``message``: the thread's ``members`` as of this message, its ``recent``
        window (a function), the parties its author's history ``named`` and ``labels_of`` earlier messages."""
        # the text's shared view (lower case, words, skeleton), computed once for every detector
        view = view_of(message.content)
        ctx = ScanContext(message=message, history=history, shared_view=view,
                          extras={"history_labels": named, "members": members, THREAD_KEY: recent,
                                  NAMED_OF_KEY: labels_of})
        if self.public is not None:
            ctx.extras[PUBLIC_KEY] = self._public_spans(message.content, view)
            ctx.extras[PUBLIC_OF_KEY] = self._public_spans  # earlier messages', found only when a jigsaw needs them
        return ctx

    @staticmethod
    def detect(ctx: ScanContext, detectors: Iterable[Detector]) -> None:
        """Run ``detectors`` in order over ``ctx``; their flags go to ``ctx.flags``."""
        for detector in detectors:
            try:
                found = detector.triggered_on(ctx)
            except Exception as exc:  # one broken detector must not let a message through unseen
                log.error("detector %s failed on message %s: %s", detector.name, ctx.message.id, type(exc).__name__)
                found = [Flag(Category.PROTECTED_IDENTITY, detector.name, 0.5,
                              f"The {detector.name} detector failed on this message; check it by hand",
                              kind="detector_error")]
            ctx.flags.extend(found)

    @staticmethod
    def named_labels(ctx: ScanContext) -> tuple[str, ...]:
        """The protected parties the message named (what later messages' history and window read)."""
        if not ctx.flags:
            return ()
        return tuple(dict.fromkeys(f.label for f in ctx.flags
                                   if f.category is Category.PROTECTED_IDENTITY and f.label))

    def remember_named(self, named: OrderedDict[str, tuple[str, ...]], message_id: str,
                       labels: tuple[str, ...]) -> None:
        """Record that ``message_id`` named ``labels`` in ``named`` (bounded: the oldest entry goes first)."""
        named[message_id] = labels
        if len(named) > self._remember:
            named.popitem(last=False)

    def verdict_of(self, ctx: ScanContext) -> Verdict:
        """The verdict for a context the detectors have run over."""
        if not ctx.flags:  # most messages: nothing to decide or redact
            return Verdict(message=ctx.message)
        return self._conclude(Verdict(message=ctx.message, flags=list(ctx.flags)))

    def _labels_of(self, message_id: str) -> tuple[str, ...]:
        """The protected parties an earlier message named (empty when it named none)."""
        return self._named.get(message_id, ())

    def _public_spans(self, text: str, view: MessageView | None = None) -> list[tuple[int, int, str]]:
        """The public parties a text names, as (start, end, label)."""
        assert self.public is not None
        return [(m.start, m.end, m.label) for m in self.public.find(text, view=view)]

    def finalize(self, verdict: Verdict, extra_flags: Iterable[Flag] = ()) -> Verdict:
        """Merge later flags (abuse) into ``verdict`` and recompute its action and excerpt."""
        verdict.flags.extend(extra_flags)
        return self._conclude(verdict)

    def _conclude(self, verdict: Verdict) -> Verdict:
        verdict.action = self.policy.decide(verdict.flags)
        verdict.excerpt = self.excerpt(verdict.message.content, verdict.flags) if verdict.flags else ""
        return verdict

    def excerpt(self, content: str, flags: Sequence[Flag]) -> str:
        """The redacted excerpt of ``content``: the flags' spans, then every registered name or identifier the
        flags did not cover, the way every output is redacted (a first name with nothing tying it to the case
        is no flag, but is never shown either)."""
        text = excerpt(content, flags)
        if self.registry is None or self._labeller is None:
            return text
        return label_protected(text, self.registry, self._labeller)


def _when(timestamp: str) -> datetime | None:
    when = _parsed(timestamp) if timestamp else None
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=datetime.now().astimezone().tzinfo)


_ZERO = timedelta(0)


def _naive(timestamp: str) -> bool:
    """Whether ``timestamp`` was written without an offset (read in the local zone at the time it is read)."""
    when = _parsed(timestamp) if timestamp else None
    return when is None or when.tzinfo is None


@lru_cache(maxsize=4096)
def _parsed(timestamp: str) -> datetime | None:
    """A timestamp as written (naive ones stay naive); parsed once however many later messages look back at it."""
    try:
        return datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    except ValueError:
        return None


class _RecentMessages:
    """Bounded recent messages per key, oldest first: at most ``size`` per key and ``max_keys`` keys (the
    least recently used key goes first). An edit replaces the earlier version of the same message."""

    def __init__(self, size: int, max_keys: int) -> None:
        self.size = size
        self.max_keys = max_keys
        self._queues: OrderedDict[tuple[str, ...], deque[Message]] = OrderedDict()

    def _key(self, message: Message) -> tuple[str, ...]:
        raise NotImplementedError

    def _queued(self, message: Message) -> list[Message]:
        """The key's messages other than ``message`` itself, oldest first."""
        queue = self._queues.get(self._key(message))
        return [m for m in queue if m.id != message.id] if queue else []

    def add(self, message: Message) -> None:
        key = self._key(message)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque(maxlen=self.size)
        else:
            self._queues.move_to_end(key)
        if any(m.id == message.id for m in queue):  # an edit replaces its earlier version
            kept = [m for m in queue if m.id != message.id]
            queue.clear()
            queue.extend(kept)
        queue.append(message)
        while len(self._queues) > self.max_keys:
            self._queues.popitem(last=False)

    def forget(self, thread_id: str) -> None:
        """Drop a thread's messages (the thread was deleted or unlinked)."""
        for key in [k for k in self._queues if k[0] == thread_id]:
            del self._queues[key]

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())


class ThreadHistory(_RecentMessages):
    """Each author's recent messages per thread (bounded in count, age and number of threads x authors)."""

    def __init__(
        self, max_messages: int = 20, max_age: timedelta = timedelta(hours=24), max_keys: int = 10_000
    ) -> None:
        super().__init__(max_messages, max_keys)
        self.max_age = max_age
        self._whens: dict[str, datetime] = {}  # timestamp -> instant, for timestamps that carry their offset

    @property
    def max_messages(self) -> int:
        return self.size

    def _key(self, message: Message) -> tuple[str, ...]:
        return (message.thread_id, message.author)

    def recent(self, message: Message) -> list[Message]:
        """The same author's earlier messages in the same thread, oldest first, within ``max_age``."""
        queued = self._queued(message)
        now = _when(message.timestamp) if queued else None
        if now is None:  # no time to compare with: every queued message is recent
            return queued
        zero, max_age, whens = _ZERO, self.max_age, self._whens
        out = []
        for earlier in queued:
            stamp = earlier.timestamp
            then = whens.get(stamp)
            if then is None:
                then = _when(stamp)
                if then is not None and not _naive(stamp):
                    if len(whens) >= 4096:
                        whens.clear()
                    whens[stamp] = then  # a written offset: the same instant every time it is read
            if then is not None and not zero <= now - then <= max_age:
                continue
            out.append(earlier)
        return out


class ThreadWindow(_RecentMessages):
    """The last few messages of each thread by any author, oldest first (bounded in messages and threads):
    the earlier messages a pronoun or "their dad" in the next one may point back to."""

    def __init__(self, size: int = GENDER_WINDOW, max_threads: int = 2_000) -> None:
        super().__init__(size, max_threads)

    @property
    def max_threads(self) -> int:
        return self.max_keys

    def _key(self, message: Message) -> tuple[str, ...]:
        return (message.thread_id,)

    def recent(self, message: Message) -> list[Message]:
        """The thread's messages checked before ``message`` (not ``message`` itself, if it was checked)."""
        return self._queued(message)


__all__ = ["Action", "IdentityEngine", "ThreadHistory", "ThreadWindow"]
