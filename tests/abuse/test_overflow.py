"""Overflow when the primary scorer falls behind: queue depth or age over a bound -> the learned scorer.

Deterministic: the primary blocks on a gate until the test opens it, and the queue's age is read from a
clock the test moves by hand. No test waits for wall time to pass.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Sequence

import pytest

from bot.abuse.batching import LEARNED_BEHIND_NOTE, BatchingScorer
from bot.abuse.detector import AbuseDetector
from bot.abuse.scorer import Scores
from bot.settings import Settings


class GatedScorer:
    """A 'Detoxify-like' primary that blocks until the gate opens (the warm-up passes)."""

    name = "gated primary"
    key = "onnx-int8"
    is_fallback = False

    def __init__(self, gate: threading.Event) -> None:
        self.gate = gate
        self.seen: list[str] = []

    @property
    def labels(self) -> tuple[str, ...]:
        return ("toxicity",)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if list(texts) != ["warm-up"]:
            assert self.gate.wait(5), "test gate never opened"
            self.seen += texts
        return [{"toxicity": 0.0} for _ in texts]


class MarkScorer:
    """Stands in for the learned scorer: key "learned", scores every text 0.95 threat."""

    name = "learned stand-in"
    key = "learned"
    is_fallback = False

    def __init__(self) -> None:
        self.seen: list[str] = []

    @property
    def labels(self) -> tuple[str, ...]:
        return ("threat",)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        self.seen += [t for t in texts if t != "warm-up"]  # the overflow batcher warms up its scorer too
        return [{"threat": 0.95} for _ in texts]


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


async def _settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_an_old_queue_sends_new_messages_to_the_learned_scorer_and_says_so_once(
        caplog: pytest.LogCaptureFixture) -> None:
    gate, clock, learned = threading.Event(), Clock(), MarkScorer()
    primary = GatedScorer(gate)
    batcher = BatchingScorer(AbuseDetector(primary), max_batch=1, max_wait_ms=0, queue_size=64, max_age_ms=500,
                             fallback=AbuseDetector(learned), clock=clock)
    await batcher.start()
    try:
        running = asyncio.ensure_future(batcher.score("taken by the worker, which blocks"))
        await _settle()
        queued = [asyncio.ensure_future(batcher.score(f"waiting {i}")) for i in range(3)]
        await _settle()
        clock.now += 0.499  # the oldest waiting message is just under the bound: still queued
        young = asyncio.ensure_future(batcher.score("still young enough to queue"))
        await _settle()
        clock.now += 0.002  # now over it
        with caplog.at_level(logging.INFO, logger="bot.abuse.batching"):
            flags = [await batcher.detect(f"you will regret this {i}") for i in range(3)]
        assert learned.seen == [f"you will regret this {i}" for i in range(3)]
        assert all(f and LEARNED_BEHIND_NOTE in f[0].reason and f[0].detector == "abuse:learned" for f in flags)
        behind = [r for r in caplog.records if "is behind" in r.getMessage()]
        assert len(behind) == 1  # one line when overflow starts, not one per message
        assert "5 queued, oldest 501 ms" in behind[0].getMessage()
        assert batcher.stats.overflowed == 3
        gate.set()
        await asyncio.gather(running, *queued, young)
        assert primary.seen[-1] == "still young enough to queue"
        clock.now += 10  # the queue is empty now: however late it is, the primary takes new messages again
        caplog.clear()
        with caplog.at_level(logging.INFO, logger="bot.abuse.batching"):
            await batcher.score("back to the primary")
        assert primary.seen[-1] == "back to the primary"
        assert any("caught up" in r.getMessage() for r in caplog.records)
        assert batcher.stats.overflowed == 6  # the three that waited 501 ms went to the learned scorer too
        assert learned.seen[3:] == [f"waiting {i}" for i in range(3)]
    finally:
        gate.set()
        await batcher.aclose()


async def test_a_deep_queue_overflows_before_it_is_full() -> None:
    gate, learned = threading.Event(), MarkScorer()
    batcher = BatchingScorer(AbuseDetector(GatedScorer(gate)), max_batch=1, max_wait_ms=0, queue_size=64,
                             overflow_depth=3, fallback=AbuseDetector(learned), clock=Clock())
    await batcher.start()
    try:
        running = asyncio.ensure_future(batcher.score("taken by the worker"))
        await _settle()
        queued = [asyncio.ensure_future(batcher.score(f"waiting {i}")) for i in range(2)]
        await _settle()
        over = await batcher.score("third in the queue would exceed the depth bound")
        assert over.note == LEARNED_BEHIND_NOTE and over.scorer == "learned"  # 1 running + 2 waiting
        assert learned.seen == ["third in the queue would exceed the depth bound"]
        gate.set()
        await asyncio.gather(running, *queued)
    finally:
        gate.set()
        await batcher.aclose()


async def test_no_overflow_when_the_primary_is_itself_the_cheapest_scorer() -> None:
    """The offline fallback as primary has nothing cheaper behind it: messages wait in the queue."""
    from bot.abuse.fallback import ProfanityScorer

    clock = Clock()
    batcher = BatchingScorer(AbuseDetector(ProfanityScorer()), max_batch=4, max_wait_ms=0, max_age_ms=1,
                             overflow_depth=1, clock=clock)
    async with batcher:
        first = asyncio.ensure_future(batcher.score("one"))
        clock.now += 5
        results = await asyncio.gather(first, batcher.score("two"))
    assert [r.note for r in results] == ["", ""] and batcher.stats.overflowed == 0


def test_bounds_come_from_settings() -> None:
    batcher = BatchingScorer.from_settings(AbuseDetector(MarkScorer()),
                                           Settings(abuse_max_queue_age_ms=250, abuse_overflow_depth=40))
    assert batcher.max_age == 0.25 and batcher.overflow_depth == 40 and batcher.hedge == 0.25
    with pytest.raises(ValueError):
        BatchingScorer(AbuseDetector(MarkScorer()), max_age_ms=0)


async def test_a_message_that_waited_too_long_in_the_queue_is_diverted_to_the_learned_scorer() -> None:
    gate, clock, learned = threading.Event(), Clock(), MarkScorer()
    primary = GatedScorer(gate)
    batcher = BatchingScorer(AbuseDetector(primary), max_batch=1, max_wait_ms=0, queue_size=64, max_age_ms=500,
                             fallback=AbuseDetector(learned), clock=clock)
    await batcher.start()
    try:
        running = asyncio.ensure_future(batcher.score("taken by the worker, which blocks"))
        await _settle()
        waiting = asyncio.ensure_future(batcher.score("admitted young, then waits too long"))
        await _settle()
        clock.now += 0.6  # the primary is still busy with the first message
        gate.set()
        first, second = await asyncio.gather(running, waiting)
        assert first.scorer == "onnx-int8" and first.note == ""
        assert second.scorer == "learned" and second.note == LEARNED_BEHIND_NOTE
        assert learned.seen == ["admitted young, then waits too long"]
        assert "admitted young, then waits too long" not in primary.seen
        assert batcher.stats.overflowed == 1
    finally:
        gate.set()
        await batcher.aclose()


class LastMarkScorer(MarkScorer):
    """The learned stand-in as the last scorer of its chain: its own batcher has nothing to hedge with, so the
    answer does not depend on how fast a thread runs it (1 ms on a loaded machine is not guaranteed)."""

    is_fallback = True


async def test_a_batch_the_primary_has_not_finished_is_hedged_by_the_learned_scorer() -> None:
    """With a hedge, a caller whose batch the primary is stuck on gets the overflow scorer's answer."""
    gate, learned = threading.Event(), LastMarkScorer()
    primary = GatedScorer(gate)  # stays blocked until the end of the test: the hedge must answer
    batcher = BatchingScorer(AbuseDetector(primary), max_batch=4, max_wait_ms=0, queue_size=64, hedge_ms=1,
                             fallback=AbuseDetector(learned), clock=Clock())
    await batcher.start()
    try:
        result = await batcher.score("the primary never gets to finish this in time")
        assert result.scorer == "learned" and result.note == LEARNED_BEHIND_NOTE
        assert learned.seen == ["the primary never gets to finish this in time"]
    finally:
        gate.set()
        await batcher.aclose()
    assert primary.seen == ["the primary never gets to finish this in time"]  # it finished later; ignored
