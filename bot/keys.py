"""The secret key: where it lives, the keys derived from it, and its fingerprint.

One master secret (``CASEWATCH_SECRET_KEY``, or a key file kept outside the data directory) yields a
separate key per purpose through HKDF-SHA256 with its own label, so the sealing key and the hashing key
of the protected registry are independent. The database records only the key's fingerprint (itself an
HKDF output with its own label), so a different or missing key is noticed at start instead of silently
failing every check.
"""

from __future__ import annotations

import logging
import os
import secrets
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.errors import ConfigError, KeyMismatchError

if TYPE_CHECKING:
    from bot.settings import Settings

log = logging.getLogger(__name__)

KEY_FILE_NAME = "secret.key"
MIN_KEY_LENGTH = 16

#: HKDF labels: one per purpose; changing one changes every key derived for it.
SEAL_LABEL = "casewatch/seal/v1"
REGISTRY_LABEL = "casewatch/registry/v1"
FINGERPRINT_LABEL = "casewatch/fingerprint/v1"


def derive(master: bytes, label: str, length: int = 32) -> bytes:
    """The key for one purpose (``label``), derived from the master secret with HKDF-SHA256."""
    if not master:
        raise ConfigError("the secret key is empty")
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=label.encode()).derive(master)


def fingerprint(master: bytes) -> str:
    """A short public name for the key (16 hex characters): says which key it is, reveals nothing of it."""
    return derive(master, FINGERPRINT_LABEL, 8).hex()


def write_private(path: Path, data: bytes) -> None:
    """Create ``path`` with mode 600 (owner read/write only) and write ``data``; never overwrites."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def _registrations(db_path: Path) -> tuple[int, str | None]:
    """(protected parties, recorded key fingerprint) of the database at ``db_path``; (0, None) if none."""
    if not db_path.is_file():
        return 0, None
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    except sqlite3.Error:
        return 0, None
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        parties = conn.execute("SELECT COUNT(*) FROM protected_parties").fetchone()[0] \
            if "protected_parties" in tables else 0
        fp = None
        if "key_fingerprint" in tables:
            row = conn.execute("SELECT fingerprint FROM key_fingerprint WHERE id = 1").fetchone()
            fp = row[0] if row else None
        return int(parties), fp
    except sqlite3.Error:
        return 0, None
    finally:
        conn.close()


def describe_source(settings: Settings) -> str:
    """Where the key comes from, for the one line that says what to restore (never the key itself)."""
    if settings.casewatch_secret_key is not None:
        return "CASEWATCH_SECRET_KEY"
    return f"the key file {settings.key_file_path}"


def load_secret_key(settings: Settings) -> bytes:
    """The master secret: ``CASEWATCH_SECRET_KEY``, else the key file; generated only for a new database.

    A database that already holds registrations (or a key fingerprint) is never given a fresh key:
    that would make every stored digest unmatchable. Raises :class:`KeyMismatchError` saying what to
    restore instead.
    """
    if settings.casewatch_secret_key is not None:
        value = settings.casewatch_secret_key.get_secret_value().strip()
        if len(value) < MIN_KEY_LENGTH:
            raise ConfigError(f"CASEWATCH_SECRET_KEY must be at least {MIN_KEY_LENGTH} characters")
        return value.encode()
    key_file = settings.key_file_path
    legacy = settings.data_path / KEY_FILE_NAME
    if key_file.is_relative_to(settings.data_path):
        log.warning("CASEWATCH_KEY_FILE %s is inside DATA_DIR: a copy of the data would carry its key; keep it "
                    "elsewhere and back it up separately", key_file)
    for candidate in (key_file, legacy):
        if candidate.is_file():
            try:
                value = candidate.read_text(encoding="utf-8").strip()
            except (OSError, UnicodeDecodeError) as exc:
                raise ConfigError(f"cannot read the key file {candidate}: {getattr(exc, 'strerror', exc)}") \
                    from None
            if len(value) < MIN_KEY_LENGTH:
                raise ConfigError(f"the key file {candidate} holds fewer than {MIN_KEY_LENGTH} characters")
            if candidate == legacy and candidate != key_file:
                log.warning("the secret key is kept in the data directory (%s), beside the digests it protects: "
                            "move it to %s (or set CASEWATCH_SECRET_KEY) and back it up separately",
                            legacy, key_file)
            return value.encode()
    parties, recorded = _registrations(settings.database_path)
    if parties or recorded:
        raise KeyMismatchError(
            f"no secret key found but the database {settings.database_path} "
            f"{'holds ' + str(parties) + ' protected-party registrations' if parties else 'was made with one'}"
            f"{' (key fingerprint ' + recorded + ')' if recorded else ''}: restore the key file {key_file} "
            "or CASEWATCH_SECRET_KEY from your backup; refusing to start"
        )
    value = secrets.token_hex(32)
    try:
        write_private(key_file, (value + "\n").encode())
    except OSError as exc:
        raise ConfigError(f"cannot create the key file {key_file}: {exc.strerror or exc} "
                          "(set CASEWATCH_KEY_FILE or CASEWATCH_SECRET_KEY)") from None
    log.warning("CASEWATCH_SECRET_KEY is not set: generated a key in %s (mode 600); back it up apart from the "
                "database, registered identifiers cannot be matched without it", key_file)
    return value.encode()
