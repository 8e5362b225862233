"""The process-pool reader: EXIF through a worker, the deadline restarts the worker, the queue is bounded.

These run without OCR (``ocr=False``) so the pool's behaviour is tested without loading the models.
"""

from __future__ import annotations

import asyncio

from bot.images import ImageLimits, ImageReader
from tests.images.render import photo_with_exif


async def test_a_worker_reads_exif_and_the_event_loop_stays_free() -> None:
    async with ImageReader(ocr=False) as reader:
        reading = await reader.read(photo_with_exif())
        assert reading.exif.gps and not reading.error and reading.format == "JPEG"
        assert reader.worker_pids() and all(pid != __import__("os").getpid() for pid in reader.worker_pids())


async def test_deadline_kills_the_worker_and_the_next_image_is_read() -> None:
    async with ImageReader(ocr=False, deadline_s=1e-6) as reader:
        late = await reader.read(photo_with_exif())
        assert "within" in late.error and reader.restarts == 1
        reader.deadline_s = 60
        assert (await reader.read(photo_with_exif())).exif.gps


async def test_queue_is_bounded_and_overflow_is_an_error_not_a_pass() -> None:
    async with ImageReader(ocr=False, queue_size=0) as reader:
        first, second = await asyncio.gather(reader.read(photo_with_exif()), reader.read(photo_with_exif()))
        assert not first.error and "busy" in second.error


async def test_too_large_is_refused_without_a_worker() -> None:
    reader = ImageReader(ocr=False, limits=ImageLimits(max_bytes=100))
    reading = await reader.read(photo_with_exif())
    assert "larger than the limit" in reading.error
    await reader.close()
