"""build_detector: the best scorer available, chosen without downloading anything, and said aloud."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.abuse import AbuseDetector, build_detector
from bot.abuse.synthetic import BuiltCheckpoint
from bot.errors import ConfigError
from bot.flags import Category
from bot.settings import Settings


@pytest.fixture
def no_weights(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty-torch-home"))


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(_env_file=None, onnx_cache_dir=tmp_path / "onnx", **kw)  # type: ignore[call-arg]


def test_auto_without_weights_uses_the_learned_scorer_when_enabled_and_says_so(
    no_weights: None, tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ABUSE_LEARNED", "1")
    with caplog.at_level(logging.INFO, logger="bot.abuse"):
        detector = build_detector(_settings(tmp_path))
    assert isinstance(detector, AbuseDetector)
    assert detector.scorer.key == "learned" and not detector.is_fallback
    assert "abuse scorer: learned" in caplog.text
    assert "no Detoxify weights" in caplog.text
    flags = detector.detect_many(["I hope the other prisoners deal with him", "The appeal was dismissed.",
                                  "Bloody hell, what a shambles of a trial", "@Gaz you're thick as mince"])
    assert [len(f) for f in flags] == [1, 0, 0, 1]
    assert "target: a person" in flags[0][0].reason and "target: an @-reply" in flags[3][0].reason


def test_auto_by_default_uses_the_static_scorer(no_weights: None, tmp_path: Path) -> None:
    """Without Detoxify weights ``auto`` is the static scorer with per-label evidence (wave 6); the learned
    scorer stays opt-in (ABUSE_LEARNED=1)."""
    detector = build_detector(_settings(tmp_path))
    assert detector.scorer.key == "static" and not detector.is_fallback
    flags = detector.detect_many(["fuck off you absolute clown", "The appeal was dismissed.",
                                  "wait till I catch you outside", "@quay_quentin why would you though",
                                  "good on her for going to the police"])
    assert [len(f) for f in flags] == [1, 0, 1, 0, 0]
    assert all(f.category is Category.ABUSE for f in flags[0] + flags[2])


@pytest.mark.parametrize("backend", ["onnx", "detoxify"])
def test_explicit_model_backend_without_weights_is_a_config_error(no_weights: None, tmp_path: Path,
                                                                   backend: str) -> None:
    with pytest.raises(ConfigError, match="DETOXIFY_CHECKPOINT"):
        build_detector(_settings(tmp_path, abuse_backend=backend))


def test_detoxify_backend_from_settings(tiny_checkpoint: BuiltCheckpoint, tmp_path: Path) -> None:
    detector = build_detector(_settings(tmp_path, abuse_backend="detoxify",
                                        detoxify_checkpoint=tiny_checkpoint.checkpoint,
                                        detoxify_hf_dir=tiny_checkpoint.hf_dir))
    assert detector.scorer_name == "detoxify-original (torch)"
    assert len(detector.detect_many(["a", "b", "c"])) == 3


def test_auto_with_weights_exports_once_and_reuses_the_cache(tiny_checkpoint: BuiltCheckpoint, tmp_path: Path,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    settings = _settings(tmp_path, detoxify_checkpoint=tiny_checkpoint.checkpoint,
                         detoxify_hf_dir=tiny_checkpoint.hf_dir)
    first = build_detector(settings)
    assert first.scorer.key == "onnx-int8"  # combined with the learned scorer only with ABUSE_LEARNED=1
    assert first.scorer_name.startswith("detoxify-original (onnx int8)")
    exported = sorted(p.name for p in (tmp_path / "onnx").iterdir() if p.name.startswith("original-"))
    assert len(exported) == 1
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.abuse"):
        again = build_detector(settings.model_copy(update={"onnx_precision": "fp32"}))
    assert again.scorer_name.startswith("detoxify-original (onnx fp32)")
    assert "exporting" not in caplog.text
    flags = first.detect_many(["someone ought to smash his windows in"])
    assert flags[0] and flags[0][0].kind in ("incitement", "violence")
