"""The learned offline abuse scorer: MiniLM sentence embeddings -> a small ONNX head, per-label calibrated.

The head (``bot/data/abuse/learned_head.onnx``, a few hundred KB) maps a (n, 384) embedding batch to one
probability per label (the labels in ``learned_head.json``). Training (:mod:`bot.abuse.train`) picks a
probability threshold per label on held-out predictions; :func:`calibrate` maps each probability so that
its threshold lands exactly on the label's default bar in :class:`~bot.abuse.labels.AbuseThresholds`, so a
guild's thresholds keep their meaning ("raise insult to 0.8 to flag fewer insults"). Run time needs
onnxruntime, numpy and tokenizers only.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.abuse.ablation import ablate, confirm
from bot.abuse.encoder import DATA_DIR, MiniLMEncoder
from bot.abuse.labels import AbuseThresholds
from bot.abuse.scorer import Scores
from bot.errors import ConfigError

HEAD_ONNX = DATA_DIR / "learned_head.onnx"
HEAD_META = DATA_DIR / "learned_head.json"


def calibrate(prob: np.ndarray, threshold: float, bar: float) -> np.ndarray:
    """Piecewise-linear map of [0, threshold] onto [0, bar] and [threshold, 1] onto [bar, 1]."""
    prob = np.clip(prob, 0.0, 1.0)
    low = prob / max(threshold, 1e-9) * bar
    high = bar + (prob - threshold) / max(1.0 - threshold, 1e-9) * (1.0 - bar)
    return np.where(prob < threshold, low, high)


def check_thresholds(what: str, labels: Sequence[str], *tables: dict[str, float]) -> None:
    """ConfigError naming every label of ``labels`` without a threshold strictly between 0 and 1 in each table."""
    bad = [x for x in labels if any(not 0.0 < table.get(x, -1.0) < 1.0 for table in tables)]
    if bad:
        raise ConfigError(f"{what}: no valid threshold for {', '.join(bad)}")


@dataclass(frozen=True, slots=True)
class HeadMeta:
    labels: tuple[str, ...]
    thresholds: dict[str, float]  # probability thresholds chosen on held-out predictions
    encoder: str
    info: dict[str, Any]

    @classmethod
    def load(cls, path: Path = HEAD_META) -> HeadMeta:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            labels = tuple(str(x) for x in data["labels"])
            thresholds = {str(k): float(v) for k, v in data["thresholds"].items()}
            meta = cls(labels, thresholds, str(data["encoder"]), dict(data.get("info", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the learned abuse head's metadata {path}: {exc}") from exc
        check_thresholds(f"learned abuse head {path}", labels, thresholds)
        return meta

    def confirm_thresholds(self) -> list[float] | None:
        """Per label, the lower threshold at which two heads agreeing flag (None: no agreement tier)."""
        low = self.info.get("confirm_thresholds")
        if not isinstance(low, dict) or set(low) != set(self.labels):
            return None
        return [float(low[label]) for label in self.labels]

    def to_json(self) -> str:
        return json.dumps({"labels": list(self.labels), "thresholds": self.thresholds, "encoder": self.encoder,
                           "info": self.info}, indent=1, sort_keys=True) + "\n"


def head_available(onnx_path: Path = HEAD_ONNX, meta_path: Path = HEAD_META) -> bool:
    return onnx_path.is_file() and meta_path.is_file()


class OnnxHead:
    """The exported head: embeddings in, one probability per label out."""

    def __init__(self, onnx_path: Path = HEAD_ONNX):
        import onnxruntime as ort

        if not onnx_path.is_file():
            raise ConfigError(f"no learned abuse head at {onnx_path}: run `python -m bot train abuse`")
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.log_severity_level = 3
        self._session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])

    def predict(self, embeddings: np.ndarray) -> np.ndarray:
        (probs,) = self._session.run(["probs"], {"embedding": embeddings.astype(np.float32)})
        return np.asarray(probs, dtype=np.float64)


class LearnedScorer:
    """Scores texts with the shipped encoder and the trained head; labels are the corpus's harm labels."""

    key = "learned"
    is_fallback = False
    skip_untargeted = True  # model scores alone never flag a message with no target

    def __init__(self, encoder: MiniLMEncoder | None = None, head_path: Path = HEAD_ONNX,
                 meta_path: Path = HEAD_META):
        self.meta = HeadMeta.load(meta_path)
        self.encoder = encoder or MiniLMEncoder()
        if self.meta.encoder != self.encoder.encoder_id:
            raise ConfigError(
                f"learned abuse head was trained on {self.meta.encoder}, not {self.encoder.encoder_id}: retrain it"
            )
        self.head = OnnxHead(head_path)
        bars = AbuseThresholds()
        self._bars = [bars.for_label(label) or 0.5 for label in self.meta.labels]
        self.name = f"learned ({self.encoder.encoder_id} + ONNX head, {len(self.meta.labels)} labels)"

    @property
    def labels(self) -> tuple[str, ...]:
        return self.meta.labels

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Head probabilities, (n, labels), after detail ablation (see :mod:`bot.abuse.ablation`).

        First the agreement tier (:func:`bot.abuse.ablation.confirm`): a specific label over its confirm
        threshold, with the generic ``abuse`` head over its own, counts as over its threshold. Then a row that
        would flag is scored again with its identifying details masked; when no hostile label
        reaches its threshold there, the detail alone raised the flag, so each label keeps the lower of
        its two probabilities. Only flagged rows with a detail pay for a second encoder pass.
        """
        labels = self.meta.labels
        thresholds = [self.meta.thresholds[label] for label in labels]
        low = self.meta.confirm_thresholds()

        def heads(batch: list[str]) -> np.ndarray:
            probs = self.head.predict(self.encoder.embed(batch))
            return confirm(probs, labels, thresholds, low) if low is not None else probs

        return ablate(heads(list(texts)), texts, labels, thresholds, heads)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        probs = self.probabilities(texts)
        cols = [
            calibrate(probs[:, i], self.meta.thresholds[label], bar)
            for i, (label, bar) in enumerate(zip(self.meta.labels, self._bars, strict=True))
        ]
        return [
            {label: round(float(col[row]), 4) for label, col in zip(self.meta.labels, cols, strict=True)}
            for row in range(len(texts))
        ]


def learned_disabled() -> bool:
    """The learned scorer joins ``ABUSE_BACKEND=auto`` only with ``ABUSE_LEARNED=1``.

    It is off by default until it reaches abuse precision 0.9 on (nearly) every bundled thread and recall 0.8
    on every fresh first-look thread. After wave 4 (peer-correction guard, ablation on the identity engine's
    spans, corpus round 7) it still raises 19 false alarms on the 12 fresh identity threads (precision >= 0.9 on
    2 of them) and finds 0.65-0.75 of the abuse on the fresh abuse threads, so auto keeps the precise fallback +
    pattern layer (figures in docs/abuse.md and docs/abuse-model-card.md).
    ``ABUSE_BACKEND=learned`` always uses it.
    """
    return os.environ.get("ABUSE_LEARNED", "0").strip().lower() not in {"1", "true", "yes", "on"}
