"""Images the image tests draw themselves with Pillow: screenshots, memes, a court building, photos.

Fonts: Pillow's built-in scalable font, and the DejaVu Sans faces that the ``opencv-python`` wheel (a
dependency of ``rapidocr-onnxruntime``) ships, so a clean clone has the same fonts as this machine.
"""

from __future__ import annotations

import importlib.util
import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

LIGHT = {"bg": (255, 255, 255), "fg": (5, 5, 5), "muted": (101, 103, 107), "card": (240, 242, 245)}
DARK = {"bg": (24, 25, 26), "fg": (228, 230, 235), "muted": (176, 179, 184), "card": (58, 59, 60)}

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _dejavu_dirs() -> list[Path]:
    dirs = []
    spec = importlib.util.find_spec("cv2")  # found, not imported: OpenCV stays out of the test process
    if spec is not None and spec.origin:
        dirs.append(Path(spec.origin).parent / "qt" / "fonts")
    dirs.append(Path("/usr/share/fonts/truetype/dejavu"))
    return dirs


def font(face: str = "default", size: int = 24) -> Font:
    """``face``: "default" (Pillow's built-in) or a DejaVu Sans file stem such as "DejaVuSans-Bold"."""
    if face != "default":
        for folder in _dejavu_dirs():
            path = folder / f"{face}.ttf"
            if path.exists():
                return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


@dataclass(frozen=True)
class Sample:
    """A rendered image and what it shows: ``names`` registered names visible in it (empty: none)."""

    key: str
    data: bytes
    names: tuple[str, ...] = ()
    content_type: str = "image/png"


def png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def jpeg(image: Image.Image, quality: int = 85, exif: Image.Exif | None = None) -> bytes:
    out = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.convert("RGB").save(out, "JPEG", quality=quality, **kwargs)
    return out.getvalue()


def text_card(lines: list[str], *, theme: dict[str, tuple[int, int, int]] = LIGHT, face: str = "default",
              size: int = 24, width: int = 900, pad: int = 24) -> Image.Image:
    """Lines of text on a plain background, as in a cropped screenshot of a post."""
    f = font(face, size)
    line_h = int(size * 1.5)
    image = Image.new("RGB", (width, pad * 2 + line_h * len(lines)), theme["bg"])
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((pad, pad + i * line_h), line, font=f, fill=theme["fg"])
    return image


def phone_screenshot(author: str, post: str, comments: list[tuple[str, str]], *,
                     theme: dict[str, tuple[int, int, int]] = LIGHT, face: str = "DejaVuSans") -> Image.Image:
    """A social app's post with comments, at a phone's 720x1280 (status bar, header, avatars, buttons)."""
    w, h = 720, 1280
    image = Image.new("RGB", (w, h), theme["bg"])
    draw = ImageDraw.Draw(image)
    small, body, bold = font(face, 22), font(face, 28), font("DejaVuSans-Bold", 28)
    draw.text((24, 12), "9:41", font=small, fill=theme["fg"])
    draw.text((600, 12), "5G 87%", font=small, fill=theme["fg"])
    draw.rectangle((0, 56, w, 140), fill=theme["card"])
    draw.text((24, 80), "Hartley Community Noticeboard", font=bold, fill=theme["fg"])
    y = 170
    draw.ellipse((24, y, 88, y + 64), fill=(66, 103, 178))
    draw.text((104, y + 4), author, font=bold, fill=theme["fg"])
    draw.text((104, y + 40), "2h · Public", font=small, fill=theme["muted"])
    y += 100
    for line in _wrap(post, body, w - 48):
        draw.text((24, y), line, font=body, fill=theme["fg"])
        y += 42
    y += 20
    draw.line((24, y, w - 24, y), fill=theme["muted"], width=1)
    draw.text((60, y + 14), "Like        Comment        Share", font=small, fill=theme["muted"])
    y += 70
    for who, said in comments:
        draw.ellipse((24, y, 72, y + 48), fill=(120, 160, 90))
        lines = _wrap(said, body, w - 130)
        draw.rounded_rectangle((84, y - 6, w - 24, y + 44 + 40 * len(lines)), radius=18, fill=theme["card"])
        draw.text((100, y), who, font=font("DejaVuSans-Bold", 24), fill=theme["fg"])
        for k, line in enumerate(lines):
            draw.text((100, y + 36 + 40 * k), line, font=body, fill=theme["fg"])
        y += 80 + 40 * len(lines)
    return image


def _wrap(text: str, f: Font, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if f.getlength(trial) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def rotated(image: Image.Image, degrees: float, fill: tuple[int, int, int]) -> Image.Image:
    return image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=fill)


def meme(top: str, bottom: str, *, size: int = 48) -> Image.Image:
    """Impact-style captions (white with a black outline) over a coloured picture."""
    image = Image.new("RGB", (800, 600), (90, 140, 200))
    draw = ImageDraw.Draw(image)
    draw.ellipse((250, 150, 550, 450), fill=(240, 200, 150))
    draw.ellipse((320, 250, 360, 290), fill=(30, 30, 30))
    draw.ellipse((440, 250, 480, 290), fill=(30, 30, 30))
    draw.arc((330, 300, 470, 400), 20, 160, fill=(30, 30, 30), width=6)
    f = font("DejaVuSans-Bold", size)
    for text, y in ((top, 30), (bottom, 600 - 30 - size)):
        x = (800 - f.getlength(text)) / 2
        draw.text((x, y), text, font=f, fill="white", stroke_width=3, stroke_fill="black")
    return image


def court_building() -> Image.Image:
    """A drawn court building: steps, columns, a pediment, the court's sign and a street sign."""
    image = Image.new("RGB", (900, 600), (170, 200, 230))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 480, 900, 600), fill=(120, 120, 120))
    draw.polygon([(150, 170), (450, 60), (750, 170)], fill=(225, 220, 205))
    draw.rectangle((150, 170, 750, 460), fill=(215, 210, 195))
    for x in range(190, 730, 90):
        draw.rectangle((x, 230, x + 36, 440), fill=(240, 236, 225))
    for k in range(3):
        draw.rectangle((130 - 10 * k, 440 + 14 * k, 770 + 10 * k, 454 + 14 * k), fill=(200, 196, 185))
    draw.rectangle((300, 180, 600, 222), fill=(40, 40, 40))
    draw.text((318, 186), "MAGISTRATES COURT", font=font("DejaVuSans-Bold", 26), fill=(230, 200, 90))
    draw.rectangle((40, 500, 330, 560), fill=(20, 80, 160))
    draw.text((52, 515), "Victoria Street", font=font("DejaVuSans-Bold", 28), fill="white")
    return image


def photo_with_exif(*, gps: bool = True, owner: str | None = None, serial: str | None = None,
                    size: tuple[int, int] = (640, 480)) -> bytes:
    """A JPEG "photo" (a gradient and shapes) whose EXIF carries a GPS position and camera fields."""
    from PIL import ExifTags

    image = Image.new("RGB", size, (30, 90, 40))
    draw = ImageDraw.Draw(image)
    for y in range(size[1]):
        draw.line((0, y, size[0], y), fill=(30 + y // 4, 90 + y // 8, 160 - y // 5))
    draw.rectangle((200, 220, 440, 420), fill=(150, 60, 50))
    draw.polygon([(180, 220), (320, 120), (460, 220)], fill=(90, 40, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Model] = "Model 7"
    if owner is not None:
        exif[ExifTags.Base.Artist] = owner
    if serial is not None:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = serial
    if gps:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (53.0, 28.0, 51.6),
            ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (2.0, 14.0, 40.2),
        })
    return jpeg(image, quality=90, exif=exif)


def tweet(display: str, handle: str, text: str, *, theme: dict[str, tuple[int, int, int]] = LIGHT,
          face: str = "DejaVuSans", size: int = 24) -> Image.Image:
    """A microblog post card: avatar, display name and handle, wrapped text, a timestamp and counts."""
    w = 680
    f, bold, small = font(face, size), font("DejaVuSans-Bold", size), font(face, size - 6)
    lines = _wrap(text, f, w - 40)
    h = 120 + int(size * 1.45) * len(lines) + 70
    image = Image.new("RGB", (w, h), theme["bg"])
    draw = ImageDraw.Draw(image)
    draw.ellipse((20, 20, 76, 76), fill=(29, 155, 240))
    draw.text((90, 22), display, font=bold, fill=theme["fg"])
    draw.text((90, 22 + size + 6), handle, font=small, fill=theme["muted"])
    y = 100
    for line in lines:
        draw.text((20, y), line, font=f, fill=theme["fg"])
        y += int(size * 1.45)
    draw.text((20, y + 14), "8:14 PM · 3 Mar · 12.4K Views", font=small, fill=theme["muted"])
    return image


def chat(bubbles: list[tuple[bool, str]], *, theme: dict[str, tuple[int, int, int]] = DARK) -> Image.Image:
    """A messenger conversation: ``(mine, text)`` bubbles, right (mine) or left, at a phone's width."""
    w = 720
    f = font("DejaVuSans", 26)
    rows = [(mine, _wrap(text, f, 460)) for mine, text in bubbles]
    h = 120 + sum(40 * len(lines) + 44 for _, lines in rows)
    image = Image.new("RGB", (w, h), theme["bg"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, w, 90), fill=theme["card"])
    draw.text((110, 28), "Year 9 Mums", font=font("DejaVuSans-Bold", 28), fill=theme["fg"])
    y = 110
    for mine, lines in rows:
        width = max(f.getlength(line) for line in lines) + 36
        x0 = w - 24 - width if mine else 24
        fill = (0, 92, 75) if mine else theme["card"]
        draw.rounded_rectangle((x0, y, x0 + width, y + 40 * len(lines) + 20), radius=16, fill=fill)
        for k, line in enumerate(lines):
            draw.text((x0 + 18, y + 10 + 40 * k), line, font=f, fill=theme["fg"])
        y += 40 * len(lines) + 44
    return image


def clipping(headline: str, body: list[str]) -> Image.Image:
    """A newspaper clipping: sepia paper, a bold headline, a column of body text in the default font."""
    image = Image.new("RGB", (760, 110 + 34 * len(body)), (238, 228, 205))
    draw = ImageDraw.Draw(image)
    draw.text((24, 20), headline, font=font("DejaVuSans-Bold", 32), fill=(30, 25, 20))
    draw.line((24, 70, 736, 70), fill=(80, 70, 60), width=2)
    for i, line in enumerate(body):
        draw.text((24, 86 + 34 * i), line, font=font("default", 22), fill=(40, 35, 30))
    return image


def scaled(image: Image.Image, factor: float) -> Image.Image:
    return image.resize((round(image.width * factor), round(image.height * factor)), Image.Resampling.LANCZOS)
