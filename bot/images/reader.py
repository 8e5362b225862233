"""Reading images off the event loop: a process pool, a bounded queue and a deadline per image.

:class:`ImageReader` hands each image to :func:`bot.images.worker.read_image` in a worker process (one by
default). At most ``workers`` images are in the pool at once; up to ``queue_size`` more wait their turn;
beyond that an image is not read but reported busy. An image that takes longer than ``deadline_s`` has
its worker killed and a fresh one started. Every failure comes back as an :class:`ImageReading` with
``error`` set, so the caller flags the image for review: nothing is skipped unread.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from bot.images.kinds import ImageLimits, ImageReading
from bot.images.worker import init_worker, read_image, stripped_copy, warm_up

log = logging.getLogger(__name__)

#: How long starting a worker (a fresh interpreter loading the OCR models) may take.
START_TIMEOUT_S = 120.0


class ImageReader:
    """Reads images in worker processes; ``async with`` or :meth:`close` stops them."""

    def __init__(self, *, workers: int = 1, queue_size: int = 16, deadline_s: float = 30.0,
                 limits: ImageLimits | None = None, ocr: bool = True) -> None:
        if workers < 1 or queue_size < 0 or deadline_s <= 0:
            raise ValueError("an image reader needs at least one worker, a queue size >= 0 and a deadline > 0")
        self.workers = workers
        self.queue_size = queue_size
        self.deadline_s = deadline_s
        self.limits = limits or ImageLimits()
        self.ocr = ocr
        self._pool: ProcessPoolExecutor | None = None
        self._starting: asyncio.Lock | None = None
        self._slots: asyncio.Semaphore | None = None
        self._waiting = 0
        self.restarts = 0  # workers killed for overrunning the deadline or crashing

    @classmethod
    def from_settings(cls, settings: Any) -> ImageReader:
        """A reader configured by ``IMAGE_*`` settings (:class:`bot.settings.Settings`)."""
        return cls(workers=settings.image_workers, queue_size=settings.image_queue_size,
                   deadline_s=settings.image_deadline_s,
                   limits=ImageLimits(settings.image_max_bytes, settings.image_max_pixels))

    async def __aenter__(self) -> ImageReader:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def pending(self) -> int:
        """Images waiting for a worker (not counting those being read)."""
        return self._waiting

    async def start(self) -> None:
        """Start the worker processes and load the OCR models in them (idempotent)."""
        if self._starting is None:
            self._starting = asyncio.Lock()
            self._slots = asyncio.Semaphore(self.workers)
        async with self._starting:
            if self._pool is not None:
                return
            pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=init_worker)
            loop = asyncio.get_running_loop()
            try:
                if self.ocr:
                    warm = [loop.run_in_executor(pool, warm_up) for _ in range(self.workers)]
                    await asyncio.wait_for(asyncio.gather(*warm), START_TIMEOUT_S)
            except BaseException:
                _kill(pool)
                raise
            self._pool = pool

    async def read(self, data: bytes) -> ImageReading:
        """Read one image; a problem (too big, unreadable, too slow, reader busy) is ``error`` in the result."""
        if len(data) > self.limits.max_bytes:  # no need to ship it to a worker to know that
            return ImageReading(error=f"the image is larger than the limit ({len(data)} bytes, "
                                      f"limit {self.limits.max_bytes})")
        if self._slots is None or self._pool is None:
            try:
                await self.start()
            except (TimeoutError, OSError, BrokenProcessPool) as exc:
                return ImageReading(error=f"the image reader could not start ({type(exc).__name__})")
        assert self._slots is not None
        if self._waiting >= self.queue_size and self._slots.locked():
            return ImageReading(error=f"the image reader is busy ({self._waiting} images waiting)")
        self._waiting += 1
        try:
            await self._slots.acquire()
        finally:
            self._waiting -= 1
        try:
            return await self._run(data, retry=True)
        finally:
            self._slots.release()

    async def strip(self, data: bytes) -> tuple[bytes, str] | None:
        """A copy of ``data`` without EXIF or other metadata, made in a worker; ``None`` if it cannot be made."""
        if len(data) > self.limits.max_bytes:
            return None
        if self._pool is None or self._slots is None:
            try:
                await self.start()
            except (TimeoutError, OSError, BrokenProcessPool):
                return None
        assert self._slots is not None and self._pool is not None
        async with self._slots:
            pool = self._pool
            if pool is None:
                return None
            future = asyncio.get_running_loop().run_in_executor(pool, stripped_copy, data, self.limits)
            try:
                result = await asyncio.wait_for(future, self.deadline_s)
            except (TimeoutError, BrokenProcessPool):
                self._reset(pool)
                return None
        return result if isinstance(result, tuple) else None

    async def _run(self, data: bytes, *, retry: bool) -> ImageReading:
        if self._pool is None:
            try:
                await self.start()
            except (TimeoutError, OSError, BrokenProcessPool) as exc:
                return ImageReading(error=f"the image reader could not start ({type(exc).__name__})")
        pool = self._pool
        assert pool is not None
        loop = asyncio.get_running_loop()
        try:
            future = loop.run_in_executor(pool, read_image, data, self.limits, self.ocr)
        except (BrokenProcessPool, RuntimeError):
            self._reset(pool)
            return await self._run(data, retry=False) if retry else _broken()
        try:
            return await asyncio.wait_for(future, self.deadline_s)
        except TimeoutError:
            log.warning("an image took longer than %.0f s to read; restarting the image worker", self.deadline_s)
            self._reset(pool)
            return ImageReading(error=f"the image could not be read within {self.deadline_s:g} s")
        except BrokenProcessPool:  # a worker died (out of memory, killed), maybe reading another image
            self._reset(pool)
            return await self._run(data, retry=False) if retry else _broken()

    def _reset(self, pool: ProcessPoolExecutor) -> None:
        if self._pool is pool:
            self._pool = None
            self.restarts += 1
        _kill(pool)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(None, _shutdown, pool)

    def worker_pids(self) -> list[int]:
        """The worker processes' ids (for the benchmark's memory figures)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return [p.pid for p in processes.values() if p.pid is not None]


def _broken() -> ImageReading:
    return ImageReading(error="the image reader stopped while reading the image")


def _kill(pool: ProcessPoolExecutor) -> None:
    """Stop ``pool`` now, killing a worker stuck on an image (the executor has no public way to)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def _shutdown(pool: ProcessPoolExecutor) -> None:
    pool.shutdown(wait=True, cancel_futures=True)
