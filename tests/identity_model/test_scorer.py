"""The identifying-detail scorer: artefacts, loading, batch scoring, bounds (tiny artefacts built here)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.errors import ConfigError
from bot.identity_model.scorer import ANY, MAX_SENTENCES, DetailHead, DetailScorer
from bot.identity_model.train import BLOCK_BEGIN, Row, _folds, choose_threshold


def test_the_tiny_model_separates_details_from_talk(tiny_model: tuple[Path, dict[str, object]]) -> None:
    out, _ = tiny_model
    scorer = DetailScorer.load(out / "detail_head.json")
    verdicts = scorer.verdicts(["she lives in the blue house on Elm Road", "the jury went out after lunch"])
    assert verdicts[0].probability > verdicts[1].probability
    assert verdicts[0].given and not verdicts[1].given
    assert verdicts[0].kind == "home"
    assert scorer.head.heads[0] == ANY and set(scorer.head.heads[1:]) == {"home", "vehicle"}


def test_scoring_is_batched_and_bounded(tiny_model: tuple[Path, dict[str, object]]) -> None:
    out, _ = tiny_model
    scorer = DetailScorer.load(out / "detail_head.json")
    one = scorer.probabilities(["he drives a black pickup with a roof rack"])
    many = scorer.probabilities(["he drives a black pickup with a roof rack"] * (MAX_SENTENCES + 10))
    assert many.shape == (MAX_SENTENCES, len(scorer.head.heads))  # the rest are not read
    assert np.allclose(many[0], one[0], atol=1e-5)
    assert scorer.probabilities([]).shape == (0, len(scorer.head.heads))
    assert scorer.verdicts(["x" * 100_000])[0].probability >= 0.0


def test_training_is_reproducible_and_writes_the_card(tiny_model: tuple[Path, dict[str, object]],
                                                      tmp_path: Path) -> None:
    from bot.identity_model.train import train_identity

    out, figures = tiny_model
    again = train_identity(out / "corpus.tsv", head_path=tmp_path / "detail_head.json", card_path=None, folds=2,
                           say=lambda _: None)
    assert again["threshold"] == figures["threshold"]
    assert (tmp_path / "detail_head.json").read_text() == (out / "detail_head.json").read_text()
    assert (tmp_path / "detail_ngrams.npz").read_bytes() == (out / "detail_ngrams.npz").read_bytes()
    card = (out / "card.md").read_text()
    assert BLOCK_BEGIN in card and "Leave one kind out" in card and "Leave one source out" in card


def test_a_tampered_artefact_fails_closed(tiny_model: tuple[Path, dict[str, object]], tmp_path: Path) -> None:
    out, _ = tiny_model
    (tmp_path / "detail_head.json").write_text((out / "detail_head.json").read_text())
    (tmp_path / "detail_ngrams.npz").write_bytes((out / "detail_ngrams.npz").read_bytes() + b"x")
    with pytest.raises(ConfigError):
        DetailScorer.load(tmp_path / "detail_head.json")
    data = json.loads((out / "detail_head.json").read_text())
    data["threshold"] = 1.5
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(ConfigError):
        DetailHead.load(tmp_path / "bad.json")


def test_folds_never_split_a_template() -> None:
    rows = [Row("home" if i < 10 else "none:x", "s", f"t{i}", f"g{i // 2}") for i in range(20)]
    folds = _folds(rows, 3)
    for fold in folds:
        groups = {rows[i].group for i in fold}
        assert all(sum(rows[i].group == g for i in fold) == 2 for g in groups)
    assert sorted(i for f in folds for i in f) == list(range(20))


def test_threshold_is_the_lowest_reaching_the_target() -> None:
    prob = np.array([0.55, 0.6, 0.7, 0.9, 0.95])
    y = np.array([False, True, True, True, True])
    assert choose_threshold(prob, y, target=1.0) == 0.56


def test_the_fast_gram_logits_are_the_blocks_own(tiny_model: tuple[Path, dict[str, object]]) -> None:
    from bot.identity_model.scorer import gram_logits

    out, _ = tiny_model
    scorer = DetailScorer.load(out / "detail_head.json")
    texts = ["she lives in the blue house on Elm Road", "", "ünïcode ½ text", "x" * 5000, "the jury went out"]
    assert np.allclose(gram_logits(scorer.grams, texts), scorer.grams.logits(texts), atol=1e-9)


def test_the_shipped_model_is_switched_off_only_by_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.identity_model import scorer

    monkeypatch.setenv("IDENTITY_MODEL", "off")
    assert scorer.shipped_scorer() is None
    monkeypatch.setenv("IDENTITY_MODEL", "maybe")
    with pytest.raises(ConfigError, match="IDENTITY_MODEL"):
        scorer.shipped_scorer()
    monkeypatch.delenv("IDENTITY_MODEL")
    assert isinstance(scorer.shipped_scorer(), DetailScorer)


def test_a_missing_shipped_model_fails_closed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Not silently the rules alone: the detector cannot be built, and the line says how to choose that."""
    from bot.identity_model import scorer

    monkeypatch.delenv("IDENTITY_MODEL", raising=False)
    monkeypatch.setattr(scorer, "HEAD_PATH", tmp_path / "detail_head.json")
    monkeypatch.setattr(scorer, "_SHIPPED", [])
    with pytest.raises(ConfigError, match=r"missing.*IDENTITY_MODEL=off"):
        scorer.shipped_scorer()
