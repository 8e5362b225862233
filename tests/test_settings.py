from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings


def test_defaults(clean_env: Path) -> None:
    s = load_settings()
    assert s.discord_token is None
    assert s.database_path == Path("data/casewatch.db")


def test_dotenv_is_read(clean_env: Path) -> None:
    (clean_env / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\nLOG_LEVEL=DEBUG\n")
    s = load_settings()
    assert s.database_path == Path("from-dotenv.db")
    assert s.log_level == "DEBUG"


def test_environment_wins_over_dotenv(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text("DATABASE_URL=sqlite:///from-dotenv.db\n")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///from-env.db")
    assert load_settings().database_path == Path("from-env.db")


def test_token_is_hidden_in_repr(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.token-value-that-must-not-show")
    s = load_settings()
    assert "token-value" not in repr(s) and "token-value" not in str(s)
    assert s.discord_token is not None
    assert s.discord_token.get_secret_value().endswith("show")


def test_secret_key_generated_once_and_reused(clean_env: Path, caplog: pytest.LogCaptureFixture) -> None:
    first = load_settings().secret_key
    assert "CASEWATCH_SECRET_KEY is not set" in caplog.text
    key_file = clean_env / "data" / "secret.key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert load_settings().secret_key == first


def test_short_secret_key_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWATCH_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 16"):
        _ = load_settings().secret_key


def test_invalid_setting_is_one_line(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABUSE_BATCH_SIZE", "many")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "ABUSE_BATCH_SIZE" in str(exc.value) and "\n" not in str(exc.value)


def test_non_sqlite_url_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/casewatch")
    with pytest.raises(ConfigError, match="sqlite:///"):
        _ = load_settings().database_path


def test_env_example_loads_as_is(clean_env: Path) -> None:
    """Every setting in .env.example is known, and its empty values mean 'unset'."""
    from tests.conftest import REPO_ROOT

    example = (REPO_ROOT / ".env.example").read_text()
    (clean_env / ".env").write_text(example)
    s = load_settings()
    assert s.discord_token is None and s.dev_guild_id is None
    names = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert {n.lower() for n in names} <= set(type(s).model_fields)
