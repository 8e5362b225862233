"""The per-message image step: image text and photo metadata become flags of the message.

The pipeline reads a message's image attachments (:func:`read_images`), then asks
:func:`image_text_segments` for the text they show, each segment named by where it was found
("attachment 2"), and :func:`image_flags` for the flags: the identity engine reads the recognised text
*as text of the message* (so a detail in the text can tie to a name in the image and the other way
round), and every flag found in an image is rewritten to say so, by its label only: "an image in the
message shows a name…". Nothing here shows or stores the image or its text.

Image flags carry the detector prefix ``image`` (which the policy caps at hold: OCR can misread, a
moderator confirms) and a zero-width span at the end of the message text, marking where the attachment
sits, so the excerpt of the message's own text is not withheld because of a match inside a picture.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.flags import Action, Category, Flag, Message, Span
from bot.images.kinds import ImageReading, is_image
from bot.images.reader import ImageReader

#: the kind of an ``unchecked`` flag: an image that could not be read (or not all of its text)
UNREADABLE_IMAGE = "unreadable_image"

log = logging.getLogger(__name__)

IMAGE_PREFIX = "image"
#: At most this much text read from one image is checked (a screenshot of a whole document is bounded work
#: on the event loop); an image showing more is also flagged for review.
MAX_IMAGE_TEXT = 6_000
NAME_KINDS = frozenset({"full_name", "name", "surname", "forename", "first_name", "nickname", "handle"})


@dataclass(frozen=True, slots=True)
class ImageInput:
    """One image attachment of a message: its bytes, or why they could not be had."""

    index: int  # 1-based position among the message's attachments
    filename: str
    content_type: str
    data: bytes | None = None
    error: str = ""


@dataclass(frozen=True, slots=True)
class ImageResult:
    input: ImageInput
    reading: ImageReading

    @property
    def where(self) -> str:
        """Where a match was found, for moderators: never the file name (it may hold the name itself)."""
        return f"attachment {self.input.index}"


@dataclass(frozen=True, slots=True)
class TextSegment:
    """Text that belongs to a message without being its content (here: the text an image shows)."""

    source: str  # "attachment 2"
    text: str


def image_attachments(attachments: Sequence[Any]) -> list[tuple[int, Any]]:
    """``(1-based index, attachment)`` for the attachments that are images (by content type or extension)."""
    return [(i, a) for i, a in enumerate(attachments, start=1)
            if is_image(getattr(a, "content_type", ""), getattr(a, "filename", ""))]


async def read_images(reader: ImageReader, inputs: Sequence[ImageInput]) -> list[ImageResult]:
    """Read each image in ``reader``; one that could not be fetched keeps its error and is not sent."""
    out = []
    for item in inputs:
        if item.data is None:
            reading = ImageReading(error=item.error or "the image could not be downloaded")
        else:
            reading = await reader.read(item.data)
        out.append(ImageResult(item, reading))
    return out


async def load_and_read(reader: ImageReader, attachments: Sequence[Any],
                        load: Callable[[int, Any], Awaitable[ImageInput]]) -> list[ImageResult]:
    """Fetch (``load``) and read every image attachment; the other attachments are left alone.

    Fails closed: an unexpected error fetching or reading one image becomes that image's error reading.
    """
    out = []
    for index, attachment in image_attachments(attachments):
        try:
            item = await load(index, attachment)
            out.extend(await read_images(reader, [item]))
        except Exception as exc:  # a bug or an unforeseen library error must not let the image pass unread
            log.error("reading attachment %d failed: %s", index, type(exc).__name__)
            item = ImageInput(index, getattr(attachment, "filename", ""), getattr(attachment, "content_type", ""))
            out.append(ImageResult(item, ImageReading(error=f"the image reader failed ({type(exc).__name__})")))
    return out


def image_text_segments(results: Sequence[ImageResult]) -> list[TextSegment]:
    """The text each readable image shows, as segments named by their attachment."""
    return [TextSegment(r.where, r.reading.text) for r in results if r.reading.lines]


def _what(flag: Flag) -> str:
    if flag.category is Category.ABUSE:
        return "abusive text"
    if flag.category is Category.PROTECTED_IDENTITY:
        return "a name" if flag.kind in NAME_KINDS else "an identifier"
    return "a detail that could identify someone"


def as_image_flag(flag: Flag, where: str, at: int) -> Flag:
    """``flag`` (found in the text of the image at ``where``) said as an image flag, located at offset ``at``."""
    return replace(
        flag,
        detector=f"{IMAGE_PREFIX}_text:{flag.detector}",
        reason=f"an image in the message shows {_what(flag)} ({flag.reason}; {where})",
        spans=(Span(at, at, f"[{where}]"),),
        suggested=Action.HOLD if flag.suggested.rank > Action.HOLD.rank else flag.suggested,
    )


def _reading_flags(result: ImageResult, at: int) -> list[Flag]:
    """Flags about the image itself: unreadable (review) and identifying EXIF fields."""
    reading, where = result.reading, result.where
    marker = (Span(at, at, f"[{where}]"),)
    if reading.error:
        return [Flag(Category.UNCHECKED, f"{IMAGE_PREFIX}_reader", 0.3,
                     f"{where} is an image that could not be checked: {reading.error}; check it by hand",
                     marker, kind=UNREADABLE_IMAGE, suggested=Action.REVIEW)]
    flags = []
    exif = reading.exif
    if exif.gps:
        flags.append(Flag(Category.IDENTIFYING_DETAIL, f"{IMAGE_PREFIX}_exif", 0.9,
                          f"{where} is a photo whose EXIF data holds the GPS position where it was taken",
                          marker, kind="photo_location", suggested=Action.HOLD))
    if exif.owner:
        flags.append(Flag(Category.IDENTIFYING_DETAIL, f"{IMAGE_PREFIX}_exif", 0.7,
                          f"{where} is a photo whose EXIF data names the camera's owner or the photographer",
                          marker, kind="photo_owner", suggested=Action.HOLD))
    if exif.serial:
        flags.append(Flag(Category.IDENTIFYING_DETAIL, f"{IMAGE_PREFIX}_exif", 0.55,
                          f"{where} is a photo whose EXIF data holds a camera serial number",
                          marker, kind="camera_serial", suggested=Action.REVIEW))
    return flags


def _key(flag: Flag) -> tuple[str, str, str, str | None]:
    return (str(flag.category), flag.detector, flag.kind, flag.label)


def image_flags(engine: Any, message: Message, results: Sequence[ImageResult], *,
                text_flags: Sequence[Flag] = (), history: Sequence[Message] = ()) -> list[Flag]:
    """Flags the message's images add to what its text raised (``text_flags``).

    ``engine`` is the case's :class:`bot.engine.IdentityEngine`. The recognised text is appended to the
    message's content and checked with it, so ties between text and image count; only flags with a span
    inside an image's text (or new flags without spans) are returned, rewritten as image flags.
    """
    at = len(message.content)
    flags: list[Flag] = []
    for result in results:
        flags.extend(_reading_flags(result, at))
    segments = []
    for result in results:
        if not result.reading.lines:
            continue
        text = result.reading.text_to_check
        if len(text) > MAX_IMAGE_TEXT:
            cut = text.rfind("\n", 0, MAX_IMAGE_TEXT)
            text = text[: cut if cut > 0 else MAX_IMAGE_TEXT]
            flags.append(Flag(Category.UNCHECKED, f"{IMAGE_PREFIX}_reader", 0.3,
                              f"{result.where} shows more text than is checked (the first {MAX_IMAGE_TEXT} "
                              "characters were); check the rest by hand", (Span(at, at, f"[{result.where}]"),),
                              kind=UNREADABLE_IMAGE, suggested=Action.REVIEW))
        segments.append((result, text))
    if not segments:
        return flags
    parts, ranges = [message.content], []
    pos = len(message.content)
    for result, text in segments:
        parts.append("\n\n")
        pos += 2
        ranges.append((pos, pos + len(text), result.where))
        parts.append(text)
        pos += len(text)
    combined = replace(message, content="".join(parts))
    verdict = engine.check(combined, history)
    known = {_key(f) for f in text_flags}
    for flag in verdict.flags:
        where = next((w for start, end, w in ranges
                      if any(s.start < end and s.end > start for s in flag.spans)), None)
        if where is None and (flag.spans or _key(flag) in known):
            continue  # found in the message's own text: the text check has it already
        flags.append(as_image_flag(flag, where or "an attachment", at))
    return flags


async def image_abuse_flags(scorer: Any, results: Sequence[ImageResult], thresholds: Any = None, *,
                            at: int = 0) -> list[Flag]:
    """The abuse scorer's flags for the text images show (``scorer.detect(text, thresholds)``)."""
    flags: list[Flag] = []
    if scorer is None:
        return flags
    for result in results:
        if not result.reading.lines:
            continue
        found = await scorer.detect(result.reading.text, thresholds)
        flags.extend(as_image_flag(f, result.where, at) for f in found)
    return flags


def strips_location(flags: Sequence[Flag]) -> bool:
    """Whether the author should be told to strip location data before posting the photo again."""
    return any(f.kind == "photo_location" for f in flags)
