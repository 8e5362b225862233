import io
import logging

from bot.logging_setup import SecretFilter, setup_logging

TOKEN = "MTA5ODc2.GxYzAb.very-secret-token-value"


def test_token_never_reaches_the_log_at_debug() -> None:
    stream = io.StringIO()
    handler = setup_logging("DEBUG", secrets=[TOKEN], stream=stream)
    try:
        logging.getLogger("bot.sources").debug("sending Authorization: Bot %s", TOKEN)
        log = logging.getLogger("discord.http")
        log.info(f"token inline {TOKEN}")
        try:
            raise RuntimeError(f"login failed for {TOKEN}")
        except RuntimeError:
            log.exception("login error")
        out = stream.getvalue()
        assert "very-secret-token-value" not in out
        assert out.count("[secret]") == 2
        assert "login error" in out
    finally:
        logging.getLogger().removeHandler(handler)


def test_filter_ignores_trivial_secrets() -> None:
    f = SecretFilter(["", "abc"])
    rec = logging.LogRecord("x", logging.INFO, __file__, 1, "abc stays", None, None)
    assert f.filter(rec) and rec.getMessage() == "abc stays"


def test_libraries_debug_records_never_reach_the_log() -> None:
    """aiosqlite logs each statement with its parameters, discord.py each payload: never written."""
    stream = io.StringIO()
    handler = setup_logging("DEBUG", stream=stream)
    try:
        for name in ("aiosqlite", "discord.gateway", "discord.http", "trafilatura.core", "some.library"):
            logging.getLogger(name).debug("executing INSERT ... with ('Justice for a named child',)")
        logging.getLogger("aiosqlite").info("connection info without parameters")
        logging.getLogger("bot.pipeline").debug("checked message 123 in 2 ms")
        out = stream.getvalue()
        assert "named child" not in out
        assert "connection info" in out and "checked message 123" in out
        assert logging.getLogger("aiosqlite").getEffectiveLevel() >= logging.INFO
    finally:
        logging.getLogger().removeHandler(handler)


async def test_registered_names_in_log_records_are_relabelled(store: object) -> None:
    """The one registry-based redaction covers logs too: a name in a message or an exception becomes its label."""
    from bot.logging_setup import redact_registered_with
    from bot.services import Services
    from tests.conftest import SECRET_KEY

    stream = io.StringIO()
    handler = setup_logging("INFO", stream=stream)
    try:
        services = Services.build(store, SECRET_KEY)  # type: ignore[arg-type]
        case_id = await services.cases.open_case(1, 10, 100, "R v Example")
        await services.cases.protect(case_id, "the complainant", "SOA 1992", ["Imogen Trevelyan"], [],
                                     actor_id="9")
        await services.checks.engines.get(case_id, 1)  # the case is in memory
        log = logging.getLogger("bot.pipeline")
        log.warning("could not post about %s", "imogen trevelyan")
        try:
            raise ValueError("bad text: Imogen TREVELYAN at the school")
        except ValueError:
            log.exception("a failure")
        out = stream.getvalue()
        assert "trevelyan" not in out.lower()
        assert out.count("[the complainant]") >= 2 and "a failure" in out and "ValueError" in out
    finally:
        redact_registered_with(None)
        logging.getLogger().removeHandler(handler)
