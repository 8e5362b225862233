"""``python -m bot scan --case CASE.toml MESSAGES``: flag messages offline, one JSON line per flagged message.

Registered names are hashed with a key made for this run only, so nothing is written anywhere; the output
holds categories, scores, reasons (labels only), spans and redacted excerpts. Malformed lines are reported
one per line on stderr and the rest are scanned; the exit status is then 1. Case file errors exit 2.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import secrets
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from bot.case import load_case
from bot.commands import scan_split
from bot.engine import IdentityEngine, ThreadHistory
from bot.flags import Flag, Message, Verdict
from bot.messages_io import RepairedInput, read_messages
from bot.settings import load_settings

if TYPE_CHECKING:
    from bot.abuse import AbuseDetector


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "scan",
        help="scan a JSONL file or Discord export against a case file",
        description="Scan messages (JSONL, or a DiscordChatExporter JSON export) against a case file and "
        "print one JSON line per flagged message.",
    )
    p.add_argument("--case", required=True, help="the case file (TOML)")
    p.add_argument("messages", help="JSONL file (one message a line) or a DiscordChatExporter JSON export")
    p.add_argument("--no-abuse", action="store_true", help="skip abuse scoring")
    p.add_argument("--no-images", action="store_true", help="do not read attached images (local paths)")
    p.set_defaults(func=handle)


def abuse_detector(out: TextIO | None = None) -> AbuseDetector:
    """The best abuse detector for the current settings; which one is active is said on ``out``."""
    from bot.abuse import build_detector  # late: loading scorers is slow, and --no-abuse needs none

    out = out or sys.stderr
    detector = build_detector(load_settings())
    print(f"abuse scoring: {detector.scorer_name}", file=out)
    return detector


#: Scorers whose objects survive a fork (no model thread pool yet): scan scores abuse in child processes for
#: them, one per core, so the pattern layer's Python work and the encoder run beside the identity checks
#: instead of sharing one GIL and one core.
FORK_SAFE_SCORERS = ("fallback", "learned", "static", "static+learned")
_FORKED: Any = None  # the detector the forked children score with


def _detect_in_child(texts: list[str]) -> list[list[Flag]]:
    return list(_FORKED.detect_many(texts))


def _abuse_flags(abuse: Any, texts: list[str]) -> Callable[[], list[list[Flag]]]:
    """Start abuse scoring of ``texts`` beside the caller; the returned function waits for the flags."""
    global _FORKED
    key = getattr(getattr(abuse, "scorer", None), "key", "")
    workers = max(1, min(os.cpu_count() or 1, 4))
    if key not in FORK_SAFE_SCORERS or "fork" not in multiprocessing.get_all_start_methods():
        thread_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="scan-abuse")
        pending = thread_pool.submit(abuse.detect_many, texts)
        thread_pool.shutdown(wait=False)
        return pending.result
    _FORKED = abuse
    distinct = sorted(dict.fromkeys(texts), key=len)
    parts = [distinct[i::workers] for i in range(workers)]  # interleaved: every part gets short and long texts
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    futures = [pool.submit(_detect_in_child, part) for part in parts if part]

    def wait() -> list[list[Flag]]:
        found: dict[str, list[Flag]] = {}
        try:
            with pool:
                for part, future in zip(parts, futures, strict=False):
                    found.update(zip(part, future.result(), strict=True))
        except BrokenProcessPool:  # a child died (killed, out of memory): score here rather than skip
            print("warning: an abuse scoring process died; scoring in this process instead", file=sys.stderr)
            return list(abuse.detect_many(texts))
        return [found[t] for t in texts]

    return wait


def scan(
    engine: IdentityEngine, messages: Sequence[Message], abuse: Any | None = None, *,
    identity_workers: int | None = None,
) -> list[Verdict]:
    """Identity verdicts for ``messages`` in order (each with its author's thread history), plus abuse.

    ``identity_workers``: processes the identity checks are split across (default: one per core, up to 4, for
    ``scan_split.MIN_MESSAGES`` messages or more; 1: all in this process). The verdicts are the same either way.
    """
    history = ThreadHistory()
    verdicts: list[Verdict] = []
    threads: dict[str, set[str]] = {}
    for message in messages:  # the thread's authors are forum members: their @names are not handles
        threads.setdefault(message.thread_id, set()).update((message.author, message.author_name))
    for thread_id, authors in threads.items():
        engine.add_members(thread_id, authors)
    if abuse is not None:  # detail ablation masks this case's names as the identity engine finds them
        from bot.abuse.ablation import use_engine

        use_engine(engine)
    # abuse scoring is batched (each distinct text once) and runs beside the identity checks
    workers = identity_workers if identity_workers is not None else scan_split.workers_for(len(messages))
    split = workers > 1 and scan_split.splittable(engine) and "fork" in multiprocessing.get_all_start_methods()
    # identity workers are forked first (before the abuse pool's threads start), then abuse scoring
    parts = scan_split.start_split(engine, messages, history, workers) if split else None
    wait = _abuse_flags(abuse, [m.content for m in messages]) if abuse and messages else None
    parted = parts() if parts is not None else None
    if parted is not None:
        verdicts = parted
    else:
        if split:
            print("warning: an identity checking process died; checking in this process instead", file=sys.stderr)
        for message in messages:
            verdicts.append(engine.check(message, history.recent(message)))
            history.add(message)
    found = wait() if wait is not None else []
    if found:
        from bot.abuse.invitation import with_invitation

        for verdict, extra in zip(verdicts, found, strict=True):
            extra = with_invitation(verdict.message.content, verdict.flags, extra)
            if extra:
                engine.finalize(verdict, extra)
    return verdicts


def verdict_line(verdict: Verdict, *, ascii_only: bool = False) -> str:
    return json.dumps(
        {
            "message_id": verdict.message.id,
            "action": str(verdict.action),
            "flags": [f.to_json() for f in verdict.flags],
            "excerpt": verdict.excerpt,
        },
        ensure_ascii=ascii_only,
    )


def _scan_images(engine: IdentityEngine, verdicts: list[Verdict], base: Path, abuse: Any | None) -> None:
    """Read attached images that have a local copy (bot.images) and merge their flags."""
    from bot.images.reader import ImageReader
    from bot.images.scan import has_images, scan_images

    if not has_images(verdicts):
        return

    async def run() -> None:
        async with ImageReader.from_settings(load_settings()) as reader:
            await scan_images(engine, verdicts, base, reader, abuse)

    asyncio.run(run())


def handle(args: argparse.Namespace) -> int:
    case = load_case(args.case)  # CaseFileError -> one line, exit 2 (bot.cli)
    engine = IdentityEngine.from_case(case, secrets.token_bytes(32))
    messages: list[Message] = []
    bad = repaired = 0
    for _number, item in read_messages(args.messages, thread_id=case.id):
        if isinstance(item, Message):
            messages.append(item)
        elif isinstance(item, RepairedInput):
            repaired += 1
            print(f"warning: {args.messages}: {item}", file=sys.stderr)
        else:
            bad += 1
            print(f"error: {args.messages}: {item}", file=sys.stderr)
    abuse = None if args.no_abuse else abuse_detector()
    # a terminal or pipe that cannot take UTF-8 gets \u escapes (still the same JSON)
    ascii_only = (sys.stdout.encoding or "").lower().replace("-", "").replace("_", "") != "utf8"
    verdicts = scan(engine, messages, abuse)
    if not args.no_images:
        _scan_images(engine, verdicts, Path(args.messages).parent, abuse)
    for verdict in verdicts:
        if verdict.flags:
            print(verdict_line(verdict, ascii_only=ascii_only))
    if bad:
        print(f"error: {bad} problem(s) reading {args.messages} (listed above); {len(messages)} message(s) "
              "were scanned", file=sys.stderr)
    elif repaired:
        print(f"error: {repaired} input problem(s) repaired (listed above); all {len(messages)} message(s) "
              "were scanned", file=sys.stderr)
    return 1 if bad or repaired else 0
