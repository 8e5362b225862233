"""``python -m bot demo``: the moderator's view of the bundled thread, stored in the SQLite queue."""

from __future__ import annotations

import sqlite3
import tomllib
from pathlib import Path

import pytest

from bot.cli import main
from bot.commands.demo import DEMO_DIR


def demo_secrets() -> list[str]:
    case = tomllib.loads((DEMO_DIR / "case.toml").read_text())
    found = [s for p in case["protected"] for s in p["names"] + p["identifiers"]]
    assert found
    return found


def run_demo(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path,
             *extra: str) -> tuple[int, str, str]:
    monkeypatch.setenv("CASEWATCH_SECRET_KEY", "demo-test-key-0123456789")
    monkeypatch.setenv("COLUMNS", "200")
    code = main(["demo", "--database", str(db), *extra])
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_shows_the_queue_and_stores_it(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                            tmp_path: Path) -> None:
    db = tmp_path / "queue.db"
    code, out, err = run_demo(capsys, monkeypatch, db, "--no-abuse")
    assert code == 0
    for needle in ("Moderation queue", "protected_identity", "identifying_detail", "remove", "hold",
                   "[the complainant]", "[address]", "Jigsaw identification", "the teenage witness"):
        assert needle in out
    assert "stored" in out
    blob = (out + err).lower()
    for s in demo_secrets():
        assert s.lower() not in blob

    with sqlite3.connect(db) as conn:
        flags = conn.execute("SELECT category, action, reason, excerpt FROM flags").fetchall()
        assert len(flags) >= 6
        assert {"protected_identity", "identifying_detail"} <= {row[0] for row in flags}
        held = conn.execute("SELECT COUNT(*) FROM held_messages").fetchone()[0]
        assert held >= 1
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file()).lower()
    for s in demo_secrets():
        assert s.lower().encode() not in raw, "a registered string is stored in plain text"

    # a second run queues nothing twice
    code, out, _ = run_demo(capsys, monkeypatch, db, "--no-abuse")
    assert code == 0 and "stored 0 flag(s)" in out
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM flags").fetchone()[0] == len(flags)


def test_demo_with_abuse_scoring(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                 tmp_path: Path) -> None:
    pytest.importorskip("bot.abuse")
    code, out, err = run_demo(capsys, monkeypatch, tmp_path / "q.db", "--no-store")
    assert code == 0
    assert "abuse scoring:" in err
    assert "abuse" in out.split("Flagged messages")[1]
    assert not (tmp_path / "q.db").exists()
    for s in demo_secrets():
        assert s.lower() not in (out + err).lower()


def test_demo_uses_its_own_database_and_key(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                                            clean_env: Path) -> None:
    """`make demo` never writes into the production queue, nor creates a production key."""
    monkeypatch.setenv("DATA_DIR", str(clean_env / "data"))
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["demo", "--no-abuse"]) == 0
    capsys.readouterr()
    assert (clean_env / "data" / "demo.db").exists()
    assert not (clean_env / "data" / "casewatch.db").exists()
    assert not (clean_env / "config").exists()  # no key file was generated
