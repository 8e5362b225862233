"""Text as it arrives, made safe before anything else reads it: the rest is still checked.

Discord's JSON and exports may carry an unpaired surrogate (``"\\ud800"``), and files may carry bytes that
are not UTF-8. Neither is refused: each bad code point or byte becomes U+FFFD and everything around it is
read, checked, sealed and stored as usual.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def clean_text(value: str) -> str:
    """``value`` with every lone surrogate replaced by U+FFFD (a fast no-op for ordinary text)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # a valid pair written as two surrogates ("\\ud83d\\ude00") becomes the character it spells
        value = value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
        return _LONE_SURROGATE.sub(REPLACEMENT, value)
    return value


def decode_bytes(raw: bytes) -> tuple[str, int]:
    """``raw`` as UTF-8 with each invalid byte replaced by U+FFFD; returns (text, bytes replaced)."""
    try:
        return raw.decode("utf-8"), 0
    except UnicodeDecodeError:
        escaped = raw.decode("utf-8", "surrogateescape")  # each bad byte -> one U+DC80..U+DCFF
    text, bad = _ESCAPED_BYTE.subn(REPLACEMENT, escaped)
    return text, bad
