"""The identity bench runs end to end (it measures; this checks it works, never how fast)."""

from __future__ import annotations

import random

import pytest

from bot import bench_identity
from bot.detectors.protected import ProtectedPartyDetector
from bot.registry import ProtectedRegistry


def test_synthetic_case_has_the_requested_strings() -> None:
    case, names = bench_identity.synthetic_case(1000, random.Random(1))
    assert sum(len(p.names) + len(p.identifiers) for p in case.protected) == 1000
    detector = ProtectedPartyDetector(ProtectedRegistry.from_case(case, b"bench-test-key-0123456789"))
    sample = names[:50]
    assert all(m.kind == "full_name" for n in sample for m in detector.find(f"so {n} again"))
    assert all(detector.find(f"so {n} again") for n in sample)


def test_run_prints_rates(capsys: pytest.CaptureFixture[str]) -> None:
    parser = bench_identity.argparse.ArgumentParser()
    bench_identity.add_arguments(parser)
    assert bench_identity.run(parser.parse_args(["--strings", "40", "--messages", "60", "--no-engine"])) == 0
    out = capsys.readouterr().out
    assert "40 registered strings" in out
    assert "protected (warm)" in out and "protected (cold)" in out and "msg/s of CPU time" in out


def test_breakdown_prints_every_stage(capsys: pytest.CaptureFixture[str]) -> None:
    parser = bench_identity.argparse.ArgumentParser()
    bench_identity.add_arguments(parser)
    assert bench_identity.run(parser.parse_args(["--strings", "40", "--messages", "60", "--breakdown"])) == 0
    out = capsys.readouterr().out
    for stage in ("engine", "protected only", "rule gate", "TraitRecognizer", "RuleRecognizer", "analyse",
                  "whole detector", "phone spam"):
        assert stage in out, stage
