"""Hashed word and character n-grams beside the static vectors: the static heads' second feature block.

The static vectors give a message's meaning as a bag of word pieces; short forum phrasings that carry abuse
("think about who signs off your overtime") need the words in order too. Each message also gets TF-IDF weights
of its word 1-2-grams and its character 2-5-grams (inside word boundaries), hashed into ``N_FEATURES`` slots per
block with :class:`sklearn.feature_extraction.text.HashingVectorizer` (stateless: no vocabulary to ship), sublinear
term frequency, the corpus's inverse document frequency, and unit length per block, exactly as sklearn's
``TfidfTransformer(sublinear_tf=True)`` computes them. The heads' weights over both blocks are trained with the
static vectors' (:mod:`bot.abuse.static_train`).

Artefact ``bot/data/abuse/static_ngrams.npz`` (sha256 pinned in ``static_head.json``): for the slots seen in the
corpus, their idf and their per-label weights (float16); every other slot has the unseen idf and no weight.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Sequence
from functools import cache, cached_property
from itertools import pairwise
from pathlib import Path
from typing import Any

import mmh3
import numpy as np
from scipy import sparse

from bot.errors import ConfigError

N_FEATURES = 2**18
WORD_NGRAMS = (1, 2)
CHAR_NGRAMS = (2, 5)
#: Characters read per message for n-grams (bounded work for a 4,000-character message; the static vectors read
#: MAX_PIECES word pieces, about the same span).
MAX_CHARS = 2000


@cache
def hashing_vectorizers() -> tuple[Any, Any]:
    """The word and character hashing vectorizers (built once; the identity scorer uses the same slots)."""
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(ngram_range=WORD_NGRAMS, n_features=N_FEATURES, alternate_sign=False, norm=None)
    char = HashingVectorizer(analyzer="char_wb", ngram_range=CHAR_NGRAMS, n_features=N_FEATURES,
                             alternate_sign=False, norm=None)
    return word, char


#: Distinct words whose hashed character n-grams are kept (bounded memory; cleared when full).
WORD_CACHE_SIZE = 200_000
_WORD_GRAMS: dict[str, tuple[np.ndarray, np.ndarray]] = {}


def _keep_word_grams(words_of: Sequence[Sequence[str]]) -> None:
    """Hash and keep the character n-grams of every word in ``words_of`` not kept yet (one vectorizer call)."""
    new = list(dict.fromkeys(w for words in words_of for w in words if w not in _WORD_GRAMS))
    if not new:
        return
    if len(_WORD_GRAMS) + len(new) > WORD_CACHE_SIZE:
        _WORD_GRAMS.clear()  # then every word of this batch is new again
        new = list(dict.fromkeys(w for words in words_of for w in words))
    _, char = hashing_vectorizers()
    grams = char.transform(new)
    grams.sort_indices()
    for i, w in enumerate(new):
        lo, hi = grams.indptr[i], grams.indptr[i + 1]
        _WORD_GRAMS[w] = (grams.indices[lo:hi].copy(), grams.data[lo:hi].copy())


def char_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """The character block's raw hashed counts, exactly as the ``char_wb`` vectorizer gives them, built per word.

    ``char_wb`` n-grams never cross a word boundary (each word is padded with one space either side), so a message's
    counts are the sum of its lower-cased words' counts. Each distinct word is analysed and hashed once, by the
    vectorizer itself (one call for a batch's new words), and kept; forum words repeat, so most messages need only
    dictionary look-ups instead of generating and hashing about four n-grams per character in Python."""
    words_of = [text.lower().split() for text in texts]
    _keep_word_grams(words_of)
    indptr = [0]
    slots: list[np.ndarray] = []
    values: list[np.ndarray] = []
    total = 0
    for words in words_of:
        for w in words:
            index, value = _WORD_GRAMS[w]
            slots.append(index)
            values.append(value)
            total += len(index)
        indptr.append(total)
    out = sparse.csr_matrix((np.concatenate(values) if values else np.zeros(0),
                             np.concatenate(slots) if slots else np.zeros(0, dtype=np.int32), np.asarray(indptr)),
                            shape=(len(texts), N_FEATURES))
    out.sum_duplicates()
    return out


def _murmurhash(key: str, seed: int = 0) -> int:
    """sklearn's ``murmurhash3_32(key, seed)`` (signed MurmurHash3 of the UTF-8 bytes), from ``mmh3``: the same
    numbers (a test compares them) without importing scikit-learn at run time."""
    return int(mmh3.hash(key, seed, True))


#: The word vectorizer's token pattern (sklearn's default), on lower-cased text.
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
#: Word n-grams' hashed slots, kept (bounded memory; cleared when full).
_WORD_SLOTS: dict[str, int] = {}


def _hashed(gram: str) -> int:
    """The slot sklearn's FeatureHasher gives ``gram`` (signed murmurhash3 of its UTF-8, ``abs`` mod the width)."""
    h = int(_murmurhash(gram, seed=0))
    return (2**31 - 1 - (N_FEATURES - 1)) % N_FEATURES if h == -(2**31) else abs(h) % N_FEATURES


def word_grams(text: str) -> list[str]:
    """The word vectorizer's 1- and 2-grams of ``text``: its lower-casing and token pattern."""
    tokens = _TOKEN.findall(text.lower())
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


def word_slots(text: str) -> list[int]:
    """The word block's slots for ``text`` (one per word 1- and 2-gram, repeats kept), as the word vectorizer
    hashes them: its lower-casing, token pattern and n-grams, each distinct n-gram hashed once and kept."""
    return _kept_slots(word_grams(text), _WORD_SLOTS)


def _kept_slots(grams: Sequence[str], cache: dict[str, int]) -> list[int]:
    """Each n-gram's hashed slot, hashed once and kept in ``cache`` (cleared when it outgrows
    ``WORD_CACHE_SIZE``)."""
    if len(cache) > WORD_CACHE_SIZE:
        cache.clear()
    get = cache.get
    out = [get(g) for g in grams]
    if None in out:
        for i, slot in enumerate(out):
            if slot is None:
                out[i] = cache[grams[i]] = _hashed(grams[i])
    return out  # type: ignore[return-value]  # every None was replaced


def row_counts(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The raw hashed counts of :func:`counts`, as its CSR matrix's non-zeros in order: (row, column, count),
    sorted by row then column (word block, then character block at ``N_FEATURES``). The same numbers without
    the vectorizers' and scipy's per-call cost (a test checks them against :func:`counts`)."""
    clipped = [t[:MAX_CHARS] for t in texts]
    words_of = [t.lower().split() for t in clipped]
    grams_of = [word_grams(t) for t in clipped]
    width = 2 * N_FEATURES
    parts: list[np.ndarray] = []
    sizes: list[int] = []
    kept = _CHAR_SLOTS
    for grams, words in zip(grams_of, words_of, strict=True):
        size = 0
        ws = _kept_slots(grams, _WORD_SLOTS)
        if ws:
            parts.append(np.asarray(ws, dtype=np.int64))
            size += len(ws)
        for w in words:
            slots = kept.get(w)
            if slots is None:
                slots = _char_slots(w)
            parts.append(slots)
            size += len(slots)
        sizes.append(size)
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0)
    keys = np.concatenate(parts) + np.repeat(np.arange(len(clipped), dtype=np.int64) * width, sizes)
    found, count = np.unique(keys, return_counts=True)
    return found // width, found % width, count.astype(np.float64)


#: A batch this large goes through scikit-learn's vectorizers in :func:`counts` (training: the reference path).
BULK = 64


#: Each kept word's character n-gram slots, one entry per occurrence, offset into the character block.
_CHAR_SLOTS: dict[str, np.ndarray] = {}
#: Character n-grams' hashed slots (bounded; cleared when full).
_GRAM_SLOTS: dict[str, int] = {}


def _char_slots(word: str) -> np.ndarray:
    """The character block's slots for one word (no whitespace in it), as the ``char_wb`` vectorizer hashes it:
    the word lower-cased and padded with a space either side, its 2- to 5-grams (a word shorter than n counted
    once), each n-gram's sklearn slot; kept per word."""
    slots = _CHAR_SLOTS.get(word)
    if slots is not None:
        return slots
    if len(_CHAR_SLOTS) > WORD_CACHE_SIZE:
        _CHAR_SLOTS.clear()
    w = f" {word.lower()} "
    size = len(w)
    found: list[str] = []
    for n in range(CHAR_NGRAMS[0], CHAR_NGRAMS[1] + 1):  # sklearn's _char_wb_ngrams, n-gram by n-gram
        if size <= n:  # the padded word is one n-gram, and no longer n follows
            found.append(w)
            break
        found += [w[i:i + n] for i in range(size - n + 1)]
    slots = _CHAR_SLOTS[word] = np.asarray(_kept_slots(found, _GRAM_SLOTS), dtype=np.int64) + N_FEATURES
    return slots


def counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """Raw hashed counts, (n, 2 * N_FEATURES): word block then character block. A large batch (``scan``) is
    counted by sklearn's vectorizers (:func:`reference_counts`, whose per-call cost it spreads); a small one (the
    bot's micro-batches) from :func:`row_counts` without that cost: the same matrix (a test checks)."""
    if len(texts) >= BULK:
        return reference_counts(texts)
    rows, cols, count = row_counts(texts)
    indptr = np.zeros(len(texts) + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=len(texts)), out=indptr[1:])
    return sparse.csr_matrix((count, cols.astype(np.int32), indptr), shape=(len(texts), 2 * N_FEATURES))


def reference_counts(texts: Sequence[str]) -> sparse.csr_matrix:
    """:func:`counts` as the sklearn vectorizers build it (slower; what the tests compare against)."""
    word, _ = hashing_vectorizers()
    clipped = [t[:MAX_CHARS] for t in texts]
    return sparse.hstack([word.transform(clipped), char_counts(clipped)], format="csr")


def _blocks(x: sparse.csr_matrix) -> list[sparse.csr_matrix]:
    return [x[:, lo:lo + N_FEATURES] for lo in (0, N_FEATURES)]


def fit_idf(x: sparse.csr_matrix) -> np.ndarray:
    """Smoothed idf per slot, sklearn's own (``TfidfTransformer``): ln((1 + n) / (1 + df)) + 1."""
    from sklearn.feature_extraction.text import TfidfTransformer

    return np.concatenate([TfidfTransformer().fit(b).idf_ for b in _blocks(x)]).astype(np.float64)


def weigh(x: sparse.csr_matrix, idf: np.ndarray) -> sparse.csr_matrix:
    """Sublinear tf x idf, each block scaled to unit length: sklearn's ``TfidfTransformer`` per block."""
    from sklearn.feature_extraction.text import TfidfTransformer

    out = []
    for lo, block in zip((0, N_FEATURES), _blocks(x), strict=True):
        t = TfidfTransformer(sublinear_tf=True)
        t.idf_ = idf[lo:lo + N_FEATURES]
        out.append(t.transform(block.astype(np.float64)))
    return sparse.hstack(out, format="csr")


def unit_runs(data: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """``data`` with each run (from one start to the next) scaled to unit length, its squares added left to right
    as scikit-learn's row normaliser (``inplace_csr_row_normalize_l2``) adds them: ``np.add.reduceat`` adds
    pairwise, which can differ in the last bit. Runs of one length are summed together by a running sum."""
    sizes = np.diff(starts, append=len(data))
    square = data * data
    sums = np.empty(len(starts))
    for size in np.unique(sizes).tolist():
        rows = np.flatnonzero(sizes == size)
        sums[rows] = np.cumsum(square[starts[rows, None] + np.arange(size)], axis=1)[:, -1]
    norms = np.sqrt(sums)
    return np.asarray(data / np.repeat(np.where(norms > 0, norms, 1.0), sizes), dtype=np.float64)


class NgramBlock:
    """The n-gram block of a trained static head: idf and weights for the slots the corpus had."""

    def __init__(self, idf: np.ndarray, weights: np.ndarray):
        self.idf = np.asarray(idf, dtype=np.float64)  # (2 * N_FEATURES,)
        # float64 once at load: a float32 block is copied to float64 by every sparse product (38 MB a batch)
        self.weights = np.asarray(weights, dtype=np.float64)  # (2 * N_FEATURES, labels)

    @cached_property
    def compact(self) -> tuple[np.ndarray, np.ndarray]:
        """(row of each slot, rows): the weights of the slots that have any, row 0 all zeros for every other slot.
        ``rows[index[slots]]`` equals ``weights[slots]`` exactly, from a table small enough to stay in cache
        (the corpus gives weight to a few tens of thousands of the 2^19 slots)."""
        weighted = np.flatnonzero(np.any(self.weights != 0, axis=1))
        index = np.zeros(self.weights.shape[0], dtype=np.int32)
        index[weighted] = np.arange(1, len(weighted) + 1, dtype=np.int32)
        rows = np.zeros((len(weighted) + 1, self.weights.shape[1]), dtype=np.float64)
        rows[1:] = self.weights[weighted]
        return index, rows

    @classmethod
    def fit(cls, texts: Sequence[str]) -> tuple[NgramBlock, sparse.csr_matrix]:
        """idf from ``texts``; returns the block (no weights yet) and the texts' features."""
        raw = counts(texts)
        idf = fit_idf(raw)
        return cls(idf, np.zeros((raw.shape[1], 0), dtype=np.float32)), weigh(raw, idf)

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return weigh(counts(texts), self.idf)

    def logits(self, texts: Sequence[str]) -> np.ndarray:
        """The block's logits per text: :meth:`reference_logits`'s numbers, bit for bit (a test checks), from the
        counts' non-zeros (:func:`row_counts`) without scikit-learn: sublinear tf times idf, each row's word run
        and character run scaled to unit length with its squares added left to right (:func:`unit_runs`, as
        sklearn's row normaliser adds them), and the product by SciPy's CSR kernel on the compact table of
        weighted slots (the same products summed in the same order; an unweighted slot adds an exact zero)."""
        n = len(texts)
        labels = self.weights.shape[1]
        if not n:
            return np.zeros((0, labels))
        rows, cols, count = row_counts(texts)
        if not len(rows):
            return np.zeros((n, labels))
        data = np.log(count)
        data += 1.0
        data *= self.idf[cols]
        run = rows * 2 + (cols >= N_FEATURES)  # one row's word block, then its character block
        change = np.empty(len(run), dtype=bool)
        change[0] = True
        np.not_equal(run[1:], run[:-1], out=change[1:])
        data = unit_runs(data, np.flatnonzero(change))
        index, table = self.compact
        indptr = np.zeros(n + 1, dtype=np.int32)
        np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
        features = sparse.csr_matrix((data, index[cols], indptr), shape=(n, table.shape[0]))
        return np.asarray(features @ table, dtype=np.float64)

    def reference_logits(self, texts: Sequence[str]) -> np.ndarray:
        """:meth:`logits` as scikit-learn's vectorizers and ``TfidfTransformer`` compute them (training, tests)."""
        if not texts:
            return np.zeros((0, self.weights.shape[1]))
        return np.asarray(self.features(texts) @ self.weights, dtype=np.float64)

    def to_bytes(self) -> bytes:
        """Seen slots only (their idf differs from the unseen value): idf, float16 weights; deterministic bytes."""
        unseen = float(self.idf.max())
        seen = np.flatnonzero((self.idf < unseen) | np.any(self.weights != 0, axis=1)).astype(np.int32)
        buf = io.BytesIO()
        np.savez_compressed(buf, slots=seen, idf=self.idf[seen].astype(np.float32), unseen=np.float32(unseen),
                            weights=self.weights[seen].astype(np.float16),
                            size=np.int64(self.idf.shape[0]))
        return buf.getvalue()

    @classmethod
    def load(cls, path: Path, sha256: str) -> NgramBlock:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"no static abuse n-gram weights at {path}: retrain with "
                              "`python -m bot train abuse --static`") from exc
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ConfigError(f"static abuse n-gram weights {path} do not match the sha256 pinned in the head: "
                              "reinstall or retrain")
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as z:
                size = int(z["size"])
                idf = np.full(size, float(z["unseen"]), dtype=np.float64)
                slots = z["slots"]
                idf[slots] = z["idf"]
                weights = np.zeros((size, z["weights"].shape[1]), dtype=np.float32)
                weights[slots] = z["weights"]
        except (OSError, ValueError, KeyError, IndexError) as exc:
            raise ConfigError(f"cannot read the static abuse n-gram weights {path}: {exc}") from exc
        if size != 2 * N_FEATURES:
            raise ConfigError(f"static abuse n-gram weights {path} have {size} slots, expected {2 * N_FEATURES}")
        return cls(idf, weights)
