"""Opening attached images safely: size limits, accepted formats, the first frame, EXIF, a stripped copy.

Everything here is synchronous and may be slow or memory-hungry on a hostile file, so it runs in the
image worker process (:mod:`bot.images.worker`), never on the event loop. Limits are checked before any
pixel is decoded: the byte count first, then the pixel count from the header.
"""

from __future__ import annotations

import io
import warnings

from PIL import ExifTags, Image, UnidentifiedImageError

from bot.images.kinds import (  # noqa: F401  (re-exported: the formats' vocabulary)
    CONTENT_TYPES,
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_PIXELS,
    EXTENSIONS,
    FORMATS,
    ExifDetails,
    ImageLimits,
    is_image,
)

_SERIAL_TAGS = (ExifTags.Base.BodySerialNumber, ExifTags.Base.CameraSerialNumber, ExifTags.Base.LensSerialNumber)
_OWNER_TAGS = (ExifTags.Base.CameraOwnerName, ExifTags.Base.Artist)
_GPS_POSITION = (ExifTags.GPS.GPSLatitude, ExifTags.GPS.GPSLongitude)


class ImageError(Exception):
    """An image that cannot be read within the limits; the message is one line and never quotes content."""


def open_image(data: bytes, limits: ImageLimits) -> Image.Image:
    """Open ``data`` as a PNG, JPEG, WebP or GIF within ``limits``; raise :class:`ImageError` otherwise.

    Only the header is read here; the caller decodes (``load``) the first frame.
    """
    if not data:
        raise ImageError("the image is empty")
    if len(data) > limits.max_bytes:
        raise ImageError(f"the image is larger than the limit ({len(data)} bytes, limit {limits.max_bytes})")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=list(FORMATS))
    except UnidentifiedImageError:
        raise ImageError("the file is not a PNG, JPEG, WebP or GIF image") from None
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        raise ImageError("the image has too many pixels to read") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise ImageError(f"the image cannot be read ({type(exc).__name__})") from None
    width, height = image.size
    if width <= 0 or height <= 0:
        raise ImageError("the image has no pixels")
    if width * height > limits.max_pixels:
        raise ImageError(f"the image is {width}x{height}, more pixels than the limit ({limits.max_pixels})")
    return image


def first_frame_rgb(image: Image.Image) -> Image.Image:
    """The first frame, decoded and flattened onto white, as RGB (transparent screenshots stay legible)."""
    try:
        image.seek(0)
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageError(f"the image data is damaged ({type(exc).__name__})") from None
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def exif_details(image: Image.Image) -> ExifDetails:
    """GPS position, serial numbers and owner fields in the image's EXIF (absent or unreadable: none)."""
    try:
        exif = image.getexif()
    except (OSError, ValueError, SyntaxError):
        return ExifDetails()
    if not exif:
        return ExifDetails()
    try:
        gps_ifd = exif.get_ifd(ExifTags.IFD.GPSInfo)
        sub = exif.get_ifd(ExifTags.IFD.Exif)
    except (OSError, ValueError, SyntaxError, KeyError, TypeError):
        gps_ifd, sub = {}, {}

    gps = all(_filled(gps_ifd.get(tag)) for tag in _GPS_POSITION)
    serial = any(_filled(sub.get(tag)) or _filled(exif.get(tag)) for tag in _SERIAL_TAGS)
    owner = any(_filled(sub.get(tag)) or _filled(exif.get(tag)) for tag in _OWNER_TAGS)
    return ExifDetails(gps=gps, serial=serial, owner=owner)


def _filled(value: object) -> bool:
    if isinstance(value, bytes):
        return bool(value.strip(b"\x00 "))
    if isinstance(value, str):
        return bool(value.strip("\x00 "))
    if isinstance(value, tuple):
        return len(value) > 0
    return value is not None


def strip_metadata(data: bytes, limits: ImageLimits | None = None) -> tuple[bytes, str]:
    """A copy of the image without EXIF, XMP, ICC comments or text chunks: ``(bytes, content type)``.

    The pixels are re-encoded from the decoded first frame (JPEG stays JPEG at high quality, everything else
    becomes PNG), so no metadata block of the original can survive. Raises :class:`ImageError`.
    """
    image = open_image(data, limits or ImageLimits())
    fmt = image.format or "PNG"
    frame = first_frame_rgb(image) if fmt == "JPEG" or image.mode not in ("RGBA", "LA", "P") else _rgba(image)
    out = io.BytesIO()
    if fmt == "JPEG":
        frame.save(out, "JPEG", quality=95)
        return out.getvalue(), "image/jpeg"
    frame.save(out, "PNG")
    return out.getvalue(), "image/png"


def _rgba(image: Image.Image) -> Image.Image:
    try:
        image.seek(0)
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise ImageError(f"the image data is damaged ({type(exc).__name__})") from None
    return image.convert("RGBA")
