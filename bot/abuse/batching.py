"""Micro-batching for the bot: many concurrent callers, one model, an event loop that never blocks.

Callers ``await batcher.detect(text)``. One collector task takes up to ``max_batch`` queued messages,
waiting at most ``max_wait_ms`` after the first, and scores them in a one-worker executor; each
caller's future is resolved with its own result, and a failing batch fails only its own callers.
When the bounded queue is full the message is scored at once by a cheaper scorer in its own worker
thread, and the flag says so: the learned offline scorer when the primary is a Detoxify model, else
the alt-profanity-check fallback (a linear model, a millisecond or two). Identity detection must not
await this: run it first and attach abuse flags when they arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.abuse.detector import AbuseDetector, AbuseScores
from bot.abuse.labels import AbuseThresholds
from bot.flags import Flag

log = logging.getLogger(__name__)

QUEUE_FULL_NOTE = "model queue full: scored by the offline fallback"
LEARNED_OVERFLOW_NOTE = "model queue full: scored by the learned offline scorer"
WARM_UP_TEXT = "warm-up"


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
    ):
        if max_batch < 1 or queue_size < 1 or max_wait_ms < 0:
            raise ValueError("max_batch and queue_size must be positive and max_wait_ms not negative")
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
        self._queue = asyncio.Queue(maxsize=self.queue_size)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="abuse-scorer")
        self._overflow_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="abuse-overflow")
        # one warm-up batch off the loop: first calls pay for lazy initialisation inside the model
        await asyncio.get_running_loop().run_in_executor(self._executor, self.detector.score_many, [WARM_UP_TEXT])
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
        try:
            self._queue.put_nowait((text, future))
        except asyncio.QueueFull:
            self.stats.overflowed += 1
            fallback = self._fallback
            assert fallback is not None
            note = LEARNED_OVERFLOW_NOTE if fallback.scorer.key == "learned" else QUEUE_FULL_NOTE
            rows = await asyncio.get_running_loop().run_in_executor(
                self._overflow_executor, lambda: fallback.score_many([text], note=note)
            )
            return rows[0]
        return await future

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
            live = [(text, fut) for text, fut in batch if not fut.done()]
            if not live:
                continue
            self._in_run = True
            try:
                await self._run(loop, live)
            finally:
                self._in_run = False

    async def _run(self, loop: asyncio.AbstractEventLoop,
                   batch: list[tuple[str, asyncio.Future[AbuseScores]]]) -> None:
        texts = [text for text, _ in batch]
        try:
            results = await loop.run_in_executor(self._executor, self.detector.score_many, texts)
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
    """The overflow scorer: the learned one behind a Detoxify model (when it loads), else the fallback."""
    from bot.abuse.fallback import ProfanityScorer

    if primary.scorer.key not in ("learned", "fallback"):
        try:
            from bot.abuse.learned import LearnedScorer

            return AbuseDetector(LearnedScorer(), primary.thresholds, use_patterns=primary.use_patterns)
        except Exception as exc:  # any load failure leaves the linear fallback
            log.warning("learned scorer unavailable for overflow (%s): using the offline fallback", exc)
    return AbuseDetector(ProfanityScorer(), primary.thresholds, use_patterns=primary.use_patterns)
