"""Images in ``python -m bot scan``: attachments with a local path (JSONL ``"path"``, or the media a
DiscordChatExporter export downloaded, relative to the export file) are read and their flags merged.

An attachment that names a path which cannot be read (missing, too large) is flagged for review, like
an unreadable image on Discord: a scan never passes an image it did not look at.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bot.flags import Attachment, Verdict
from bot.images.check import ImageInput, as_image_flag, image_attachments, image_flags, load_and_read
from bot.images.reader import ImageReader


def _loader(base: Path, max_bytes: int) -> Any:
    async def load(index: int, attachment: Attachment) -> ImageInput:
        name, ctype = attachment.filename, attachment.content_type
        if not attachment.path:
            return ImageInput(index, name, ctype, error="the export has no local copy of the image")
        path = Path(attachment.path)
        path = path if path.is_absolute() else base / path
        try:
            size = path.stat().st_size
            if size > max_bytes:
                return ImageInput(index, name, ctype,
                                  error=f"the image is larger than the limit ({size} bytes, limit {max_bytes})")
            data = await asyncio.to_thread(path.read_bytes)
        except OSError as exc:
            return ImageInput(index, name, ctype, error=f"the image file cannot be read ({exc.strerror or exc})")
        return ImageInput(index, name, ctype, data)

    return load


async def scan_images(engine: Any, verdicts: Sequence[Verdict], base: Path, reader: ImageReader,
                      abuse: Any | None = None) -> int:
    """Add image flags to ``verdicts`` (in place, recomputing action and excerpt); returns images read."""
    load = _loader(base, reader.limits.max_bytes)
    count = 0
    for verdict in verdicts:
        message = verdict.message
        if not image_attachments(message.attachments):
            continue
        results = await load_and_read(reader, message.attachments, load)
        count += len(results)
        extra = image_flags(engine, message, results, text_flags=verdict.flags)
        if abuse is not None:
            texts = [r.reading.text for r in results if r.reading.lines]
            found = await asyncio.to_thread(abuse.detect_many, texts) if texts else []
            where = [r.where for r in results if r.reading.lines]
            extra += [as_image_flag(f, w, len(message.content)) for w, fl in zip(where, found, strict=True) for f in fl]
        if extra:
            engine.finalize(verdict, extra)
    return count


def has_images(verdicts: Sequence[Verdict]) -> bool:
    return any(image_attachments(v.message.attachments) for v in verdicts)
