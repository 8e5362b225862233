"""Screenshots and photos: the text an attached image shows and the location a photo carries.

* :mod:`bot.images.formats`: limits, accepted formats, first frame, EXIF details, a stripped copy;
* :mod:`bot.images.ocr`: RapidOCR with word spaces restored;
* :mod:`bot.images.worker` / :mod:`bot.images.reader`: reading in a process pool, bounded, with a deadline;
* :mod:`bot.images.check`: the per-message step (text segments, flags);
* :mod:`bot.images.bench`: ``python -m bot bench images``.

No discord.py here: the cogs download attachments and hand over bytes.
"""

from bot.images.check import (
    ImageInput,
    ImageResult,
    TextSegment,
    image_abuse_flags,
    image_attachments,
    image_flags,
    image_text_segments,
    load_and_read,
    read_images,
    strips_location,
)
from bot.images.formats import ExifDetails, ImageError, ImageLimits, is_image, strip_metadata
from bot.images.reader import ImageReader
from bot.images.worker import ImageReading

__all__ = [
    "ExifDetails",
    "ImageError",
    "ImageInput",
    "ImageLimits",
    "ImageReader",
    "ImageReading",
    "ImageResult",
    "TextSegment",
    "image_abuse_flags",
    "image_attachments",
    "image_flags",
    "image_text_segments",
    "is_image",
    "load_and_read",
    "read_images",
    "strip_metadata",
    "strips_location",
]
