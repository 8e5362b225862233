"""Held-out evaluation of the static scorer as it runs: ``python -m bot.abuse.static_eval``.

Leave one category out (heads trained without any of its messages, tested on them) and leave one source out
(the same for each writer/register of the corpus), with the thresholds of the shipped head. Each held-out
message goes through the run-time path of a model label: the agreement tier and detail ablation, the generic
label only beside a specific one, then :func:`bot.abuse.detector.build_flag` with its target, legal-punishment
and peer-request guards and the per-label evidence and short-message bar (:mod:`bot.abuse.evidence`). The pattern
layer is left out: these are the scorer's own figures. Writes its block into ``docs/abuse-model-card.md``.

Sources with fewer than ``--min-source`` messages are held out together with the other small ones of the same
kind (abusive or not), so that every fit is worth its minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import sparse

from bot.abuse import train as recipe
from bot.abuse.corpus import DEFAULT_CORPUS_DIR, Example, load_corpus
from bot.abuse.detector import AbuseScores, build_flag
from bot.abuse.evidence import SHORT_WORDS, unevidenced, word_count
from bot.abuse.guards import guarded_labels
from bot.abuse.labels import AbuseThresholds
from bot.abuse.learned import calibrate
from bot.abuse.static import STATIC_HEAD, STATIC_NGRAMS, STATIC_VECTORS, StaticEmbedder, StaticHead, specific_only
from bot.abuse.static_distill import load_vectors
from bot.abuse.static_ngrams import NgramBlock
from bot.abuse.static_train import STATIC_C, replace_block
from bot.abuse.targeting import find_target

MODEL_CARD = Path(__file__).resolve().parents[2] / "docs" / "abuse-model-card.md"
BLOCK_BEGIN = "<!-- static held-out evaluation: written by `python -m bot.abuse.static_eval` -->"
BLOCK_END = "<!-- end of static held-out evaluation -->"


def flagged_as_run(probs: np.ndarray, texts: Sequence[str], labels: Sequence[str],
                   thresholds: Sequence[float]) -> np.ndarray:
    """Per row, whether the run-time model path flags it (generic rule, target, guards, evidence)."""
    probs = specific_only(probs, labels, thresholds)
    bars = AbuseThresholds()
    cols = [calibrate(probs[:, i], t, bars.for_label(label) or 0.5)
            for i, (label, t) in enumerate(zip(labels, thresholds, strict=True))]
    out = np.zeros(len(texts), dtype=bool)
    for row, text in enumerate(texts):
        scores = {label: float(col[row]) for label, col in zip(labels, cols, strict=True)}
        near = {label for label, value in scores.items() if value >= 0.3}
        result = AbuseScores(scores=scores, targeted=True, target=find_target(text), guarded=guarded_labels(text),
                             unevidenced=unevidenced(text, near), short=word_count(text) <= SHORT_WORDS, gated=True)
        out[row] = build_flag(result, bars) is not None
    return out


def _groups(rows: Sequence[Example], min_source: int) -> dict[str, np.ndarray]:
    counts: dict[str, int] = {}
    for r in rows:
        counts[r.source] = counts.get(r.source, 0) + 1
    names = [r.source if counts[r.source] >= min_source else
             f"(small sources, {'abusive' if r.abusive else 'hard negative'})" for r in rows]
    return {name: np.array([n == name for n in names]) for name in sorted(set(names))}


def evaluate(corpus_dir: Path = DEFAULT_CORPUS_DIR, head_path: Path = STATIC_HEAD,
             vectors_path: Path = STATIC_VECTORS, ngrams_path: Path = STATIC_NGRAMS, min_source: int = 40,
             say: Callable[[str], None] = print) -> dict[str, Any]:
    started = time.monotonic()
    head = StaticHead.load(head_path)
    embedder = StaticEmbedder(load_vectors(vectors_path, head.vectors_sha256))
    rows = load_corpus(corpus_dir)
    texts = [r.text for r in rows]
    truth = np.array([r.abusive for r in rows])
    labels = head.labels
    thresholds = [head.thresholds[label] for label in labels]
    low = [head.confirm_thresholds[label] for label in labels]

    def held_out(keep: np.ndarray) -> np.ndarray:
        train_texts = [t for t, k in zip(texts, keep, strict=True) if k]
        grams, gram_x = NgramBlock.fit(train_texts)  # idf from the training side only

        def features(batch: Sequence[str]) -> sparse.csr_matrix:
            return sparse.hstack([sparse.csr_matrix(embedder.embed(batch).astype(np.float64)),
                                  grams.features(batch)], format="csr")

        x_train = sparse.hstack([sparse.csr_matrix(embedder.embed(train_texts).astype(np.float64)), gram_x],
                                format="csr")
        heads = recipe.fit_heads(x_train, [r for r, k in zip(rows, keep, strict=True) if k], c=STATIC_C)
        held = [t for t, k in zip(texts, keep, strict=True) if not k]
        probs = recipe._ablate(heads.proba(features(held)), held, heads.proba, thresholds, features, low)
        return flagged_as_run(probs, held, labels, thresholds)

    loco: dict[str, dict[str, Any]] = {}
    for cat in sorted({r.category for r in rows}):
        keep = np.array([r.category != cat for r in rows])
        pred = held_out(keep)
        loco[cat] = {"n": int((~keep).sum()), "abusive": bool(truth[~keep].all()), "rate": float(pred.mean())}
        say(f"leave out category {cat}: {'recall' if loco[cat]['abusive'] else 'false alarms'} "
            f"{loco[cat]['rate']:.3f} ({time.monotonic() - started:.0f} s)")
    loso: dict[str, dict[str, Any]] = {}
    for name, idx in _groups(rows, min_source).items():
        pred = held_out(~idx)
        p, r, fp, _ = recipe.pr(pred, truth[idx])
        loso[name] = {"n": int(idx.sum()), "abusive": int(truth[idx].sum()), "flagged": int(pred.sum()),
                      "precision": p, "recall": r, "false_alarms": fp}
        say(f"leave out source {name}: precision {p:.3f} recall {r:.3f} ({time.monotonic() - started:.0f} s)")
    return {"loco": loco, "loso": loso, "min_source": min_source, "messages": len(rows),
            "seconds": round(time.monotonic() - started, 1), "info": head.info}


def card_block(f: dict[str, Any]) -> str:
    lines = [
        "## Static scorer held out, as it runs (wave 6)",
        "",
        f"Corpus of {f['messages']:,} messages; heads refitted without the held-out part (n-gram idf too), the "
        "shipped thresholds; each held-out message through the run-time model path: agreement tier, detail "
        "ablation, generic label only beside a specific one, target, guards, per-label evidence and the "
        "short-message bar (`bot/abuse/evidence.py`). The pattern layer is not included. Written by "
        f"`python -m bot.abuse.static_eval` in {f['seconds']:.0f} s.",
        "",
        "### Leave one category out",
        "",
        "| held-out category | messages | recall (abusive) / false-alarm rate (hard negative) |",
        "|---|---|---|",
    ]
    for cat, v in f["loco"].items():
        lines.append(f"| {cat} | {v['n']} | {'recall' if v['abusive'] else 'false alarms'} {v['rate']:.3f} |")
    lines += ["", "### Leave one source out",
              "", f"Sources under {f['min_source']} messages are held out together, abusive and hard-negative "
              "ones apart.", "",
              "| held-out source | messages | abusive | flagged | precision | recall | false alarms |",
              "|---|---|---|---|---|---|---|"]
    for name, v in f["loso"].items():
        lines.append(f"| {name} | {v['n']} | {v['abusive']} | {v['flagged']} | {v['precision']:.3f} | "
                     f"{v['recall']:.3f} | {v['false_alarms']} |")
    return "\n".join(lines)


def write_block(card_path: Path, block: str) -> None:
    """Replace the held-out block of the model card (appended at its end when absent)."""
    replace_block(card_path, BLOCK_BEGIN, BLOCK_END, block)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.abuse.static_eval", description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS_DIR)
    parser.add_argument("--head", type=Path, default=STATIC_HEAD)
    parser.add_argument("--card", type=Path, default=MODEL_CARD)
    parser.add_argument("--min-source", type=int, default=40)
    args = parser.parse_args(argv)
    head_dir = args.head.parent
    figures = evaluate(args.corpus, args.head, head_dir / STATIC_VECTORS.name, head_dir / STATIC_NGRAMS.name,
                       args.min_source)
    write_block(args.card, card_block(figures))
    print(f"model card -> {args.card}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
