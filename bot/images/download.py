"""Downloading attachments from Discord's CDN with the fetcher's guard and limits (bot.sources.fetch).

Only hosts in ``hosts`` are fetched (Discord's CDN by default; the loopback fake in tests), every address
is checked by the same SSRF guard as a moderator's source URL, and the body is capped at the image size
limit. A failure is an :class:`ImageInput` with ``error`` set, so the image is flagged, never passed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from yarl import URL

from bot.images.check import ImageInput
from bot.images.kinds import CONTENT_TYPES

#: Where Discord serves attachments.
DISCORD_CDN_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})


def cdn_loader(*, max_bytes: int, timeout_s: float = 15.0, allow_private: bool = False,
               hosts: frozenset[str] = DISCORD_CDN_HOSTS) -> Callable[[int, Any], Awaitable[ImageInput]]:
    """A loader for :func:`bot.images.check.load_and_read` that downloads ``attachment.url``."""

    async def load(index: int, attachment: Any) -> ImageInput:
        from bot.sources.fetch import FetchError, fetch_bytes  # late: aiohttp and the sources package

        name, ctype, url = attachment.filename, attachment.content_type, getattr(attachment, "url", "")
        if not url:
            return ImageInput(index, name, ctype, error="the attachment has no address to download it from")
        try:
            host = URL(url).host or ""
        except ValueError:
            host = ""
        if host not in hosts:
            return ImageInput(index, name, ctype, error="the attachment is not on Discord's CDN")
        if getattr(attachment, "size", 0) > max_bytes:
            return ImageInput(index, name, ctype, error=f"the image is larger than the limit "
                                                        f"({attachment.size} bytes, limit {max_bytes})")
        try:
            data, _ = await fetch_bytes(url, allowed_types=tuple(sorted(CONTENT_TYPES)), timeout_s=timeout_s,
                                        max_bytes=max_bytes, allow_private=allow_private, shown="it")
        except FetchError as exc:  # "it answered HTTP 404", "it is larger than the limit ..."; never the URL
            text = str(exc)
            if "://" in text or (name and name in text) or "refusing" in text:
                text = "its address was refused or unreadable"
            return ImageInput(index, name, ctype, error=f"the image could not be downloaded: {text}")
        return ImageInput(index, name, ctype, data)

    return load
