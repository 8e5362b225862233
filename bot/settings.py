"""Settings from the environment, read from ``.env`` when present (environment wins)."""

from __future__ import annotations

import logging
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

log = logging.getLogger(__name__)

KEY_FILE_NAME = "secret.key"


class Settings(BaseSettings):
    """Every setting Casewatch reads; ``.env.example`` documents each one."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    discord_token: SecretStr | None = Field(default=None, repr=False)
    database_url: str = "sqlite:///data/casewatch.db"
    log_level: str = "INFO"
    casewatch_secret_key: SecretStr | None = Field(default=None, repr=False)
    dev_guild_id: int | None = None

    # abuse scoring (bot.abuse)
    abuse_backend: Literal["auto", "detoxify", "onnx", "learned", "fallback"] = "auto"
    detoxify_model: str = "original"
    detoxify_checkpoint: Path | None = None
    detoxify_hf_dir: Path | None = None
    onnx_precision: Literal["int8", "fp32"] = "int8"
    onnx_cache_dir: Path = Path("data/onnx")
    abuse_batch_size: int = 16
    abuse_batch_wait_ms: float = 50.0
    abuse_queue_size: int = 512

    # summaries (bot.summary)
    summary_llm_url: str | None = None
    summary_llm_key: SecretStr | None = Field(default=None, repr=False)
    summary_llm_model: str | None = None
    fetch_timeout_s: float = 15.0
    fetch_max_bytes: int = 3_000_000
    fetch_allow_private: bool = False  # let /case source add reach loopback/private/link-local addresses

    @property
    def database_path(self) -> Path:
        """The SQLite file named by ``DATABASE_URL`` (``sqlite:///relative`` or ``sqlite:////abs``)."""
        url = self.database_url
        if not url.startswith("sqlite:///"):
            raise ConfigError(f"DATABASE_URL must start with sqlite:/// (got scheme {url.split(':', 1)[0]!r})")
        return Path(url.removeprefix("sqlite:///"))

    @cached_property
    def secret_key(self) -> bytes:
        """The key that hashes protected identifiers; generated and kept beside the database if unset."""
        if self.casewatch_secret_key is not None:
            value = self.casewatch_secret_key.get_secret_value()
            if len(value) < 16:
                raise ConfigError("CASEWATCH_SECRET_KEY must be at least 16 characters")
            return value.encode()
        key_file = self.database_path.parent / KEY_FILE_NAME
        if key_file.exists():
            return key_file.read_text().strip().encode()
        key_file.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_hex(32)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value + "\n")
        log.warning(
            "CASEWATCH_SECRET_KEY is not set: generated one and stored it in %s; back it up, "
            "registered identifiers cannot be matched without it",
            key_file,
        )
        return value.encode()


def load_settings(**overrides: object) -> Settings:
    """Load settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise ConfigError(f"invalid setting {name}: {first['msg']}") from None
