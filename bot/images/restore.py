"""Restoring a held message with images: the bot never re-posts the original file, only a copy with its
EXIF (GPS, serials, owner) and other metadata stripped, sealed with the held message until then."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import Any

from bot.images.check import ImageResult

#: Keys of a held attachment's record (``HeldMessage.attachments``) that carry the stripped copy.
COPY_KEY, COPY_TYPE_KEY = "stripped_sealed", "stripped_type"
_EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png"}


async def stripped_copies(reader: Any, results: Sequence[ImageResult]) -> dict[int, tuple[bytes, str]]:
    """Attachment index -> a metadata-free copy, for each image that was downloaded and can be re-encoded."""
    copies = {}
    for result in results:
        if result.input.data is not None and not result.reading.error:
            copy = await reader.strip(result.input.data)
            if copy is not None:
                copies[result.input.index] = copy
    return copies


def held_attachments(attachments: Sequence[Any], copies: dict[int, tuple[bytes, str]],
                     seal: Callable[[str], str]) -> list[dict[str, Any]]:
    """What a held message keeps of its attachments: name and type, and a sealed stripped copy if made."""
    out = []
    for index, attachment in enumerate(attachments, start=1):
        record: dict[str, Any] = {"filename": attachment.filename, "content_type": attachment.content_type}
        if index in copies:
            data, ctype = copies[index]
            record[COPY_KEY] = seal(base64.b64encode(data).decode("ascii"))
            record[COPY_TYPE_KEY] = ctype
        out.append(record)
    return out


def restored_files(attachments: Sequence[dict[str, Any]], unseal: Callable[[str], str]) -> list[tuple[str, bytes]]:
    """``(file name, bytes)`` of the stripped copies to re-post; neutral names (the original may name someone)."""
    files = []
    for n, record in enumerate(attachments, start=1):
        sealed = record.get(COPY_KEY)
        if sealed:
            ext = _EXTENSIONS.get(str(record.get(COPY_TYPE_KEY, "")), "png")
            files.append((f"image-{n}.{ext}", base64.b64decode(unseal(sealed))))
    return files
