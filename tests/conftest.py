"""Shared fixtures. Tests never reach the network: the Hugging Face hub is switched off here."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from bot.storage import Store

SECRET_KEY = b"test-secret-key-0123456789abcdef"
REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"


@pytest.fixture
def secret_key() -> bytes:
    return SECRET_KEY


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = await Store.open(tmp_path / "casewatch.db", SECRET_KEY)
    try:
        yield s
    finally:
        await s.close()


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Run in an empty folder with no Casewatch settings in the environment."""
    for name in list(os.environ):
        if name.startswith(("DISCORD_", "DATABASE_", "CASEWATCH_", "LOG_LEVEL", "DEV_GUILD", "DATA_DIR",
                            "RETENTION_")):
            monkeypatch.delenv(name, raising=False)
    # the platform folders (where a generated key goes) are the test's own, never the user's
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(tmp_path)
    return tmp_path
