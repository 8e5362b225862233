"""What the image worker process does with one image: open within limits, read EXIF, recognise text.

:func:`read_image` is a plain function of bytes so it can run in a process pool; its result is a small
picklable :class:`ImageReading`. A failure is a reading with ``error`` set (one line), never an exception.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time

from bot.images.kinds import ImageLimits, ImageReading

log = logging.getLogger(__name__)

_recognizer: object | None = None


def _get_recognizer() -> object:
    global _recognizer
    if _recognizer is None:
        from bot.images.ocr import Recognizer

        _recognizer = Recognizer()
    return _recognizer


#: Worker processes run at a lower CPU priority than the bot: under load, OCR waits, the event loop does not.
WORKER_NICE = 10


def init_worker() -> None:
    """The pool's initializer: lower this process's priority (where the OS allows it) and keep OpenCV to
    one thread (ONNX Runtime is given one too), so a worker uses at most one core."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(WORKER_NICE)
    import cv2

    cv2.setNumThreads(1)


def warm_up() -> bool:
    """Load the OCR models (the pool's initializer, so the first image does not pay for it)."""
    _get_recognizer()
    return True


def read_image(data: bytes, limits: ImageLimits, ocr: bool = True) -> ImageReading:
    """Open ``data`` within ``limits``; its EXIF details and (if ``ocr``) the text it shows."""
    import numpy as np

    from bot.images.formats import ImageError, exif_details, first_frame_rgb, open_image

    started = time.perf_counter()
    try:
        image = open_image(data, limits)
        fmt = image.format or ""
        exif = exif_details(image)
        frame = first_frame_rgb(image)
        width, height = frame.size
        lines: tuple[str, ...] = ()
        alternates: tuple[str, ...] = ()
        if ocr:
            from bot.images.ocr import Recognizer

            recognizer = _get_recognizer()
            assert isinstance(recognizer, Recognizer)
            found = recognizer.lines(np.asarray(frame))
            lines = tuple(line.text for line in found)
            alternates = tuple(alt for line in found for alt in line.alternates)
    except ImageError as exc:
        return ImageReading(error=str(exc), seconds=time.perf_counter() - started)
    except MemoryError:
        return ImageReading(error="the image needs more memory than the reader has",
                            seconds=time.perf_counter() - started)
    except Exception as exc:  # the OCR library on a strange image: fail closed with one line
        log.warning("image reader failed: %s", type(exc).__name__)
        return ImageReading(error=f"the text reader failed on the image ({type(exc).__name__})",
                            seconds=time.perf_counter() - started)
    return ImageReading(lines=lines, alternates=alternates, exif=exif, width=width, height=height, format=fmt,
                        seconds=time.perf_counter() - started)


def stripped_copy(data: bytes, limits: ImageLimits) -> tuple[bytes, str] | str:
    """A copy without metadata (``(bytes, content type)``), or why it could not be made (one line)."""
    from bot.images.formats import ImageError, strip_metadata

    try:
        return strip_metadata(data, limits)
    except ImageError as exc:
        return str(exc)
