from pathlib import Path

import pytest

from bot.errors import ConfigError
from bot.settings import load_settings
from tests.conftest import REPO_ROOT


def test_defaults(clean_env: Path) -> None:
    s = load_settings()
    assert s.discord_token is None
    assert s.data_path == REPO_ROOT / "data"  # the checkout's data/, whatever the working directory
    assert s.database_path == REPO_ROOT / "data" / "casewatch.db"
    assert s.retention_days == 30


def test_relative_paths_are_taken_from_the_checkout_not_the_working_directory(
        clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Starting from another folder must not silently create a second database (and key) there."""
    monkeypatch.setenv("DATABASE_URL", "sqlite:///data/casewatch.db")
    here = load_settings().database_path
    elsewhere = clean_env / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    there = load_settings().database_path
    assert here == there == REPO_ROOT / "data" / "casewatch.db"
    assert here.is_absolute()


def test_data_dir_setting_moves_the_database(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(clean_env / "store"))
    s = load_settings()
    assert s.data_path == clean_env / "store"
    assert s.database_path == clean_env / "store" / "casewatch.db"


def test_dotenv_is_read(clean_env: Path) -> None:
    (clean_env / ".env").write_text("DATABASE_URL=sqlite:////srv/from-dotenv.db\nLOG_LEVEL=DEBUG\n")
    s = load_settings()
    assert s.database_path == Path("/srv/from-dotenv.db")
    assert s.log_level == "DEBUG"


def test_environment_wins_over_dotenv(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (clean_env / ".env").write_text("DATABASE_URL=sqlite:////srv/from-dotenv.db\n")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/from-env.db")
    assert load_settings().database_path == Path("/srv/from-env.db")


def test_token_is_hidden_in_repr(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", "MTIz.token-value-that-must-not-show")
    s = load_settings()
    assert "token-value" not in repr(s) and "token-value" not in str(s)
    assert s.discord_token is not None
    assert s.discord_token.get_secret_value().endswith("show")


def test_secret_key_generated_once_outside_the_data_dir(clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("DATA_DIR", str(clean_env / "data"))
    first = load_settings().secret_key
    assert "CASEWATCH_SECRET_KEY is not set" in caplog.text
    key_file = clean_env / "config" / "casewatch" / "secret.key"
    assert key_file.exists() and oct(key_file.stat().st_mode & 0o777) == "0o600"
    assert not (clean_env / "data" / "secret.key").exists()
    assert load_settings().secret_key == first


def test_key_file_setting(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    key_file = clean_env / "vault" / "casewatch.key"
    key_file.parent.mkdir()
    key_file.write_text("k" * 40 + "\n")
    monkeypatch.setenv("CASEWATCH_KEY_FILE", str(key_file))
    assert load_settings().secret_key == b"k" * 40


def test_short_secret_key_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CASEWATCH_SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="at least 16"):
        _ = load_settings().secret_key


def test_invalid_setting_is_one_line(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABUSE_BATCH_SIZE", "many")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "ABUSE_BATCH_SIZE" in str(exc.value) and "\n" not in str(exc.value)


def test_unknown_log_level_is_one_line(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(ConfigError) as exc:
        load_settings()
    assert "LOG_LEVEL" in str(exc.value) and "\n" not in str(exc.value)


def test_non_sqlite_url_is_refused(clean_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://db/casewatch")
    with pytest.raises(ConfigError, match="sqlite:///"):
        _ = load_settings().database_path


def test_env_example_loads_as_is(clean_env: Path) -> None:
    """Every setting in .env.example is known, and its empty values mean 'unset'."""
    example = (REPO_ROOT / ".env.example").read_text()
    (clean_env / ".env").write_text(example)
    s = load_settings()
    assert s.discord_token is None and s.dev_guild_id is None
    names = {line.split("=", 1)[0] for line in example.splitlines() if "=" in line and not line.startswith("#")}
    assert {n.lower() for n in names} <= set(type(s).model_fields)


def test_run_logs_the_data_directory_at_start(clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                              caplog: pytest.LogCaptureFixture) -> None:
    import asyncio
    import logging

    from bot.commands.run import preflight

    monkeypatch.setenv("DATA_DIR", str(clean_env / "store"))
    monkeypatch.setenv("CASEWATCH_SECRET_KEY", "a-key-for-this-test-only-0123")
    caplog.set_level(logging.INFO)
    asyncio.run(preflight(load_settings()))
    assert f"data directory {clean_env / 'store'}" in caplog.text
    assert (clean_env / "store" / "casewatch.db").exists()
    assert "a-key-for-this-test-only" not in caplog.text


def test_a_key_file_inside_the_data_dir_is_warned_about(clean_env: Path, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setenv("DATA_DIR", str(clean_env / "data"))
    monkeypatch.setenv("CASEWATCH_KEY_FILE", str(clean_env / "data" / "my.key"))
    _ = load_settings().secret_key
    assert "is inside DATA_DIR" in caplog.text
