"""The per-message image step, on readings given directly (no OCR): what it flags and what it shows."""

from __future__ import annotations

from bot.engine import IdentityEngine
from bot.flags import Action, Attachment, Category, Flag, Message
from bot.images import (
    ExifDetails,
    ImageInput,
    ImageReading,
    ImageResult,
    image_abuse_flags,
    image_attachments,
    image_flags,
    image_text_segments,
    strips_location,
)

NAME = "Oskar Lindqvist"


def _result(reading: ImageReading, index: int = 1) -> ImageResult:
    return ImageResult(ImageInput(index, "IMG_0001.png", "image/png", b"..."), reading)


def _run(engine: IdentityEngine, content: str, *results: ImageResult):
    message = Message(id="m1", author="u1", content=content, thread_id="t1")
    text = engine.check(message)
    return engine.finalize(text, image_flags(engine, message, list(results), text_flags=text.flags))


def test_a_name_in_an_image_holds_the_message_by_label(engine: IdentityEngine) -> None:
    verdict = _run(engine, "this is going round the school", _result(ImageReading(lines=(f"{NAME} told them",))))
    assert verdict.action is Action.HOLD
    flag = next(f for f in verdict.flags if f.category is Category.PROTECTED_IDENTITY)
    assert flag.reason.startswith("an image in the message shows a name") and "attachment 1" in flag.reason
    assert flag.label == "the witness" and flag.detector == "image_text:protected_party"
    assert verdict.excerpt == "this is going round the school"
    assert NAME.split()[1].lower() not in (flag.reason + verdict.excerpt).lower()


def test_the_same_name_in_the_text_is_not_counted_twice(engine: IdentityEngine) -> None:
    verdict = _run(engine, f"{NAME} again", _result(ImageReading(lines=("nothing to see",))))
    assert [f.detector for f in verdict.flags if f.category is Category.PROTECTED_IDENTITY] == ["protected_party"]
    assert verdict.action is Action.REMOVE  # the text itself names him: the usual policy applies


def test_the_match_is_located_in_the_right_attachment(engine: IdentityEngine) -> None:
    verdict = _run(engine, "two pics", _result(ImageReading(lines=("a sunny day",)), 1),
                   _result(ImageReading(lines=(f"that's {NAME}",)), 2))
    reasons = [f.reason for f in verdict.flags if f.category is Category.PROTECTED_IDENTITY]
    assert reasons and all("attachment 2" in r for r in reasons)


def test_unreadable_image_is_flagged_for_review_never_passed(engine: IdentityEngine) -> None:
    verdict = _run(engine, "see pic", _result(ImageReading(error="the image could not be read within 30 s")))
    assert verdict.action is Action.REVIEW
    (flag,) = verdict.flags
    assert flag.kind == "unreadable_image" and "\n" not in flag.reason and "within 30 s" in flag.reason
    # it was never seen to hold a detail: its own category, queued, not counted as an identifying detail
    assert flag.category is Category.UNCHECKED


def test_gps_in_a_photo_holds_and_asks_to_strip_location(engine: IdentityEngine) -> None:
    verdict = _run(engine, "outside the house", _result(ImageReading(exif=ExifDetails(gps=True))))
    assert verdict.action is Action.HOLD and strips_location(verdict.flags)
    serial = _run(engine, "my camera", _result(ImageReading(exif=ExifDetails(serial=True, owner=True))))
    assert {f.kind for f in serial.flags} == {"photo_owner", "camera_serial"}
    assert serial.action is Action.HOLD and not strips_location(serial.flags)


def test_text_segments_name_their_source_and_images_are_found_by_type_or_extension() -> None:
    results = [_result(ImageReading(lines=("one", "two")), 1), _result(ImageReading(error="x"), 3)]
    assert [(s.source, s.text) for s in image_text_segments(results)] == [("attachment 1", "one\ntwo")]
    attachments = (Attachment("a.pdf", "application/pdf"), Attachment("b.png", ""), Attachment("c", "image/webp"))
    assert [i for i, _ in image_attachments(attachments)] == [2, 3]


async def test_abuse_in_an_image_is_an_image_flag() -> None:
    class Scorer:
        async def detect(self, text: str, thresholds: object = None) -> list[Flag]:
            return [Flag(Category.ABUSE, "model", 0.9, "threat", kind="threat")] if "kill" in text else []

    found = await image_abuse_flags(Scorer(), [_result(ImageReading(lines=("i will kill you",)))], at=5)
    assert [(f.detector, f.spans[0].start) for f in found] == [("image_text:model", 5)]
    assert found[0].reason.startswith("an image in the message shows abusive text")


async def test_an_unexpected_error_reading_an_image_fails_closed() -> None:
    from bot.images import load_and_read

    async def broken(index: int, attachment: object) -> ImageInput:
        raise RuntimeError("boom")

    results = await load_and_read(None, [Attachment("a.png", "image/png")], broken)  # type: ignore[arg-type]
    assert [r.reading.error for r in results] == ["the image reader failed (RuntimeError)"]


def test_an_image_with_more_text_than_is_checked_is_also_reviewed(engine: IdentityEngine) -> None:
    lines = tuple(f"line {i} of a long court document about the hearing" for i in range(400))
    verdict = _run(engine, "the whole judgment", _result(ImageReading(lines=(*lines, f"signed {NAME}"))))
    assert verdict.action is Action.REVIEW  # the name past the cut was not read: a moderator looks
    assert [f.kind for f in verdict.flags] == ["unreadable_image"]
    assert "more text than is checked" in verdict.flags[0].reason
