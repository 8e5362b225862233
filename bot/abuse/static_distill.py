"""Static word-piece embeddings distilled from the shipped MiniLM encoder (the model2vec method).

Every word piece of the encoder's own vocabulary is run through the shipped ONNX encoder once, as
``[CLS] piece [SEP]``, and its mean-pooled output kept (:meth:`bot.abuse.encoder.MiniLMEncoder.pooled_ids`).
The vectors are then reduced with PCA (eigendecomposition of the covariance, components' signs fixed, so the
result does not depend on a random start); optionally each piece is weighted by SIF, ``a / (a + p)``, where
``p`` is the piece's Zipf probability from its rank in the vocabulary (word pieces of a BERT vocabulary are
roughly in frequency order), so frequent pieces count for less in a message's mean. This is what
``model2vec.distill`` does; that function needs torch and a transformers model, ours is ONNX, so the
forward passes are ours and the result is loaded by :class:`model2vec.StaticModel` at run time.

The artefact (``bot/data/abuse/static_vectors.npz``) holds the vectors as 4-bit values with one float16 scale
per row: 30,522 pieces x 256 dimensions is 3.9 MB, and the per-row scale keeps the small vectors of frequent
pieces as precise as the large ones. Its sha256 is pinned in the head's metadata and checked at load.
Nothing here downloads; the same encoder file, tokenizer and settings give the same vectors.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.errors import ConfigError

#: Pieces never distilled (their rows stay zero, so they add nothing to a message's mean): BERT's reserved slots.
REMOVED_PIECE = re.compile(r"\[unused\d+\]|\[PAD\]|\[CLS\]|\[SEP\]|\[MASK\]")
#: Chosen once on the corpus's out-of-fold figures (64/128/192/256/384 dims, SIF 1e-4/1e-3/none tried; more
#: dims help, SIF weighting hurt here): 256 dims, no SIF weights.
PCA_DIMS = 256
SIF_COEFFICIENT: float | None = None
CHUNK = 1024  # pieces per encoder run: bounds memory during distillation


@dataclass(frozen=True, slots=True)
class StaticVectors:
    """(vocabulary, dims) float32 piece vectors, already SIF-weighted; zero rows for removed pieces."""

    vectors: np.ndarray
    pca_dims: int
    sif: float | None

    @property
    def shape(self) -> tuple[int, int]:
        return int(self.vectors.shape[0]), int(self.vectors.shape[1])


def vocabulary(tokenizer_json: Path) -> list[str]:
    """The tokenizer's word pieces in id order (index = id)."""
    try:
        vocab = json.loads(Path(tokenizer_json).read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"cannot read the tokenizer vocabulary {tokenizer_json}: {exc}") from exc
    pieces = [""] * len(vocab)
    for piece, index in vocab.items():
        pieces[int(index)] = str(piece)
    return pieces


def kept_ids(pieces: Sequence[str]) -> list[int]:
    return [i for i, piece in enumerate(pieces) if piece and not REMOVED_PIECE.fullmatch(piece)]


def pca(x: np.ndarray, dims: int) -> np.ndarray:
    """Principal components of ``x`` (rows centred), deterministic: eigh, descending, each sign fixed so the
    row with the largest absolute score on a component scores positive."""
    x = np.asarray(x, dtype=np.float64)
    dims = min(dims, x.shape[1], max(1, x.shape[0] - 1))
    centred = x - x.mean(axis=0)
    cov = centred.T @ centred / max(1, x.shape[0] - 1)
    _, vectors = np.linalg.eigh(cov)
    components = vectors[:, ::-1][:, :dims]
    scores = centred @ components
    signs = np.sign(scores[np.abs(scores).argmax(axis=0), np.arange(dims)])
    signs[signs == 0] = 1.0
    return scores * signs


def sif_weights(n: int, coefficient: float | None) -> np.ndarray:
    """SIF weights ``a / (a + p)`` with ``p`` Zipf's law over ranks 1..n (model2vec's ``compute_weights``)."""
    if coefficient is None:
        return np.ones(n)
    inverse_rank = 1.0 / np.arange(2, n + 2)
    probability = inverse_rank / inverse_rank.sum()
    return coefficient / (coefficient + probability)


def piece_outputs(run: Callable[[Sequence[Sequence[int]]], np.ndarray], ids: Sequence[int], cls: int, sep: int,
                  say: Callable[[str], None] | None = None) -> np.ndarray:
    """The encoder's mean-pooled output for ``[CLS] piece [SEP]``, one row per id, in chunks."""
    out = []
    for start in range(0, len(ids), CHUNK):
        out.append(run([[cls, i, sep] for i in ids[start:start + CHUNK]]))
        if say and (start // CHUNK) % 10 == 9:
            say(f"distilled {start + CHUNK:,} of {len(ids):,} word pieces")
    return np.concatenate(out) if out else np.zeros((0, 0), dtype=np.float32)


def post_process(raw: np.ndarray, ids: Sequence[int], size: int, pca_dims: int = PCA_DIMS,
                 sif: float | None = SIF_COEFFICIENT) -> StaticVectors:
    """PCA, then SIF weights by rank among the kept pieces; scattered back to a full (size, dims) table."""
    reduced = pca(raw, pca_dims) * sif_weights(len(ids), sif)[:, None]
    table = np.zeros((size, reduced.shape[1]), dtype=np.float32)
    table[np.asarray(ids, dtype=np.int64)] = reduced.astype(np.float32)
    return StaticVectors(table, reduced.shape[1], sif)


def distill(encoder, tokenizer_json: Path, *, pca_dims: int = PCA_DIMS, sif: float | None = SIF_COEFFICIENT,
            say: Callable[[str], None] | None = None, ids: Sequence[int] | None = None) -> StaticVectors:
    """Distil static vectors for every kept piece of ``tokenizer_json`` (or only ``ids``, for tests) from
    ``encoder`` (anything with ``pooled_ids`` and ``token_id``, e.g. :class:`~bot.abuse.encoder.MiniLMEncoder`)."""
    pieces = vocabulary(tokenizer_json)
    chosen = list(ids) if ids is not None else kept_ids(pieces)
    raw = piece_outputs(encoder.pooled_ids, chosen, encoder.token_id("[CLS]"), encoder.token_id("[SEP]"), say)
    return post_process(raw, chosen, len(pieces), pca_dims, sif)


# --- the artefact ---------------------------------------------------------------------------------------------


def quantise(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """4-bit rows, two values a byte (-7..7 stored as 1..15), and one float16 scale per row (a zero row keeps
    scale 0). A message's embedding averages many pieces, so the rounding mostly cancels: on the corpus the
    out-of-fold figures of 4-bit and 8-bit vectors agree within noise, at half the size."""
    if vectors.shape[1] % 2:
        raise ValueError("4-bit packing needs an even number of dimensions")
    peak = np.abs(vectors).max(axis=1)
    scale = (peak / 7.0).astype(np.float16)
    safe = np.where(scale > 0, scale.astype(np.float32), 1.0)
    q = (np.clip(np.rint(vectors / safe[:, None]), -7, 7) + 8).astype(np.uint8)
    return (q[:, 0::2] << 4 | q[:, 1::2]).astype(np.uint8), scale


def dequantise(packed: np.ndarray, scale: np.ndarray) -> np.ndarray:
    q = np.empty((packed.shape[0], packed.shape[1] * 2), dtype=np.float32)
    q[:, 0::2] = packed >> 4
    q[:, 1::2] = packed & 0x0F
    return (q - 8.0) * np.asarray(scale, dtype=np.float32)[:, None]


def to_bytes(vectors: StaticVectors) -> bytes:
    """The artefact's bytes (an uncompressed .npz with fixed member order: same vectors, same bytes)."""
    q, scale = quantise(vectors.vectors)
    buffer = io.BytesIO()
    np.savez(buffer, q=q, scale=scale)
    return buffer.getvalue()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def load_vectors(path: Path, expected_sha256: str | None) -> np.ndarray:
    """The dequantised (vocabulary, dims) float32 table; ConfigError when absent, corrupt or not the pinned file."""
    return unpack_vectors(read_pinned_vectors(path, expected_sha256), path)


def read_pinned_vectors(path: Path, expected_sha256: str | None) -> bytes:
    """The vectors file's bytes, checked against the pinned sha256; ConfigError when absent or not that file."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"no static abuse vectors at {path}: run `python -m bot train abuse --static`") from exc
    if expected_sha256 is not None and sha256_bytes(data) != expected_sha256:
        raise ConfigError(f"static abuse vectors {path} do not match the sha256 pinned in their head's metadata: "
                          "restore the file or run `python -m bot train abuse --static`")
    return data


def unpack_vectors(data: bytes, path: Path) -> np.ndarray:
    """The dequantised table from a vectors file's (checked) bytes; ConfigError when they cannot be read."""
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            q, scale = npz["q"], npz["scale"]
    except (OSError, ValueError, KeyError) as exc:
        raise ConfigError(f"static abuse vectors {path} cannot be read: {exc}") from exc
    if q.ndim != 2 or q.dtype != np.uint8 or scale.shape != (q.shape[0],):
        raise ConfigError(f"static abuse vectors {path} have the wrong shape or type")
    return dequantise(q, scale)
