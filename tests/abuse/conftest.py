"""Fixtures for abuse scoring: a tiny random-weight Detoxify checkpoint built per session (~100 KB)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.abuse.synthetic import BuiltCheckpoint, build_bert_checkpoint

DATA = Path(__file__).parent / "data"
TINY_POSITIONS = 128


TUNED_SETS = ("forum_abuse", "forum_abuse_holdout", "forum_abuse_fresh", "forum_abuse_third_person",
              "forum_abuse_round6", "forum_abuse_identity", "forum_abuse_round8")
UNTUNED_SET = "forum_abuse_final"
LABELLED_SETS = (*TUNED_SETS, UNTUNED_SET)


def read_labelled(name: str = "forum_abuse") -> list[dict[str, object]]:
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text().splitlines() if line.strip()]


@pytest.fixture(scope="session")
def tiny_checkpoint(tmp_path_factory: pytest.TempPathFactory) -> BuiltCheckpoint:
    return build_bert_checkpoint(tmp_path_factory.mktemp("tiny"), "tiny", max_positions=TINY_POSITIONS)


@pytest.fixture(scope="session")
def tiny_loaded(tiny_checkpoint: BuiltCheckpoint, tmp_path_factory: pytest.TempPathFactory):
    from bot.abuse.checkpoint import load_detoxify

    return load_detoxify(
        tiny_checkpoint.checkpoint, hf_dir=tiny_checkpoint.hf_dir, work_dir=tmp_path_factory.mktemp("work")
    )


@pytest.fixture(scope="session")
def tiny_onnx_dir(tiny_loaded, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bot.abuse.onnx_backend import export_onnx

    out = tmp_path_factory.mktemp("onnx") / "original-tiny"
    export_onnx(tiny_loaded, out, "original")
    return out
