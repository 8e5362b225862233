"""Training the identifying-detail scorer: ``python -m bot train identity``.

1. Read the written corpus (``tests/data/identity/corpus.tsv``: label, source, text; a label is a detail kind or
   ``none:<category>`` for a hard negative).
2. Features as at run time: the shipped static word-piece vectors (``bot/data/abuse/static_vectors.npz``, pinned by
   sha256) and hashed word/character n-grams with the corpus's idf (:class:`bot.abuse.static_ngrams.NgramBlock`).
3. One logistic regression per head (``any`` = any kind against every negative; one per kind against the rest),
   fixed seed. The any head's threshold is the lowest (>= 0.5) whose 5-fold out-of-fold precision reaches
   ``TARGET_PRECISION``.
4. Leave-one-kind-out (the any head trained without one kind's positives, recall on that kind) and
   leave-one-source-out (trained without one template family, recall and precision on it).
5. Write ``bot/data/identity/detail_head.json``, ``detail_ngrams.npz`` and the figures block of
   ``docs/identity-model-card.md``.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from bot.abuse.static import STATIC_VECTORS, StaticEmbedder
from bot.abuse.static_distill import load_vectors
from bot.abuse.static_ngrams import NgramBlock
from bot.errors import ConfigError
from bot.identity_model.scorer import ANY, HEAD_PATH, NGRAMS_PATH, DetailHead

SEED = 20261206
C = 8.0  # inverse L2 strength: the abuse static heads' value with both blocks, taken as is (not tuned here)
TARGET_PRECISION = 0.98
FOLDS = 5
NONE = "none:"
DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "tests" / "data" / "identity" / "corpus.tsv"
CARD = Path(__file__).resolve().parents[2] / "docs" / "identity-model-card.md"
BLOCK_BEGIN = "<!-- figures: written by `python -m bot train identity` -->"
BLOCK_END = "<!-- end of figures -->"


@dataclass(frozen=True, slots=True)
class Row:
    label: str
    source: str
    text: str
    group: str = ""  # the template a sentence came from: folds never split one

    @property
    def positive(self) -> bool:
        return not self.label.startswith(NONE)


def load_corpus(path: Path = DEFAULT_CORPUS) -> list[Row]:
    try:
        with Path(path).open(encoding="utf-8", newline="") as f:
            rows = [Row(r["label"].strip(), r["source"].strip(), r["text"].strip(), (r.get("group") or "").strip())
                    for r in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
    except (OSError, KeyError, csv.Error) as exc:
        raise ConfigError(f"cannot read the identifying-detail corpus {path}: {exc}") from exc
    rows = [r for r in rows if r.text]
    if not any(r.positive for r in rows) or all(r.positive for r in rows):
        raise ConfigError(f"identifying-detail corpus {path} needs both positives and negatives")
    return rows


def _fit(x: sparse.csr_matrix, y: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    if y.all() or not y.any():  # a head with one class: a constant
        return np.zeros(x.shape[1]), (8.0 if y.all() else -8.0)
    # only the columns these rows use: an unused column's weight is 0 at the optimum (L2), and L-BFGS over the
    # 2 x 2^18 hashed slots costs most of the time
    used = np.unique(x.indices)
    model = LogisticRegression(C=C, max_iter=3000, random_state=SEED)
    model.fit(x[:, used], y)
    coef = np.zeros(x.shape[1])
    coef[used] = model.coef_[0]
    return coef, float(model.intercept_[0])


def _proba(x: sparse.csr_matrix, coef: np.ndarray, intercept: float) -> np.ndarray:
    z = np.asarray(x @ coef).ravel() + intercept
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def choose_threshold(prob: np.ndarray, y: np.ndarray, target: float = TARGET_PRECISION) -> float:
    """The abuse heads' rule (:func:`bot.abuse.train.choose_threshold`) at this model's precision target."""
    from bot.abuse.train import choose_threshold as lowest_at_precision  # train time only: it imports the encoder

    return lowest_at_precision(prob, y, target)


def _folds(rows: Sequence[Row], k: int) -> list[np.ndarray]:
    """Fold ids by template group (a sentence without a group is its own), positives' and negatives' groups dealt
    out separately so each fold has both; fixed seed. Splitting a template across folds would score the head on
    sentences it has all but seen."""
    rnd = np.random.default_rng(SEED)
    fold = np.zeros(len(rows), dtype=int)
    for cls in (True, False):
        groups = sorted({r.group or f"row{i}" for i, r in enumerate(rows) if r.positive is cls})
        order = rnd.permutation(len(groups))
        of = {groups[g]: n % k for n, g in enumerate(order)}
        for i, r in enumerate(rows):
            if r.positive is cls:
                fold[i] = of[r.group or f"row{i}"]
    return [np.flatnonzero(fold == i) for i in range(k)]


def _pr(flagged: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    tp = int((flagged & y).sum())
    return (tp / max(1, int(flagged.sum())), tp / max(1, int(y.sum())))


def train_identity(corpus: Path = DEFAULT_CORPUS, head_path: Path = HEAD_PATH, ngrams_path: Path | None = None,
                   vectors_path: Path = STATIC_VECTORS, vectors_sha256: str | None = None,
                   card_path: Path | None = CARD, folds: int = FOLDS,
                   say: Callable[[str], None] = print) -> dict[str, Any]:
    rows = load_corpus(corpus)
    data = Path(vectors_path).read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    if vectors_sha256 is not None and sha != vectors_sha256:
        raise ConfigError(f"static vectors {vectors_path} are not the pinned file")
    embedder = StaticEmbedder(load_vectors(vectors_path, sha))
    texts = [r.text for r in rows]
    grams, gram_x = NgramBlock.fit(texts)
    x = sparse.hstack([sparse.csr_matrix(embedder.embed(texts).astype(np.float64)), gram_x], format="csr")
    y = np.array([r.positive for r in rows])
    kinds = sorted({r.label for r in rows if r.positive})
    heads = (ANY, *kinds)

    # out-of-fold any head: threshold, figures per kind and per negative category
    oof = np.zeros(len(rows))
    for test in _folds(rows, folds):
        train = np.setdiff1d(np.arange(len(rows)), test)
        coef, b = _fit(x[train], y[train])
        oof[test] = _proba(x[test], coef, b)
    threshold = choose_threshold(oof, y)
    flagged = oof >= threshold
    precision, recall = _pr(flagged, y)
    by_label = {label: {"n": int(sum(r.label == label for r in rows)),
                        "rate": float(flagged[[r.label == label for r in rows]].mean())}
                for label in sorted({r.label for r in rows})}

    # leave one kind out: can the any head find a kind it never saw?
    loko = {}
    for kind in kinds:
        held = np.array([r.label == kind for r in rows])
        coef, b = _fit(x[~held], y[~held])
        loko[kind] = float((_proba(x[held], coef, b) >= threshold).mean())
    # leave one source (template family) out
    loso = {}
    for source in sorted({r.source for r in rows}):
        held = np.array([r.source == source for r in rows])
        coef, b = _fit(x[~held], y[~held])
        p, r_ = _pr(_proba(x[held], coef, b) >= threshold, y[held])
        loso[source] = {"n": int(held.sum()), "precision": p, "recall": r_}

    # final heads on everything
    coefs, intercepts = [], []
    for name in heads:
        target = y if name == ANY else np.array([r.label == name for r in rows])
        coef, b = _fit(x, target)
        coefs.append(coef)
        intercepts.append(b)
    w = np.stack(coefs, axis=1)
    dims = embedder.dim
    block = NgramBlock(grams.idf, w[dims:])
    gram_bytes = block.to_bytes()
    ngrams_path = ngrams_path or head_path.with_name(NGRAMS_PATH.name)
    head_path.parent.mkdir(parents=True, exist_ok=True)
    ngrams_path.write_bytes(gram_bytes)
    corpus_hash = hashlib.sha256("\n".join(f"{r.label}\t{r.source}\t{r.text}" for r in rows).encode()).hexdigest()
    info = {"seed": SEED, "C": C, "target_precision": TARGET_PRECISION, "folds": folds,
            "sentences": len(rows), "positives": int(y.sum()), "corpus_sha256_16": corpus_hash[:16],
            "folds_by": "template group",
            "features": f"static vectors ({dims}-d, shared with the abuse scorer) + hashed word 1-2 / "
                        "char_wb 2-5 n-grams, tf-idf"}
    head = DetailHead(heads, w[:dims].astype(np.float64), np.asarray(intercepts), threshold, sha,
                      hashlib.sha256(gram_bytes).hexdigest(), info)
    head_path.write_text(head.to_json(), encoding="utf-8")
    figures = {"threshold": threshold, "oof": {"precision": precision, "recall": recall}, "by_label": by_label,
               "loko": loko, "loso": loso, "info": info, "head_bytes": head_path.stat().st_size,
               "ngram_bytes": len(gram_bytes)}
    if card_path is not None:
        write_block(card_path, figures_block(figures))
    say(f"identifying-detail scorer out-of-fold: precision {precision:.3f} recall {recall:.3f} at {threshold}; "
        f"head -> {head_path}")
    return figures


def write_block(card_path: Path, block: str) -> None:
    """Replace the card's figures block (:func:`bot.abuse.static_train.replace_block`), starting a card when none
    exists."""
    from bot.abuse.static_train import replace_block  # train time only

    if not card_path.exists():
        card_path.write_text("# Identifying-detail model card\n", encoding="utf-8")
    replace_block(card_path, BLOCK_BEGIN, BLOCK_END, block)


def figures_block(f: dict[str, Any]) -> str:
    info = f["info"]
    lines = [
        f"Corpus: {info['sentences']} sentences, {info['positives']} positives (corpus sha256 "
        f"`{info['corpus_sha256_16']}…`). Seed {info['seed']}, C={info['C']}, {info['folds']}-fold by template "
        "(no template's sentences on both sides of a fold).",
        f"Features: {info['features']}. Artefacts: `detail_head.json` {f['head_bytes'] / 1e3:.0f} KB, "
        f"`detail_ngrams.npz` {f['ngram_bytes'] / 1e3:.0f} KB.",
        "",
        f"**Out-of-fold, any-detail head** at threshold {f['threshold']} (lowest >= 0.5 reaching precision "
        f"{info['target_precision']}): precision {f['oof']['precision']:.3f}, recall {f['oof']['recall']:.3f}.",
        "",
        "| label | sentences | out-of-fold rate (recall for a kind, false-alarm rate for none:*) |",
        "|---|---|---|",
    ]
    lines += [f"| {k} | {v['n']} | {v['rate']:.3f} |" for k, v in f["by_label"].items()]
    lines += ["", "**Leave one kind out** (any head trained without that kind's positives; recall on them):", "",
              "| kind held out | recall |", "|---|---|"]
    lines += [f"| {k} | {v:.3f} |" for k, v in f["loko"].items()]
    lines += ["", "**Leave one source out** (template family held out):", "",
              "| source held out | sentences | precision | recall |", "|---|---|---|---|"]
    lines += [f"| {k} | {v['n']} | {v['precision']:.3f} | {v['recall']:.3f} |" for k, v in f["loso"].items()]
    return "\n".join(lines)
