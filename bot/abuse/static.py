"""The static abuse scorer: MiniLM distilled into word-piece vectors, per-label logistic heads, calibrated.

A message's embedding is the mean of its word pieces' static vectors (:mod:`bot.abuse.static_distill`),
L2-normalised, computed by :class:`model2vec.StaticModel` (numpy + tokenizers; no encoder run, no torch).
Beside it, hashed word and character n-grams with the corpus's idf (:mod:`bot.abuse.static_ngrams`): the heads
read both blocks (wave 5: out-of-fold recall at precision 0.95 from 0.46 to 0.72, first-look recall on a fresh
abuse thread from 0.46 to 0.85). The generic ``abuse`` label flags only beside a specific one (:func:`specific_only`).
The heads are the learned scorer's recipe on these embeddings: one logistic regression per label, thresholds
chosen on out-of-fold predictions for a target precision, the agreement tier and detail ablation
(:mod:`bot.abuse.ablation`), scores calibrated so each threshold lands on the label's default bar. Training:
``python -m bot train abuse --static`` (:mod:`bot.abuse.static_train`).

About 80 times cheaper per message than the full encoder (``bench abuse``, 40 tokens, batch 32: ~10,600 against
~130 messages per CPU-second x 2 cores); :class:`CascadeScorer` sends only the messages the static heads are
unsure about to the full MiniLM scorer. Since wave 6 the static scorer, with per-label evidence
(:mod:`bot.abuse.evidence`), is the offline default (``ABUSE_BACKEND=auto`` without Detoxify weights); figures in
docs/abuse.md ("Wave 6") and docs/abuse-model-card.md.
"""

from __future__ import annotations

import json
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from bot.abuse.ablation import ablate, confirm
from bot.abuse.encoder import DATA_DIR, TOKENIZER_PATH
from bot.abuse.evidence import unevidenced
from bot.abuse.labels import AbuseThresholds
from bot.abuse.learned import calibrate, check_thresholds
from bot.abuse.profanity_voice import ProfanityVoice
from bot.abuse.scorer import Scorer, Scores
from bot.abuse.static_ngrams import NgramBlock
from bot.errors import ConfigError

STATIC_VECTORS = DATA_DIR / "static_vectors.npz"
STATIC_HEAD = DATA_DIR / "static_head.json"
STATIC_NGRAMS = DATA_DIR / "static_ngrams.npz"
#: Word pieces read per message (a 4,000-character message is about 1,000): bounded work per message.
MAX_PIECES = 512


@dataclass(frozen=True, slots=True)
class StaticHead:
    """Labels, weights, thresholds and the vectors' pinned sha256, as ``static_head.json`` holds them."""

    labels: tuple[str, ...]
    coef: np.ndarray  # (dims, labels)
    intercept: np.ndarray  # (labels,)
    thresholds: dict[str, float]
    confirm_thresholds: dict[str, float]
    vectors_sha256: str
    info: dict[str, Any]
    ngrams_sha256: str = ""  # the n-gram block's artefact (bot.abuse.static_ngrams); "" = vectors only
    #: The generic ``abuse`` label flags only beside a specific label over its threshold (see :func:`specific_only`).
    generic_needs_specific: bool = False

    @classmethod
    def load(cls, path: Path = STATIC_HEAD) -> StaticHead:
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
            labels = tuple(str(x) for x in data["labels"])
            head = cls(labels, np.asarray(data["coef"], dtype=np.float32),
                       np.asarray(data["intercept"], dtype=np.float32),
                       {str(k): float(v) for k, v in data["thresholds"].items()},
                       {str(k): float(v) for k, v in data["confirm_thresholds"].items()},
                       str(data["vectors_sha256"]), dict(data.get("info", {})),
                       str(data.get("ngrams_sha256", "")), bool(data.get("generic_needs_specific", False)))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot read the static abuse head {path}: {exc}") from exc
        if head.coef.ndim != 2 or head.coef.shape[1] != len(labels) or head.intercept.shape != (len(labels),):
            raise ConfigError(f"static abuse head {path}: weights do not match its {len(labels)} labels")
        check_thresholds(f"static abuse head {path}", labels, head.thresholds, head.confirm_thresholds)
        return head

    def to_json(self) -> str:
        return json.dumps({
            "labels": list(self.labels), "thresholds": self.thresholds, "confirm_thresholds": self.confirm_thresholds,
            "vectors_sha256": self.vectors_sha256, "info": self.info, "ngrams_sha256": self.ngrams_sha256,
            "generic_needs_specific": self.generic_needs_specific,
            "intercept": [round(float(v), 6) for v in self.intercept],
            "coef": [[round(float(v), 6) for v in row] for row in self.coef],
        }, indent=1, sort_keys=True) + "\n"

    def proba(self, x: np.ndarray, extra: np.ndarray | None = None) -> np.ndarray:
        """Per-label probabilities from static embeddings ``x`` plus any other block's logits ``extra``."""
        z = np.asarray(x, dtype=np.float32) @ self.coef + self.intercept
        if extra is not None:
            z = z + extra
        return np.asarray(1.0 / (1.0 + np.exp(-z.astype(np.float64))), dtype=np.float64)


def specific_only(probs: np.ndarray, labels: Sequence[str], thresholds: Sequence[float],
                  generic: str = "abuse") -> np.ndarray:
    """The generic label held just under its threshold on rows where no specific label reaches its own.

    The generic head (all abuse against all hard negatives) is the one that reads a bare detail, a heated
    @-reply or a short question as hostile; a specific head (insult, threat, doxxing ...) was trained on what
    that harm looks like. On its own the generic head is a reason to look again (the cascade's margin), not a
    flag."""
    if generic not in labels:
        return probs
    g = list(labels).index(generic)
    others = [i for i in range(len(labels)) if i != g]
    if not others:
        return probs
    specific = (probs[:, others] >= np.asarray(thresholds)[others][None, :]).any(axis=1)
    out = probs.copy()
    # 1% under the threshold: a calibrated score rounded for output must not land back on the label's bar
    out[~specific, g] = np.minimum(out[~specific, g], 0.99 * thresholds[g])
    return out


def static_available(vectors: Path | None = None, head: Path | None = None) -> bool:
    return (vectors or STATIC_VECTORS).is_file() and (head or STATIC_HEAD).is_file()


#: Space-separated chunks whose word pieces are kept (bounded memory; cleared when full).
PIECE_CACHE_SIZE = 200_000


class StaticEmbedder:
    """Unit-length message embeddings from static piece vectors: :class:`model2vec.StaticModel`'s numbers.

    ``embed`` computes exactly what ``StaticModel.encode`` does (the same pieces, the same float32 means and
    normalisation; a test checks every bundled text bit for bit against :meth:`embed_reference`), without its
    per-call fixed cost: the tokenizer's normaliser and pre-tokenizer act within stretches between ASCII spaces
    (lower-casing, accent stripping and splitting never reach across one), so a text's pieces are its
    space-separated chunks' pieces in order. Each distinct chunk is tokenized once (one tokenizer call for a
    batch's new chunks) and kept; the message's pieces are then cut to ``MAX_PIECES`` and the unknown piece
    dropped, as model2vec does."""

    def __init__(self, vectors: np.ndarray, tokenizer_path: Path = TOKENIZER_PATH):
        from model2vec import StaticModel
        from tokenizers import Tokenizer

        tokenizer = Tokenizer.from_file(str(tokenizer_path))
        tokenizer.no_padding()
        if tokenizer.get_vocab_size() != vectors.shape[0]:
            raise ConfigError(f"static abuse vectors have {vectors.shape[0]} rows, the tokenizer "
                              f"{tokenizer.get_vocab_size()} pieces: retrain with `python -m bot train abuse --static`")
        self.model = StaticModel(vectors, tokenizer, normalize=True, max_length=MAX_PIECES)
        self.dim = int(vectors.shape[1])
        self._lock = threading.Lock()  # StaticModel sets the tokenizer's truncation per call
        self._chars = MAX_PIECES * int(self.model.median_token_length)  # model2vec's cut before tokenizing
        self._unk = self.model.unk_token_id
        self._pieces: dict[str, list[int]] = {}
        self._splitter: Any = None  # the tokenizer without truncation, made on first use

    def embed_reference(self, texts: Sequence[str]) -> np.ndarray:
        """The embeddings as :meth:`model2vec.StaticModel.encode` computes them (tests compare :meth:`embed`)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            out = self.model.encode(list(texts), use_multiprocessing=False, max_length=MAX_PIECES)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), self.dim)

    def piece_ids(self, texts: Sequence[str]) -> list[list[int]]:
        """Each text's word-piece ids as model2vec reads them (at most ``MAX_PIECES``, no unknown piece)."""
        with self._lock:  # one embedder may serve two scorers' threads (shared_embedder): the cache is read and
            return self._piece_ids(texts)  # filled under one lock, so a clear cannot fall between the two

    def _piece_ids(self, texts: Sequence[str]) -> list[list[int]]:
        chunks_of = [t[:self._chars].split(" ") for t in texts]
        cache = self._pieces
        new = list(dict.fromkeys(c for chunks in chunks_of for c in chunks if c and c not in cache))
        if new:
            if len(cache) + len(new) > PIECE_CACHE_SIZE:
                cache.clear()  # then every chunk of this batch is new again
                new = list(dict.fromkeys(c for chunks in chunks_of for c in chunks if c))
            self._tokenize(new)
        out = []
        for chunks in chunks_of:
            ids: list[int] = []
            for c in chunks:
                if c:
                    ids += cache[c]
                    if len(ids) >= MAX_PIECES:
                        break
            ids = ids[:MAX_PIECES]
            if self._unk is not None:
                ids = [i for i in ids if i != self._unk]
            out.append(ids)
        return out

    def _tokenize(self, chunks: list[str]) -> None:
        """Tokenize new chunks in one call: joined by single spaces (which no piece spans), each piece goes to
        the chunk its first character is in. The splitter is the tokenizer without truncation (a text's pieces
        are cut at ``MAX_PIECES`` after they are put together)."""
        splitter = self._splitter
        if splitter is None:
            from tokenizers import Tokenizer

            splitter = self._splitter = Tokenizer.from_str(self.model.tokenizer.to_str())
            splitter.no_truncation()
            splitter.no_padding()
        starts, pos = [], 0
        for chunk in chunks:
            starts.append(pos)
            pos += len(chunk) + 1
        found: list[list[int]] = [[] for _ in chunks]
        enc = splitter.encode(" ".join(chunks), add_special_tokens=False)
        for piece, (start, _) in zip(enc.ids, enc.offsets, strict=True):
            found[bisect_right(starts, start) - 1].append(piece)
        for chunk, ids in zip(chunks, found, strict=True):
            self._pieces[chunk] = ids

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        if self.model.token_mapping is not None or self.model.weights is not None \
                or self.model.embedding.dtype == np.int8:
            return self.embed_reference(texts)  # a quantised model: model2vec's own path
        ids = self.piece_ids(texts)
        embedding = self.model.embedding
        out = np.zeros((len(ids), self.dim), dtype=embedding.dtype)
        buckets: dict[int, list[int]] = {}
        for i, row in enumerate(ids):
            if row:
                buckets.setdefault(len(row), []).append(i)
        for rows in buckets.values():  # model2vec's own bucketing: rows of one length averaged together
            out[rows] = embedding[np.array([ids[i] for i in rows], dtype=np.int64)].mean(axis=1)
        out32 = out.astype(np.float32)
        norm = np.linalg.norm(out32, axis=1, keepdims=True) + 1e-32
        return np.asarray((out32 / norm).astype(out.dtype), dtype=np.float32).reshape(len(texts), self.dim)


_SHARED: dict[tuple[str, str], StaticEmbedder] = {}
_SHARED_LOCK = threading.Lock()


def shared_embedder(path: Path, sha256: str) -> StaticEmbedder:
    """One :class:`StaticEmbedder` per vectors file and pinned sha256 in a process: the abuse scorer and the
    identity-detail scorer read the same vectors, so they share the table (about 0.5 CPU-s to unpack, and its
    memory), the tokenizer and the kept word pieces. The file is read and its sha256 checked once per call (a
    changed or missing file fails closed, as ``load_vectors`` does); only the unpacking and the tokenizer are
    kept."""
    from bot.abuse.static_distill import read_pinned_vectors, unpack_vectors

    data = read_pinned_vectors(path, sha256)  # raises what is wrong with the file, on every call
    key = (str(Path(path).resolve()), sha256)
    with _SHARED_LOCK:
        embedder = _SHARED.get(key)
        if embedder is None:
            embedder = _SHARED[key] = StaticEmbedder(unpack_vectors(data, path))
        return embedder


class StaticScorer:
    """The static heads on distilled MiniLM vectors; the same labels and calibration as the learned scorer."""

    key = "static"
    is_fallback = False
    skip_untargeted = True  # model scores alone never flag a message with no target
    needs_evidence = True  # each label needs its cue, short messages a higher bar (bot.abuse.evidence)
    lazy_stages = True  # a batcher warms it up on the rules' examples (bot.abuse.batching.warm_up_texts)

    def __init__(self, vectors_path: Path | None = None, head_path: Path | None = None,
                 ngrams_path: Path | None = None, *, profanity: bool = True):
        self.head = StaticHead.load(head_path or STATIC_HEAD)
        #: alt-profanity-check as a gated third voice (bot.abuse.profanity_voice): targeted sentences only
        self.profanity = ProfanityVoice() if profanity else None
        self.ngrams: NgramBlock | None = None
        if self.head.ngrams_sha256:
            path = ngrams_path or (head_path.parent / STATIC_NGRAMS.name if head_path else STATIC_NGRAMS)
            self.ngrams = NgramBlock.load(path, self.head.ngrams_sha256)
            if self.ngrams.weights.shape[1] != len(self.head.labels):
                raise ConfigError(f"static abuse n-gram weights {path} do not match the head's labels: retrain")
        self.embedder = shared_embedder(vectors_path or STATIC_VECTORS, self.head.vectors_sha256)
        if self.embedder.dim != self.head.coef.shape[0]:
            raise ConfigError(f"static abuse head expects {self.head.coef.shape[0]} dimensions, the vectors have "
                              f"{self.embedder.dim}: retrain with `python -m bot train abuse --static`")
        bars = AbuseThresholds()
        self._bars = [bars.for_label(label) or 0.5 for label in self.head.labels]
        self._thresholds = [self.head.thresholds[label] for label in self.head.labels]
        self._low = [self.head.confirm_thresholds[label] for label in self.head.labels]
        grams = " + hashed word/char n-grams" if self.ngrams is not None else ""
        voice = " + targeted alt-profanity-check" if self.profanity is not None else ""
        self.name = f"static (MiniLM distilled, {self.embedder.dim}-d{grams}, {len(self.head.labels)} labels{voice})"

    @property
    def labels(self) -> tuple[str, ...]:
        """The heads' labels, then the profanity voice's when it is on."""
        return self.head.labels + ((self.profanity.label,) if self.profanity is not None else ())

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Head probabilities after the agreement tier and detail ablation, (n, head labels)."""
        def heads(batch: Sequence[str]) -> np.ndarray:
            return confirm(self.raw_proba(batch), self.head.labels, self._thresholds, self._low)

        first = heads(texts)
        rows = self._worth_ablating(first, texts)
        probs = first.copy()
        if rows:  # ablation only lowers scores: a row that cannot flag is not worth masking and re-scoring
            probs[rows] = ablate(first[rows], [texts[i] for i in rows], self.head.labels, self._thresholds, heads)
        if self.head.generic_needs_specific:
            probs = specific_only(probs, self.head.labels, self._thresholds)
        return probs

    def _worth_ablating(self, probs: np.ndarray, texts: Sequence[str]) -> list[int]:
        """Rows with a specific label over its threshold that has its evidence (:mod:`bot.abuse.evidence`):
        the only rows that can flag, so the only ones whose details are masked and re-scored. Masking runs the
        identity detectors (about 2 ms a message); a row whose over-threshold labels lack their cue, or with
        only the generic label over, flags neither way."""
        over = probs >= np.asarray(self._thresholds)[None, :]
        out = []
        for row in np.flatnonzero(over.any(axis=1)).tolist():
            labels = {self.head.labels[j] for j in np.flatnonzero(over[row]).tolist()
                      if self.head.labels[j] != "abuse"}
            if labels and labels - unevidenced(texts[row], labels):
                out.append(row)
        return out

    def raw_proba(self, texts: Sequence[str]) -> np.ndarray:
        """The heads' probabilities before the agreement tier and ablation."""
        extra = self.ngrams.logits(texts) if self.ngrams is not None else None
        return self.head.proba(self.embedder.embed(texts), extra)

    def margins(self, probs: np.ndarray) -> np.ndarray:
        """Per row, the largest probability / threshold ratio: >= 1 flags, the cascade's band is on this."""
        return np.asarray((probs / np.asarray(self._thresholds)[None, :]).max(axis=1), dtype=np.float64)

    def to_scores(self, probs: np.ndarray) -> list[Scores]:
        cols = [calibrate(probs[:, i], t, bar) for i, (t, bar) in enumerate(zip(self._thresholds, self._bars,
                                                                                 strict=True))]
        return [{label: round(float(col[row]), 4) for label, col in zip(self.head.labels, cols, strict=True)}
                for row in range(probs.shape[0])]

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        return self.with_voice(self.to_scores(self.probabilities(texts)), texts)

    def with_voice(self, out: list[Scores], texts: Sequence[str]) -> list[Scores]:
        """``out`` with the profanity voice's score added to each row (when the voice is on)."""
        if self.profanity is not None:
            for scores, value in zip(out, self.profanity.scores(texts), strict=True):
                scores[self.profanity.label] = round(value, 4)
        return out


#: The cascade's default band on the static margin (probability / threshold): below LOW the static scorer's
#: "not abusive" stands, at or above it the full encoder decides. Chosen on the corpus's out-of-fold margins
#: (0.5 keeps 94% of the abusive messages for the full scorer) before any thread was scored.
CASCADE_LOW = 0.5


class CascadeScorer:
    """Static scorer for every message; the full MiniLM scorer only for messages whose static margin is at
    least ``low`` (the static heads are not sure they are harmless). Its answer replaces the static one."""

    is_fallback = False
    skip_untargeted = True
    needs_evidence = True

    def __init__(self, static: StaticScorer, full: Scorer, low: float = CASCADE_LOW):
        if tuple(full.labels) != tuple(static.head.labels):
            raise ConfigError("the cascade's static and full scorers must have the same labels: retrain one")
        self.static = static
        self.full = full
        self.low = low
        self.key = "static+learned"
        self.name = f"{static.name}, then {full.name} from margin {low:g}"
        self.sent = 0  # messages the full scorer saw (for benchmarks)
        self.seen = 0

    @property
    def labels(self) -> tuple[str, ...]:
        return self.static.labels

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        probs = self.static.probabilities(texts)
        out = self.static.with_voice(self.static.to_scores(probs), texts)
        unsure = np.flatnonzero(self.static.margins(probs) >= self.low).tolist()
        self.seen += len(texts)
        if unsure:
            self.sent += len(unsure)
            for row, scores in zip(unsure, self.full.score_many([texts[i] for i in unsure]), strict=True):
                voice = self.static.profanity
                out[row] = scores if voice is None else {**scores, voice.label: out[row][voice.label]}
        return out
