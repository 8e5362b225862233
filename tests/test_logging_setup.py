import io
import logging

from bot.logging_setup import SecretFilter, setup_logging

TOKEN = "MTA5ODc2.GxYzAb.very-secret-token-value"


def test_token_never_reaches_the_log_at_debug() -> None:
    stream = io.StringIO()
    handler = setup_logging("DEBUG", secrets=[TOKEN], stream=stream)
    try:
        log = logging.getLogger("discord.http")
        log.debug("sending Authorization: Bot %s", TOKEN)
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
