"""The fetcher refuses internal addresses (SSRF guard): IP literals, names that resolve inward, redirects.

Loopback servers stand in for internal services and record every request, so a refusal is shown to be
made before anything reaches them. ``_getaddrinfo`` is replaced to make test names resolve where a test
needs them; where a "public" server is needed, 127.0.0.1 is declared public and 127.0.0.2 stays internal.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bot.sources import fetch
from bot.sources.fetch import BlockedAddressError, FetchError, blocked_reason, fetch_url

PAGE = "<html><head><title>Inside</title></head><body><p>internal page</p></body></html>"


@dataclass
class Server:
    host: str
    port: int = 0
    seen: list[str] = field(default_factory=list)
    routes: dict[str, Callable[[web.Request], web.StreamResponse]] = field(default_factory=dict)

    def url(self, path: str, host: str | None = None) -> str:
        name = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"http://{name}:{self.port}{path}"


def found(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})


async def _serve(server: Server) -> web.AppRunner:
    async def handle(request: web.Request) -> web.StreamResponse:
        server.seen.append(request.path)
        route = server.routes.get(request.path)
        if route is not None:
            return route(request)
        if request.path == "/robots.txt":
            return web.Response(status=404)
        return web.Response(text=PAGE, content_type="text/html")

    app = web.Application()
    app.router.add_route("GET", "/{tail:.*}", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, server.host, server.port)
    await site.start()
    server.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner


@pytest.fixture
async def servers() -> AsyncIterator[dict[str, Server]]:
    made = {"v4": Server("127.0.0.1"), "v6": Server("::1"), "inner": Server("127.0.0.2")}
    runners = [await _serve(s) for s in made.values()]
    try:
        yield made
    finally:
        for r in runners:
            await r.cleanup()


@pytest.fixture
def names(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Test host names -> the addresses they resolve to, one per lookup (the last one repeats)."""
    table: dict[str, list[str]] = {}
    real = fetch._getaddrinfo

    async def fake_getaddrinfo(host: str, port: int, family: int = socket.AF_UNSPEC) -> list[Any]:
        if host not in table:
            return await real(host, port, family)
        answers = table[host]
        address = answers.pop(0) if len(answers) > 1 else answers[0]
        fam = socket.AF_INET6 if ":" in address else socket.AF_INET
        sockaddr = (address, port, 0, 0) if fam == socket.AF_INET6 else (address, port)
        return [(fam, socket.SOCK_STREAM, 6, "", sockaddr)]

    monkeypatch.setattr(fetch, "_getaddrinfo", fake_getaddrinfo)
    return table


@pytest.fixture
def v4_loopback_is_public(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let 127.0.0.1 stand for a public news site; 127.0.0.2 stays an internal address."""
    real = fetch.blocked_reason

    def reason(ip: Any) -> str | None:
        return None if ip == ipaddress.IPv4Address("127.0.0.1") else real(ip)

    monkeypatch.setattr(fetch, "blocked_reason", reason)


@pytest.mark.parametrize(("address", "reason"), [
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.5.4", "private"), ("192.168.0.10", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "link-local"), ("fe80::1", "link-local"),
    ("224.0.0.251", "multicast"), ("ff02::1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"),
    ("240.0.0.1", "reserved"), ("100.64.0.1", "non-public"),
    ("::ffff:127.0.0.1", "loopback"), ("::ffff:10.0.0.1", "private"), ("::ffff:169.254.169.254", "link-local"),
    ("2002:7f00:1::", "loopback"),  # 6to4 around 127.0.0.1
])
def test_internal_addresses_are_named(address: str, reason: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert blocked_reason(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize("key", ["v4", "v6"])
async def test_loopback_ip_literals_are_refused_before_any_request(servers: dict[str, Server], key: str) -> None:
    server = servers[key]
    with pytest.raises(BlockedAddressError, match="loopback address") as exc:
        await fetch_url(server.url("/article"))
    assert "\n" not in str(exc.value) and "FETCH_ALLOW_PRIVATE" in str(exc.value)
    assert server.seen == []
    got = await fetch_url(server.url("/article"), allow_private=True)  # the server was there all along
    assert "internal page" in got.text


@pytest.mark.parametrize(("url", "reason"), [
    ("http://10.0.0.7/admin", "private"), ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[::ffff:127.0.0.1]:80/", "loopback"), ("https://[fe80::1]/", "link-local"),
])
async def test_internal_ip_literals_are_refused_without_connecting(url: str, reason: str) -> None:
    with pytest.raises(BlockedAddressError, match=f"is a {reason} address"):
        await fetch_url(url, timeout_s=2)


@pytest.mark.parametrize(("target", "reason"), [
    ("127.0.0.1", "loopback"), ("10.0.0.7", "private"), ("169.254.169.254", "link-local"), ("::1", "loopback"),
])
async def test_names_resolving_inward_are_refused(servers: dict[str, Server], names: dict[str, list[str]],
                                                  target: str, reason: str) -> None:
    names["news.test"] = [target]
    server = servers["v6" if ":" in target else "v4"]
    with pytest.raises(BlockedAddressError, match=f"news.test resolves to a {reason} address") as exc:
        await fetch_url(server.url("/article", host="news.test"), timeout_s=2)
    assert "\n" not in str(exc.value)
    assert server.seen == []


async def test_allowed_name_connects_where_the_guard_resolved(servers: dict[str, Server],
                                                              names: dict[str, list[str]]) -> None:
    names["news.test"] = ["127.0.0.1"]
    got = await fetch_url(servers["v4"].url("/article", host="news.test"), allow_private=True)
    assert "internal page" in got.text and servers["v4"].seen == ["/robots.txt", "/article"]


async def test_callers_own_session_is_checked_too(servers: dict[str, Server], names: dict[str, list[str]]) -> None:
    names["news.test"] = ["127.0.0.1"]
    async with aiohttp.ClientSession() as session:
        with pytest.raises(BlockedAddressError, match="loopback"):
            await fetch_url(servers["v4"].url("/article", host="news.test"), session=session)
    assert servers["v4"].seen == []


async def test_redirect_to_an_internal_address_is_refused(
        servers: dict[str, Server], names: dict[str, list[str]], v4_loopback_is_public: None) -> None:
    public, inner = servers["v4"], servers["inner"]
    names["intranet.test"] = ["127.0.0.2"]
    public.routes["/to-ip"] = lambda r: found(inner.url("/secret"))
    public.routes["/to-name"] = lambda r: found(inner.url("/secret", host="intranet.test"))
    public.routes["/to-metadata"] = lambda r: found("http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.2 is a loopback address"):
        await fetch_url(public.url("/to-ip"))
    with pytest.raises(BlockedAddressError, match=r"intranet\.test resolves to a loopback address"):
        await fetch_url(public.url("/to-name"))
    with pytest.raises(BlockedAddressError, match=r"169\.254\.169\.254 is a link-local address"):
        await fetch_url(public.url("/to-metadata"), timeout_s=2)
    assert inner.seen == [], "nothing reached the internal server"
    assert {"/to-ip", "/to-name", "/to-metadata"} <= set(public.seen)

    got = await fetch_url(public.url("/to-name"), allow_private=True)  # control: the redirect works
    assert got.url == inner.url("/secret", host="intranet.test") and inner.seen == ["/secret"]


async def test_name_rebound_inward_between_connections_is_refused(
        servers: dict[str, Server], names: dict[str, list[str]], v4_loopback_is_public: None) -> None:
    """DNS rebinding: the name is public for robots.txt and internal when the article is fetched."""
    public = servers["v4"]

    def robots(request: web.Request) -> web.StreamResponse:
        resp = web.Response(text="User-agent: *\nAllow: /\n", content_type="text/plain")
        resp.force_close()  # the next request needs a new connection, so a new lookup
        return resp

    public.routes["/robots.txt"] = robots
    inner = Server("127.0.0.2", port=public.port)  # the same port on the internal address
    runner = await _serve(inner)
    try:
        names["flip.test"] = ["127.0.0.1", "127.0.0.2"]
        with pytest.raises(BlockedAddressError, match=r"flip\.test resolves to a loopback address"):
            await fetch_url(public.url("/article", host="flip.test"))
        assert public.seen == ["/robots.txt"] and inner.seen == []
        names["flip.test"] = ["127.0.0.1", "127.0.0.2"]
        got = await fetch_url(public.url("/article", host="flip.test"), allow_private=True)  # control
        assert "internal page" in got.text and inner.seen == ["/article"]
    finally:
        await runner.cleanup()


async def test_redirect_limits_and_schemes(servers: dict[str, Server]) -> None:
    server = servers["v4"]
    server.routes["/loop"] = lambda r: found("/loop")
    server.routes["/to-file"] = lambda r: found("file:///etc/passwd")
    with pytest.raises(FetchError, match="redirects too many times"):
        await fetch_url(server.url("/loop"), allow_private=True)
    assert server.seen.count("/loop") == fetch.MAX_REDIRECTS + 1
    with pytest.raises(FetchError, match="not an http"):
        await fetch_url(server.url("/to-file"), allow_private=True)
    with pytest.raises(FetchError, match="not an http"):
        await fetch_url("gopher://127.0.0.1:70/", allow_private=True)
