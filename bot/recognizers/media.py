"""Images and videos: attachments on a message, and links to pictures or clips in its text
(rules: bot/rules/identity/recognizers/media.toml)."""

from __future__ import annotations

from bot.flags import Message
from bot.recognizers.base import Detail, detail
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules
from bot.rules.model import Strength

IMAGE_EXT = {"png", "jpg", "jpeg", "gif", "webp", "heic", "heif", "bmp", "tif", "tiff", "avif"}
VIDEO_EXT = {"mp4", "mov", "webm", "mkv", "avi", "m4v", "3gp", "wmv"}
_R = shipped_rules()
LINK, MEDIA_PATH = _R["media.link"], _R["media.path"].regexes
#: an attached picture or clip shows someone as surely as a link to one, and needs no click to see
ATTACHMENT = Strength.STRONG


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
    rules = (LINK,)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        if not shipped_gate().open(text) & shipped_gate().bit[LINK.id]:
            return []
        return [detail(LINK, m.start(), m.end()) for m in shipped_gate().finditer(text, LINK)
                if any(p.search(m.group(0)) for p in MEDIA_PATH)]

    def find_attachments(self, message: Message) -> list[Detail]:
        hits = []
        for attachment in message.attachments:
            kind = media_kind(attachment.filename, attachment.content_type)
            if kind is not None:
                hits.append(Detail(self.kind, 0, 0, ATTACHMENT, f"an attached {kind}", rule=LINK.id))
        return hits
