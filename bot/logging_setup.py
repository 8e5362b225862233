"""One log format for the engine and the Discord side, and a filter that keeps secrets out of logs."""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable

from bot.errors import ConfigError

FORMAT = "%(asctime)s %(levelname)-8s %(name)s: %(message)s"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
_MASK = "[secret]"


class SecretFilter(logging.Filter):
    """Replaces any configured secret (the bot token, API keys) in a record's final message."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 8]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        if any(s in message for s in self.secrets):
            for s in self.secrets:
                message = message.replace(s, _MASK)
            record.msg, record.args = message, None
        if record.exc_info and record.exc_info[1] is not None:
            text = str(record.exc_info[1])
            if any(s in text for s in self.secrets):
                record.exc_info, record.exc_text = None, None
                record.msg = f"{record.msg} (exception text withheld: it contained a secret)"
        return True


#: Loggers whose DEBUG records carry content: SQL parameters (titles, URLs), gateway payloads and HTTP
#: bodies (messages, display names), fetched URLs. They never go below INFO, whatever LOG_LEVEL says.
QUIET_LOGGERS = ("aiosqlite", "asyncpg", "discord", "aiohttp", "trafilatura", "urllib3", "httpx")
#: Only Casewatch's own loggers, which never log content, may write DEBUG records.
OWN_LOGGERS = ("bot", "cogs", "__main__")


class ContentFilter(logging.Filter):
    """Drops DEBUG records of every library: drivers print each statement with its parameters, discord.py
    each payload. Casewatch's own DEBUG records stay."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.INFO or record.name.split(".")[0] in OWN_LOGGERS


#: Set by the engine once it holds the cases' registries (:func:`redact_registered_with`): text -> text
#: with every registered name or identifier replaced by its label. The one redaction path, for logs too.
_redactor: Callable[[str], str] | None = None


def redact_registered_with(redactor: Callable[[str], str] | None) -> None:
    """Route every log record's text (message and exception) through ``redactor`` from now on."""
    global _redactor
    _redactor = redactor


class RegisteredFilter(logging.Filter):
    """Relabels registered names in a record's final message and exception text (see :data:`_redactor`)."""

    def filter(self, record: logging.LogRecord) -> bool:
        redactor = _redactor
        if redactor is None:
            return True
        try:
            message = record.getMessage()
            safe = redactor(message)
            if safe != message:
                record.msg, record.args = safe, None
            if record.exc_info and record.exc_info[1] is not None:
                text = record.exc_text or logging.Formatter().formatException(record.exc_info)
                record.exc_text = redactor(text)
        except Exception:  # a log line must never fail; without the check it is not written either
            record.msg, record.args, record.exc_info, record.exc_text = (
                "(log record withheld: it could not be checked for protected names)", None, None, None)
        return True


def setup_logging(level: str | int = "INFO", *, secrets: Iterable[str] = (), stream=None) -> logging.Handler:
    """Configure the root logger (as ``discord.utils.setup_logging`` does) and return its handler.

    The secret filter sits on the handler, so records from every library pass through it.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, DATE_FORMAT, style="%"))
    handler.addFilter(SecretFilter(secrets))
    handler.addFilter(ContentFilter())
    handler.addFilter(RegisteredFilter())
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.INFO)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_casewatch", False):
            root.removeHandler(old)
    handler._casewatch = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    try:
        root.setLevel(level.upper() if isinstance(level, str) else level)
    except ValueError:
        root.removeHandler(handler)
        raise ConfigError(f"invalid setting LOG_LEVEL: {level!r} is not DEBUG, INFO, WARNING or ERROR") from None
    return handler
