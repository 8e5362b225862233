"""`python -m bot train abuse --static` end to end on a tiny corpus: same bytes twice, pinned sha, loadable scorer.

The encoder's per-piece outputs are replaced by fixed pseudo-random rows (the real distillation is covered in
test_static.py); everything after them (PCA, 4-bit artefact, sha, heads, thresholds, the card block) is real.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.abuse import static_train
from bot.abuse.static import StaticScorer
from bot.abuse.static_distill import kept_ids, sha256_bytes, vocabulary

INSULTS = [f"@member{i} you are a {w} and everyone on here knows it" for i, w in enumerate(
    ["pathetic clown", "brainless troll", "spineless worm", "vile little creep", "absolute moron",
     "worthless idiot", "gutless coward", "sad loser", "nasty piece of work", "total waste of space"])]
THREATS = [f"@poster{i} keep talking and {w}" for i, w in enumerate(
    ["you'll find out what happens", "someone will pay you a visit", "you won't like what comes next",
     "we know where you park", "your windows might not last the week", "you'll regret it on your way home",
     "your front door will get a knock", "watch your back at night", "things could get nasty for you",
     "you'll be sorry by the weekend"])]
COURT = [f"The trial was adjourned until {d} after the {w} was taken ill." for d, w in zip(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "next week", "the 14th", "the 21st", "March", "May"],
    ["juror", "judge", "witness", "clerk", "defendant", "usher", "interpreter", "barrister", "solicitor", "recorder"],
    strict=True)]
SUPPORT = [f"Thinking of everyone affected, {w}." for w in [
    "take care of yourselves", "the helplines are open tonight", "be kind to each other", "look after your mates",
    "you are not alone", "reach out if it gets too much", "talk to someone you trust", "rest if you need to",
    "step away from the thread for a bit", "we're here if you need us"]]


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, lines in (("insult", INSULTS), ("threat", THREATS), ("neg_court", COURT), ("neg_support", SUPPORT)):
        (corpus / f"{name}.txt").write_text("## source: test\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return corpus


@pytest.fixture
def fake_pieces(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.abuse.encoder import TOKENIZER_PATH

    pieces = vocabulary(TOKENIZER_PATH)
    ids = kept_ids(pieces)
    raw = np.random.default_rng(11).normal(size=(len(ids), 384)).astype(np.float32)
    monkeypatch.setattr(static_train, "raw_piece_outputs", lambda cache_dir, say: (raw, ids, len(pieces)))


def _train(tiny_corpus: Path, out: Path) -> dict[str, object]:
    out.mkdir()
    card = out / "card.md"
    card.write_text("# card\n\n<!-- kept across retraining -->\nkept text\n", encoding="utf-8")
    return static_train.train_static(tiny_corpus, cache_dir=out / "cache", vectors_path=out / "vectors.npz",
                                     head_path=out / "head.json", card_path=card, say=lambda _: None)


def test_static_training_is_reproducible_and_pins_its_artefact(tiny_corpus: Path, fake_pieces: None,
                                                               tmp_path: Path) -> None:
    first = _train(tiny_corpus, tmp_path / "a")
    second = _train(tiny_corpus, tmp_path / "b")
    a, b = tmp_path / "a", tmp_path / "b"
    assert (a / "vectors.npz").read_bytes() == (b / "vectors.npz").read_bytes()
    assert (a / "head.json").read_text() == (b / "head.json").read_text()
    head = json.loads((a / "head.json").read_text())
    assert head["vectors_sha256"] == sha256_bytes((a / "vectors.npz").read_bytes()) == first["sha256"]
    assert len(head["coef"]) == 256 and len(head["coef"][0]) == len(head["labels"]) == 9
    assert first["oof_any"] == second["oof_any"]
    card = (a / "card.md").read_text()
    assert "kept text" in card and card.count(static_train.BLOCK_BEGIN) == 1
    scorer = StaticScorer(a / "vectors.npz", a / "head.json")
    [row] = scorer.score_many(["@member99 you are a pathetic clown"])
    assert set(row) == set(head["labels"]) | {"profanity"}  # the heads' labels plus the gated profanity voice


def test_the_card_block_is_replaced_in_place(tmp_path: Path) -> None:
    card = tmp_path / "card.md"
    card.write_text("top\n<!-- kept across retraining -->\nhand\n", encoding="utf-8")
    static_train.write_block(card, "one")
    static_train.write_block(card, "two")
    text = card.read_text()
    assert "two" in text and "one" not in text and text.index("hand") < text.index("two")


def test_the_held_out_block_is_replaced_in_place_beside_the_training_block(tmp_path: Path) -> None:
    from bot.abuse import static_eval

    card = tmp_path / "card.md"
    card.write_text("top\n", encoding="utf-8")
    static_train.write_block(card, "trained")
    static_eval.write_block(card, "held out one")
    static_eval.write_block(card, "held out two")
    text = card.read_text()
    assert "held out two" in text and "held out one" not in text and "trained" in text
    assert text.count(static_eval.BLOCK_BEGIN) == 1 and text.index("trained") < text.index("held out two")
