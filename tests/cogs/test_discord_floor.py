"""The discord.py floor in pyproject.toml is a version that has what the cogs use, and CI tests it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import discord

ROOT = Path(__file__).resolve().parents[2]
#: Newest discord.py feature the code relies on, and the release that added it (its ``versionadded``).
NEEDS = {"RawMessageUpdateEvent.message": (2, 5)}


def floor() -> tuple[int, ...]:
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    [spec] = [d for d in deps if d.lower().startswith("discord.py")]
    found = re.search(r">=\s*([0-9.]+)", spec)
    assert found, spec
    return tuple(int(p) for p in found[1].split("."))


def test_the_floor_has_what_the_code_uses() -> None:
    assert floor() >= max(NEEDS.values()), f"discord.py floor {floor()} lacks {NEEDS}"


def test_the_features_exist_in_the_installed_version() -> None:
    assert "message" in discord.RawMessageUpdateEvent.__slots__


def test_ci_runs_the_cogs_and_e2e_tests_against_the_floor() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert 'discord.py==${DPY_FLOOR}' in ci and "tests/cogs tests/e2e" in ci
