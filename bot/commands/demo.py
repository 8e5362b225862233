"""``python -m bot demo``: replay the bundled fictional thread and show what a moderator would see.

The thread in ``bot/data/demo/`` goes through the identity engine (and abuse scoring when available), the
flags are stored in the SQLite moderation queue, and a table shows each message's action, categories,
reasons and redacted excerpt, with counts per category. Nothing shown or stored repeats a registered name.
"""

from __future__ import annotations

import argparse
import asyncio
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from bot.case import CaseFile, load_case
from bot.commands.scan import abuse_detector, scan
from bot.engine import IdentityEngine
from bot.errors import InputError
from bot.flags import Action, Category, Message, Verdict
from bot.messages_io import read_messages
from bot.summary.demo import demo_section

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
DEMO_DATABASE = "demo.db"  # in DATA_DIR, beside (never instead of) the production database
DEMO_KEY = b"casewatch-demo-key: fictional case, not a secret"  # the demo's digests are of fictional names
ACTION_STYLE = {Action.REMOVE: "bold red", Action.HOLD: "yellow", Action.REVIEW: "cyan", Action.NONE: "dim"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "demo",
        help="replay the bundled fictional thread through the engine and show the moderator's view",
        description="Replay a bundled fictional case thread: flag it, store the flags in the SQLite queue, "
        "and print what a moderator would see.",
    )
    p.add_argument("--database", type=Path, default=None,
                   help="SQLite file for the queue (default: demo.db in DATA_DIR, never the production "
                        "database)")
    p.add_argument("--no-store", action="store_true", help="do not write to the database")
    p.add_argument("--no-abuse", action="store_true", help="skip abuse scoring")
    p.add_argument("--case", type=Path, default=DEMO_DIR / "case.toml", help=argparse.SUPPRESS)
    p.add_argument("--thread", type=Path, default=DEMO_DIR / "thread.jsonl", help=argparse.SUPPRESS)
    p.set_defaults(func=handle)


def load_thread(path: Path, thread_id: str) -> list[Message]:
    messages = []
    for _number, item in read_messages(path, thread_id=thread_id):
        if not isinstance(item, Message):
            raise InputError(f"demo thread {path.name}: {item}")
        messages.append(item)
    return messages


def moderator_table(verdicts: Sequence[Verdict]) -> Table:
    table = Table(title="Moderation queue", show_lines=True, expand=True)
    table.add_column("message", no_wrap=True)
    table.add_column("action", no_wrap=True)
    table.add_column("category")
    table.add_column("reason", ratio=2)
    table.add_column("redacted excerpt", ratio=3)
    for v in verdicts:
        if not v.flags:
            continue
        cats = "\n".join(dict.fromkeys(str(f.category) for f in v.flags))
        reasons = "\n".join(dict.fromkeys(f.reason for f in v.flags))
        table.add_row(escape(v.message.id), f"[{ACTION_STYLE[v.action]}]{v.action}[/]", cats, escape(reasons),
                      escape(v.excerpt))
    return table


def category_counts(verdicts: Sequence[Verdict]) -> Counter[str]:
    """Flagged messages per category (a message with two categories counts in both)."""
    counts: Counter[str] = Counter()
    for v in verdicts:
        for cat in {f.category for f in v.flags}:
            counts[str(cat)] += 1
    return counts


async def store_verdicts(path: Path, key: bytes, case: CaseFile, verdicts: Sequence[Verdict]) -> tuple[int, int]:
    """Store the case (hashed parties) and every flagged verdict; returns (stored, already there)."""
    from bot.storage import HeldMessage, Store
    from bot.storage.repositories.flags import verdict_signature

    stored = skipped = 0
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    async with await Store.open(path, key) as store:
        case_id = await store.cases.create(None, case.id, case.title, case.jurisdiction)
        if not await store.cases.parties(case_id):
            from bot.registry import ProtectedRegistry

            for party in case.protected:  # hashed, as /case import stores them
                registry = ProtectedRegistry.from_records([], key)
                registry.add_party(party.label, party.basis, party.names, party.identifiers)
                await store.cases.put_party(case_id, party.label, party.basis, registry.to_records(),
                                            name_count=len(party.names), ident_count=len(party.identifiers),
                                            created_by="demo")
        for v in verdicts:
            if not v.flags:
                continue
            latest = await store.flags.latest_for_message(v.message.id)
            if latest is not None and latest.signature == verdict_signature(v):
                skipped += 1
                continue
            held = None
            if v.action is Action.HOLD:
                held = HeldMessage(
                    flag_id=0, channel_id=0, author_name=v.message.author, author_avatar="",
                    original_sealed=store.sealer.seal(v.message.content), redacted=v.excerpt,
                    attachments=[{"filename": a.filename, "content_type": a.content_type}
                                 for a in v.message.attachments],
                )
            await store.flags.add(v, case_id=case_id, author_name=v.message.author, held=held)
            stored += 1
    return stored, skipped


def handle(args: argparse.Namespace) -> int:
    console = Console()
    case = load_case(args.case)
    messages = load_thread(args.thread, case.id)

    from bot.settings import load_settings

    settings = load_settings()
    if args.database is None:  # its own database and key: the demo never touches the production queue
        database, key = settings.data_path / DEMO_DATABASE, DEMO_KEY
    else:
        database, key = args.database, settings.secret_key
    engine = IdentityEngine.from_case(case, key)
    abuse = None if args.no_abuse else abuse_detector()
    verdicts = scan(engine, messages, abuse)

    console.rule(f"[bold]{escape(case.title)}")
    console.print(f"case [bold]{escape(case.id)}[/]: {len(messages)} messages replayed; protected parties: "
                  + escape(", ".join(case.labels)))
    console.print(moderator_table(verdicts))
    counts = category_counts(verdicts)
    actions = Counter(str(v.action) for v in verdicts if v.flags)
    summary = Table(title="Flagged messages", show_header=True)
    summary.add_column("category")
    summary.add_column("messages", justify="right")
    for cat in Category:
        summary.add_row(str(cat), str(counts.get(str(cat), 0)))
    summary.add_row("[dim]clean[/]", str(sum(1 for v in verdicts if not v.flags)))
    console.print(summary)
    console.print("actions: " + ", ".join(f"{a} {actions[a]}" for a in ("remove", "hold", "review") if actions[a]))

    if not args.no_store:
        stored, skipped = asyncio.run(store_verdicts(Path(database), key, case, verdicts))
        console.print(f"queue: stored {stored} flag(s) in {escape(str(database))}"
                      + (f" ({skipped} already queued from an earlier run)" if skipped else ""))

    demo_section(case, console)  # the case's cited summary, as /case summary shows it
    return 0
