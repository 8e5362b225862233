"""Sealing: the original text of a held message is kept encrypted, never in plain text."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken

from bot.errors import StorageError
from bot.keys import SEAL_LABEL, derive
from bot.text import clean_text


class Sealer:
    """Encrypts and decrypts with a Fernet key derived (HKDF, its own label) from the master secret."""

    def __init__(self, secret_key: bytes) -> None:
        derived = derive(secret_key, SEAL_LABEL)
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def seal(self, text: str) -> str:
        """Encrypt ``text``; a lone surrogate (not encodable) is sealed as U+FFFD, never refused."""
        return self._fernet.encrypt(clean_text(text).encode("utf-8")).decode("ascii")

    def open(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")
        except InvalidToken:
            raise StorageError("a held message could not be unsealed (was the secret key changed?)") from None
