"""Opening images within limits, the first frame of a GIF, EXIF details, and the stripped copy."""

from __future__ import annotations

import io

import pytest
from PIL import ExifTags, Image

from bot.images.formats import (
    ImageError,
    ImageLimits,
    exif_details,
    first_frame_rgb,
    is_image,
    open_image,
    strip_metadata,
)
from bot.images.worker import read_image
from tests.images.render import photo_with_exif, png


def _encoded(fmt: str, image: Image.Image, **kwargs: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **kwargs)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_accepted_formats_open(fmt: str) -> None:
    image = open_image(_encoded(fmt, Image.new("RGB", (40, 30), "red")), ImageLimits())
    assert image.format == fmt and first_frame_rgb(image).size == (40, 30)


def test_gif_first_frame_is_read() -> None:
    frames = [Image.new("RGB", (20, 20), c) for c in ("white", "black", "black")]
    data = _encoded("GIF", frames[0], save_all=True, append_images=frames[1:])
    assert first_frame_rgb(open_image(data, ImageLimits())).getpixel((5, 5)) == (255, 255, 255)


@pytest.mark.parametrize(("data", "limits", "words"), [
    (b"", ImageLimits(), "empty"),
    (b"GIF89a not really", ImageLimits(), "not a PNG"),
    (b"%PDF-1.4 a document", ImageLimits(), "not a PNG"),
    (png(Image.new("RGB", (100, 100))), ImageLimits(max_bytes=50), "larger than the limit"),
    (png(Image.new("RGB", (100, 100))), ImageLimits(max_pixels=5_000), "more pixels than the limit"),
])
def test_bad_or_oversized_input_is_one_line(data: bytes, limits: ImageLimits, words: str) -> None:
    with pytest.raises(ImageError, match=words) as info:
        open_image(data, limits)
    assert "\n" not in str(info.value)


def test_truncated_image_is_an_error_reading_not_an_exception() -> None:
    data = photo_with_exif(gps=False)
    reading = read_image(data[: len(data) // 3], ImageLimits(), ocr=False)
    assert reading.error and not reading.lines


def test_a_decompression_bomb_header_is_refused_before_decoding() -> None:
    data = png(Image.new("1", (20_000, 20_000)))  # small file, 400 megapixels
    assert len(data) < 8 * 1024 * 1024
    reading = read_image(data, ImageLimits(), ocr=False)
    assert "pixels" in reading.error


def test_exif_details() -> None:
    assert exif_details(open_image(photo_with_exif(), ImageLimits())).gps
    plain = exif_details(open_image(photo_with_exif(gps=False), ImageLimits()))
    assert not plain.any
    both = exif_details(open_image(photo_with_exif(gps=False, owner="J. Doe", serial="SN12345"), ImageLimits()))
    assert both.owner and both.serial and not both.gps


def test_stripped_copy_has_no_gps_or_owner_and_same_pixels() -> None:
    original = photo_with_exif(owner="J. Doe", serial="SN12345")
    copy, ctype = strip_metadata(original)
    assert ctype == "image/jpeg"
    image = Image.open(io.BytesIO(copy))
    exif = image.getexif()
    assert not exif.get_ifd(ExifTags.IFD.GPSInfo)
    assert not exif_details(image).any
    assert b"J. Doe" not in copy and b"SN12345" not in copy
    assert image.size == Image.open(io.BytesIO(original)).size


def test_stripped_png_keeps_no_text_chunks() -> None:
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "taken at 12 Acacia Avenue")
    data = _encoded("PNG", Image.new("RGBA", (30, 30), (0, 0, 0, 0)), pnginfo=info)
    copy, ctype = strip_metadata(data)
    assert ctype == "image/png" and b"Acacia" not in copy


@pytest.mark.parametrize(("ctype", "name", "expected"), [
    ("image/png", "a.bin", True), ("image/jpeg", "", True), ("image/webp", "", True), ("image/gif", "", True),
    ("image/svg+xml", "a.svg", False), ("application/pdf", "a.png", False), ("", "photo.JPG", True),
    ("", "notes.txt", False), ("image/png; charset=binary", "", True),
])
def test_is_image(ctype: str, name: str, expected: bool) -> None:
    assert is_image(ctype, name) is expected
