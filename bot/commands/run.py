"""``python -m bot run``: start the Discord bot. The Discord side (``cogs``) is imported only here, in the
handler, so that the engine (``bot``) never imports discord.py."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

import aiohttp

from bot.errors import CasewatchError, ConfigError
from bot.logging_setup import setup_logging
from bot.settings import Settings, load_settings
from bot.storage.database import redact_url, target_of

log = logging.getLogger(__name__)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)",
                       description="Connect to Discord and moderate the forums configured with /settings.")
    p.add_argument("--no-sync", action="store_true", help="do not sync app commands on start")
    p.set_defaults(func=handle)


def _secrets(settings: Settings) -> list[str]:
    values = [settings.discord_token, settings.casewatch_secret_key, settings.summary_llm_key]
    return [v.get_secret_value() for v in values if v is not None]


async def serve(settings: Settings, *, sync: bool = True) -> None:
    """Run the bot until it stops or SIGTERM/SIGINT asks it to; then close it gracefully."""
    import discord  # noqa: F401  (fails here, with a clear error, if discord.py is missing)

    from bot.abuse.batching import bound_gil_switch
    from cogs._client import CasewatchBot

    assert settings.discord_token is not None
    bound_gil_switch()  # the scorer thread's Python work must not hold the event loop for 5 ms at a time
    bot = CasewatchBot(settings, abuse="auto", sync_commands=sync)
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handled = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError):  # not on Windows
            loop.add_signal_handler(sig, stop.set)
            handled.append(sig)
    runner = asyncio.create_task(bot.start(settings.discord_token.get_secret_value()), name="casewatch-bot")
    stopper = asyncio.create_task(stop.wait(), name="casewatch-signal")
    try:
        await asyncio.wait({runner, stopper}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        if stop.is_set():
            log.info("shutting down: finishing in-flight actions")
        stopper.cancel()
        for sig in handled:
            loop.remove_signal_handler(sig)
        await bot.close()
        if runner.done():
            runner.result()  # re-raise a login or connection failure
        else:
            await runner


async def preflight(settings: Settings) -> None:
    """Before connecting to Discord: the data folder, the database and the key must all be usable.

    Logs where the data lives; raises a one-line :class:`CasewatchError` (a wrong or missing key:
    :class:`bot.errors.KeyMismatchError`, exit status 3) instead of starting a bot that cannot check.
    """
    from bot.keys import describe_source, fingerprint
    from bot.storage import Store

    target = target_of(settings)
    log.info("data directory %s; database %s", settings.data_path, redact_url(target))
    key = settings.secret_key
    store = await Store.open(target, key, key_source=describe_source(settings))
    try:
        log.info("secret key %s matches the database (schema version %s)", fingerprint(key), store.schema_version)
    finally:
        await store.close()


def handle(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise ConfigError("DISCORD_TOKEN is not set: put the bot token in .env (see docs/discord-setup.md)")
    setup_logging(settings.log_level, secrets=_secrets(settings))
    logging.getLogger("discord").setLevel(max(logging.INFO, logging.getLogger().level))
    asyncio.run(preflight(settings))
    try:
        import discord
    except ImportError:
        raise ConfigError("discord.py is not installed: run `make install`") from None
    try:
        asyncio.run(serve(settings, sync=not args.no_sync))
    except discord.LoginFailure:
        raise ConfigError("Discord rejected DISCORD_TOKEN (reset it in the developer portal)") from None
    except discord.PrivilegedIntentsRequired:
        raise ConfigError("enable the Message Content intent for the bot in the developer portal "
                          "(Bot > Privileged Gateway Intents)") from None
    except (OSError, aiohttp.ClientError, discord.GatewayNotFound) as exc:
        raise CasewatchError(f"cannot reach Discord ({type(exc).__name__}); check the network and retry") from None
    return 0
