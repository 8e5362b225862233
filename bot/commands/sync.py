"""``python -m bot sync``: push the app commands to Discord now, even if they look unchanged.

``run`` syncs only when the command tree's hash differs from the last one synced; this forces it (after
commands were changed or deleted in the developer portal, or to copy them to ``DEV_GUILD_ID`` again).
The Discord side (``cogs``) is imported only in the handler, so the engine never imports discord.py.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

import aiohttp

from bot.errors import CasewatchError, ConfigError
from bot.logging_setup import setup_logging
from bot.settings import Settings, load_settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("sync", help="sync the app commands to Discord now",
                       description="Log in over REST (no gateway), load the cogs and sync their app commands "
                                   "to DEV_GUILD_ID if set, globally otherwise, whether or not they changed.")
    p.set_defaults(func=handle)


async def force_sync(settings: Settings) -> int:
    """Sync once and log out; returns the number of top-level commands synced."""
    from cogs._client import CasewatchBot, command_payloads

    assert settings.discord_token is not None
    bot = CasewatchBot(settings, sync_commands=False)
    try:
        await bot.login(settings.discord_token.get_secret_value())  # runs setup_hook: store and cogs
        await bot.sync_app_commands(force=True)
        return len(command_payloads(bot.tree))
    finally:
        await bot.close()


def handle(args: argparse.Namespace) -> int:
    settings = load_settings()
    if settings.discord_token is None or not settings.discord_token.get_secret_value().strip():
        raise ConfigError("DISCORD_TOKEN is not set: put the bot token in .env (see docs/discord-setup.md)")
    secrets = [v.get_secret_value() for v in (settings.discord_token, settings.casewatch_secret_key) if v]
    setup_logging(settings.log_level, secrets=secrets)
    try:
        import discord
    except ImportError:
        raise ConfigError("discord.py is not installed: run `make install`") from None
    try:
        count = asyncio.run(force_sync(settings))
    except discord.LoginFailure:
        raise ConfigError("Discord rejected DISCORD_TOKEN (reset it in the developer portal)") from None
    except discord.HTTPException as exc:
        raise CasewatchError(f"Discord refused the commands (HTTP {exc.status}, code {exc.code})") from None
    except (OSError, aiohttp.ClientError) as exc:
        raise CasewatchError(f"cannot reach Discord ({type(exc).__name__}); check the network and retry") from None
    where = f"guild {settings.dev_guild_id}" if settings.dev_guild_id else "all servers (may take up to an hour)"
    logging.getLogger(__name__).info("synced %d app commands to %s", count, where)
    print(f"synced {count} app commands to {where}")
    return 0
