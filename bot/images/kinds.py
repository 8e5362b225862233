"""The image step's light vocabulary (no Pillow, no NumPy): what counts as an image, the limits, and what a
reading of one image found. Importing the pipeline must not load the imaging libraries."""

from __future__ import annotations

from dataclasses import dataclass, field

#: Pillow format names we read, and the content types Discord and exporters give them.
FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
CONTENT_TYPES = frozenset({*FORMATS.values(), "image/jpg", "image/pjpeg"})
EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".jfif", ".webp", ".gif"})

DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000


def is_image(content_type: str, filename: str = "") -> bool:
    """Whether an attachment should be read as an image (by content type, else by file extension)."""
    ctype = content_type.split(";")[0].strip().lower()
    if ctype:
        return ctype in CONTENT_TYPES
    dot = filename.rfind(".")
    return dot != -1 and filename[dot:].lower() in EXTENSIONS


@dataclass(frozen=True, slots=True)
class ImageLimits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS


@dataclass(frozen=True, slots=True)
class ExifDetails:
    """Which identifying EXIF fields a photo carries (never their values)."""

    gps: bool = False  # a latitude and longitude
    serial: bool = False  # a camera body or lens serial number
    owner: bool = False  # the camera owner's name or the artist field

    @property
    def any(self) -> bool:
        return self.gps or self.serial or self.owner


@dataclass(frozen=True, slots=True)
class ImageReading:
    """What was found in one image. ``lines`` are recognised text, top to bottom; never logged."""

    lines: tuple[str, ...] = ()
    alternates: tuple[str, ...] = ()  # other readings of lines where a character was uncertain
    exif: ExifDetails = field(default_factory=ExifDetails)
    width: int = 0
    height: int = 0
    format: str = ""
    error: str = ""  # why the image could not be read; the image must then go to review
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def text_to_check(self) -> str:
        """The lines, then their alternate readings: what the identity engine reads."""
        return "\n".join((*self.lines, *self.alternates))
