"""The crash test: the real ``python -m bot run`` against the loopback fake, SIGKILLed mid-removal.

(a) At each step of a removal: inside the transaction that stores the flag and its actions, after it, before
    and after each action, and on the fake's side of each Discord call (the request received but not acted
    on, or acted on but not answered).
(b) At 30 random moments during bursts of 50 messages, 10 of them naming a protected party.

After a restart every trial must end with exactly one delete, one DM and one queue post per flagged message,
and no action for a clean one. The kill points of (a) are :mod:`bot.crashpoints`, armed in the subprocess by
``tests/e2e/crash_site/sitecustomize.py`` (test-only), or request hooks of :class:`FakeDiscord`.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import signal
import sqlite3
import sys
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bot.guild_settings import GuildSettings
from bot.services import Services
from bot.storage import Store
from tests.e2e.conftest import SECRET, TOKEN
from tests.e2e.fake_discord import FakeDiscord, Recorded, wait_until

pytestmark = pytest.mark.e2e

REPO = Path(__file__).resolve().parents[2]
CRASH_SITE = Path(__file__).resolve().parent / "crash_site"
NAME, LABEL, BASIS = "Maisie Thornbury", "the complainant", "Sexual Offences (Amendment) Act 1992, s.1"
FLAGGED_TEXTS = ("It was {name} all along", "Everyone at the school knows it is {name}",
                 "I heard {name} made the complaint", "Her name is {name}, look it up")
DM_BASE = 800_000_000_000_000_000  # the fake's DM channel ids
BURST_TRIALS = int(os.environ.get("CASEWATCH_CRASH_TRIALS", "30"))
SEED = int(os.environ.get("CASEWATCH_CRASH_SEED", "20261206"))
STEP_CONCURRENCY = 3  # bot processes at once in (a); mostly waiting on each other, fine on 2 cores


# -- the bot process ---------------------------------------------------------------------------------------
class BotProcess:
    """``python -m bot run`` in a subprocess, pointed at ``fake``, on one database file."""

    def __init__(self, fake: FakeDiscord, workdir: Path) -> None:
        self.fake = fake
        self.workdir = workdir
        self.proc: asyncio.subprocess.Process | None = None
        self.starts = 0

    def env(self, crash_at: str | None) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("DISCORD_", "DATABASE_", "CASEWATCH_", "LOG_LEVEL", "DEV_GUILD", "ABUSE_"))}
        path = [str(CRASH_SITE), *filter(None, os.environ.get("PYTHONPATH", "").split(os.pathsep)), str(REPO)]
        env.update(PYTHONPATH=os.pathsep.join(path), DISCORD_TOKEN=TOKEN,  # e.g. CI's discord.py floor first
                   DATABASE_URL=f"sqlite:///{self.workdir / 'cw.db'}", CASEWATCH_SECRET_KEY=SECRET,
                   DEV_GUILD_ID=str(self.fake.guild_id), ABUSE_BACKEND="fallback",
                   LOG_LEVEL=os.environ.get("CASEWATCH_CRASH_LOG_LEVEL", "WARNING"),
                   CASEWATCH_TEST_DISCORD=self.fake.base_url, CASEWATCH_TEST_GUILD_READY_TIMEOUT="0.05",
                   HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
        if crash_at:
            env["CASEWATCH_TEST_CRASH_AT"] = crash_at
        return env

    async def start(self, crash_at: str | None = None) -> None:
        """Start the bot and wait until it has caught up (its catch-up read the watched thread's history)."""
        mark = len(self.fake.requests)
        self.starts += 1
        log = (self.workdir / f"bot-{self.starts}.log").open("wb")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=self.workdir, env=self.env(crash_at),
            stdout=log, stderr=asyncio.subprocess.STDOUT)
        log.close()
        thread = rf"^/channels/{self.fake.thread_id}/messages$"

        def caught_up() -> bool:
            assert self.proc is not None
            if self.proc.returncode is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}: {self.log_tail()}")
            return any(r.method == "GET" and "after" in r.query for r in self.fake.requests[mark:]
                       if re.search(thread, r.path))

        await wait_until(caught_up, timeout=60)

    def log_tail(self) -> str:
        logs = sorted(self.workdir.glob("bot-*.log"), key=lambda p: p.stat().st_mtime)
        return logs[-1].read_text(errors="replace")[-2000:] if logs else ""

    def kill(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            os.kill(self.proc.pid, signal.SIGKILL)

    async def died(self, timeout: float = 30.0) -> int:
        assert self.proc is not None
        return await asyncio.wait_for(self.proc.wait(), timeout)

    async def stop(self) -> None:
        if self.proc is not None and self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 20)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()


async def seed_database(path: Path, fake: FakeDiscord) -> None:
    """A guild watching the fake's forum, a queue channel, and a protected party for the thread's case."""
    async with await Store.open(path, SECRET.encode()) as store:
        services = Services.build(store, SECRET.encode())
        await services.settings.save(fake.guild_id, GuildSettings(
            watched_forum_ids=[fake.forum_id], queue_channel_id=fake.queue_id, rules_url="https://example.org/r"))
        case_id = await services.cases.open_case(fake.guild_id, fake.forum_id, fake.thread_id, "R v Example")
        await services.cases.protect(case_id, LABEL, BASIS, [NAME], [], actor_id="1")


# -- what Discord saw ----------------------------------------------------------------------------------------
@dataclass
class Trial:
    name: str
    flagged: dict[int, int] = field(default_factory=dict)  # message id -> author id
    clean: dict[int, int] = field(default_factory=dict)


def deletes_of(fake: FakeDiscord, message_id: int, ok_only: bool = True) -> list[Recorded]:
    return [r for r in fake.find("DELETE", rf"/messages/{message_id}$") if not ok_only or r.status == 204]


def dms_to(fake: FakeDiscord, user_id: int) -> list[Any]:
    channel = str(DM_BASE + user_id % 100_000_000)
    return [m for m in fake.created if m["channel_id"] == channel]


def queue_posts_for(fake: FakeDiscord, message_id: int) -> list[Any]:
    return [m for m in fake.created if m["channel_id"] == str(fake.queue_id)
            and f"/{message_id})" in json.dumps(m.get("embeds", []))]


def pending_actions(db: Path) -> int:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])


async def settled(fake: FakeDiscord, db: Path, trial: Trial, timeout: float = 60.0) -> None:
    """Wait until every flagged message of the trial was deleted, its author told, the queue posted to, and
    nothing is pending; then a short quiet spell for anything sent twice to show up."""
    def done() -> bool:
        return all(deletes_of(fake, m) and dms_to(fake, a) and queue_posts_for(fake, m)
                   for m, a in trial.flagged.items()) and pending_actions(db) == 0

    try:
        await wait_until(done, timeout)
    except TimeoutError:
        raise AssertionError(f"{trial.name}: not settled: {describe(fake, trial)}") from None
    await asyncio.sleep(0.3)


def describe(fake: FakeDiscord, trial: Trial) -> str:
    return "; ".join(f"{m}: delete={len(deletes_of(fake, m))} dm={len(dms_to(fake, a))} "
                     f"queue={len(queue_posts_for(fake, m))}" for m, a in trial.flagged.items())


def check_exactly_once(fake: FakeDiscord, trial: Trial) -> None:
    for message_id, author in trial.flagged.items():
        counts = (len(deletes_of(fake, message_id)), len(dms_to(fake, author)), len(queue_posts_for(fake, message_id)))
        assert counts == (1, 1, 1), f"{trial.name}: message {message_id}: (delete, DM, queue) = {counts}"
        assert message_id not in fake.messages
    for message_id, author in trial.clean.items():
        assert not deletes_of(fake, message_id, ok_only=False), f"{trial.name}: a clean message was deleted"
        assert not dms_to(fake, author) and not queue_posts_for(fake, message_id), f"{trial.name}: clean acted on"


class Authors:
    """A fresh member per flagged message (so each DM is attributable), a pool of clean posters."""

    def __init__(self, fake: FakeDiscord, start: int) -> None:
        self.fake = fake
        self._ids = iter(range(start, start + 10_000))

    def new(self) -> int:
        uid = next(self._ids)
        self.fake.add_user(uid, f"member{uid % 10_000}")
        return uid


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:  # no point_discord_py_at: the bot is another process
    server = FakeDiscord()
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


# -- (a) each step of a removal ------------------------------------------------------------------------------
ENGINE_POINTS = ["flag.inserted", "actions.inserted", "flag.stored",
                 *(f"action.{when}:{kind}" for kind in ("delete", "notify", "queue") for when in ("claimed", "done"))]


def _is_dm(fake: FakeDiscord, r: Recorded) -> bool:
    return r.method == "POST" and r.path.endswith("/messages") and int(r.path.split("/")[2]) - DM_BASE < 10**17


#: (name, phase, which request) for each Discord call of a removal.
DISCORD_POINTS: list[tuple[str, str, Callable[[FakeDiscord, Recorded], bool]]] = [
    (f"discord.{phase}:{name}", phase, which) for name, which in (
        ("delete", lambda f, r: r.method == "DELETE" and "/messages/" in r.path),
        ("open-dm", lambda f, r: r.method == "POST" and r.path == "/users/@me/channels"),
        ("send-dm", _is_dm),
        ("queue-post", lambda f, r: r.method == "POST" and r.path == f"/channels/{f.queue_id}/messages"),
    ) for phase in ("received", "handled")]


async def step_trial(n: int, name: str, crash_at: str | None, match: tuple[str, Callable[[FakeDiscord, Recorded],
                     bool]] | None, tmp_path: Path) -> Trial:
    """One removal, killed at ``crash_at`` (an engine point) or at the fake's ``match`` (phase, request)."""
    fake = FakeDiscord()
    await fake.start()
    workdir = tmp_path / name.replace(":", "-")
    workdir.mkdir()
    bot = BotProcess(fake, workdir)
    try:
        await seed_database(workdir / "cw.db", fake)
        if match is not None:
            phase, which = match
            armed = [True]

            def hook(when: str, request: Recorded) -> None:
                if armed and when == phase and which(fake, request):
                    armed.clear()
                    bot.kill()  # before the fake acts on the request, or after it acted but before it answers

            fake.request_hooks.append(hook)
        await bot.start(crash_at=crash_at)
        authors = Authors(fake, 900_000_000_000_100_000)
        trial = Trial(name)
        clean_author, flagged_author = authors.new(), authors.new()
        clean = await fake.send_message(clean_author, f"The jury retires tomorrow ({name}).")
        flagged = await fake.send_message(flagged_author, FLAGGED_TEXTS[n % len(FLAGGED_TEXTS)].format(name=NAME))
        trial.clean[int(clean["id"])] = clean_author
        trial.flagged[int(flagged["id"])] = flagged_author
        assert await bot.died() == -signal.SIGKILL, f"{name}: the bot was not killed there"
        fake.request_hooks.clear()
        await bot.start()
        await settled(fake, workdir / "cw.db", trial)
        await bot.stop()
        check_exactly_once(fake, trial)
        return trial
    finally:
        await bot.stop()
        await fake.stop()


async def test_a_kill_at_each_step_of_a_removal_ends_with_each_action_done_once(tmp_path: Path) -> None:
    trials: list[tuple[str, str | None, Any]] = [(p, p, None) for p in ENGINE_POINTS]
    trials += [(name, None, (phase, which)) for name, phase, which in DISCORD_POINTS]
    limit = asyncio.Semaphore(STEP_CONCURRENCY)

    async def one(n: int, name: str, crash_at: str | None, match: Any) -> Trial:
        async with limit:
            return await step_trial(n, name, crash_at, match, tmp_path)

    done = await asyncio.gather(*(one(n, *t) for n, t in enumerate(trials)))
    assert [t.name for t in done] == [t[0] for t in trials] and len(done) == 17
    print(f"\ncrash test (a): {len(done)} trials, one per kill point ({', '.join(t.name for t in done)}); "
          "each ended with one delete, one DM and one queue post for the flagged message, nothing for the clean one")


# -- (b) random moments during a burst -----------------------------------------------------------------------
async def test_kills_at_random_moments_during_bursts_end_with_each_action_done_once(
        fake: FakeDiscord, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    db = tmp_path / "cw.db"
    await seed_database(db, fake)
    authors = Authors(fake, 900_000_000_000_200_000)
    clean_pool = [authors.new() for _ in range(5)]
    bot = BotProcess(fake, tmp_path)
    await bot.start()
    trials: list[Trial] = []
    moments = []
    for n in range(BURST_TRIALS):
        trial = Trial(f"burst {n + 1}")
        flagged_at = set(rng.sample(range(50), 10))
        pace = 0.01
        kill_at = rng.uniform(0.0, 50 * pace + 1.0)  # during the burst, or while its actions still run
        moments.append(round(kill_at, 3))
        started, killed = time.monotonic(), False
        for i in range(50):
            if not killed and time.monotonic() - started >= kill_at:
                bot.kill()
                killed = True
            flag = i in flagged_at
            author = authors.new() if flag else rng.choice(clean_pool)
            text = (rng.choice(FLAGGED_TEXTS).format(name=NAME) if flag
                    else f"Day {n + 1}, post {i}: the jury heard from the officer in the case.")
            if killed:
                msg = fake.post_offline(author, text)  # posted while the bot is down: caught up on restart
            else:
                msg = await fake.send_message(author, text)
            (trial.flagged if flag else trial.clean)[int(msg["id"])] = author
            await asyncio.sleep(pace)
        if not killed:
            await asyncio.sleep(max(0.0, kill_at - (time.monotonic() - started)))
            bot.kill()
        assert await bot.died() == -signal.SIGKILL
        await bot.start()
        await settled(fake, db, trial)
        for earlier in [*trials, trial]:
            check_exactly_once(fake, earlier)
        trials.append(trial)
    await bot.stop()
    for trial in trials:  # nothing was sent twice later either
        check_exactly_once(fake, trial)
    flagged = sum(len(t.flagged) for t in trials)
    print(f"\ncrash test (b): {len(trials)} trials (seed {SEED}), kills at {moments} s into each burst; "
          f"{flagged} flagged and {sum(len(t.clean) for t in trials)} clean messages; each flagged message "
          "ended with one delete, one DM and one queue post, no clean one with any")
