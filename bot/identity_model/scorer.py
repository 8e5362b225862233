"""The run-time identifying-detail scorer: static word-piece vectors plus hashed n-grams, logistic heads.

The features are the offline abuse scorer's (imported, not copied): a sentence's embedding is the normalised mean
of its word pieces' static vectors (``bot/data/abuse/static_vectors.npz`` via :class:`bot.abuse.static.StaticEmbedder`),
beside TF-IDF weights of hashed word and character n-grams (:class:`bot.abuse.static_ngrams.NgramBlock`). One
logistic head says whether the sentence gives any identifying detail (``any``); one head per kind (home, routine,
school, workplace, relative, appearance, vehicle, online, photo) says which. The ``any`` head's threshold was
chosen on out-of-fold predictions (:mod:`bot.identity_model.train`). numpy only at run time; bounded work: at most
``MAX_SENTENCES`` sentences of at most ``MAX_CHARS`` characters a call, scored in one batch.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.abuse.static import STATIC_VECTORS, StaticEmbedder, shared_embedder
from bot.abuse.static_ngrams import N_FEATURES, NgramBlock, row_counts
from bot.errors import ConfigError

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "identity"
HEAD_PATH = DATA_DIR / "detail_head.json"
NGRAMS_PATH = DATA_DIR / "detail_ngrams.npz"
ANY = "any"
#: What a moderator reads for each kind (the flag's reason; never the matched text).
KIND_PHRASES = {
    "home": "a home described in words", "routine": "a regular place or movements", "school": "a school or course",
    "workplace": "a workplace", "relative": "a relative's job or place", "appearance": "a description of their looks",
    "vehicle": "a vehicle described", "online": "an online account described", "photo": "a photo described",
}
MAX_SENTENCES = 64  # sentences scored per call: a 4,000-character message has about 40
MAX_CHARS = 600  # characters of one sentence read (the embedder also stops at 512 word pieces)
VERDICT_CACHE_SIZE = 50_000  # distinct sentences whose verdicts are kept
#: ``IDENTITY_MODEL=off`` (a setting) switches the learned evidence off: the rules alone decide, as before wave 7.
ENV_SWITCH = "IDENTITY_MODEL"


@dataclass(frozen=True, slots=True)
class SentenceDetail:
    """The model's verdict on one sentence: the any-detail probability, whether it reaches the threshold, and
    the most likely kind."""

    probability: float
    given: bool
    kind: str

    @property
    def phrase(self) -> str:
        return KIND_PHRASES.get(self.kind, "an identifying detail")


@dataclass(frozen=True, slots=True)
class DetailHead:
    """Heads (``any`` first, then the kinds), weights over the embedding, threshold and pinned artefacts."""

    heads: tuple[str, ...]
    coef: np.ndarray  # (dims, heads)
    intercept: np.ndarray  # (heads,)
    threshold: float  # on the any head
    vectors_sha256: str
    ngrams_sha256: str
    info: dict[str, Any]

    @classmethod
    def load(cls, path: Path = HEAD_PATH) -> DetailHead:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            head = cls(tuple(str(h) for h in data["heads"]), np.asarray(data["coef"], dtype=np.float64),
                       np.asarray(data["intercept"], dtype=np.float64), float(data["threshold"]),
                       str(data["vectors_sha256"]), str(data["ngrams_sha256"]), dict(data.get("info", {})))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the identifying-detail head {path}: {exc}") from exc
        if not head.heads or head.heads[0] != ANY or head.coef.ndim != 2 or head.coef.shape[1] != len(head.heads) \
                or head.intercept.shape != (len(head.heads),) or not 0.0 < head.threshold < 1.0:
            raise ConfigError(f"identifying-detail head {path}: weights, heads or threshold do not fit together")
        return head

    def to_json(self) -> str:
        return json.dumps({
            "heads": list(self.heads), "threshold": self.threshold, "vectors_sha256": self.vectors_sha256,
            "ngrams_sha256": self.ngrams_sha256, "info": self.info,
            "intercept": [round(float(v), 6) for v in self.intercept],
            "coef": [[round(float(v), 5) for v in row] for row in self.coef],
        }, indent=0, sort_keys=True) + "\n"


def gram_logits(grams: NgramBlock, texts: Sequence[str]) -> np.ndarray:
    """``grams.logits(texts)`` computed on the hashed counts' non-zeros only: sublinear tf x idf, unit length per
    block, times the weights' rows for those slots. The same numbers (a test checks), without building two
    2^18-wide sparse products per call (about 1.5 ms of fixed cost for one short sentence); the counts come from
    :func:`bot.abuse.static_ngrams.row_counts` (the vectorizers' own slots, without their per-call cost)."""
    n = len(texts)
    out = np.zeros((n, grams.weights.shape[1]))
    if not n:
        return out
    rows, slots, count = row_counts(texts)
    if not len(rows):
        return out
    # runs of one row's one block (word, then character): each is normalised and summed on its own
    block = slots >= N_FEATURES
    run = rows * 2 + block
    change = np.empty(len(run), dtype=bool)
    change[0] = True
    np.not_equal(run[1:], run[:-1], out=change[1:])
    starts = np.flatnonzero(change)
    sizes = np.diff(starts, append=len(run))
    data = (1.0 + np.log(count)) * grams.idf[slots]
    norms = np.sqrt(np.add.reduceat(data * data, starts))
    data = data / np.repeat(np.where(norms > 0, norms, 1.0), sizes)
    index, weights = grams.compact
    sums = np.add.reduceat(data[:, None] * weights[index[slots]], starts, axis=0)
    run_rows, run_char = rows[starts], block[starts]
    out[run_rows[~run_char]] += sums[~run_char]  # the word block first, then the character block, as before
    out[run_rows[run_char]] += sums[run_char]
    return out


class DetailScorer:
    """Scores sentences in one batch: ``verdicts(sentences)`` gives one :class:`SentenceDetail` each."""

    def __init__(self, head: DetailHead, grams: NgramBlock, embedder: StaticEmbedder) -> None:
        if grams.weights.shape[1] != len(head.heads) or embedder.dim != head.coef.shape[0]:
            raise ConfigError("identifying-detail head, n-gram weights and vectors do not match: retrain with "
                              "`python -m bot train identity`")
        self.head = head
        self.grams = grams
        self.embedder = embedder
        grams.compact  # noqa: B018 (built at load, not on the first message)
        self._known: dict[str, SentenceDetail] = {}  # sentence -> verdict, bounded (VERDICT_CACHE_SIZE)

    @classmethod
    def load(cls, head_path: Path = HEAD_PATH, ngrams_path: Path | None = None,
             vectors_path: Path = STATIC_VECTORS) -> DetailScorer:
        head = DetailHead.load(head_path)
        grams = NgramBlock.load(ngrams_path or head_path.with_name(NGRAMS_PATH.name), head.ngrams_sha256)
        return cls(head, grams, shared_embedder(vectors_path, head.vectors_sha256))

    def probabilities(self, sentences: Sequence[str]) -> np.ndarray:
        """(n, heads) probabilities; at most ``MAX_SENTENCES`` rows (the rest are not read)."""
        texts = [s[:MAX_CHARS] for s in sentences[:MAX_SENTENCES]]
        if not texts:
            return np.zeros((0, len(self.head.heads)))
        x = self.embedder.embed(texts).astype(np.float64)
        # row by row: a sentence's numbers never depend on what else is in its batch (a matrix product over the
        # batch may sum in another order), so verdicts can be kept per sentence and batched across messages
        z = np.vstack([np.dot(row, self.head.coef) for row in x]) + self.head.intercept
        z = z + gram_logits(self.grams, texts)
        return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))), dtype=np.float64)

    def verdicts(self, sentences: Sequence[str]) -> list[SentenceDetail]:
        """One verdict per sentence (at most ``MAX_SENTENCES``). A sentence's verdict does not depend on the others
        in its batch, so each distinct sentence read is kept (bounded): a quoted or repeated one is not scored
        again."""
        texts = [s[:MAX_CHARS] for s in sentences[:MAX_SENTENCES]]
        known = self._known
        todo = list(dict.fromkeys(t for t in texts if t not in known))
        if todo:
            if len(known) + len(todo) > VERDICT_CACHE_SIZE:
                known.clear()  # then every sentence of this call is new again
                todo = list(dict.fromkeys(texts))
            kinds = self.head.heads[1:]
            for text, row in zip(todo, self.probabilities(todo), strict=True):
                p = float(row[0])
                kind = kinds[int(np.argmax(row[1:]))] if kinds else ANY
                known[text] = SentenceDetail(round(p, 4), p >= self.head.threshold, kind)
        return [known[t] for t in texts]


_LOCK = threading.Lock()
_SHIPPED: list[DetailScorer | None] = []


def shipped_scorer() -> DetailScorer | None:
    """The shipped scorer, loaded once; None only when switched off (``IDENTITY_MODEL=off``).

    A missing or broken artefact (wrong sha256, unreadable) raises ConfigError: fail closed, never silently
    without the learned evidence."""
    if switched_off():
        return None
    with _LOCK:
        if not _SHIPPED:
            if not HEAD_PATH.is_file():
                raise ConfigError(f"the identifying-detail model {HEAD_PATH.name} is missing: reinstall Casewatch, "
                                  f"or set {ENV_SWITCH}=off to run on the rules alone")
            _SHIPPED.append(DetailScorer.load())
        return _SHIPPED[0]


def switched_off() -> bool:
    """``IDENTITY_MODEL=off`` in the environment or the ``.env`` file (:class:`bot.settings.Settings`)."""
    from bot.settings import load_settings  # lazy: settings import the key store

    return load_settings().identity_model == "off"
