"""The image step the pipeline calls: download a post's image attachments, read them, hand back results.

Built once by the composition root from settings (:meth:`ImageStep.from_settings`); ``close`` stops the
worker processes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from bot.images.check import ImageInput, ImageResult, image_attachments, load_and_read
from bot.images.download import cdn_loader
from bot.images.kinds import ImageLimits
from bot.images.reader import ImageReader

Loader = Callable[[int, Any], Awaitable[ImageInput]]


class ImageStep:
    """``await step.read(attachments)`` → one :class:`ImageResult` per image attachment, errors included."""

    def __init__(self, reader: ImageReader, load: Loader) -> None:
        self.reader = reader
        self.load = load

    @classmethod
    def from_settings(cls, settings: Any) -> ImageStep:
        hosts = frozenset(h.strip().lower() for h in str(settings.image_cdn_hosts).split(",") if h.strip())
        reader = ImageReader(workers=settings.image_workers, queue_size=settings.image_queue_size,
                             deadline_s=settings.image_deadline_s,
                             limits=ImageLimits(settings.image_max_bytes, settings.image_max_pixels))
        load = cdn_loader(max_bytes=settings.image_max_bytes, timeout_s=settings.fetch_timeout_s,
                          allow_private=settings.fetch_allow_private, hosts=hosts)
        return cls(reader, load)

    @staticmethod
    def wants(attachments: Sequence[Any]) -> bool:
        return bool(image_attachments(attachments))

    async def read(self, attachments: Sequence[Any]) -> list[ImageResult]:
        return await load_and_read(self.reader, attachments, self.load)

    async def close(self) -> None:
        await self.reader.close()
