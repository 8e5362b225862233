"""Fetch an article over HTTP(S) politely: timeout, size cap, content-type check, robots.txt, a clear UA.

Internal addresses are refused unless ``allow_private`` (``FETCH_ALLOW_PRIVATE``): a moderator's URL must
not be able to reach the bot's own network (loopback, private ranges, link-local cloud metadata at
169.254.169.254, ...). Host names are checked where the connection is made, by :class:`GuardedResolver`
inside the session's connector, so a name that resolves differently the second time (DNS rebinding) is
caught too; IP-literal hosts are checked before each request, and redirects are followed by hand (at
most :data:`MAX_REDIRECTS`) so that every hop is checked the same way.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import socket
import urllib.robotparser
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from bot.errors import InputError

USER_AGENT = "CasewatchBot/0.1 (+https://github.com/casewatch; moderation summaries)"
ALLOWED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
ROBOTS_MAX_BYTES = 200_000
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class FetchError(InputError):
    """A URL that could not be fetched or is not an article; the message is one line."""


class BlockedAddressError(FetchError):
    """A URL whose host is, or resolves to, an internal address while those are not allowed."""


@dataclass(slots=True)
class Fetched:
    url: str  # the final URL after redirects
    content_type: str
    text: str
    raw: bytes


# -- the address guard -------------------------------------------------------------------------------

def blocked_reason(ip: IPAddress) -> str | None:
    """Why ``ip`` is internal ("loopback", "private", ...), or ``None`` for a public address.

    An IPv4 address inside IPv6 (``::ffff:127.0.0.1``, 6to4, Teredo) is judged by the IPv4 address.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:  # the connection goes to the IPv4 address
            return blocked_reason(ip.ipv4_mapped)
        inner = ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if inner is not None and (reason := blocked_reason(inner)) is not None:
            return reason
    for reason, hit in (("unspecified", ip.is_unspecified), ("loopback", ip.is_loopback),
                        ("link-local", ip.is_link_local), ("multicast", ip.is_multicast),
                        ("reserved", ip.is_reserved), ("private", ip.is_private)):
        if hit:
            return reason
    return None if ip.is_global else "non-public"


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]").split("%", 1)[0])
    except ValueError:
        return None


def _refuse(url: str, host: str, reason: str, *, resolved: bool) -> BlockedAddressError:
    what = f"{host} resolves to a {reason} address" if resolved else f"{host} is a {reason} address"
    return BlockedAddressError(f"refusing to fetch {url[:200]}: {what} (internal addresses are not fetched; "
                               "FETCH_ALLOW_PRIVATE=true allows them)")


async def _getaddrinfo(host: str, port: int, family: int = socket.AF_UNSPEC) -> list[Any]:
    """``loop.getaddrinfo`` for TCP (a seam for tests that need a name to resolve somewhere)."""
    return await asyncio.get_running_loop().getaddrinfo(host, port, family=family, type=socket.SOCK_STREAM)


class GuardedResolver(AbstractResolver):
    """aiohttp resolver that refuses a host if any of its addresses is internal (unless allowed).

    It runs each time the connector opens a connection, so the address checked is the address used.
    """

    def __init__(self, *, allow_private: bool = False, url: str = "") -> None:
        self.allow_private = allow_private
        self.url = url  # for the error message

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        try:
            infos = await _getaddrinfo(host, port, family)
        except socket.gaierror as exc:
            raise OSError(exc.errno, f"cannot resolve {host}") from None
        results: list[ResolveResult] = []
        for fam, _type, proto, _canon, sockaddr in infos:
            address = str(sockaddr[0])
            ip = _ip_literal(address)
            if ip is None:
                continue
            if not self.allow_private and (reason := blocked_reason(ip)) is not None:
                raise _refuse(self.url or host, host, reason, resolved=True)
            if fam == socket.AF_INET6 and len(sockaddr) > 3 and sockaddr[3]:
                address = f"{address}%{sockaddr[3]}"  # a link-local address needs its scope
            results.append(ResolveResult(hostname=host, host=address, port=int(sockaddr[1]), family=fam,
                                         proto=proto, flags=socket.AI_NUMERICHOST | socket.AI_NUMERICSERV))
        if not results:
            raise OSError(f"no usable address for {host}")
        return results

    async def close(self) -> None:
        return None


async def check_url(url: str, *, allow_private: bool = False, resolve: bool = True) -> URL:
    """Parse ``url`` and refuse it unless it is http(s) with a host that is not internal.

    An IP-literal host is checked here; a name is resolved and checked here only when ``resolve`` (a
    session without :class:`GuardedResolver`), otherwise when the connection is made.
    """
    try:
        parsed = URL(url)
    except ValueError:
        raise FetchError(f"not an http(s) URL: {url[:200]}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(f"not an http(s) URL: {url[:200]}")
    if allow_private:
        return parsed
    host = parsed.host
    ip = _ip_literal(host)
    if ip is not None:
        if (reason := blocked_reason(ip)) is not None:
            raise _refuse(url, host, reason, resolved=False)
    elif resolve:
        await GuardedResolver(url=url).resolve(host, parsed.port or 0, socket.AF_UNSPEC)
    return parsed


def guarded_session(*, allow_private: bool = False, url: str = "") -> aiohttp.ClientSession:
    """A session whose connector checks every address it connects to (no DNS cache, no proxy from env)."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(allow_private=allow_private, url=url),
                                     use_dns_cache=False)
    return aiohttp.ClientSession(connector=connector, headers={"User-Agent": USER_AGENT}, trust_env=False)


@contextlib.asynccontextmanager
async def _get(session: aiohttp.ClientSession, url: str, *, timeout: aiohttp.ClientTimeout,
               allow_private: bool, resolve: bool, headers: dict[str, str] | None = None,
               ) -> AsyncIterator[aiohttp.ClientResponse]:
    """GET ``url``, following at most :data:`MAX_REDIRECTS` redirects, each hop checked like the first."""
    current = url
    for _hop in range(MAX_REDIRECTS + 1):
        parsed = await check_url(current, allow_private=allow_private, resolve=resolve)
        async with session.get(parsed, timeout=timeout, allow_redirects=False, headers=headers) as resp:
            location = resp.headers.get("Location") if resp.status in REDIRECT_STATUSES else None
            if location is None:
                yield resp
                return
        try:
            current = str(resp.url.join(URL(location)))
        except ValueError:
            raise FetchError(f"{url[:200]} redirects to an unreadable address") from None
    raise aiohttp.TooManyRedirects(resp.request_info, resp.history)


# -- fetching ------------------------------------------------------------------------------------------

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


async def _robots_allows(session: aiohttp.ClientSession, url: str, timeout: aiohttp.ClientTimeout, *,
                         allow_private: bool, resolve: bool) -> bool:
    """Whether robots.txt lets our user agent fetch ``url``; a missing or unreadable robots.txt allows."""
    robots_url = str(URL(url).with_path("/robots.txt").with_query(None).with_fragment(None))
    try:
        async with _get(session, robots_url, timeout=timeout, allow_private=allow_private,
                        resolve=resolve) as resp:
            if resp.status >= 400:
                return True
            raw = await _read_capped(resp, ROBOTS_MAX_BYTES, robots_url)
    except BlockedAddressError:
        raise
    except (aiohttp.ClientError, TimeoutError, FetchError):
        return True
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(raw.decode("utf-8", errors="replace").splitlines())
    return parser.can_fetch(USER_AGENT, url)


@dataclass(frozen=True, slots=True)
class _Got:
    raw: bytes
    content_type: str
    charset: str
    url: str  # after redirects


async def _fetch(url: str, *, accepted: tuple[str, ...], what: str, shown: str, timeout_s: float, max_bytes: int,
                 respect_robots: bool, allow_private: bool, session: aiohttp.ClientSession | None) -> _Got:
    """The one GET behind :func:`fetch_url` and :func:`fetch_bytes`: the address guard on every hop, one
    deadline for robots.txt, every redirect and the body together, a content-type check and a size cap."""
    own = session is None
    resolve = not own
    await check_url(url, allow_private=allow_private, resolve=resolve)  # again for every request
    timeout = aiohttp.ClientTimeout(total=timeout_s, sock_connect=min(timeout_s, 10.0))
    sess = session or guarded_session(allow_private=allow_private, url=url)
    try:
        async with asyncio.timeout(timeout_s):
            if respect_robots:
                robots_timeout = aiohttp.ClientTimeout(total=min(timeout_s, 5.0))
                if not await _robots_allows(sess, url, robots_timeout, allow_private=allow_private, resolve=resolve):
                    raise FetchError(f"robots.txt of {URL(url).host} disallows fetching {shown}")
            async with _get(sess, url, timeout=timeout, allow_private=allow_private, resolve=resolve,
                            headers={"User-Agent": USER_AGENT, "Accept": ", ".join(accepted)}) as resp:
                if resp.status >= 400:
                    raise FetchError(f"{shown} answered HTTP {resp.status}")
                ctype = resp.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if ctype not in accepted:
                    raise FetchError(f"{shown} is {ctype or 'of unknown type'}, not {what}")
                raw = await _read_capped(resp, max_bytes, shown)
                return _Got(raw, ctype, resp.charset or "utf-8", str(resp.url))
    except TimeoutError:
        raise FetchError(f"{shown} timed out after {timeout_s:g} s") from None
    except aiohttp.TooManyRedirects:
        raise FetchError(f"{shown} redirects too many times") from None
    except aiohttp.ClientError as exc:
        raise FetchError(f"cannot fetch {shown}: {type(exc).__name__}") from None
    finally:
        if own:
            await sess.close()


async def fetch_url(
    url: str,
    *,
    timeout_s: float = 15.0,
    max_bytes: int = 3_000_000,
    respect_robots: bool = True,
    allow_private: bool = False,
    session: aiohttp.ClientSession | None = None,
) -> Fetched:
    """GET ``url`` and return its decoded text; raise :class:`FetchError` with one line on any problem.

    Internal addresses are refused (:class:`BlockedAddressError`) unless ``allow_private``. A caller's own
    ``session`` has its host names checked before each request instead of at connect time.
    """
    got = await _fetch(url, accepted=ALLOWED_TYPES, what="an HTML or text page", shown=url[:200],
                       timeout_s=timeout_s, max_bytes=max_bytes, respect_robots=respect_robots,
                       allow_private=allow_private, session=session)
    try:
        text = got.raw.decode(got.charset, errors="replace")
    except LookupError:
        text = got.raw.decode("utf-8", errors="replace")
    return Fetched(url=got.url, content_type=got.content_type, text=text, raw=got.raw)


def run_fetch(url: str, **kwargs: object) -> Fetched:
    """Synchronous wrapper for the CLI."""
    return asyncio.run(fetch_url(url, **kwargs))  # type: ignore[arg-type]


async def fetch_bytes(
    url: str,
    *,
    allowed_types: tuple[str, ...],
    timeout_s: float = 15.0,
    max_bytes: int = 3_000_000,
    allow_private: bool = False,
    session: aiohttp.ClientSession | None = None,
    shown: str | None = None,
) -> tuple[bytes, str]:
    """GET a file (an image on Discord's CDN): the same address guard, redirects, deadline and size cap as
    :func:`fetch_url`, without robots.txt; returns ``(body, content type)``; :class:`FetchError` otherwise.

    ``shown`` names the file in error messages instead of its URL (an attachment's URL holds its file name).
    """
    shown = shown or URL(url).with_query(None).human_repr()[:200]  # CDN URLs carry signatures in the query
    got = await _fetch(url, accepted=allowed_types, what="an accepted type", shown=shown, timeout_s=timeout_s,
                       max_bytes=max_bytes, respect_robots=False, allow_private=allow_private, session=session)
    return got.raw, got.content_type
