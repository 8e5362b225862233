"""The Casewatch bot and composition root: ``setup_hook`` opens the store, builds the engine's
:class:`~bot.services.Services` once, loads every extension in ``cogs/``, re-registers its persistent
buttons, syncs app commands and sweeps the outbox of pending actions."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import importlib
import inspect
import json
import logging
import pkgutil
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.case_engines import warm_up as warm_identity
from bot.errors import CasewatchError
from bot.images.step import ImageStep
from bot.moderation import Moderation
from bot.services import Services
from bot.settings import Settings
from bot.shards import shard_options
from bot.storage import Store
from bot.storage.database import target_of
from cogs._actions import ActionRunner
from cogs._checks import REFUSAL, NotModerator, refuse
from cogs._views import DYNAMIC_ITEMS

log = logging.getLogger(__name__)

#: How long :meth:`CasewatchBot.close` waits for in-flight actions before closing the database.
SHUTDOWN_GRACE_S = 10.0
#: How often the threads' catch-up cursors are written (in one transaction; also on shutdown).
CURSOR_FLUSH_S = 5.0


def extension_names() -> list[str]:
    """Every public module in ``cogs/`` (helpers start with an underscore and are not extensions)."""
    package = importlib.import_module("cogs")
    return sorted(
        f"cogs.{m.name}" for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")
    )


def quiet_voice_warnings() -> None:
    """Casewatch never joins voice: don't warn at every start that the voice libraries are missing."""
    for flag in ("warn_nacl", "warn_dave"):
        if hasattr(discord.VoiceClient, flag):
            setattr(discord.VoiceClient, flag, False)


def command_payloads(tree: app_commands.CommandTree[Any],
                     guild: discord.abc.Snowflake | None = None) -> list[dict[str, Any]]:
    """The commands sync sends for ``guild`` (or globally), as it sends them, in a stable order.

    discord.py 2.6+ passes the tree to ``to_dict``; older versions take no argument.
    """
    out = []
    for command in tree.get_commands(guild=guild):
        takes_tree = "tree" in inspect.signature(command.to_dict).parameters
        out.append(command.to_dict(tree) if takes_tree else command.to_dict())  # type: ignore[call-arg]
    return sorted(out, key=lambda p: (p.get("type", 1), p["name"]))


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None = None) -> str:
    """A digest of everything sync would send: a changed name, option or permission changes it."""
    payloads = command_payloads(tree, guild)
    return hashlib.sha256(json.dumps(payloads, sort_keys=True, default=str).encode()).hexdigest()


class CasewatchTree(app_commands.CommandTree["CasewatchBot"]):
    """The command tree; its error handler answers every failure with an ephemeral one-liner."""

    async def on_error(self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError) -> None:
        """The inputs are never echoed or logged."""
        cause = error.original if isinstance(error, app_commands.CommandInvokeError) else error
        if isinstance(cause, app_commands.CommandOnCooldown):
            text = f"You asked a moment ago; try again in {max(1, round(cause.retry_after))} s."
        elif isinstance(cause, app_commands.TransformerError) and isinstance(cause.__cause__, CasewatchError):
            text = str(cause.__cause__)
        elif isinstance(cause, app_commands.CheckFailure):
            text = str(cause) if isinstance(cause, NotModerator) else REFUSAL
        elif isinstance(cause, CasewatchError):
            text = str(cause)
        else:
            command = interaction.command.qualified_name if interaction.command else "?"
            log.error("/%s failed: %s", command, type(cause).__name__, exc_info=cause)
            text = "Something went wrong; the error was logged for the bot's operator."
        await refuse(interaction, text)


def intents() -> discord.Intents:
    """Guilds, guild messages and message content; nothing privileged beyond message content."""
    value = discord.Intents.none()
    value.guilds = True
    value.guild_messages = True
    value.message_content = True
    return value


class CasewatchBot(commands.AutoShardedBot):
    """The bot. ``services`` is the discord-free engine side; ``actions`` performs stored actions.

    Cogs use ``services`` only; ``store`` and ``moderation`` (a facade over ``services``) remain for tests.
    """

    def __init__(self, settings: Settings, *, abuse: Any = None, sync_commands: bool = True,
                 force_sync: bool = False, **options: Any) -> None:
        options.setdefault("guild_ready_timeout", 2.0)
        options = {**shard_options(settings.shard_count, settings.shard_ids), **options}
        quiet_voice_warnings()
        super().__init__(
            tree_cls=CasewatchTree,
            command_prefix=commands.when_mentioned,
            intents=intents(),
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            **options,
        )
        self.settings = settings
        self.store: Store | None = None
        self.services: Services | None = None
        self.moderation: Moderation | None = None
        self._abuse = abuse
        self._sync = sync_commands
        self._force_sync = force_sync
        self._tasks: set[asyncio.Task[Any]] = set()
        self.closing = False  # set first thing in close(): listeners stop taking new work
        self._sweeper: asyncio.Task[None] | None = None
        self._flusher: asyncio.Task[None] | None = None
        self.actions = ActionRunner(self)

    # -- start-up ------------------------------------------------------------------------------------
    async def setup_hook(self) -> None:
        self.store = await Store.open(target_of(self.settings), self.settings.secret_key)
        log.info("database open at schema version %s", self.store.schema_version)
        await self.store.db.listen()  # PostgreSQL: other processes' changes invalidate this one's caches
        # the identity engines' shared scorer and rules, off the loop: a broken artefact stops start-up here
        await asyncio.to_thread(warm_identity)
        self.services = Services.build(self.store, self.settings.secret_key, abuse=await self._start_abuse(),
                                       retention_days=self.settings.retention_days,
                                       images=ImageStep.from_settings(self.settings),
                                       outbox_lease_s=self.settings.outbox_lease_s)
        self.moderation = Moderation(self.store, self.settings.secret_key, services=self.services)
        self.add_dynamic_items(*DYNAMIC_ITEMS)
        for name in extension_names():
            await self.load_extension(name)
        if self._sync:
            await self.sync_app_commands(force=self._force_sync)
        self._sweeper = asyncio.create_task(self._sweep_outbox(), name="casewatch-outbox")
        self._flusher = asyncio.create_task(self._flush_cursors(), name="casewatch-cursors")

    async def _start_abuse(self) -> Any:
        """The abuse scorer: ``"auto"`` builds the best available one (off the event loop), ``None`` none."""
        abuse = self._abuse
        if abuse is None:
            return None
        if abuse == "auto":
            from bot.abuse import BatchingScorer, build_detector

            detector = await asyncio.to_thread(build_detector, self.settings)
            abuse = BatchingScorer.from_settings(detector, self.settings)
        start = getattr(abuse, "start", None)
        if start is not None and not getattr(abuse, "running", False):
            await start()
        return abuse

    def _sync_state_path(self) -> Path:
        """Where the hash of the last synced tree is kept: beside the SQLite database, else in DATA_DIR."""
        try:
            folder = self.settings.database_path.parent
        except CasewatchError:  # not a SQLite database
            folder = self.settings.data_path
        return folder / "app_commands.sync.json"

    async def sync_app_commands(self, *, force: bool = False) -> bool:
        """Sync to ``DEV_GUILD_ID`` when set (instant), globally otherwise (may take up to an hour).

        Only when the tree differs from the last one synced to that scope (its hash is stored), or when
        ``force`` is set (``python -m bot sync``). Returns whether it synced.
        """
        guild = discord.Object(id=self.settings.dev_guild_id) if self.settings.dev_guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        scope = str(guild.id) if guild is not None else "global"
        digest = tree_hash(self.tree, guild)
        path = self._sync_state_path()
        try:
            state = json.loads(path.read_text())
        except (OSError, ValueError):
            state = {}
        if not force and state.get(scope) == digest:
            log.info("app commands unchanged since the last sync (%s); not syncing", scope)
            return False
        synced = await self.tree.sync(guild=guild)
        log.info("synced %d app commands to %s", len(synced), scope)
        state[scope] = digest
        with contextlib.suppress(OSError):  # not fatal: the next start syncs again
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(state, sort_keys=True))
        return True

    async def _sweep_outbox(self) -> None:
        """Recreate missing actions and retry pending ones now (they survived a crash or a rate limit) and
        every little while."""
        await self.wait_until_ready()
        while not self.is_closed():
            try:
                await self.actions.sweep()
            except Exception:
                log.exception("outbox sweep failed")
            await asyncio.sleep(self.settings.outbox_sweep_s)

    async def _flush_cursors(self) -> None:
        """Write the threads' catch-up cursors every :data:`CURSOR_FLUSH_S` (the last write is in close)."""
        while True:
            await asyncio.sleep(CURSOR_FLUSH_S)
            try:
                if self.services is not None:
                    await self.services.cursors.flush()
            except Exception:
                log.exception("writing the thread cursors failed")

    # -- background work -------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, Any], *, name: str = "") -> asyncio.Task[Any]:
        """Run ``coro`` in the background; :meth:`close` waits for it before closing the database."""
        task = asyncio.create_task(coro, name=name or None)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and (exc := task.exception()) is not None:
            log.error("background task %s failed", task.get_name(), exc_info=exc)

    async def drain(self, timeout: float = SHUTDOWN_GRACE_S) -> None:
        """Wait for in-flight background work (actions, abuse scoring) to finish."""
        if self._tasks:
            _done, pending = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in pending:
                task.cancel()

    # -- shutdown --------------------------------------------------------------------------------
    async def close(self) -> None:
        """Finish in-flight actions, stop the background loops, close Discord, then the database.

        ``services.close()`` writes the threads' catch-up cursors last, after in-flight checks finished.
        """
        self.closing = True
        for task in (self._sweeper, self._flusher):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        self._sweeper = self._flusher = None
        await self.drain()
        if self.services is not None:
            await self.services.close()
        if not hasattr(self, "_AutoShardedClient__queue"):  # closed before connecting: discord.py's
            self._AutoShardedClient__queue: asyncio.PriorityQueue[Any] = asyncio.PriorityQueue()  # close() uses it
        await super().close()
        if self.store is not None:
            await self.store.close()
            self.store = None
