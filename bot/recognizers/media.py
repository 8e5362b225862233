"""Images and videos: attachments on a message, and links to pictures or clips in its text."""

from __future__ import annotations

import re

from bot.flags import Message
from bot.recognizers.base import Detail

IMAGE_EXT = {"png", "jpg", "jpeg", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff", "avif"}
VIDEO_EXT = {"mp4", "mov", "webm", "mkv", "avi", "m4v", "3gp", "wmv"}
# A link-shaped token (linear to scan); whether it points at a picture or clip is checked on the token.
LINK = re.compile(r"(?:https?://)?[\w-]+(?:\.[\w-]+)+/[^\s<>\"]*", re.IGNORECASE)
MEDIA_PATH = re.compile(
    r"\.(?:" + "|".join(sorted(IMAGE_EXT | VIDEO_EXT)) + r")(?:\?[^\s<>\"]*)?$"
    r"|^(?:https?://)?(?:i\.)?imgur\.com/|^(?:https?://)?(?:cdn|media)\.discordapp\.(?:com|net)/attachments/",
    re.IGNORECASE,
)


def media_kind(filename: str, content_type: str = "") -> str | None:
    """"image", "video" or None for an attachment."""
    ctype = content_type.lower()
    if ctype.startswith("image/"):
        return "image"
    if ctype.startswith("video/"):
        return "video"
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext in IMAGE_EXT:
        return "image"
    if ext in VIDEO_EXT:
        return "video"
    return None


class MediaRecognizer:
    """``find`` looks for picture/clip links in text; ``find_attachments`` looks at a message's files.

    Attachment hits carry no character span (``start == end == 0``): there is nothing in the text to redact.
    """

    kind = "media"

    def find(self, text: str) -> list[Detail]:
        if "/" not in text:
            return []
        return [Detail(self.kind, m.start(), m.end(), 0.6, "a link to a picture or video")
                for m in LINK.finditer(text) if MEDIA_PATH.search(m.group(0))]

    def find_attachments(self, message: Message) -> list[Detail]:
        hits = []
        for attachment in message.attachments:
            kind = media_kind(attachment.filename, attachment.content_type)
            if kind is not None:
                hits.append(Detail(self.kind, 0, 0, 0.75, f"an attached {kind}"))
        return hits
