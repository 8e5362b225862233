"""Loading a Detoxify checkpoint offline through the real ``Detoxify`` class, and its known traps."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
import torch
from detoxify import Detoxify

from bot.abuse.checkpoint import load_detoxify, locate_checkpoint
from bot.abuse.detoxify_backend import DetoxifyScorer
from bot.abuse.labels import ORIGINAL_LABELS
from bot.abuse.synthetic import BuiltCheckpoint
from bot.errors import ConfigError

from .conftest import TINY_POSITIONS


def _variant(built: BuiltCheckpoint, tmp_path: Path, *, drop_config: tuple[str, ...] = (),
             drop_tokenizer: tuple[str, ...] = (), drop_weights: tuple[str, ...] = ()) -> BuiltCheckpoint:
    hf = tmp_path / "hf"
    shutil.copytree(built.hf_dir, hf)
    config = json.loads((hf / "config.json").read_text())
    for key in drop_config:
        config.pop(key, None)
    (hf / "config.json").write_text(json.dumps(config))
    tok = json.loads((hf / "tokenizer_config.json").read_text())
    for key in drop_tokenizer:
        tok.pop(key, None)
    (hf / "tokenizer_config.json").write_text(json.dumps(tok))
    loaded = torch.load(built.checkpoint, weights_only=False)
    for key in drop_weights:
        loaded["state_dict"].pop(key)
    ckpt = tmp_path / "variant.ckpt"
    torch.save(loaded, ckpt)
    return BuiltCheckpoint(ckpt, hf)


def test_stock_detoxify_reaches_for_the_hub_even_with_a_local_config(tiny_checkpoint: BuiltCheckpoint) -> None:
    with pytest.raises(OSError):
        Detoxify(checkpoint=str(tiny_checkpoint.checkpoint), huggingface_config_path=str(tiny_checkpoint.hf_dir))


def test_loads_through_detoxify_offline_and_scores_every_label(tiny_loaded) -> None:
    assert isinstance(tiny_loaded.detoxify, Detoxify)
    scorer = DetoxifyScorer(tiny_loaded)
    rows = scorer.score_many(["you absolute muppet", "The hearing is on Monday."])
    assert [tuple(r) for r in rows] == [ORIGINAL_LABELS, ORIGINAL_LABELS]
    assert all(0.0 <= v <= 1.0 for r in rows for v in r.values())
    assert rows[0] != rows[1]
    single = scorer.score_many(["you absolute muppet"])  # Detoxify squeezes a batch of one to scalars
    assert single[0] == pytest.approx(rows[0], abs=1e-5)


def test_config_without_num_labels(tiny_checkpoint: BuiltCheckpoint, tmp_path: Path) -> None:
    variant = _variant(tiny_checkpoint, tmp_path, drop_config=("id2label", "label2id", "num_labels"))
    buffer = io.BytesIO()
    loaded = torch.load(variant.checkpoint, weights_only=False)
    loaded["config"]["arch"]["args"]["model_type"] = str(variant.hf_dir)
    torch.save(loaded, buffer)
    buffer.seek(0)
    with pytest.raises(RuntimeError, match=r"mismatch|size"):  # stock Detoxify: a 2-label head
        Detoxify(checkpoint=buffer, huggingface_config_path=str(variant.hf_dir))
    ours = load_detoxify(variant.checkpoint, hf_dir=variant.hf_dir, work_dir=tmp_path / "work")
    assert ours.detoxify.model.config.num_labels == len(ORIGINAL_LABELS)


def test_tokenizer_without_model_max_length_truncates_long_messages(tiny_checkpoint: BuiltCheckpoint,
                                                                    tmp_path: Path) -> None:
    variant = _variant(tiny_checkpoint, tmp_path, drop_tokenizer=("model_max_length",))
    loaded = load_detoxify(variant.checkpoint, hf_dir=variant.hf_dir, work_dir=tmp_path / "work")
    assert loaded.max_length == TINY_POSITIONS
    scorer = DetoxifyScorer(loaded)
    words = ("police officer court case judge trial hearing panel " * 60).split()
    long_text = " ".join(words)
    assert len(words) > 3 * TINY_POSITIONS
    head = " ".join(words[: TINY_POSITIONS - 2])  # what fits beside [CLS] and [SEP]
    long_scores, head_scores = scorer.score_many([long_text, head])
    assert long_scores == pytest.approx(head_scores, abs=1e-5)
    # the original source folder is untouched; the fix lives in the prepared copy
    assert "model_max_length" not in json.loads((variant.hf_dir / "tokenizer_config.json").read_text())


def test_checkpoint_without_classifier_weights_is_refused(tiny_checkpoint: BuiltCheckpoint, tmp_path: Path) -> None:
    variant = _variant(tiny_checkpoint, tmp_path, drop_weights=("classifier.weight", "classifier.bias"))
    with pytest.raises(ConfigError, match="classifier"):
        load_detoxify(variant.checkpoint, hf_dir=variant.hf_dir, work_dir=tmp_path / "work")


def test_checkpoint_with_a_wrong_head_shape_is_refused(tiny_checkpoint: BuiltCheckpoint, tmp_path: Path) -> None:
    loaded = torch.load(tiny_checkpoint.checkpoint, weights_only=False)
    loaded["state_dict"]["classifier.weight"] = loaded["state_dict"]["classifier.weight"][:3]
    loaded["state_dict"]["classifier.bias"] = loaded["state_dict"]["classifier.bias"][:3]
    ckpt = tmp_path / "bad.ckpt"
    torch.save(loaded, ckpt)
    with pytest.raises(ConfigError, match="shape"):
        load_detoxify(ckpt, hf_dir=tiny_checkpoint.hf_dir, work_dir=tmp_path / "work")


def test_missing_local_config_is_a_clear_error(tiny_checkpoint: BuiltCheckpoint, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DETOXIFY_HF_DIR"):
        load_detoxify(tiny_checkpoint.checkpoint, hf_dir=None, work_dir=tmp_path)
    with pytest.raises(ConfigError, match=r"config\.json"):
        load_detoxify(tiny_checkpoint.checkpoint, hf_dir=tmp_path, work_dir=tmp_path / "w")


def test_not_a_checkpoint_is_a_clear_error(tmp_path: Path) -> None:
    junk = tmp_path / "junk.ckpt"
    junk.write_bytes(b"not a checkpoint")
    with pytest.raises(ConfigError, match="cannot read"):
        load_detoxify(junk, hf_dir=tmp_path, work_dir=tmp_path)
    torch.save({"state_dict": {}}, junk)
    with pytest.raises(ConfigError, match=r"'config'"):
        load_detoxify(junk, hf_dir=tmp_path, work_dir=tmp_path)


def test_locate_checkpoint_never_downloads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    assert locate_checkpoint("original", None) is None
    released = tmp_path / "torch" / "hub" / "checkpoints" / "toxic_original-c1212f89.ckpt"
    released.parent.mkdir(parents=True)
    released.write_bytes(b"x")
    assert locate_checkpoint("original", None) == released
    with pytest.raises(ConfigError, match="does not exist"):
        locate_checkpoint("original", tmp_path / "missing.ckpt")
    with pytest.raises(ConfigError, match="DETOXIFY_MODEL"):
        locate_checkpoint("huge", None)


def test_the_offline_copy_is_made_once_and_remade_when_the_config_changes(tiny_checkpoint: BuiltCheckpoint,
                                                                          tmp_path: Path) -> None:
    from bot.abuse.checkpoint import prepare_checkpoint

    variant = _variant(tiny_checkpoint, tmp_path)
    patched, prepared, limit, _ = prepare_checkpoint(variant.checkpoint, hf_dir=variant.hf_dir, work_dir=tmp_path / "w")
    made = patched.stat().st_mtime_ns
    again, _, _, _ = prepare_checkpoint(variant.checkpoint, hf_dir=variant.hf_dir, work_dir=tmp_path / "w")
    assert again == patched and again.stat().st_mtime_ns == made
    copy = torch.load(patched, weights_only=False)
    assert copy["config"]["arch"]["args"]["model_type"] == str(prepared.resolve())
    tok = json.loads((variant.hf_dir / "tokenizer_config.json").read_text())
    tok["model_max_length"] = 64
    (variant.hf_dir / "tokenizer_config.json").write_text(json.dumps(tok))
    _, _, new_limit, _ = prepare_checkpoint(variant.checkpoint, hf_dir=variant.hf_dir, work_dir=tmp_path / "w")
    assert (limit, new_limit) == (TINY_POSITIONS, 64)
