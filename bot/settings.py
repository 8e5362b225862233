"""Settings from the environment, read from ``.env`` when present (environment wins)."""

from __future__ import annotations

import logging
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError
from bot.keys import load_secret_key
from bot.paths import DATABASE_FILE_NAME, default_data_dir, default_key_file, env_files, resolve_path

log = logging.getLogger(__name__)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class Settings(BaseSettings):
    """Every setting Casewatch reads; ``.env.example`` documents each one."""

    model_config = SettingsConfigDict(
        env_file=env_files(), env_file_encoding="utf-8", env_ignore_empty=True, extra="ignore"
    )

    discord_token: SecretStr | None = Field(default=None, repr=False)
    data_dir: Path | None = None  # default: the checkout's data/ folder, or the platform's data folder
    database_url: str | None = None  # default: sqlite:///DATA_DIR/casewatch.db
    log_level: str = "INFO"
    casewatch_secret_key: SecretStr | None = Field(default=None, repr=False)
    casewatch_key_file: Path | None = None  # default: the platform's config folder, outside DATA_DIR
    retention_days: int = Field(default=30, ge=1)
    dev_guild_id: int | None = None
    shard_count: int | None = None  # Discord shards across all processes (bot/shards.py)
    shard_ids: str | None = None  # this process's shards, e.g. "0-3" (needs SHARD_COUNT)
    outbox_lease_s: float = 30.0  # how long a worker's claim on an action lasts before another may take it
    outbox_sweep_s: float = 30.0  # how often pending actions are retried

    # identity: the learned identifying-detail evidence (bot.identity_model); off = the rules alone
    identity_model: Literal["on", "off"] = "on"

    # abuse scoring (bot.abuse)
    abuse_backend: Literal["auto", "detoxify", "onnx", "learned", "static", "cascade", "fallback"] = "auto"
    # the tuned encoder's second opinion beside the static scorer (bot.abuse.tuned). Off by default: it finds more
    # abuse in blind corpora but reads identifying talk as harm on the bundled threads (docs/abuse.md, wave 14)
    abuse_second_opinion: Literal["on", "off"] = "off"
    detoxify_model: str = "original"
    detoxify_checkpoint: Path | None = None
    detoxify_hf_dir: Path | None = None
    # `python -m bot models pull` (bot.abuse.pull): mirror URLs and the checkpoint's SHA-256
    detoxify_url: str | None = None
    detoxify_hf_url: str | None = None
    detoxify_sha256: str | None = None
    onnx_precision: Literal["int8", "fp32"] = "int8"
    onnx_cache_dir: Path = Path("data/onnx")
    abuse_batch_size: int = 16
    abuse_batch_wait_ms: float = 50.0
    abuse_queue_size: int = 512
    # past either bound new messages go to the overflow scorer (bot.abuse.batching); None: no bound
    abuse_max_queue_age_ms: float | None = 500.0
    abuse_overflow_depth: int | None = None

    # summaries (bot.summary)
    summary_llm_url: str | None = None
    summary_llm_key: SecretStr | None = Field(default=None, repr=False)
    summary_llm_model: str | None = None
    fetch_timeout_s: float = 15.0
    fetch_max_bytes: int = 3_000_000
    fetch_allow_private: bool = False  # let /case source add reach loopback/private/link-local addresses

    # images (bot.images): attachments are read in worker processes, never on the event loop
    image_max_bytes: int = Field(default=8 * 1024 * 1024, ge=1)
    image_max_pixels: int = Field(default=40_000_000, ge=1)
    image_workers: int = Field(default=1, ge=1)
    image_queue_size: int = Field(default=16, ge=0)
    image_deadline_s: float = Field(default=30.0, gt=0)
    image_cdn_hosts: str = "cdn.discordapp.com,media.discordapp.net"  # attachments are downloaded only from these

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.strip().upper()
        if level not in LOG_LEVELS:
            raise ValueError(f"must be one of {', '.join(LOG_LEVELS)}")
        return level

    @field_validator("onnx_cache_dir")
    @classmethod
    def _from_the_checkout(cls, value: Path) -> Path:
        return resolve_path(value)  # like every relative path here: never from the working directory

    @cached_property
    def data_path(self) -> Path:
        """``DATA_DIR`` as an absolute path, resolved once (see :func:`bot.paths.default_data_dir`)."""
        if self.data_dir is None:
            return default_data_dir()
        return resolve_path(self.data_dir)

    @cached_property
    def database_path(self) -> Path:
        """The absolute SQLite file: ``DATABASE_URL`` if set (a relative path is taken from the project
        folder, not the working directory), else ``DATA_DIR/casewatch.db``."""
        url = self.database_url
        if not url:
            return self.data_path / DATABASE_FILE_NAME
        if not url.startswith("sqlite:///"):
            raise ConfigError(f"DATABASE_URL must start with sqlite:/// (got scheme {url.split(':', 1)[0]!r})")
        raw = url.removeprefix("sqlite:///")
        if not raw or raw == ":memory:":
            raise ConfigError("DATABASE_URL must name a database file")
        return resolve_path(Path(raw))

    @cached_property
    def key_file_path(self) -> Path:
        """Where the generated key is kept when ``CASEWATCH_SECRET_KEY`` is unset: outside ``DATA_DIR``."""
        return resolve_path(self.casewatch_key_file) if self.casewatch_key_file else default_key_file()

    @cached_property
    def secret_key(self) -> bytes:
        """The master secret (see :func:`bot.keys.load_secret_key`): never generated for a database that
        already holds registrations."""
        return load_secret_key(self)


def load_settings(**overrides: object) -> Settings:
    """Load settings, turning validation errors into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise ConfigError(f"invalid setting {name}: {message}") from None
