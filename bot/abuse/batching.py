"""Micro-batching for the bot: many concurrent callers, one model, an event loop that never blocks.

Callers ``await batcher.detect(text)``. One collector task takes up to ``max_batch`` queued messages,
waiting at most ``max_wait_ms`` after the first, and scores them in a one-worker executor; each
caller's future is resolved with its own result, and a failing batch fails only its own callers.
When the primary falls behind (the bounded queue is full, holds ``overflow_depth`` messages, or its oldest
message has waited ``max_age_ms``), a new message is scored by a cheaper scorer through its own batcher,
and so is a queued message that has waited ``max_age_ms`` by the time the primary could take it, and (with
``hedge_ms``, which the bot sets to the age bound) a batch the primary has not finished in that time: the
first result wins. The flag says so: the static offline scorer (the offline default) behind a Detoxify model, the
learned scorer or the cascade, else the alt-profanity-check fallback (a linear model, a millisecond or two). The
log says so once when overflow starts and once when the primary has caught up. Identity detection must not
await this: run it first and attach abuse flags when they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import sys
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.abuse.detector import AbuseDetector, AbuseScores
from bot.abuse.labels import AbuseThresholds
from bot.flags import Flag

log = logging.getLogger(__name__)

QUEUE_FULL_NOTE = "model queue full or behind: scored by the offline fallback"
LEARNED_OVERFLOW_NOTE = "model queue full or behind: scored by the learned offline scorer"
STATIC_OVERFLOW_NOTE = "model queue full or behind: scored by the static offline scorer"
_OVERFLOW_NOTES = {"learned": LEARNED_OVERFLOW_NOTE, "static": STATIC_OVERFLOW_NOTE}
BEHIND_NOTE, LEARNED_BEHIND_NOTE = QUEUE_FULL_NOTE, LEARNED_OVERFLOW_NOTE
WARM_UP_TEXT = "warm-up"
#: The scorer thread's Python work (patterns, targeting, the linear fallback) holds the GIL; with CPython's
#: default 5 ms switch interval the event loop can wait that long for it on every tick. 1 ms bounds that.
SWITCH_INTERVAL_S = 0.001


def bound_gil_switch() -> None:
    """Lower CPython's thread switch interval to :data:`SWITCH_INTERVAL_S` (never raise it).

    A process-wide setting, so only a composition root calls it (``python -m bot run``, the load benchmark):
    a library object that changed it on start would change every other thread's scheduling behind its back.
    """
    if sys.getswitchinterval() > SWITCH_INTERVAL_S:
        sys.setswitchinterval(SWITCH_INTERVAL_S)


def warm_up_texts(detector: AbuseDetector) -> list[str]:
    """What a batcher scores before it takes its first message.

    A scorer with lazy stages (``lazy_stages``: the static scorer's detail ablation loads the identity recognizers
    on first use, about 1.7 CPU-seconds, and every rule compiles its regexes the first time its pre-check passes)
    gets the shipped rules' examples, so those seconds are paid at start, off the loop, not by the first flagged
    messages (which waited past the age bound and overflowed while they were paid). Others get one short text."""
    if not getattr(detector.scorer, "lazy_stages", False):
        return [WARM_UP_TEXT]
    from bot.rules.loader import shipped_rules

    return [WARM_UP_TEXT, *dict.fromkeys(text for rule in shipped_rules() for text in rule.examples)]


@dataclass(slots=True)
class BatchStats:
    batches: int = 0
    messages: int = 0
    largest_batch: int = 0
    overflowed: int = 0
    failed_batches: int = 0


class BatchingScorer:
    """An async front for :class:`AbuseDetector` that batches concurrent requests."""

    def __init__(
        self,
        detector: AbuseDetector,
        *,
        max_batch: int = 16,
        max_wait_ms: float = 50.0,
        queue_size: int = 512,
        fallback: AbuseDetector | None = None,
        max_age_ms: float | None = None,
        overflow_depth: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        note: str = "",
        hedge_ms: float | None = None,
    ):
        if max_batch < 1 or queue_size < 1 or max_wait_ms < 0:
            raise ValueError("max_batch and queue_size must be positive and max_wait_ms not negative")
        if (max_age_ms is not None and max_age_ms <= 0) or (overflow_depth is not None and overflow_depth < 1):
            raise ValueError("max_age_ms and overflow_depth must be positive")
        self.max_age = None if max_age_ms is None else max_age_ms / 1000.0
        self.overflow_depth = overflow_depth
        self._clock = clock
        self._waiting: deque[float] = deque()  # admission times of the messages not yet scored (FIFO)
        self._behind = False
        self.note = note  # said in every result of this batcher (an overflow batcher says why it scored)
        #: a batch the primary has not finished after this long is also sent to the overflow scorer
        self.hedge = None if hedge_ms is None else hedge_ms / 1000.0
        self._overflow_batcher: BatchingScorer | None = None
        self._diverted: set[asyncio.Task[None]] = set()  # messages handed to the overflow batcher from the queue
        self.detector = detector
        self.max_batch = max_batch
        self.max_wait = max_wait_ms / 1000.0
        self.queue_size = queue_size
        self._fallback = fallback
        self._queue: asyncio.Queue[tuple[str, asyncio.Future[AbuseScores]]] | None = None
        self._executor: ThreadPoolExecutor | None = None
        self._overflow_executor: ThreadPoolExecutor | None = None
        self._collector: asyncio.Task[None] | None = None
        self.stats = BatchStats()
        self._closing = False
        self._in_run = False

    @classmethod
    def from_settings(cls, detector: AbuseDetector, settings: object) -> BatchingScorer:
        return cls(
            detector,
            max_batch=int(getattr(settings, "abuse_batch_size", 16)),
            max_wait_ms=float(getattr(settings, "abuse_batch_wait_ms", 50.0)),
            queue_size=int(getattr(settings, "abuse_queue_size", 512)),
            max_age_ms=getattr(settings, "abuse_max_queue_age_ms", None),
            overflow_depth=getattr(settings, "abuse_overflow_depth", None),
            hedge_ms=getattr(settings, "abuse_max_queue_age_ms", None),
        )

    @property
    def scorer_name(self) -> str:
        return self.detector.scorer_name

    @property
    def running(self) -> bool:
        return self._collector is not None and not self._collector.done()

    async def start(self) -> None:
        if self.running:
            return
        if self._fallback is None:
            self._fallback = self.detector if self.detector.is_fallback else _fallback_detector(self.detector)
        self._closing = False
        self._waiting.clear()
        self._behind = False
        self._queue = asyncio.Queue(maxsize=self.queue_size)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="abuse-scorer")
        self._overflow_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="abuse-overflow")
        if self._fallback is not self.detector:  # overflow is batched too, and bounded the same way
            note = _OVERFLOW_NOTES.get(self._fallback.scorer.key, QUEUE_FULL_NOTE)
            self._overflow_batcher = BatchingScorer(
                self._fallback, max_batch=self.max_batch, max_wait_ms=self.max_wait * 1000,
                queue_size=self.queue_size, max_age_ms=None if self.max_age is None else self.max_age * 1000,
                overflow_depth=self.overflow_depth, clock=self._clock, note=note,
                hedge_ms=None if self.hedge is None else self.hedge * 1000)
            await self._overflow_batcher.start()
        # one warm-up batch off the loop: first calls pay for lazy initialisation inside the model
        await asyncio.get_running_loop().run_in_executor(self._executor, self.detector.score_many,
                                                         warm_up_texts(self.detector))
        self._collector = asyncio.create_task(self._collect(), name="abuse-batch-collector")

    async def aclose(self) -> None:
        """Stop collecting: a running batch finishes and its callers get their results; messages still
        queued are cancelled."""
        self._closing = True
        if self._collector is not None:
            if not self._in_run:
                self._collector.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._collector
            self._collector = None
        if self._queue is not None:
            while not self._queue.empty():
                _, future = self._queue.get_nowait()
                if not future.done():
                    future.cancel()
        for executor in (self._executor, self._overflow_executor):
            if executor is not None:
                executor.shutdown(wait=True)
        if self._overflow_batcher is not None:
            await self._overflow_batcher.aclose()
            self._overflow_batcher = None
        self._executor = self._overflow_executor = None

    async def __aenter__(self) -> BatchingScorer:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def score(self, text: str) -> AbuseScores:
        """Scores for one message, batched with whatever else is waiting."""
        if self._queue is None or not self.running or self._closing:
            raise RuntimeError("BatchingScorer.start() has not been awaited")
        future: asyncio.Future[AbuseScores] = asyncio.get_running_loop().create_future()
        if self._falling_behind():
            return await self._overflow(text, full=False)
        try:
            self._queue.put_nowait((text, future))
        except asyncio.QueueFull:
            return await self._overflow(text, full=True)
        self._waiting.append(self._clock())
        return await future

    def _falling_behind(self) -> bool:
        """True while ``overflow_depth`` messages wait or are being scored, or the oldest of them was admitted
        ``max_age_ms`` ago."""
        if self._fallback is self.detector:
            return False  # nothing cheaper to overflow to: wait in the queue
        depth = len(self._waiting)
        age = self._clock() - self._waiting[0] if self._waiting else 0.0
        behind = (self.overflow_depth is not None and depth >= self.overflow_depth) or (
            self.max_age is not None and age >= self.max_age)
        if behind != self._behind:
            self._behind = behind
            if behind:
                log.warning("abuse model %s is behind (%d queued, oldest %.0f ms): new messages are scored by %s "
                            "until it catches up", self.detector.scorer.key, depth, age * 1000, self._overflow_name())
            else:
                log.info("abuse model %s caught up: overflow stopped", self.detector.scorer.key)
        return behind

    def _overflow_name(self) -> str:
        return self._fallback.scorer_name if self._fallback is not None else "the offline fallback"

    async def _overflow(self, text: str, *, full: bool) -> AbuseScores:
        """Score ``text`` with the overflow scorer (through its own batcher); its flag says why."""
        self.stats.overflowed += 1
        if self._overflow_batcher is not None:
            return await self._overflow_batcher.score(text)
        fallback = self._fallback  # the cheapest scorer with its own queue full: scored at once
        assert fallback is not None
        note = _OVERFLOW_NOTES.get(fallback.scorer.key, QUEUE_FULL_NOTE)
        rows = await asyncio.get_running_loop().run_in_executor(
            self._overflow_executor, lambda: fallback.score_many([text], note=note)
        )
        return rows[0]

    async def detect(self, text: str, thresholds: AbuseThresholds | None = None) -> list[Flag]:
        """Abuse flags for one message (``thresholds``: the guild's, else the detector's defaults)."""
        return self.detector.flags_for([await self.score(text)], thresholds)[0]

    async def detect_many(self, texts: Sequence[str], thresholds: AbuseThresholds | None = None) -> list[list[Flag]]:
        return list(await asyncio.gather(*(self.detect(t, thresholds) for t in texts)))

    async def _collect(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while not self._closing:
            batch = [await self._queue.get()]
            deadline = loop.time() + self.max_wait
            while len(batch) < self.max_batch:
                if not self._queue.empty():
                    batch.append(self._queue.get_nowait())
                    continue
                remaining = deadline - loop.time()
                if remaining <= 0:
                    break
                try:
                    batch.append(await asyncio.wait_for(self._queue.get(), remaining))
                except TimeoutError:
                    break
            live = [(text, fut) for i, (text, fut) in enumerate(batch) if not fut.done() and not self._stale(i)]
            for i, (text, fut) in enumerate(batch):
                if not fut.done() and self._stale(i):  # waited past the bound: the overflow scorer takes it
                    self._diverted.add(asyncio.create_task(self._divert(text, fut)))
                    self._diverted = {t for t in self._diverted if not t.done()}
            self._in_run = True
            try:
                if live:
                    await self._run(loop, live)
            finally:
                self._in_run = False
                for _ in batch:  # scored (or failed, or cancelled): no longer counts against the bounds
                    if self._waiting:
                        self._waiting.popleft()

    def _stale(self, i: int) -> bool:
        """The i-th message of the batch being formed was admitted ``max_age_ms`` ago or more."""
        return (self.max_age is not None and self._overflow_batcher is not None and i < len(self._waiting)
                and self._clock() - self._waiting[i] >= self.max_age)

    async def _divert(self, text: str, fut: asyncio.Future[AbuseScores]) -> None:
        try:
            result = await self._overflow(text, full=False)
        except Exception as exc:
            if not fut.done():
                fut.set_exception(exc)
            return
        if not fut.done():
            fut.set_result(result)

    async def _run(self, loop: asyncio.AbstractEventLoop,
                   batch: list[tuple[str, asyncio.Future[AbuseScores]]]) -> None:
        texts = [text for text, _ in batch]
        work = loop.run_in_executor(self._executor, functools.partial(self.detector.score_many, texts, note=self.note))
        try:
            if self.hedge is not None and self._overflow_batcher is not None:
                done, _ = await asyncio.wait({work}, timeout=self.hedge)
                if not done:  # the primary is still on it: the overflow scorer answers, first result wins
                    for text, fut in batch:
                        if not fut.done():
                            self._diverted.add(asyncio.create_task(self._divert(text, fut)))
            results = await work
        except asyncio.CancelledError:
            for _, fut in batch:
                if not fut.done():
                    fut.cancel()
            raise
        except Exception as exc:  # a failing batch fails only its own callers
            self.stats.failed_batches += 1
            log.warning("abuse scoring failed for a batch of %d: %s", len(batch), type(exc).__name__)
            for _, fut in batch:
                if not fut.done():
                    fut.set_exception(exc)
            return
        self.stats.batches += 1
        self.stats.messages += len(batch)
        self.stats.largest_batch = max(self.stats.largest_batch, len(batch))
        for (_, fut), result in zip(batch, results, strict=True):
            if not fut.done():
                fut.set_result(result)


def _fallback_detector(primary: AbuseDetector) -> AbuseDetector:
    """The overflow scorer: the offline default (the static scorer, about 80 times cheaper than the learned one, so
    it keeps up where a Detoxify model or the MiniLM encoder falls behind) behind every model scorer; the learned
    scorer if the static one cannot load behind Detoxify; the alt-profanity-check fallback behind the static scorer
    itself, or when nothing else loads."""
    from bot.abuse.fallback import ProfanityScorer

    key = primary.scorer.key
    if key not in ("static", "fallback"):
        try:
            from bot.abuse.static import StaticScorer

            return AbuseDetector(StaticScorer(), primary.thresholds, use_patterns=primary.use_patterns)
        except Exception as exc:  # any load failure leaves the next cheaper scorer
            log.warning("static scorer unavailable for overflow (%s): trying the next offline scorer", exc)
        if key != "learned":
            try:
                from bot.abuse.learned import LearnedScorer

                return AbuseDetector(LearnedScorer(), primary.thresholds, use_patterns=primary.use_patterns)
            except Exception as exc:  # any load failure leaves the linear fallback
                log.warning("learned scorer unavailable for overflow (%s): using the offline fallback", exc)
    return AbuseDetector(ProfanityScorer(), primary.thresholds, use_patterns=primary.use_patterns)
