"""Where Casewatch keeps its files, resolved to absolute paths once, whatever the working directory.

In a source checkout (this package beside a ``pyproject.toml``) the data directory is the checkout's
``data/`` folder and relative paths in settings are taken from the checkout; an installed package uses
the platform's data folder (``platformdirs``). The generated secret key lives in the platform's config
folder, never beside the database, so a copy of the data directory does not carry its key.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "casewatch"
DATABASE_FILE_NAME = "casewatch.db"
KEY_FILE_NAME = "secret.key"


def project_root() -> Path | None:
    """The source checkout holding this package, or None for an installed package."""
    root = Path(__file__).resolve().parents[1]
    return root if (root / "pyproject.toml").is_file() and (root / "bot" / "__init__.py").is_file() else None


def base_dir() -> Path:
    """The folder relative settings paths are taken from: the checkout, else the platform data folder."""
    return project_root() or platformdirs.user_data_path(APP_NAME)


def resolve_path(path: Path | str) -> Path:
    """``path`` made absolute against :func:`base_dir` (``~`` expanded), never against the working directory."""
    p = Path(path).expanduser()
    return p if p.is_absolute() else (base_dir() / p).resolve()


def default_data_dir() -> Path:
    root = project_root()
    return (root / "data") if root else platformdirs.user_data_path(APP_NAME)


def default_key_file() -> Path:
    return platformdirs.user_config_path(APP_NAME) / KEY_FILE_NAME


def env_files() -> tuple[Path | str, ...]:
    """The ``.env`` files read, lowest priority first: the checkout's, then the working directory's."""
    root = project_root()
    return (root / ".env", ".env") if root else (".env",)
