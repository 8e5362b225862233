"""Helpers for summary tests: load a bundled case and its sources; a stand-in identity engine."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.case import CaseFile, load_case
from bot.flags import Category, Flag, Message, Span, Verdict
from bot.sources import SourceDoc, local_case_sources

CASES = Path(__file__).parent / "cases"


def load(name: str) -> tuple[CaseFile, list[SourceDoc]]:
    case = load_case(CASES / name / "case.toml")
    return case, local_case_sources(case)


class FakeEngine:
    """Mimics ``IdentityEngine.check``: flags given words as a party's name (span + "[label]") and,
    optionally, given words as an identifying detail."""

    def __init__(self, names: dict[str, str], details: dict[str, str] | None = None) -> None:
        self.names = names
        self.details = details or {}
        self.calls = 0

    def check(self, message: Message) -> Verdict:
        self.calls += 1
        flags = []
        for word, label in self.names.items():
            for m in re.finditer(re.escape(word), message.content, re.I):
                flags.append(Flag(Category.PROTECTED_IDENTITY, "fake", 1.0, f"name of {label}",
                                  spans=(Span(m.start(), m.end(), f"[{label}]"),), kind="full_name", label=label))
        for word, label in self.details.items():
            for m in re.finditer(re.escape(word), message.content, re.I):
                flags.append(Flag(Category.IDENTIFYING_DETAIL, "fake", 0.9, f"street tied to {label}",
                                  spans=(Span(m.start(), m.end(), "[street]"),), kind="street", label=label))
        return Verdict(message=message, flags=flags)


@pytest.fixture
def fake_engine_cls() -> type[FakeEngine]:
    return FakeEngine
