"""The ONNX fast path: export, int8 vs fp32, scoring without torch, and the cache."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.abuse.detoxify_backend import DetoxifyScorer
from bot.abuse.onnx_backend import MAX_INT8_DIFF, META_FILE, OnnxScorer, compare_precisions, is_exported

from .conftest import TINY_POSITIONS, read_labelled

TEXTS = ["you absolute muppet", "The hearing is on Monday.", "someone should smash his windows in",
         "court " * 400]


def test_export_writes_both_precisions_and_the_int8_difference(tiny_onnx_dir: Path) -> None:
    assert is_exported(tiny_onnx_dir)
    meta = json.loads((tiny_onnx_dir / META_FILE).read_text())
    assert meta["max_length"] == TINY_POSITIONS
    assert 0.0 <= meta["int8_max_diff"] <= MAX_INT8_DIFF and meta["int8_ok"] is True
    assert (tiny_onnx_dir / "model-int8.onnx").stat().st_size < (tiny_onnx_dir / "model-fp32.onnx").stat().st_size


def test_fp32_matches_torch_and_int8_stays_close(tiny_loaded, tiny_onnx_dir: Path) -> None:
    torch_rows = DetoxifyScorer(tiny_loaded).score_many(TEXTS)
    fp32_rows = OnnxScorer(tiny_onnx_dir, "fp32").score_many(TEXTS)
    int8 = OnnxScorer(tiny_onnx_dir, "int8")
    assert int8.name == "detoxify-original (onnx int8)" and int8.key == "onnx-int8"
    int8_rows = int8.score_many(TEXTS)
    for t, f, q in zip(torch_rows, fp32_rows, int8_rows, strict=True):
        assert f == pytest.approx(t, abs=1e-4)
        assert q == pytest.approx(f, abs=MAX_INT8_DIFF)


def test_int8_vs_fp32_on_the_labelled_set(tiny_onnx_dir: Path) -> None:
    texts = [str(r["text"]) for r in read_labelled()]
    assert compare_precisions(tiny_onnx_dir, texts) <= MAX_INT8_DIFF


def test_a_bad_int8_model_falls_back_to_fp32(tiny_onnx_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    copy.mkdir()
    for item in tiny_onnx_dir.iterdir():
        (copy / item.name).write_bytes(item.read_bytes())
    meta = json.loads((copy / META_FILE).read_text())
    meta.update(int8_ok=False, int8_max_diff=0.3)
    (copy / META_FILE).write_text(json.dumps(meta))
    scorer = OnnxScorer(copy, "int8")
    assert scorer.precision == "fp32" and "fp32" in scorer.name


def test_scoring_needs_no_torch(tiny_onnx_dir: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from bot.abuse.onnx_backend import OnnxScorer;"
        f"s = OnnxScorer(Path({str(tiny_onnx_dir)!r}), 'int8'); rows = s.score_many(['hello there']);"
        "assert len(rows) == 1; print('torch' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


def test_mixed_lengths_are_sub_batched_without_changing_results(tiny_onnx_dir: Path) -> None:
    scorer = OnnxScorer(tiny_onnx_dir, "fp32")
    texts = ["ok", "court " * 100, "you absolute muppet", "judge " * 30, "hi there", "panel " * 120]
    together = scorer.score_many(texts)
    alone = [scorer.score_many([t])[0] for t in texts]
    for a, b in zip(together, alone, strict=True):
        assert a == pytest.approx(b, abs=1e-5)


@pytest.mark.parametrize("threads", [1, 2, 3])
@pytest.mark.parametrize("precision", ["fp32", "int8"])
def test_parallel_parts_of_a_batch_keep_order(tiny_onnx_dir: Path, threads: int, precision: str) -> None:
    """int8 quantises activations per run, so its scores move slightly with the batch's make-up."""
    scorer = OnnxScorer(tiny_onnx_dir, precision, threads=threads)
    tolerance = 1e-5 if precision == "fp32" else 1e-3
    texts = [f"the hearing on day {i} was adjourned again" for i in range(11)]
    together = scorer.score_many(texts)
    alone = [scorer.score_many([t])[0] for t in texts]
    for a, b in zip(together, alone, strict=True):
        assert a == pytest.approx(b, abs=tolerance)
