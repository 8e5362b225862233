"""The micro-batcher: order, isolation of failures, a full queue, and an event loop that stays free."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Sequence

import pytest

from bot.abuse.batching import QUEUE_FULL_NOTE, STATIC_OVERFLOW_NOTE, WARM_UP_TEXT, BatchingScorer
from bot.abuse.detector import AbuseDetector
from bot.abuse.detoxify_backend import DetoxifyScorer
from bot.abuse.scorer import Scores


class LengthScorer:
    """Scores a text by its length (so results can be matched to callers); records batch sizes."""

    name = "length test scorer"
    key = "length"
    is_fallback = False

    def __init__(self, gate: threading.Event | None = None) -> None:
        self.batches: list[list[str]] = []
        self.gate = gate

    @property
    def labels(self) -> tuple[str, ...]:
        return ("toxicity",)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if self.gate is not None and list(texts) != [WARM_UP_TEXT]:
            assert self.gate.wait(5), "test gate never opened"
        self.batches.append(list(texts))
        if any("boom" in t for t in texts):
            raise ValueError("scorer failed")
        return [{"toxicity": min(1.0, len(t) / 100)} for t in texts]


async def test_n_callers_get_n_results_in_order() -> None:
    scorer = LengthScorer()
    texts = ["x" * n for n in range(1, 41)]
    async with BatchingScorer(AbuseDetector(scorer), max_batch=16, max_wait_ms=20) as batcher:
        results = await asyncio.gather(*(batcher.score(t) for t in texts))
    assert [r.scores["toxicity"] for r in results] == [len(t) / 100 for t in texts]
    warm_up, *batches = scorer.batches  # start() scores one warm-up message off the loop
    assert len(warm_up) == 1
    assert sum(len(b) for b in batches) == 40
    assert max(len(b) for b in batches) == 16  # batched, and never over max_batch
    assert batcher.stats.batches == len(batches)


async def test_flags_follow_each_callers_thresholds() -> None:
    from bot.abuse.labels import AbuseThresholds

    async with BatchingScorer(AbuseDetector(LengthScorer()), max_batch=8, max_wait_ms=10) as batcher:
        lax, strict = await asyncio.gather(
            batcher.detect("you " + "y" * 56), batcher.detect("you " + "y" * 56, AbuseThresholds(toxicity=0.5))
        )
    assert lax == [] and strict and strict[0].reason.startswith("toxicity 0.60")


async def test_a_failing_batch_fails_only_its_callers() -> None:
    gate = threading.Event()
    scorer = LengthScorer(gate)
    async with BatchingScorer(AbuseDetector(scorer), max_batch=4, max_wait_ms=5) as batcher:
        first = asyncio.ensure_future(batcher.score("hold the worker"))
        await asyncio.sleep(0.05)  # the worker is now busy with the first batch
        doomed = [asyncio.ensure_future(batcher.score(t)) for t in ("aa", "boom", "cccc", "dd")]
        later = [asyncio.ensure_future(batcher.score(t)) for t in ("eeeee", "ffffff")]
        gate.set()
        await first
        outcomes = await asyncio.gather(*doomed, *later, return_exceptions=True)
    assert all(isinstance(o, ValueError) for o in outcomes[:4])
    assert [o.scores["toxicity"] for o in outcomes[4:]] == [0.05, 0.06]
    assert batcher.stats.failed_batches == 1


async def test_a_full_queue_scores_with_the_offline_default_and_says_so() -> None:
    """Behind a model scorer (Detoxify in production), overflow goes to the offline default: the static scorer."""
    gate = threading.Event()
    scorer = LengthScorer(gate)
    async with BatchingScorer(AbuseDetector(scorer), max_batch=2, max_wait_ms=1, queue_size=2) as batcher:
        busy = asyncio.ensure_future(batcher.score("occupies the worker"))
        await asyncio.sleep(0.05)
        queued = [asyncio.ensure_future(batcher.score(t)) for t in ("q1", "q2")]
        await asyncio.sleep(0)
        overflow = await batcher.detect("I hope someone waits for him outside court with a bat")
        assert not gate.is_set()
        gate.set()
        await asyncio.gather(busy, *queued)
    assert overflow and STATIC_OVERFLOW_NOTE in overflow[0].reason
    assert overflow[0].detector == "abuse:static"
    assert batcher.stats.overflowed == 1


async def test_a_full_queue_behind_the_learned_scorer_uses_the_fallback_and_says_so() -> None:
    from bot.abuse.fallback import ProfanityScorer

    gate = threading.Event()
    scorer = LengthScorer(gate)
    scorer.key = "learned"  # a primary that is itself the learned scorer overflows to the linear fallback
    fallback = AbuseDetector(ProfanityScorer())
    async with BatchingScorer(AbuseDetector(scorer), max_batch=2, max_wait_ms=1, queue_size=2,
                              fallback=fallback) as batcher:
        busy = asyncio.ensure_future(batcher.score("occupies the worker"))
        await asyncio.sleep(0.05)
        queued = [asyncio.ensure_future(batcher.score(t)) for t in ("q1", "q2")]
        await asyncio.sleep(0)
        overflow = await batcher.detect("fuck off you absolute clown")  # returns before the gate opens
        assert not gate.is_set()
        gate.set()
        await asyncio.gather(busy, *queued)
    assert overflow and QUEUE_FULL_NOTE in overflow[0].reason
    assert overflow[0].detector == "abuse:fallback"
    assert batcher.stats.overflowed == 1


async def test_aclose_cancels_what_is_still_queued() -> None:
    gate = threading.Event()
    batcher = BatchingScorer(AbuseDetector(LengthScorer(gate)), max_batch=1, max_wait_ms=0)
    await batcher.start()
    running = asyncio.ensure_future(batcher.score("a"))
    await asyncio.sleep(0.05)
    waiting = asyncio.ensure_future(batcher.score("b"))
    await asyncio.sleep(0)
    closing = asyncio.ensure_future(batcher.aclose())
    await asyncio.sleep(0.05)
    assert not closing.done()  # waits for the running batch
    gate.set()
    await closing
    assert (await running).scores["toxicity"] == 0.01  # the running batch finished for its caller
    with pytest.raises(asyncio.CancelledError):
        await waiting
    with pytest.raises(RuntimeError, match="start"):
        await batcher.score("c")


async def test_real_model_through_the_batcher_matches_direct_scoring(tiny_loaded) -> None:
    detector = AbuseDetector(DetoxifyScorer(tiny_loaded))
    texts = ["you absolute muppet", "The hearing is on Monday.", "court " * 300, "ok"]
    direct = detector.score_many(texts)
    async with BatchingScorer(detector, max_batch=8, max_wait_ms=10) as batcher:
        batched = await asyncio.gather(*(batcher.score(t) for t in texts))
    for d, b in zip(direct, batched, strict=True):
        assert b.scores == pytest.approx(d.scores, abs=1e-5)


class LoopWitnessScorer:
    """Wraps a real scorer; before scoring a batch it waits until the event loop has ticked.

    If scoring ran on the loop, the loop could not tick while the scorer waits, so the wait would
    time out: the check is causal, not a millisecond bar, so machine load cannot fail it.
    """

    def __init__(self, inner: DetoxifyScorer, ticked: threading.Event) -> None:
        self.inner = inner
        self.ticked = ticked
        self.name, self.key, self.is_fallback = inner.name, inner.key, inner.is_fallback
        self.threads: list[int] = []

    @property
    def labels(self) -> tuple[str, ...]:
        return self.inner.labels

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if list(texts) != [WARM_UP_TEXT]:
            self.threads.append(threading.get_ident())
            assert self.ticked.wait(10), "the event loop never ticked while a batch was being scored"
        return self.inner.score_many(texts)


async def test_event_loop_keeps_running_while_the_real_model_scores_a_batch(tiny_loaded) -> None:
    """Scoring runs off the event loop: the loop ticks while the real model holds a batch.

    The lag figure itself is `python -m bot bench abuse`'s; this test checks the mechanism.
    """
    ticked = threading.Event()
    scorer = LoopWitnessScorer(DetoxifyScorer(tiny_loaded), ticked)
    texts = [("hearing panel judge " * 60) + str(i) for i in range(96)]
    async with BatchingScorer(AbuseDetector(scorer), max_batch=96, max_wait_ms=5) as batcher:
        work = asyncio.gather(*(batcher.score(t) for t in texts))
        ticks = 0
        while not work.done():
            await asyncio.sleep(0.001)
            ticks += 1
            if scorer.threads:  # a batch is inside the scorer: the loop is demonstrably free
                ticked.set()
        results = await work
    assert len(results) == 96 and batcher.stats.batches >= 1
    assert scorer.threads and threading.get_ident() not in scorer.threads
    assert ticks >= 1


def test_detect_many_scores_in_bounded_chunks_and_keeps_order() -> None:
    scorer = LengthScorer()
    detector = AbuseDetector(scorer, chunk_size=3)
    texts = ["you " + "z" * (n - 4) for n in range(90, 97)]  # "you": abuse needs a target
    results = detector.score_many(texts)
    assert [len(b) for b in scorer.batches] == [3, 3, 1]
    assert [r.scores["toxicity"] for r in results] == [len(t) / 100 for t in texts]
    assert [len(f) for f in detector.detect_many(texts)] == [1] * 7  # toxicity 0.90+ is over 0.80


async def test_starting_a_batcher_leaves_the_switch_interval_alone() -> None:
    import sys

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        async with BatchingScorer(AbuseDetector(LengthScorer()), max_batch=4, max_wait_ms=5) as batcher:
            await batcher.score("hello")
        assert sys.getswitchinterval() == pytest.approx(0.005)  # a process-wide setting: the composition root's call
    finally:
        sys.setswitchinterval(before)


def test_bound_gil_switch_lowers_and_never_raises() -> None:
    import sys

    from bot.abuse.batching import SWITCH_INTERVAL_S, bound_gil_switch

    before = sys.getswitchinterval()
    try:
        sys.setswitchinterval(0.005)
        bound_gil_switch()
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S)
        sys.setswitchinterval(SWITCH_INTERVAL_S / 2)
        bound_gil_switch()
        assert sys.getswitchinterval() == pytest.approx(SWITCH_INTERVAL_S / 2)
    finally:
        sys.setswitchinterval(before)
