"""``scan``'s identity checks split across worker processes, with the same verdicts as one process in order.

What one message's check reads from earlier messages is of two kinds:

* state that depends only on the input's order: the author's recent messages (``ThreadHistory``), the thread's
  last few messages by anyone (``ThreadWindow``) and its members (authors, mentioned names). The parent replays
  it for every message before the workers start (cheap: no detector runs), so each worker knows, for its
  messages, exactly what the engine would have held;
* which protected parties earlier messages named (the engine's ``_named``), which depends on the protected-party
  detector's findings. So the work goes in two phases: each worker runs the protected-party detector over its
  messages (a name split across two consecutive messages needs only the author's previous message, known from
  the replay) and sends back the parties each one named; the parent replays ``_named`` in message order (its
  bound and eviction included) and sends each worker, for each of its messages, the labels that message's
  history, reply and window would look up; the workers then run the remaining detectors and send back the
  flagged verdicts. Detectors' caches (analyses, referents, the learned scorer's verdicts, the matcher's misses)
  hold pure functions of their keys, so a worker that starts cold computes the same values.

Workers take contiguous runs of messages (a message's window and history are mostly its own worker's, so
their analyses are computed once). They are forked (no pickling of the engine); if one dies, ``scan`` checks
every message in the parent instead. The engine's state afterwards is what the one-process path leaves.
"""

from __future__ import annotations

import contextlib
import copy
import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from typing import Any

from bot import message_view
from bot.detectors.forum import ForumMembers
from bot.detectors.identifying import NAMED_OF_KEY, IdentifyingDetailDetector
from bot.detectors.protected import ProtectedPartyDetector
from bot.engine import IdentityEngine, ThreadHistory, ThreadWindow
from bot.flags import Action, Flag, Message, Verdict

#: fewer messages than this are checked in one process (forking costs more than it saves)
MIN_MESSAGES = 2_000


@dataclass(slots=True)
class _Plan:
    """What every message's check reads from the messages before it (replayed in order by the parent)."""

    engine: IdentityEngine
    messages: Sequence[Message]
    history: list[list[Message]]
    members: list[frozenset[str]]
    window: list[list[Message]]


_PLAN: _Plan | None = None  # inherited by the forked workers


def splittable(engine: IdentityEngine) -> bool:
    """Whether the engine runs the standard detectors (protected parties first, then identifying details)."""
    kinds = [type(d) for d in engine.detectors]
    return kinds in ([ProtectedPartyDetector, IdentifyingDetailDetector], [IdentifyingDetailDetector])


def workers_for(count: int) -> int:
    return max(1, min(os.cpu_count() or 1, 4)) if count >= MIN_MESSAGES else 1


def check_split(engine: IdentityEngine, messages: Sequence[Message], history: ThreadHistory,
                workers: int) -> list[Verdict] | None:
    """Verdicts for ``messages`` in order, the identity checks run in ``workers`` forked processes; None when a
    worker failed (nothing in ``engine`` or ``history`` has changed then)."""
    return start_split(engine, messages, history, workers)()


def start_split(engine: IdentityEngine, messages: Sequence[Message], history: ThreadHistory,
                workers: int) -> Callable[[], list[Verdict] | None]:
    """:func:`check_split` started: the workers are forked and at work; the returned function waits for them."""
    global _PLAN
    members, window = copy.deepcopy(engine.members), copy.deepcopy(engine.window)
    replay = copy.deepcopy(history)
    plan = _Plan(engine, messages, [], [], [])
    for message in messages:  # what engine.check would read and record, in order, without the detectors
        plan.history.append(replay.recent(message))
        replay.add(message)
        members.add(message.thread_id, (message.author, message.author_name, *message.mentions))
        plan.members.append(members.of(message.thread_id))
        plan.window.append(window.recent(message))
        window.add(message)
    n = len(messages)
    bounds = [(n * k // workers, n * (k + 1) // workers) for k in range(workers)]
    context = multiprocessing.get_context("fork")
    sys.stdout.flush()
    sys.stderr.flush()
    _PLAN = plan
    procs: list[tuple[Any, Connection]] = []
    try:
        for lo, hi in bounds:
            ours, theirs = context.Pipe()
            proc = context.Process(target=_worker, args=(theirs, lo, hi), daemon=True)
            proc.start()
            theirs.close()
            procs.append((proc, ours))
    except OSError:
        procs_failed = True
    else:
        procs_failed = False
    finally:
        _PLAN = None

    def wait() -> list[Verdict] | None:
        try:
            return None if procs_failed else _collect(engine, plan, bounds, procs, history, members, window)
        except (EOFError, OSError):  # a worker died (killed, out of memory)
            return None
        finally:
            for proc, conn in procs:
                conn.close()
                proc.join(timeout=5)
                if proc.is_alive():
                    proc.kill()
                    proc.join()

    return wait


def _collect(engine: IdentityEngine, plan: _Plan, bounds: list[tuple[int, int]], procs: list[tuple[Any, Connection]],
             history: ThreadHistory, members: ForumMembers, window: ThreadWindow) -> list[Verdict] | None:
    messages = plan.messages
    labels: list[tuple[str, ...]] = []
    for _, conn in procs:
        part = conn.recv()
        if not isinstance(part, list):
            return None
        labels.extend(part)
    named = copy.copy(engine._named)
    lookups: list[dict[int, tuple[list[str], dict[str, tuple[str, ...]]]]] = [{} for _ in bounds]
    for k, (lo, hi) in enumerate(bounds):
        for i in range(lo, hi):
            message = messages[i]
            found = IdentityEngine.history_labels(message, plan.history[i], named)
            seen = {m.id: named[m.id] for m in plan.window[i] if m.id in named} if named else {}
            if found or seen:
                lookups[k][i] = (found, seen)
            if labels[i]:
                engine.remember_named(named, message.id, labels[i])
    for (_, conn), part in zip(procs, lookups, strict=True):
        conn.send(part)
    verdicts = [Verdict(message=m) for m in messages]
    for _, conn in procs:
        part = conn.recv()
        if not isinstance(part, list):
            return None
        for i, flags, action, excerpt in part:
            verdicts[i] = Verdict(message=messages[i], flags=flags, action=action, excerpt=excerpt)
    engine.members, engine.window, engine._named = members, window, named
    for message in messages:
        history.add(message)
    return verdicts


def _worker(conn: Connection, lo: int, hi: int) -> None:
    plan = _PLAN
    assert plan is not None
    try:
        engine = plan.engine
        first, rest = engine.detectors[:1], engine.detectors[1:]
        if isinstance(first[0], IdentifyingDetailDetector):
            first, rest = [], engine.detectors
        contexts = []
        labels: list[tuple[str, ...]] = []
        empty: tuple[list[str], dict[str, tuple[str, ...]]] = ([], {})
        for i in range(lo, hi):
            message = plan.messages[i]
            ctx = engine.context(message, plan.history[i], plan.members[i], partial(list, plan.window[i]), [],
                                 _no_labels)
            engine.detect(ctx, first)
            contexts.append(ctx)
            labels.append(engine.named_labels(ctx))
        conn.send(labels)
        lookups: dict[int, tuple[list[str], dict[str, tuple[str, ...]]]] = conn.recv()
        out: list[tuple[int, list[Flag], Action, str]] = []
        for i, ctx, named in zip(range(lo, hi), contexts, labels, strict=True):
            found, seen = lookups.get(i, empty)
            ctx.extras["history_labels"] = list(found)
            ctx.extras[NAMED_OF_KEY] = (lambda mid, seen=seen: seen.get(mid, ()))
            message_view.make_current(ctx.shared_view)  # the text's view from phase one
            engine.detect(ctx, rest)
            if engine.named_labels(ctx) != named:  # a later detector named a party: not what the replay assumed
                raise RuntimeError("a detector after the protected-party one named a party")
            if ctx.flags:
                verdict = engine.verdict_of(ctx)
                out.append((i, verdict.flags, verdict.action, verdict.excerpt))
        conn.send(out)
    except BaseException as exc:  # reported to the parent, which then checks in one process instead
        with contextlib.suppress(OSError):
            conn.send(f"{type(exc).__name__}: {exc}")
    finally:
        conn.close()


def _no_labels(_message_id: str) -> tuple[str, ...]:
    return ()
