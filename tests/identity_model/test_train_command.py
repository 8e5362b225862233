"""``python -m bot train identity`` on a tiny corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.identity_model.scorer import DetailScorer
from tests.identity_model.conftest import write_corpus


def test_train_identity_writes_loadable_artefacts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    corpus = write_corpus(tmp_path / "corpus.tsv")
    code = main(["train", "identity", "--corpus", str(corpus), "--out", str(tmp_path), "--card",
                 str(tmp_path / "card.md")])
    assert code == 0
    assert "model card" in capsys.readouterr().out
    scorer = DetailScorer.load(tmp_path / "detail_head.json")
    assert scorer.verdicts(["he lives in the caravan behind the garage"])[0].kind == "home"
    assert (tmp_path / "card.md").read_text().count("|") > 10


def test_train_identity_without_a_corpus_is_one_clear_error(tmp_path: Path) -> None:
    assert main(["train", "identity", "--corpus", str(tmp_path / "missing.tsv"), "--out", str(tmp_path)]) != 0
