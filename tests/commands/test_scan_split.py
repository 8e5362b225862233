"""``scan``'s identity checks split across forked workers give the verdicts, in order, that one process gives."""

from __future__ import annotations

import json
import multiprocessing
import os
import secrets
from pathlib import Path

import pytest

from bot.case import load_case
from bot.commands import scan_split
from bot.commands.scan import scan, verdict_line
from bot.engine import IdentityEngine
from bot.flags import Message
from bot.messages_io import read_messages
from tests.commands.test_scan import CASE  # the same fictional case
from tests.conftest import REPO_ROOT, SHARED_EVAL

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="needs fork")



def _messages(case_dir: Path, thread_id: str) -> list[Message]:
    return [m for _, m in read_messages(case_dir / "messages.jsonl", thread_id=thread_id) if isinstance(m, Message)]


def _both(case_dir: Path, workers: int, **engine_args: object) -> tuple[list[str], list[str], IdentityEngine,
                                                                         IdentityEngine]:
    case = load_case(case_dir / "case.toml")
    messages = _messages(case_dir, case.id)
    key = secrets.token_bytes(32)
    one, split = IdentityEngine.from_case(case, key), IdentityEngine.from_case(case, key)
    for engine in (one, split):
        for name, value in engine_args.items():
            setattr(engine, name, value)
    a = [verdict_line(v) for v in scan(one, messages, identity_workers=1)]
    b = [verdict_line(v) for v in scan(split, messages, identity_workers=workers)]
    return a, b, one, split


def _same_state(one: IdentityEngine, split: IdentityEngine) -> None:
    assert list(one._named.items()) == list(split._named.items())
    assert {k: list(q) for k, q in one.window._queues.items()} == {k: list(q) for k, q in split.window._queues.items()}
    assert one.members._threads == split.members._threads


THREADS = sorted(p.parent for p in (REPO_ROOT / "tests" / "data" / "redteam").glob("*/case.toml")) + sorted(
    p.parent for p in (REPO_ROOT / "tests" / "data" / "fresh").glob("*/case.toml"))[:8]


@pytest.mark.parametrize("case_dir", THREADS, ids=lambda p: p.name)
def test_bundled_threads_same_verdicts_in_workers(case_dir: Path) -> None:
    a, b, one, split = _both(case_dir, 3)
    assert a == b
    _same_state(one, split)


@pytest.mark.skipif(not (SHARED_EVAL / "dev").exists(), reason="shared dev set not present")
def test_dev_set_same_verdicts_with_a_tiny_memory_of_named_parties() -> None:
    # remember=3: which parties earlier messages named is forgotten (oldest first) the same way in both
    a, b, one, split = _both(SHARED_EVAL / "dev", 4, _remember=3)
    assert a == b
    _same_state(one, split)


def _synthetic(tmp_path: Path) -> tuple[Path, list[Message]]:
    case = tmp_path / "case.toml"
    case.write_text(CASE)
    rows = []
    texts = [
        ("u1", "I think I know who it is, it's Oswin"),
        ("u1", "Blackthorne. Everyone at school knows"),  # a name split across two messages by one author
        ("u2", "@u1 please take that down"),
        ("u3", "she lives on Mill Lane near the Co-op, her nan's house"),
        ("u1", "his mum works at the Spar on Mill Lane and he goes to Fernhill Academy"),
        ("u4", "The officer was Delphine"),
        ("u4", "Arkwright, PC 4417, she drives a red Fiesta"),
        ("u2", "he is 14 and plays for the under 15s at Mill Lane"),
        ("u3", "my daughter is 9. She loves the swings"),
        ("u5", "oswin's dad drives the number 12 bus"),
        ("u1", "she was there every Tuesday at the leisure centre"),
        ("u2", "the boy's sister goes to the same school"),
    ]
    for i, (author, text) in enumerate(texts * 3):
        rows.append(json.dumps({"id": f"m{i:02d}", "author": author, "content": text,
                                "timestamp": f"2025-01-01T10:{i:02d}:00+00:00",
                                **({"reply_to": f"m{i - 4:02d}"} if i % 5 == 4 else {})}))
    messages = tmp_path / "messages.jsonl"
    messages.write_text("\n".join(rows) + "\n")
    return tmp_path, _messages(tmp_path, "scan-test")


@pytest.mark.parametrize("workers", [2, 3, 5, 7])
def test_worker_boundaries_anywhere(tmp_path: Path, workers: int) -> None:
    """Split names, replies and history across every kind of boundary between workers' runs of messages."""
    case_dir, _ = _synthetic(tmp_path)
    a, b, one, split = _both(case_dir, workers)
    assert any(json.loads(x)["flags"] for x in a)
    assert a == b
    _same_state(one, split)


def test_a_dead_worker_means_one_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    case_dir, messages = _synthetic(tmp_path)
    case = load_case(case_dir / "case.toml")
    key = secrets.token_bytes(32)
    expected = [verdict_line(v) for v in scan(IdentityEngine.from_case(case, key), messages, identity_workers=1)]

    def die(*_args: object) -> None:
        os._exit(3)

    monkeypatch.setattr(scan_split, "_worker", die)
    engine = IdentityEngine.from_case(case, key)
    got = [verdict_line(v) for v in scan(engine, messages, identity_workers=2)]
    assert got == expected
    assert "checking in this process instead" in capsys.readouterr().err


def test_small_inputs_stay_in_one_process() -> None:
    assert scan_split.workers_for(scan_split.MIN_MESSAGES - 1) == 1
    assert scan_split.workers_for(scan_split.MIN_MESSAGES) >= 1
