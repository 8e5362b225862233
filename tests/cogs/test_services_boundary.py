"""Cogs are thin adapters over the engine's typed Services: none reaches into the store or the bot's
engine attributes (only the composition root, ``_client``, and the outbox runner, ``_actions``, hold them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

COGS = Path(__file__).resolve().parents[2] / "cogs"
ADAPTERS = sorted(p for p in COGS.glob("*.py") if p.name not in {"_client.py", "_actions.py", "__init__.py"})
REACHING = re.compile(r"\.store\b|\bStore\b|bot\.moderation|\.moderation\b|from bot\.moderation import|"
                      r"from bot\.storage import Store|type: ignore\[(?:union-attr|no-any-return|arg-type)\]")


@pytest.mark.parametrize("path", ADAPTERS, ids=lambda p: p.name)
def test_cog_reaches_the_engine_only_through_services(path: Path) -> None:
    source = path.read_text()
    found = [m.group(0) for m in REACHING.finditer(source)]
    assert not found, f"{path.name} reaches around the services: {found}"
    assert not re.search(r"^\s*assert .*(moderation|store|services)", source, re.M), path.name


def test_every_extension_gets_services_in_its_constructor() -> None:
    for name in ("cases.py", "flags.py", "watch.py", "settings.py"):
        assert "services_of(bot)" in (COGS / name).read_text(), name


def test_the_summary_cooldown_is_discords_dynamic_cooldown_not_a_dict_of_our_own() -> None:
    from cogs.cases import Cases, summary_cooldown

    checks = Cases.summary.checks
    assert any("cooldown" in getattr(c, "__qualname__", "") or summary_cooldown in
               (getattr(c, "__kwdefaults__", None) or {}).values() for c in checks), checks
    source = (COGS / "cases.py").read_text()
    assert "dynamic_cooldown(summary_cooldown" in source and "_last_summary" not in source
