"""Sealing: the original text of a held message is kept encrypted, never in plain text."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken

from bot.errors import StorageError


class Sealer:
    """Encrypts and decrypts with a Fernet key derived from the settings' secret key."""

    def __init__(self, secret_key: bytes) -> None:
        derived = hashlib.sha256(b"casewatch-seal-v1\x00" + secret_key).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, text: str) -> str:
        return self._fernet.encrypt(text.encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise StorageError("a held message could not be unsealed (was the secret key changed?)") from None
