"""``python -m bot bench images``: images a second, p50/p99 per image by size, RSS, and the event loop's lag
while images arrive at one a second beside 100 text messages a second. It measures; it never asserts.

Images are synthetic screenshots drawn here (a text strip, a phone screenshot, the same at twice the
resolution) and a photo without text. The lag test runs the identity engine on the text messages on the
event loop, as the bot does, while the image reader works in its process pool.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import os
import random
import statistics
import time
from collections.abc import Callable

import psutil
from PIL import Image, ImageDraw, ImageFont

from bot.engine import IdentityEngine
from bot.flags import Message
from bot.images.check import ImageInput, ImageResult, image_flags
from bot.images.reader import ImageReader
from bot.registry import ProtectedRegistry

_TEXT = ("the trial at crown court continues on monday and the jury heard evidence from witnesses about "
         "what happened after school that evening outside the shop near the park")
_WORDS = _TEXT.split(" ")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--per-size", type=int, default=5, help="images of each size for the throughput test")
    parser.add_argument("--workers", type=int, default=1, help="image worker processes")
    parser.add_argument("--lag-seconds", type=float, default=10.0)
    parser.add_argument("--image-rate", type=float, default=1.0, help="images a second in the lag test")
    parser.add_argument("--text-rate", type=float, default=100.0, help="text messages a second in the lag test")


def _sentence(rng: random.Random, n: int = 9) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(n)).capitalize()


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def text_strip(rng: random.Random) -> bytes:
    image = Image.new("RGB", (900, 160), "white")
    draw = ImageDraw.Draw(image)
    for i in range(3):
        draw.text((20, 16 + 44 * i), _sentence(rng, 7), font=ImageFont.load_default(size=26), fill="black")
    return _png(image)


def phone(rng: random.Random, scale: int = 1) -> bytes:
    w, h = 720 * scale, 1280 * scale
    image = Image.new("RGB", (w, h), (24, 25, 26))
    draw = ImageDraw.Draw(image)
    body = ImageFont.load_default(size=26 * scale)
    y = 40 * scale
    while y < h - 60 * scale:
        draw.text((24 * scale, y), _sentence(rng, 6), font=body, fill=(228, 230, 235))
        y += (44 if rng.random() < 0.8 else 110) * scale
    return _png(image)


def photo(rng: random.Random) -> bytes:
    image = Image.new("RGB", (1600, 1200))
    draw = ImageDraw.Draw(image)
    for y in range(0, 1200, 4):
        draw.rectangle((0, y, 1600, y + 4), fill=(40 + y // 10, 90 + rng.randrange(20), 160 - y // 12))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


SIZES: dict[str, Callable[[random.Random], bytes]] = {
    "strip 900x160": text_strip,
    "phone 720x1280": phone,
    "phone 1440x2560": lambda rng: phone(rng, 2),
    "photo 1600x1200 (no text)": photo,
}


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            total += psutil.Process(pid).memory_info().rss
        except psutil.Error:
            continue
    return total / 2**20


def _engine() -> IdentityEngine:
    registry = ProtectedRegistry.from_records([], os.urandom(32))
    registry.add_party("the complainant", "SOA 1992 s.1", ["Tilly Brackenbury"], [])
    return IdentityEngine(registry, parties=[("the complainant", "SOA 1992 s.1")])


async def _throughput(reader: ImageReader, per_size: int) -> None:
    rng = random.Random(1)
    print(f"throughput: {per_size} image(s) of each size, {reader.workers} worker(s)")
    print(f"  {'size':28s} {'bytes':>9s} {'p50 s':>7s} {'p99 s':>7s} {'lines':>6s}")
    all_times: list[float] = []
    started = time.perf_counter()
    for name, make in SIZES.items():
        images = [make(rng) for _ in range(per_size)]
        times, lines = [], []
        for data in images:
            t0 = time.perf_counter()
            reading = await reader.read(data)
            times.append(time.perf_counter() - t0)
            lines.append(len(reading.lines))
            if reading.error:
                print(f"  ! {name}: {reading.error}")
        all_times += times
        size = statistics.mean(len(d) for d in images)
        print(f"  {name:28s} {size:9.0f} {_pct(times, 50):7.2f} {_pct(times, 99):7.2f} {statistics.mean(lines):6.1f}")
    elapsed = time.perf_counter() - started
    print(f"  images/s: {len(all_times) / elapsed:.2f} (all sizes, one after another)")


async def _lag(reader: ImageReader | None, seconds: float, image_rate: float, text_rate: float) -> None:
    """Lag of a 5 ms ticker while text messages (and, with a reader, images) arrive."""
    rng = random.Random(2)
    engine = _engine()
    images = [phone(rng) if i % 2 else text_strip(rng) for i in range(8)]
    texts = [_sentence(rng, rng.randrange(5, 30)) for _ in range(500)]
    lags: list[float] = []
    image_latency: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    tasks: set[asyncio.Task[None]] = set()

    async def ticker() -> None:
        while time.perf_counter() < stop:
            t0 = time.perf_counter()
            await asyncio.sleep(0.005)
            lags.append(max(0.0, time.perf_counter() - t0 - 0.005))

    async def one_image(n: int) -> None:
        nonlocal errors
        t0 = time.perf_counter()
        data = images[n % len(images)]
        assert reader is not None
        reading = await reader.read(data)
        message = Message(id=f"i{n}", author="u", content="look", thread_id="t")
        image_flags(engine, message, [ImageResult(ImageInput(1, "x.png", "image/png", data), reading)])
        image_latency.append(time.perf_counter() - t0)
        errors += bool(reading.error)

    async def arrivals() -> None:
        n = i = 0
        t_start = time.perf_counter()
        next_image = t_start
        while time.perf_counter() < stop:
            now = time.perf_counter()
            if reader is not None and now >= next_image:
                task = asyncio.create_task(one_image(n))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
                n += 1
                next_image += 1 / image_rate
            engine.check(Message(id=f"m{i}", author=f"a{i % 40}", content=texts[i % len(texts)], thread_id="t"))
            i += 1
            await asyncio.sleep(max(0.0, t_start + i / text_rate - time.perf_counter()))

    await asyncio.gather(ticker(), arrivals())
    still = 0
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=(reader.deadline_s if reader else 0) + 5)
        still = len(pending)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
    what = f"images at {image_rate:g}/s beside " if reader is not None else "no images, "
    print(f"\nevent loop lag: {what}{text_rate:g} text messages/s for {seconds:g} s "
          f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)")
    print(f"  lag p50 {_pct(lags, 50) * 1000:.1f} ms · p99 {_pct(lags, 99) * 1000:.1f} ms · "
          f"max {max(lags, default=0) * 1000:.1f} ms")
    if reader is None:
        return
    print(f"  image latency (queue + OCR) p50 {_pct(image_latency, 50):.2f} s · p99 {_pct(image_latency, 99):.2f} s"
          f" · {len(image_latency)} read, {errors} not readable in time or queue full, {still} still queued")


async def _main(args: argparse.Namespace) -> None:
    reader = ImageReader(workers=args.workers, deadline_s=60.0)
    t0 = time.perf_counter()
    await reader.start()
    print(f"workers started and OCR models loaded in {time.perf_counter() - t0:.1f} s")
    try:
        await _throughput(reader, args.per_size)
        pids = reader.worker_pids()
        print(f"  RSS: bot process {_rss_mb([os.getpid()]):.0f} MB, image worker(s) {_rss_mb(pids):.0f} MB")
        await _lag(None, args.lag_seconds, args.image_rate, args.text_rate)  # the baseline
        await _lag(reader, args.lag_seconds, args.image_rate, args.text_rate)
        print(f"  RSS after: bot process {_rss_mb([os.getpid()]):.0f} MB, "
              f"image worker(s) {_rss_mb(reader.worker_pids()):.0f} MB")
    finally:
        await reader.close()


def run(args: argparse.Namespace) -> int:
    asyncio.run(_main(args))
    return 0
