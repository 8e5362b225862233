"""Per-case identity engines: built off the event loop, and the shared scorer loaded (or refused) at start-up."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from bot import case_engines
from bot.case_engines import CaseEngines, warm_up
from bot.errors import ConfigError
from bot.guild_settings import GuildSettings


class _Cases:
    async def party_labels_and_records(self, case_id: int) -> list[tuple[str, str, str]]:
        return []

    async def allowlist(self, case_id: int) -> list[bytes]:
        return []


class _Config:
    async def get(self, guild_id: int) -> GuildSettings:
        return GuildSettings()


async def test_a_case_engine_is_built_in_a_worker_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building an engine loads rules and the learned scorer: seconds on a busy machine, never on the loop."""
    built_on: list[threading.Thread] = []
    real = case_engines.IdentityEngine

    def recording(*args: Any, **kwargs: Any) -> Any:
        built_on.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(case_engines, "IdentityEngine", recording)
    engines = CaseEngines(SimpleNamespace(cases=_Cases()), b"k" * 32, _Config())  # type: ignore[arg-type]
    first = await engines.get(7, 1)
    again = await engines.get(7, 1)
    assert again is first, "built once per case, then cached"
    assert len(built_on) == 1 and built_on[0] is not threading.main_thread()


def test_warm_up_checks_a_text_with_the_shipped_scorer_loaded() -> None:
    from bot.identity_model import scorer

    warm_up()
    assert scorer._SHIPPED, "the shared learned scorer is loaded once, here, not on the first message"


def test_warm_up_refuses_a_missing_model_before_the_bot_connects(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    from bot.identity_model import scorer

    monkeypatch.delenv("IDENTITY_MODEL", raising=False)
    monkeypatch.setattr(scorer, "HEAD_PATH", tmp_path / "detail_head.json")
    monkeypatch.setattr(scorer, "_SHIPPED", [])
    with pytest.raises(ConfigError, match="missing"):
        warm_up()
