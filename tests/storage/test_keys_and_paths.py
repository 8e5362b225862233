"""Fail closed on keys and paths: a wrong or missing key refuses to start; files are private; bad paths
give one line."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bot.errors import ConfigError, KeyMismatchError, StorageError
from bot.keys import FINGERPRINT_LABEL, REGISTRY_LABEL, SEAL_LABEL, derive, fingerprint
from bot.registry import ProtectedRegistry
from bot.settings import load_settings
from bot.storage import Store
from bot.storage.sealing import Sealer
from tests.conftest import REPO_ROOT

KEY_A = b"first-secret-key-0123456789abcdef"
KEY_B = b"other-secret-key-0123456789abcdef"


async def _register(path: Path, key: bytes) -> None:
    async with await Store.open(path, key) as store:
        case_id = await store.cases.create(None, "c1", "A case")
        registry = ProtectedRegistry(key)
        registry.add_party("the complainant", "SOA 1992", ["Imogen Trevelyan"], [])
        await store.cases.put_party(case_id, "the complainant", "SOA 1992", registry.to_records(),
                                    name_count=1, ident_count=0, created_by="test")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_purposes_get_independent_keys() -> None:
    keys = {derive(KEY_A, label) for label in (SEAL_LABEL, REGISTRY_LABEL, FINGERPRINT_LABEL)}
    assert len(keys) == 3
    assert derive(KEY_A, SEAL_LABEL) != derive(KEY_B, SEAL_LABEL)
    assert len(fingerprint(KEY_A)) == 16 and fingerprint(KEY_A) == fingerprint(KEY_A)
    # sealing with one purpose's key cannot be opened with another master key
    with pytest.raises(StorageError):
        Sealer(KEY_B).open(Sealer(KEY_A).seal("held text"))


async def test_the_same_key_reopens_and_a_different_key_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    await _register(db, KEY_A)
    async with await Store.open(db, KEY_A) as store:
        assert len(await store.cases.parties((await store.cases.by_key(None, "c1")).case_id)) == 1  # type: ignore[union-attr]
    with pytest.raises(KeyMismatchError) as exc:
        await Store.open(db, KEY_B, key_source="CASEWATCH_SECRET_KEY")
    line = str(exc.value)
    assert "\n" not in line and "restore" in line and "CASEWATCH_SECRET_KEY" in line
    assert fingerprint(KEY_A) in line and KEY_A.decode() not in line and KEY_B.decode() not in line
    assert exc.value.exit_code == 3


async def test_a_database_made_before_fingerprints_is_checked_against_its_parties(tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    await _register(db, KEY_A)
    import sqlite3

    with sqlite3.connect(db) as conn:  # as if made before migration 003 recorded the fingerprint
        conn.execute("DELETE FROM key_fingerprint")
    with pytest.raises(KeyMismatchError):
        await Store.open(db, KEY_B)
    async with await Store.open(db, KEY_A):
        pass


def test_a_missing_key_is_not_regenerated_while_registrations_exist(clean_env: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import asyncio

    monkeypatch.setenv("DATA_DIR", str(clean_env / "data"))
    first = load_settings()
    key = first.secret_key  # generated: a fresh install
    asyncio.run(_register(first.database_path, key))
    first.key_file_path.unlink()  # the key is lost
    with pytest.raises(KeyMismatchError) as exc:
        _ = load_settings().secret_key
    line = str(exc.value)
    assert "\n" not in line and "restore the key file" in line and str(first.key_file_path) in line
    assert not first.key_file_path.exists()  # nothing new was made


def test_run_refuses_a_changed_key_with_one_line_and_status_3(tmp_path: Path) -> None:
    import asyncio

    db = tmp_path / "cw.db"
    asyncio.run(_register(db, KEY_A))
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "DISCORD_TOKEN": "x.y.z", "DATABASE_URL": f"sqlite:///{db}",
           "CASEWATCH_SECRET_KEY": KEY_B.decode(), "LOG_LEVEL": "WARNING"}
    proc = subprocess.run([sys.executable, "-m", "bot", "run"], capture_output=True, text=True, env=env,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 3
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: the secret key does not match"), proc.stderr
    assert "Traceback" not in proc.stderr


async def test_database_wal_and_key_files_are_private(tmp_path: Path, clean_env: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "private" / "cw.db"
    await _register(db, KEY_A)
    async with await Store.open(db, KEY_A) as store:
        await store.cases.create(None, "c2", "Another")
        for path in (db, db.with_name("cw.db-wal"), db.with_name("cw.db-shm")):
            assert path.exists() and _mode(path) == 0o600, path
    assert _mode(db.parent) == 0o700
    db.chmod(0o644)  # a copy restored carelessly is made private again at open
    async with await Store.open(db, KEY_A):
        assert _mode(db) == 0o600
    monkeypatch.setenv("DATA_DIR", str(clean_env / "data"))
    s = load_settings()
    _ = s.secret_key
    assert _mode(s.key_file_path) == 0o600


async def test_a_folder_as_the_database_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="is a folder, not a file"):
        await Store.open(tmp_path, KEY_A)


async def test_a_read_only_data_folder_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o555)
    if os.geteuid() == 0:  # root writes anywhere: make the permission check see what a user would
        import bot.storage.database as database

        monkeypatch.setattr(database.os, "access", lambda path, mode: Path(path) != folder)
    try:
        with pytest.raises(StorageError, match="read-only"):
            await Store.open(folder / "cw.db", KEY_A)
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DATABASE_URL": "sqlite:///{tmp}"}, "is a folder, not a file"),
        ({"DATABASE_URL": "sqlite:////proc/casewatch/cw.db"}, "cannot create the data folder"),
        ({"LOG_LEVEL": "LOUD"}, "invalid setting LOG_LEVEL"),
    ],
)
def test_cli_error_paths_are_one_line(tmp_path: Path, env: dict[str, str], expected: str) -> None:
    values = {k: v.format(tmp=tmp_path) for k, v in env.items()}
    full = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "CASEWATCH_SECRET_KEY": KEY_A.decode(),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'cw.db'}", **values}
    proc = subprocess.run([sys.executable, "-m", "bot", "migrate"], capture_output=True, text=True, env=full,
                          cwd=tmp_path, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.count("\n") == 1 and expected in proc.stderr and "Traceback" not in proc.stderr


def test_config_error_codes() -> None:
    assert ConfigError.exit_code == StorageError.exit_code == 2 and KeyMismatchError.exit_code == 3
