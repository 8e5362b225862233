"""Distilling and training the static abuse scorer: ``python -m bot train abuse --static``.

1. Distil: every word piece through the shipped MiniLM (:mod:`bot.abuse.static_distill`), PCA, 4-bit
   artefact ``bot/data/abuse/static_vectors.npz`` (its sha256 goes into the head's metadata). The encoder's
   raw per-piece outputs are cached under the cache directory (keyed by the encoder's and tokenizer's sha256),
   so retraining the heads does not re-run the encoder.
2. Train: the learned scorer's recipe (:mod:`bot.abuse.train`) on the static embeddings of the same corpus,
   as the run-time scorer computes them from the written artefact: per-label logistic heads, thresholds and
   agreement-tier thresholds on 5-fold out-of-fold predictions (fixed seed), refit on everything.
   The features are the static embedding and, beside it, hashed word and character n-grams with the corpus's
   idf (:mod:`bot.abuse.static_ngrams`); one logistic regression per label reads both.
3. Write ``bot/data/abuse/static_head.json``, ``static_ngrams.npz`` and the static block of the model card.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from bot.abuse import train as recipe
from bot.abuse.corpus import DEFAULT_CORPUS_DIR, load_corpus
from bot.abuse.encoder import TOKENIZER_PATH, MiniLMEncoder, file_sha256
from bot.abuse.static import (
    CASCADE_LOW,
    STATIC_HEAD,
    STATIC_NGRAMS,
    STATIC_VECTORS,
    StaticEmbedder,
    StaticHead,
    specific_only,
)
from bot.abuse.static_distill import (
    PCA_DIMS,
    SIF_COEFFICIENT,
    kept_ids,
    load_vectors,
    piece_outputs,
    post_process,
    sha256_bytes,
    to_bytes,
    vocabulary,
)
from bot.abuse.static_ngrams import NgramBlock

#: Inverse L2 strength of the static heads. Vectors alone: 64 (4, 16, 64 tried on out-of-fold figures). With the
#: n-gram block beside them (wave 5): 8, the value tried first; out-of-fold recall at precision 0.95 went from
#: 0.46 (vectors alone) to 0.72 (vectors + word and character n-grams).
STATIC_C = 8.0
#: The generic ``abuse`` label flags only beside a specific one (:func:`bot.abuse.static.specific_only`).
GENERIC_NEEDS_SPECIFIC = True
BLOCK_BEGIN = "<!-- static scorer: written by `python -m bot train abuse --static` -->"
BLOCK_END = "<!-- end of static scorer block -->"


def raw_piece_outputs(cache_dir: Path, say: Callable[[str], None]) -> tuple[np.ndarray, list[int], int]:
    """The encoder's output for every kept piece (cached), the kept ids and the vocabulary size."""
    encoder = MiniLMEncoder()
    pieces = vocabulary(TOKENIZER_PATH)
    ids = kept_ids(pieces)
    key = f"{file_sha256(encoder.model_path)[:16]}-{file_sha256(TOKENIZER_PATH)[:16]}"
    path = cache_dir / f"static-pieces-{key}.npy"
    if path.is_file():
        raw = np.load(path, allow_pickle=False)
        if raw.shape[0] == len(ids):
            return raw, ids, len(pieces)
    say(f"distilling {len(ids):,} word pieces through the encoder (once; about half a minute of CPU)")
    raw = piece_outputs(encoder.pooled_ids, ids, encoder.token_id("[CLS]"), encoder.token_id("[SEP]"), say)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, raw)
    return raw, ids, len(pieces)


def train_static(corpus_dir: Path = DEFAULT_CORPUS_DIR, cache_dir: Path = Path("data/cache"),
                 vectors_path: Path = STATIC_VECTORS, head_path: Path = STATIC_HEAD,
                 ngrams_path: Path | None = None, card_path: Path | None = None,
                 say: Callable[[str], None] = print) -> dict[str, Any]:
    started = time.monotonic()
    raw, ids, size = raw_piece_outputs(cache_dir, say)
    data = to_bytes(post_process(raw, ids, size, PCA_DIMS, SIF_COEFFICIENT))
    vectors_path.parent.mkdir(parents=True, exist_ok=True)
    vectors_path.write_bytes(data)
    sha = sha256_bytes(data)
    embedder = StaticEmbedder(load_vectors(vectors_path, sha))

    rows = load_corpus(corpus_dir)
    texts = [r.text for r in rows]
    truth = np.array([r.abusive for r in rows])
    grams, gram_x = NgramBlock.fit(texts)
    dims = embedder.dim

    def features(batch: Sequence[str]) -> sparse.csr_matrix:
        return sparse.hstack([sparse.csr_matrix(embedder.embed(batch).astype(np.float64)), grams.features(batch)],
                             format="csr")

    x = sparse.hstack([sparse.csr_matrix(embedder.embed(texts).astype(np.float64)), gram_x], format="csr")
    labels = recipe.HEAD_LABELS
    oof, owners = recipe.out_of_fold(x, rows, c=STATIC_C)
    thresholds: list[float] = []
    low: list[float] = []
    for i, label in enumerate(labels):
        use, y = recipe._mask_for(label, rows)
        t = recipe.choose_threshold(oof[use, i], y[use])
        thresholds.append(t)
        low.append(min(t, recipe.choose_threshold(oof[use, i], y[use], recipe.CONFIRM_PRECISION)))
    head_only = recipe.pr(recipe.flags(oof, thresholds), truth)
    ablated = oof.copy()
    for heads in {id(h): h for h in owners}.values():
        idx = np.array([o is heads for o in owners])
        ablated[idx] = recipe._ablate(oof[idx], [t for t, k in zip(texts, idx, strict=True) if k], heads.proba,
                                      thresholds, features, low)
    if GENERIC_NEEDS_SPECIFIC:
        ablated = specific_only(ablated, labels, thresholds)
    flagged = recipe.flags(ablated, thresholds)
    p_all, r_all, fp_all, _ = recipe.pr(flagged, truth)
    margin = (ablated / np.asarray(thresholds)[None, :]).max(axis=1)
    unsure = margin >= CASCADE_LOW
    by_category = {}
    for cat in sorted({r.category for r in rows}):
        idx = np.array([r.category == cat for r in rows])
        by_category[cat] = {"n": int(idx.sum()), "abusive": bool(truth[idx].all()), "rate": float(flagged[idx].mean())}

    final = recipe.fit_heads(x, rows, c=STATIC_C)
    grams = NgramBlock(grams.idf, final.coef[dims:])
    gram_bytes = grams.to_bytes()
    ngrams_path = ngrams_path or head_path.parent / STATIC_NGRAMS.name
    ngrams_path.write_bytes(gram_bytes)
    corpus_hash = hashlib.sha256("\n".join(f"{r.category}\t{r.text}" for r in rows).encode()).hexdigest()[:16]
    info = {"seed": recipe.SEED, "C": STATIC_C, "ngrams": "word 1-2 + char_wb 2-5, hashed 2x2^18, tf-idf",
            "generic_needs_specific": GENERIC_NEEDS_SPECIFIC, "pca_dims": PCA_DIMS, "sif": SIF_COEFFICIENT,
            "pieces_distilled": len(ids), "vectors": "4-bit, one float16 scale per row",
            "encoder": MiniLMEncoder.encoder_id, "corpus_messages": len(rows),
            "corpus_sha256_16": corpus_hash,
            "target_precision": recipe.TARGET_PRECISION, "confirm_precision": recipe.CONFIRM_PRECISION}
    head = StaticHead(labels, final.coef[:dims].astype(np.float32), final.intercept.astype(np.float32),
                      dict(zip(labels, thresholds, strict=True)), dict(zip(labels, low, strict=True)), sha, info,
                      ngrams_sha256=sha256_bytes(gram_bytes), generic_needs_specific=GENERIC_NEEDS_SPECIFIC)
    head_path.write_text(head.to_json(), encoding="utf-8")
    figures = {"oof_any": {"precision": p_all, "recall": r_all, "false_alarms": fp_all},
               "oof_head_only": {"precision": head_only[0], "recall": head_only[1], "false_alarms": head_only[2]},
               "cascade": {"low": CASCADE_LOW, "share": float(unsure.mean()),
                           "abusive_reached": float(unsure[truth].mean()),
                           "negatives_reached": float(unsure[~truth].mean())},
               "by_category": by_category, "info": info, "vectors_bytes": len(data), "sha256": sha,
               "ngram_bytes": len(gram_bytes),
               "seconds": round(time.monotonic() - started, 1)}
    if card_path is not None:
        write_block(card_path, static_block(figures))
    say(f"static scorer out-of-fold (any label): precision {p_all:.3f} recall {r_all:.3f}; "
        f"vectors {len(data) / 1e6:.1f} MB -> {vectors_path}; head -> {head_path}")
    return figures


def replace_block(card_path: Path, begin: str, end: str, block: str, after: str = "") -> None:
    """Replace the model card's block between the ``begin`` and ``end`` markers, or append it (after the
    ``after`` marker, itself appended when absent)."""
    text = card_path.read_text(encoding="utf-8") if card_path.exists() else ""
    wrapped = f"{begin}\n{block}\n{end}"
    if begin in text and end in text:
        text = text[:text.index(begin)] + wrapped + text[text.index(end) + len(end):]
    else:
        if after and after not in text:
            text += f"\n{after}\n"
        text = text.rstrip("\n") + "\n\n" + wrapped + "\n"
    card_path.write_text(text, encoding="utf-8")


def write_block(card_path: Path, block: str) -> None:
    """Replace the static block of the model card (appended after the kept marker when absent)."""
    replace_block(card_path, BLOCK_BEGIN, BLOCK_END, block, after=recipe.KEPT_MARKER)


def static_block(f: dict[str, Any]) -> str:
    info = f["info"]
    lines: list[str] = [
        "## Static scorer (MiniLM distilled into word-piece vectors)",
        "",
        f"- **Vectors**: each of the tokenizer's {info['pieces_distilled']:,} word pieces (reserved slots left out) "
        "run through the shipped MiniLM as `[CLS] piece [SEP]`, mean-pooled; PCA to "
        f"{info['pca_dims']} dimensions; SIF weighting {info['sif'] or 'off'}; stored {info['vectors']} in "
        f"`bot/data/abuse/static_vectors.npz` ({f['vectors_bytes'] / 1e6:.1f} MB, sha256 `{f['sha256'][:16]}…` "
        "pinned in `static_head.json` and checked at load). A message is the normalised mean of its pieces "
        "(`model2vec.StaticModel`).",
        "- **N-grams** (`bot/abuse/static_ngrams.py`): beside the embedding, TF-IDF weights of the message's "
        f"{info.get('ngrams', 'n-grams')} (`bot/data/abuse/static_ngrams.npz`, {f.get('ngram_bytes', 0) / 1e6:.1f} MB: "
        "idf and float16 weights of the slots the corpus has; sha256 pinned in `static_head.json`).",
        f"- **Heads**: the learned scorer's recipe on both blocks (C={info['C']}, seed {info['seed']}), "
        "with its agreement tier and detail ablation; thresholds at out-of-fold precision "
        f"{info['target_precision']}. "
        + ("The generic `abuse` label flags only beside a specific label over its threshold (it alone reads bare "
           "details and heated @-replies as hostile)." if info.get("generic_needs_specific") else ""),
        f"- **Out-of-fold (corpus, any label)**: precision {f['oof_any']['precision']:.3f}, recall "
        f"{f['oof_any']['recall']:.3f} ({f['oof_any']['false_alarms']} false alarms); heads alone "
        f"{f['oof_head_only']['precision']:.3f} / {f['oof_head_only']['recall']:.3f}.",
        f"- **Cascade band** (static margin = probability / threshold ≥ {f['cascade']['low']:g} goes to the full "
        f"encoder): {f['cascade']['share']:.1%} of corpus messages, {f['cascade']['abusive_reached']:.1%} of the "
        f"abusive ones, {f['cascade']['negatives_reached']:.1%} of the hard negatives (out-of-fold).",
        "",
        "| category | messages | static recall (abuse) / false-alarm rate (hard negative) |",
        "|---|---|---|",
    ]
    for cat, v in f["by_category"].items():
        lines.append(f"| {cat} | {v['n']} | {'recall' if v['abusive'] else 'false alarms'} {v['rate']:.3f} |")
    return "\n".join(lines)

