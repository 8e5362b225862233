"""Downloading attachments: CDN hosts only, the fetcher's address guard, size cap and type check; errors
name neither the URL nor the file (a file name may be the protected name itself)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.flags import Attachment
from bot.images.download import cdn_loader
from tests.images.render import photo_with_exif
from tests.loopback import serve

PHOTO = photo_with_exif(gps=False)
SECRET_NAME = "tilly-brackenbury.jpg"


@pytest.fixture
async def cdn() -> AsyncIterator[str]:
    async def photo(request: web.Request) -> web.Response:
        return web.Response(body=PHOTO, content_type="image/jpeg")

    async def page(request: web.Request) -> web.Response:
        return web.Response(text="<html></html>", content_type="text/html")

    app = web.Application()
    app.router.add_get(f"/attachments/1/2/{SECRET_NAME}", photo)
    app.router.add_get("/attachments/1/3/page.png", page)
    async with serve(app) as base:
        yield base


def _attachment(url: str, size: int = len(PHOTO)) -> Attachment:
    return Attachment(SECRET_NAME, "image/jpeg", size, url=url)


async def test_downloads_from_an_allowed_cdn_host(cdn: str) -> None:
    load = cdn_loader(max_bytes=1_000_000, allow_private=True, hosts=frozenset({"127.0.0.1"}))
    got = await load(1, _attachment(f"{cdn}/attachments/1/2/{SECRET_NAME}?ex=1&hm=sig"))
    assert got.data == PHOTO and not got.error


@pytest.mark.parametrize(("path", "kwargs", "words"), [
    (f"/attachments/1/2/{SECRET_NAME}", {"hosts": frozenset({"cdn.discordapp.com"})}, "not on Discord's CDN"),
    (f"/attachments/1/2/{SECRET_NAME}", {"allow_private": False}, "refused"),  # the SSRF guard still applies
    (f"/attachments/1/2/{SECRET_NAME}", {"max_bytes": 100}, "larger than the limit"),
    ("/attachments/1/3/page.png", {}, "not an accepted type"),
    ("/attachments/1/9/missing.png", {}, "HTTP 404"),
])
async def test_refusals_are_errors_without_the_url_or_file_name(cdn: str, path: str, kwargs: dict, words: str) -> None:
    options: dict = {"max_bytes": 1_000_000, "allow_private": True, "hosts": frozenset({"127.0.0.1"})} | kwargs
    load = cdn_loader(**options)
    got = await load(1, _attachment(f"{cdn}{path}"))
    assert got.data is None and words in got.error
    assert "127.0.0.1" not in got.error and "brackenbury" not in got.error and "\n" not in got.error
