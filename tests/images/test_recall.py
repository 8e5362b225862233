"""Registered names in rendered screenshots are found (recall), and images without one are not flagged."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.flags import Action, Category, Message
from bot.images import ImageInput, ImageReading, ImageResult, image_flags
from tests.images.conftest import make_engine
from tests.images.render import Sample

RECALL_BAR = 0.9


def _verdict(engine: IdentityEngine, sample: Sample, reading: ImageReading, n: int):
    message = Message(id=f"m{n}", author="poster", content="have you seen this?", thread_id="t1")
    result = ImageResult(ImageInput(1, "screenshot.png", sample.content_type, sample.data), reading)
    text = engine.check(message)
    return engine.finalize(text, image_flags(engine, message, [result], text_flags=text.flags))


def test_every_sample_was_read(readings: dict[str, ImageReading]) -> None:
    assert all(not r.error for r in readings.values()), {k: r.error for k, r in readings.items() if r.error}


@pytest.mark.parametrize("set_name", ["first", "fresh"])
def test_recall_of_registered_names_in_screenshots(set_name: str, image_sets, readings) -> None:
    engine = make_engine(set_name)
    positives = image_sets[set_name]["positive"]
    found = []
    for n, sample in enumerate(positives):
        verdict = _verdict(engine, sample, readings[f"{set_name}/{sample.key}"], n)
        found.append(any(f.category is Category.PROTECTED_IDENTITY and f.detector.startswith("image_text")
                         for f in verdict.flags))
        if found[-1]:
            assert verdict.action is Action.HOLD  # read by OCR: held for a moderator, never removed outright
    missed = [s.key for s, hit in zip(positives, found, strict=True) if not hit]
    assert sum(found) / len(found) >= RECALL_BAR, f"missed: {missed}"


@pytest.mark.parametrize("set_name", ["first", "fresh"])
def test_precision_on_images_without_protected_text(set_name: str, image_sets, readings) -> None:
    engine = make_engine(set_name)
    negatives = image_sets[set_name]["negative"]
    flagged = [s.key for n, s in enumerate(negatives)
               if _verdict(engine, s, readings[f"{set_name}/{s.key}"], 100 + n).flags]
    assert flagged == []
    assert all(readings[f"{set_name}/{s.key}"].lines for s in negatives)  # text was read, and passed


def test_the_verdict_shows_neither_the_name_nor_the_image_text(engine: IdentityEngine, image_sets, readings) -> None:
    sample = next(s for s in image_sets["first"]["positive"] if s.key == "phone-post")
    verdict = _verdict(engine, sample, readings[f"first/{sample.key}"], 200)
    shown = " ".join([verdict.excerpt, *(f.reason for f in verdict.flags),
                      *(s.replacement for f in verdict.flags for s in f.spans)]).lower()
    assert "brackenbury" not in shown and "tilly" not in shown and "praying" not in shown
    assert verdict.excerpt == "have you seen this?"
    assert any(f.reason.startswith("an image in the message shows a name") for f in verdict.flags)
    assert all(f.label in (None, "the complainant") for f in verdict.flags)
