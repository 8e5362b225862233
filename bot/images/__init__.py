"""Screenshots and photos: the text an attached image shows and the location a photo carries.

* :mod:`bot.images.formats`: limits, accepted formats, first frame, EXIF details, a stripped copy;
* :mod:`bot.images.ocr`: RapidOCR with word spaces restored;
* :mod:`bot.images.worker` / :mod:`bot.images.reader`: reading in a process pool, bounded, with a deadline;
* :mod:`bot.images.check`: the per-message step (text segments, flags);
* :mod:`bot.images.bench`: ``python -m bot bench images``.

No discord.py here. Importing this package loads neither Pillow nor NumPy (they load in the worker):
:mod:`bot.images.kinds` holds the light vocabulary; ``bot.images.formats`` is imported where pixels are.
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
from bot.images.kinds import ExifDetails, ImageLimits, ImageReading, is_image
from bot.images.reader import ImageReader

__all__ = [
    "ExifDetails",
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
    "strips_location",
]
