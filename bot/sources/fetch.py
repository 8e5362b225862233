"""Fetch an article over HTTP(S) politely: timeout, size cap, content-type check, robots.txt, a clear UA."""

from __future__ import annotations

import asyncio
import urllib.robotparser
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from bot.errors import InputError

USER_AGENT = "CasewatchBot/0.1 (+https://github.com/casewatch; moderation summaries)"
ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
ROBOTS_MAX_BYTES = 200_000


class FetchError(InputError):
    """A URL that could not be fetched or is not an article; the message is one line."""


@dataclass(slots=True)
class Fetched:
    url: str  # the final URL after redirects
    content_type: str
    text: str
    raw: bytes


async def _read_capped(resp: aiohttp.ClientResponse, max_bytes: int, url: str) -> bytes:
    length = resp.content_length
    if length is not None and length > max_bytes:
        raise FetchError(f"{url} is too large ({length} bytes, limit {max_bytes})")
    body = bytearray()
    async for chunk in resp.content.iter_chunked(65536):
        body.extend(chunk)
        if len(body) > max_bytes:
            raise FetchError(f"{url} is larger than the limit of {max_bytes} bytes")
    return bytes(body)


async def _robots_allows(session: aiohttp.ClientSession, url: str, timeout: aiohttp.ClientTimeout) -> bool:
    """Whether robots.txt lets our user agent fetch ``url``; a missing or unreadable robots.txt allows."""
    parts = urlsplit(url)
    robots_url = urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))
    try:
        async with session.get(robots_url, timeout=timeout, allow_redirects=True) as resp:
            if resp.status >= 400:
                return True
            raw = await _read_capped(resp, ROBOTS_MAX_BYTES, robots_url)
    except (aiohttp.ClientError, TimeoutError, FetchError):
        return True
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(raw.decode("utf-8", errors="replace").splitlines())
    return parser.can_fetch(USER_AGENT, url)


async def fetch_url(
    url: str,
    *,
    timeout_s: float = 15.0,
    max_bytes: int = 3_000_000,
    respect_robots: bool = True,
    session: aiohttp.ClientSession | None = None,
) -> Fetched:
    """GET ``url`` and return its decoded text; raise :class:`FetchError` with one line on any problem."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=min(timeout_s, 10.0))
    own = session is None
    sess = session or aiohttp.ClientSession(headers={"User-Agent": USER_AGENT})
    try:
        robots_timeout = aiohttp.ClientTimeout(total=min(timeout_s, 5.0))
        if respect_robots and not await _robots_allows(sess, url, robots_timeout):
            raise FetchError(f"robots.txt of {parts.netloc} disallows fetching {url[:200]}")
        try:
            async with sess.get(url, timeout=timeout, allow_redirects=True, max_redirects=5,
                                headers={"User-Agent": USER_AGENT, "Accept": ", ".join(ALLOWED_TYPES)}) as resp:
                if resp.status >= 400:
                    raise FetchError(f"{url[:200]} answered HTTP {resp.status}")
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if ctype not in ALLOWED_TYPES:
                    raise FetchError(f"{url[:200]} is {ctype or 'of unknown type'}, not an HTML or text page")
                raw = await _read_capped(resp, max_bytes, url[:200])
                charset = resp.charset or "utf-8"
                final = str(resp.url)
        except TimeoutError:
            raise FetchError(f"{url[:200]} timed out after {timeout_s:g} s") from None
        except aiohttp.TooManyRedirects:
            raise FetchError(f"{url[:200]} redirects too many times") from None
        except aiohttp.ClientError as exc:
            raise FetchError(f"cannot fetch {url[:200]}: {type(exc).__name__}") from None
    finally:
        if own:
            await sess.close()
    try:
        text = raw.decode(charset, errors="replace")
    except LookupError:
        text = raw.decode("utf-8", errors="replace")
    return Fetched(url=final, content_type=ctype, text=text, raw=raw)


def run_fetch(url: str, **kwargs: object) -> Fetched:
    """Synchronous wrapper for the CLI."""
    return asyncio.run(fetch_url(url, **kwargs))  # type: ignore[arg-type]
