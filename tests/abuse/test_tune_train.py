"""Training the tuned encoder's adapter (bot.abuse.tune_train; needs torch from the ``models`` extra)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bot.abuse.corpus import DEFAULT_CORPUS_DIR, load_corpus
from bot.abuse.tune_train import choose_threshold, held_out_split

torch = pytest.importorskip("torch")


def test_the_held_out_split_takes_a_share_of_every_category_and_is_fixed() -> None:
    rows = load_corpus(DEFAULT_CORPUS_DIR)
    train, held = held_out_split(rows)
    assert sorted(train + held) == list(range(len(rows))) and not set(train) & set(held)
    assert {rows[i].category for i in held} == {r.category for r in rows}
    assert held_out_split(rows) == (train, held)


def test_the_threshold_is_the_lowest_that_reaches_the_precision() -> None:
    probs = np.array([[0.99], [0.9], [0.8], [0.7], [0.6]])
    abusive = np.array([True, True, False, True, False])
    assert choose_threshold(probs, abusive, precision=1.0) == 0.81
    assert choose_threshold(probs, abusive, precision=0.6) == 0.5


def test_a_short_training_run_writes_an_adapter_that_runs_as_torch_ran_it(tmp_path: Path) -> None:
    from bot.abuse.tune_train import build_torch_model, train_tuned
    from bot.abuse.tuned import LAYER_MATRICES, POOL_SCALE, TunedScorer

    npz, meta_path = tmp_path / "a.npz", tmp_path / "a.json"
    meta = train_tuned([DEFAULT_CORPUS_DIR], out_npz=npz, out_json=meta_path, epochs=1, limit=160,
                       progress=lambda _: None)
    assert meta["info"]["messages"] == 160 and 0.5 <= meta["threshold"] <= 0.99
    tuned = TunedScorer(npz, meta_path)
    texts = ["@dave you are an absolute clown", "the jury went out at two", "I know which car is yours"]
    # the same adapter applied in float32 torch, independently of the int8 merge
    bert, names = build_torch_model()
    with np.load(npz) as data:
        arrays = {k: data[k] for k in data.files}
    state = bert.state_dict()
    for index, base in enumerate(names):
        layer, which = divmod(index, len(LAYER_MATRICES))
        key = f"encoder.layer.{layer}.{LAYER_MATRICES[which]}.weight"
        state[key] = state[key] + torch.tensor(arrays[f"{base}.b"] @ arrays[f"{base}.a"])
    for name, value in arrays.items():
        if name.startswith("inner.encoder."):
            state[name.removeprefix("inner.")] = torch.tensor(value)
    bert.load_state_dict(state)
    bert.eval()
    from bot.abuse.encoder import MiniLMEncoder

    enc = MiniLMEncoder()._tokenizer.encode_batch(texts)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    with torch.no_grad():
        hidden = bert(input_ids=ids, attention_mask=mask).last_hidden_state.numpy()
    weights = mask.numpy()[:, :, None]
    pooled = (hidden * weights).sum(1) / weights.sum(1)
    pooled /= np.linalg.norm(pooled, axis=1, keepdims=True)
    expected = 1 / (1 + np.exp(-((pooled * POOL_SCALE) @ arrays["head_weight"].T + arrays["head_bias"])))
    assert np.allclose(tuned.probabilities(texts), expected, atol=0.03)
