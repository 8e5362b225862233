"""The fast path: the loaded Detoxify model exported to ONNX and run with onnxruntime.

Exporting needs torch (once, cached under ``ONNX_CACHE_DIR`` keyed by the checkpoint's hash); scoring
needs only onnxruntime, ``tokenizers`` and numpy. The int8 model is ``quantize_dynamic``'s output; at
export its scores are compared with fp32 on :data:`CHECK_TEXTS` and the largest difference is stored
in ``meta.json`` and logged. A difference above :data:`MAX_INT8_DIFF` makes the int8 model unusable
and the scorer uses fp32 instead, saying so.
"""

from __future__ import annotations

import json
import logging
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from bot.abuse.scorer import Scores

log = logging.getLogger(__name__)

MAX_INT8_DIFF = 0.05
META_FILE = "meta.json"
CHECK_TEXTS = (
    "The hearing resumes on Monday and the panel will give reasons.",
    "you're a brain-dead idiot, shut up",
    "someone should smash his windows in",
    "The jury heard evidence of grooming over several months.",
    "fuck off you absolute clown",
    "This decision is a disgrace and the chief constable should resign.",
    "I know where you live and I'm coming for you",
    "Thanks for posting the judgment, paragraph 40 is the key part.",
    "what a pathetic little man you are",
    "The CPS said the threshold for a charge was not met.",
    "go and die in a fire you worthless scumbag",
    "Her statement to police was read to the court.",
    "I hope the family get justice, they have waited years for this.",
    "stupid stupid stupid " * 20,
    "The officer was dismissed without notice after the misconduct hearing found the allegations proved "
    "on the balance of probabilities, and the force said it would review its vetting procedures.",
    "lol",
)


class OnnxScorer:
    """Scores with an exported Detoxify model; no torch at run time."""

    is_fallback = False

    def __init__(self, model_dir: Path, precision: str = "int8", *, threads: int | None = None,
                 spinning: bool = True, trust_int8: bool = False):
        import onnxruntime as ort
        from tokenizers import Tokenizer

        meta = json.loads((model_dir / META_FILE).read_text())
        if precision == "int8" and not trust_int8 and not meta.get("int8_ok", False):
            log.warning(
                "ONNX int8 scores differ from fp32 by up to %.3f (limit %.2f): using fp32",
                meta.get("int8_max_diff", float("nan")), MAX_INT8_DIFF,
            )
            precision = "fp32"
        self.precision = precision
        self.key = f"onnx-{precision}"
        self.name = f"detoxify-{meta['model_type']} (onnx {precision})"
        self._labels = tuple(meta["class_names"])
        self.max_length = int(meta["max_length"])
        self._input_names = list(meta["input_names"])
        self.int8_max_diff = meta.get("int8_max_diff")
        self._tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=self.max_length)
        self._tokenizer.enable_padding(pad_id=int(meta["pad_id"]), pad_token=str(meta["pad_token"]))
        # Parallel single-threaded runs over parts of a batch beat one run with intra-op threads on a
        # small machine (measured on 2 cores: about 2x at batch 32); the session is thread-safe.
        self.parallel = max(1, threads or os.cpu_count() or 1)
        self._pool = ThreadPoolExecutor(self.parallel, thread_name_prefix="onnx") if self.parallel > 1 else None
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self._session = ort.InferenceSession(
            str(model_dir / f"model-{precision}.onnx"), options, providers=["CPUExecutionProvider"]
        )

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def encode(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Token arrays for ``texts``, padded to the longest (truncated to the model's limit)."""
        cap = self.max_length * 32
        encodings = self._tokenizer.encode_batch([t[:cap] for t in texts])
        feeds = {
            "input_ids": np.asarray([e.ids for e in encodings], dtype=np.int64),
            "attention_mask": np.asarray([e.attention_mask for e in encodings], dtype=np.int64),
            "token_type_ids": np.asarray([e.type_ids for e in encodings], dtype=np.int64),
        }
        return {name: feeds[name] for name in self._input_names}

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        """Scores in the given order; texts of very different lengths run in separate sub-batches so
        one long message does not pad a batch of short ones to its length."""
        if not texts:
            return []
        cap = self.max_length * 32
        lengths = [len(e.ids) for e in self._tokenizer.encode_batch([t[:cap] for t in texts])]
        order = sorted(range(len(texts)), key=lengths.__getitem__)
        groups: list[list[int]] = []
        for index in order:
            if groups and lengths[index] <= max(lengths[groups[-1][0]] * 1.5, lengths[groups[-1][0]] + 8):
                groups[-1].append(index)
            else:
                groups.append([index])
        jobs: list[list[int]] = []
        for group in groups:
            parts = self.parallel if len(group) >= 2 * self.parallel else 1
            size = -(-len(group) // parts)
            jobs += [group[i:i + size] for i in range(0, len(group), size)]
        out: list[Scores] = [{} for _ in texts]

        def run(job: list[int]) -> None:
            probs = self._session.run(None, self.encode([texts[i] for i in job]))[0]
            for index, row in zip(job, probs, strict=True):
                out[index] = {label: float(p) for label, p in zip(self._labels, row, strict=True)}

        if self._pool is not None and len(jobs) > 1:
            list(self._pool.map(run, jobs))
        else:
            for job in jobs:
                run(job)
        return out


def onnx_dir_for(cache_dir: Path, checkpoint_sha256: str, model_type: str) -> Path:
    return cache_dir / f"{model_type}-{checkpoint_sha256[:16]}"


def is_exported(model_dir: Path) -> bool:
    return all((model_dir / name).is_file() for name in (META_FILE, "tokenizer.json", "model-fp32.onnx",
                                                          "model-int8.onnx"))


def export_onnx(loaded: Any, model_dir: Path, model_type: str) -> dict[str, Any]:
    """Export ``loaded`` (a :class:`bot.abuse.checkpoint.LoadedDetoxify`) to fp32 and int8 ONNX files.

    Returns the metadata written to ``meta.json``, including the largest int8-vs-fp32 difference.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    detox = loaded.detoxify
    model = detox.model.eval()
    tokenizer = detox.tokenizer
    model_dir.mkdir(parents=True, exist_ok=True)
    sample = tokenizer(["an example sentence to trace", "short"], return_tensors="pt", padding=True)
    input_names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in sample]

    class WithSigmoid(torch.nn.Module):
        def __init__(self, inner: torch.nn.Module):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs: torch.Tensor) -> torch.Tensor:
            return torch.sigmoid(self.inner(**dict(zip(input_names, inputs, strict=True))).logits)

    wrapped = WithSigmoid(model).eval()
    fp32 = model_dir / "model-fp32.onnx"
    int8 = model_dir / "model-int8.onnx"
    axes = {name: {0: "batch", 1: "sequence"} for name in input_names} | {"scores": {0: "batch"}}
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer warnings about shapes; fp32 is checked against torch in tests
        torch.onnx.export(
            wrapped, tuple(sample[n] for n in input_names), str(fp32), input_names=input_names,
            output_names=["scores"], dynamic_axes=axes, opset_version=17, dynamo=False,
        )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8)
    tokenizer.backend_tokenizer.save(str(model_dir / "tokenizer.json"))
    meta: dict[str, Any] = {
        "model_type": model_type,
        "class_names": list(loaded.class_names),
        "max_length": loaded.max_length,
        "input_names": input_names,
        "pad_id": int(tokenizer.pad_token_id or 0),
        "pad_token": str(tokenizer.pad_token or "[PAD]"),
        "checkpoint_sha256": loaded.checkpoint_sha256,
    }
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=1))
    diff = compare_precisions(model_dir, CHECK_TEXTS)
    meta["int8_max_diff"] = diff
    meta["int8_ok"] = diff <= MAX_INT8_DIFF
    (model_dir / META_FILE).write_text(json.dumps(meta, indent=1))
    log.info("exported ONNX models to %s; int8 differs from fp32 by at most %.4f", model_dir, diff)
    return meta


def compare_precisions(model_dir: Path, texts: Sequence[str]) -> float:
    """The largest absolute difference between int8 and fp32 scores over ``texts``, any label."""
    fp32, int8 = OnnxScorer(model_dir, "fp32"), OnnxScorer(model_dir, "int8", trust_int8=True)
    worst = 0.0
    for start in range(0, len(texts), 16):
        chunk = list(texts[start:start + 16])
        for a, b in zip(fp32.score_many(chunk), int8.score_many(chunk), strict=True):
            worst = max(worst, *(abs(a[k] - b[k]) for k in a))
    return float(worst)
