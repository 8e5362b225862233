"""scan's abuse scoring in forked children: the same flags as scoring in-process, and a dead child loses nothing."""

from __future__ import annotations

import os
import secrets

import pytest

from bot.abuse.detector import AbuseDetector
from bot.abuse.fallback import ProfanityScorer
from bot.case import load_case
from bot.commands import scan as scan_command
from bot.engine import IdentityEngine
from bot.flags import Message
from tests.conftest import REPO_ROOT

TEXTS = ["You absolute melt, read the thread", "The hearing is on Monday.", "I know where you live.",
         "hope he gets life", "he deserves a good kicking", "You absolute melt, read the thread"]


def _die(texts: list[str]) -> list[list[object]]:
    os._exit(3)  # a scoring child killed mid-run


def _messages() -> list[Message]:
    return [Message(id=f"m{i}", author=f"u{i % 3}", content=t, thread_id="t1")
            for i, t in enumerate(TEXTS)]


def _abuse_kinds(detector: AbuseDetector) -> list[list[str]]:
    case = load_case(REPO_ROOT / "tests" / "data" / "heldout" / "case.toml")
    engine = IdentityEngine.from_case(case, secrets.token_bytes(32))
    verdicts = scan_command.scan(engine, _messages(), detector)
    return [sorted(f.reason for f in v.flags if str(f.category) == "abuse") for v in verdicts]


def test_forked_scoring_matches_in_process_scoring() -> None:
    detector = AbuseDetector(ProfanityScorer())
    direct = [sorted(f.reason for f in flags) for flags in detector.detect_many(TEXTS)]
    assert _abuse_kinds(detector) == direct
    assert direct[0] and direct[2] and direct[4] and not direct[1]


def test_a_dead_scoring_child_is_replaced_by_scoring_in_process(monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    detector = AbuseDetector(ProfanityScorer())
    monkeypatch.setattr(scan_command, "_detect_in_child", _die)
    kinds = _abuse_kinds(detector)
    assert kinds == [sorted(f.reason for f in flags) for flags in detector.detect_many(TEXTS)]
    assert "abuse scoring process died" in capsys.readouterr().err
