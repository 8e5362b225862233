"""The fetcher's limits against a loopback HTTP server (127.0.0.1 only, so internal addresses are allowed)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from bot.sources import fetch_source
from bot.sources.fetch import USER_AGENT, FetchError, fetch_url
from tests.loopback import serve

ARTICLE = (Path(__file__).parents[1] / "summary" / "cases" / "news_comments" / "article.html").read_text()


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, list[str]]]:
    seen_agents: list[str] = []

    async def article(request: web.Request) -> web.Response:
        seen_agents.append(request.headers.get("User-Agent", ""))
        return web.Response(text=ARTICLE, content_type="text/html", charset="utf-8")

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(5)
        return web.Response(text="too late", content_type="text/html")

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b"<p>" + b"x" * 50_000 + b"</p>", content_type="text/html")

    async def big_chunked(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        resp.enable_chunked_encoding()
        await resp.prepare(request)
        for _ in range(20):
            await resp.write(b"<p>" + b"y" * 5000 + b"</p>")
        await resp.write_eof()
        return resp

    async def pdf(request: web.Request) -> web.Response:
        return web.Response(body=b"%PDF-1.7", content_type="application/pdf")

    async def missing(request: web.Request) -> web.Response:
        return web.Response(status=404, text="not here")

    async def robots(request: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nDisallow: /private/\n", content_type="text/plain")

    app = web.Application()
    app.router.add_get("/article", article)
    app.router.add_get("/private/article", article)
    app.router.add_get("/slow", slow)
    app.router.add_get("/big", big)
    app.router.add_get("/big-chunked", big_chunked)
    app.router.add_get("/report.pdf", pdf)
    app.router.add_get("/missing", missing)
    app.router.add_get("/robots.txt", robots)
    async with serve(app) as base:
        yield base, seen_agents


async def test_fetches_and_extracts_an_article_with_our_user_agent(server: tuple[str, list[str]]) -> None:
    base, agents = server
    doc = await fetch_source(f"{base}/article", allow_private=True)
    assert doc.url == f"{base}/article"
    assert doc.title == "Detective dismissed after leaking complainant's details"
    assert "misconduct in public office" in doc.text and "never see daylight" not in doc.text
    assert agents == [USER_AGENT]


async def test_timeout_is_one_line_error(server: tuple[str, list[str]]) -> None:
    base, _ = server
    with pytest.raises(FetchError, match="timed out"):
        await fetch_url(f"{base}/slow", timeout_s=0.3, allow_private=True)


@pytest.mark.parametrize("path", ["/big", "/big-chunked"])
async def test_oversized_body_is_refused(server: tuple[str, list[str]], path: str) -> None:
    base, _ = server
    with pytest.raises(FetchError, match="larg"):
        await fetch_url(f"{base}{path}", max_bytes=20_000, allow_private=True)


async def test_non_html_content_type_is_refused(server: tuple[str, list[str]]) -> None:
    base, _ = server
    with pytest.raises(FetchError, match="application/pdf"):
        await fetch_url(f"{base}/report.pdf", allow_private=True)


async def test_http_errors_and_bad_schemes(server: tuple[str, list[str]]) -> None:
    base, _ = server
    with pytest.raises(FetchError, match="HTTP 404"):
        await fetch_url(f"{base}/missing", allow_private=True)
    with pytest.raises(FetchError, match="not an http"):
        await fetch_url("file:///etc/passwd")


async def test_robots_txt_is_respected(server: tuple[str, list[str]]) -> None:
    base, _ = server
    with pytest.raises(FetchError, match=r"robots\.txt"):
        await fetch_url(f"{base}/private/article", allow_private=True)
    got = await fetch_url(f"{base}/private/article", respect_robots=False, allow_private=True)
    assert "Wexmoor" in got.text


async def test_connection_refused_is_one_line(server: tuple[str, list[str]]) -> None:
    with pytest.raises(FetchError, match="cannot fetch"):
        await fetch_url("http://127.0.0.1:9/article", timeout_s=2, allow_private=True)


async def test_extraction_runs_in_a_worker_thread(server: tuple[str, list[str]],
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """trafilatura on a 3 MB page takes seconds: never on the bot's event loop."""
    import threading

    from bot.sources import load

    threads: list[threading.Thread] = []
    real = load.extract_any

    def recording(*args: object, **kwargs: object) -> object:
        threads.append(threading.current_thread())
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(load, "extract_any", recording)
    base, _ = server
    doc = await fetch_source(f"{base}/article", allow_private=True)
    assert doc.text and threads and threads[0] is not threading.main_thread()
