"""The tuned encoder (bot.abuse.tuned): adapter merging, its checks, and the detector's second opinion."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.abuse.detector import AbuseDetector
from bot.abuse.encoder import MiniLMEncoder, verified_model_path
from bot.abuse.static import StaticScorer
from bot.abuse.tuned import (
    ADAPTER_JSON,
    ADAPTER_NPZ,
    LABELS,
    POOL_SCALE,
    AdapterMeta,
    TunedScorer,
    matrix_names,
    requantize,
)
from bot.errors import ConfigError

TEXTS = ["@dave you are a clown", "the jury went out at two", "she should think very carefully before she speaks"]


def _names() -> list[str]:
    import onnx

    return matrix_names(onnx.load(str(verified_model_path())))


def _write_adapter(tmp_path: Path, *, delta: float = 0.0, seed: int = 1) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    """An adapter with rank-2 factors (zero when ``delta`` is 0) and a random head, written as training writes it."""
    rng = np.random.default_rng(seed)
    names = _names()
    arrays: dict[str, np.ndarray] = {}
    for index, base in enumerate(names):
        which = index % 6
        d_in = 1536 if which == 5 else 384
        d_out = 1536 if which == 4 else 384
        arrays[f"{base}.a"] = rng.normal(size=(2, d_in)).astype(np.float32)
        arrays[f"{base}.b"] = (rng.normal(size=(d_out, 2)) * delta).astype(np.float32)
    weight = rng.normal(size=(len(LABELS), 384)).astype(np.float32) * 0.3
    bias = rng.normal(size=len(LABELS)).astype(np.float32)
    arrays["head_weight"], arrays["head_bias"] = weight, bias
    npz = tmp_path / "adapter.npz"
    np.savez_compressed(npz, **arrays)
    meta = tmp_path / "adapter.json"
    meta.write_text(json.dumps({"labels": list(LABELS), "threshold": 0.9, "matrices": names,
                                "sha256": hashlib.sha256(npz.read_bytes()).hexdigest(), "info": {}}))
    return npz, meta, weight, bias


def test_requantize_keeps_each_column_within_half_a_step() -> None:
    weight = np.random.default_rng(0).normal(size=(64, 16)).astype(np.float32)
    weight[:, 3] = 0.0
    q, scale = requantize(weight)
    assert q.dtype == np.int8 and scale.shape == (1, 16)
    assert np.all(np.abs(q.astype(np.float32) * scale - weight) <= scale / 2 + 1e-7)
    assert np.all(q[:, 3] == 0)


def test_a_zero_adapter_reproduces_the_shipped_encoder(tmp_path: Path) -> None:
    npz, meta, weight, bias = _write_adapter(tmp_path, delta=0.0)
    tuned = TunedScorer(npz, meta)
    expected = 1 / (1 + np.exp(-((MiniLMEncoder().embed(TEXTS) * POOL_SCALE) @ weight.T + bias)))
    assert np.allclose(tuned.probabilities(TEXTS), expected, atol=2e-3)


def test_an_adapter_changes_what_the_encoder_reads(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    zero = TunedScorer(*_write_adapter(tmp_path / "a", delta=0.0)[:2])
    moved = TunedScorer(*_write_adapter(tmp_path / "b", delta=0.05)[:2])
    assert not np.allclose(zero.probabilities(TEXTS), moved.probabilities(TEXTS), atol=1e-2)


def test_an_altered_or_foreign_adapter_refuses_to_load(tmp_path: Path) -> None:
    npz, meta, _, _ = _write_adapter(tmp_path)
    raw = json.loads(meta.read_text())
    meta.write_text(json.dumps(raw | {"sha256": "0" * 64}))
    with pytest.raises(ConfigError, match="does not match the sha256"):
        TunedScorer(npz, meta)
    meta.write_text(json.dumps(raw | {"matrices": list(reversed(raw["matrices"]))}))
    with pytest.raises(ConfigError, match="another build"):
        TunedScorer(npz, meta)
    meta.write_text(json.dumps(raw | {"labels": ["abuse"]}))
    with pytest.raises(ConfigError, match="do not fit"):
        AdapterMeta.load(meta)
    meta.write_text(json.dumps(raw))
    with pytest.raises(ConfigError, match="no tuned encoder adapter"):
        TunedScorer(tmp_path / "missing.npz", meta)


def test_the_shipped_adapter_loads_and_its_threshold_was_chosen_on_held_out_messages() -> None:
    meta = AdapterMeta.load(ADAPTER_JSON)
    assert hashlib.sha256(ADAPTER_NPZ.read_bytes()).hexdigest() == meta.sha256
    assert meta.info["held_out"] > 500 and 0.5 <= meta.threshold < 1.0
    tuned = TunedScorer()
    threat, chat = tuned.opinions(["@dave I know where you park and you'll regret this", "the jury went out at two"])
    assert threat is not None and threat[0] != "abuse"
    assert chat is None


class _Opinion:
    """A stand-in second opinion that records what it was asked."""

    name = "stand-in"

    def __init__(self) -> None:
        self.asked: list[str] = []

    def opinions(self, texts: Sequence[str]) -> list[tuple[str, float] | None]:
        self.asked += list(texts)
        return [("intimidation", 0.97) for _ in texts]


def test_the_second_opinion_adds_a_flag_for_review_where_the_static_path_hesitates() -> None:
    opinion = _Opinion()
    detector = AbuseDetector(StaticScorer(), second_opinion=opinion)  # type: ignore[arg-type]
    hesitant = "she should think very carefully before she stands up in that court"
    untargeted = "what a shambles of a trial"
    plain = AbuseDetector(StaticScorer())
    assert plain.flags_for(plain.score_many([hesitant]))[0] == []  # the static path alone holds back
    flags = detector.flags_for(detector.score_many([hesitant, untargeted]))
    assert len(flags[0]) == 1 and "second opinion of the tuned encoder 0.97" in flags[0][0].reason
    assert flags[0][0].suggested.value == "review"
    assert flags[1] == [] and untargeted not in opinion.asked  # no target, not asked
    assert "second opinion: stand-in" in detector.scorer_name


def test_the_patched_graph_is_cached_and_a_tampered_copy_is_rebuilt(tmp_path: Path) -> None:
    npz, meta, _, _ = _write_adapter(tmp_path)
    cache = tmp_path / "cache"
    first = TunedScorer(npz, meta, cache_dir=cache).probabilities(TEXTS)
    (copy,) = cache.glob("*.onnx")
    assert len(list(cache.glob("*.sha256"))) == 1
    assert np.allclose(TunedScorer(npz, meta, cache_dir=cache).probabilities(TEXTS), first)
    copy.write_bytes(copy.read_bytes()[:-10] + b"0123456789")  # damaged: not trusted, built again
    assert np.allclose(TunedScorer(npz, meta, cache_dir=cache).probabilities(TEXTS), first)
    assert hashlib.sha256(copy.read_bytes()).hexdigest() == next(cache.glob("*.sha256")).read_text().strip()


class _Saying(_Opinion):
    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label

    def opinions(self, texts: Sequence[str]) -> list[tuple[str, float] | None]:
        self.asked += list(texts)
        return [(self.label, 0.99) for _ in texts]


@pytest.mark.parametrize("label", ["doxxing", "self_harm"])
def test_the_second_opinion_counts_only_where_the_static_heads_lean_the_same_way(label: str) -> None:
    """Doxxing is never the second opinion's call; a harm the static heads do not lean to (self-harm here) neither."""
    opinion = _Saying(label)
    detector = AbuseDetector(StaticScorer(), second_opinion=opinion)  # type: ignore[arg-type]
    hesitant = "she should think very carefully before she stands up in that court"
    assert detector.flags_for(detector.score_many([hesitant]))[0] == []
    assert hesitant in opinion.asked
