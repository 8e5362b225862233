"""Whole-process scan benchmark: ``python -m bot bench scan``.

Writes a JSONL export of ``--messages`` DISTINCT forum messages (default 20,000) and times
``python -m bot scan`` on it in a fresh process per configuration (the default offline scorer, the
alt-profanity-check fallback, the static scorer, the static -> MiniLM cascade, the learned scorer,
``--no-abuse``): wall-clock messages per second, and the child's CPU seconds. Messages come from
the project's own hand-written texts (the abuse corpus, the labelled abuse sets, the bundled threads);
each is made distinct by a short forum opener and/or closer (``"Honestly, ..."``, ``"... just saying."``),
so every text is scored, not answered from a cache. It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CASE = ROOT / "tests" / "data" / "heldout" / "case.toml"
CONFIGS = {
    "default": {},  # ABUSE_BACKEND=auto without Detoxify weights: whatever the factory's offline default is
    "fallback": {"ABUSE_BACKEND": "fallback"},
    "static": {"ABUSE_BACKEND": "static"},
    "cascade": {"ABUSE_BACKEND": "cascade"},
    "learned": {"ABUSE_BACKEND": "learned"},
    "no-abuse": {},
}
_OPENERS = (
    "Honestly,", "Tbh", "To be fair,", "Mate,", "Right,", "Well,", "Look,", "Seriously,", "So", "Erm,", "Yeah,",
    "Agreed.", "Not sure about that.", "Read the thread.", "Just catching up.", "Ok so", "Sorry but", "Aye,",
    "Listen,", "Fair point, but", "Oh come on,", "Wow.", "Hmm.", "Bumping this:", "Update:", "Same here,",
    "As I said earlier,", "For what it's worth,", "Genuinely,", "Lol", "Ffs", "Christ,", "Blimey,", "Cheers,",
)
_CLOSERS = (
    "just saying.", "imo", "tbh", "lol", "again.", "end of.", "as usual.", "x", "anyway.", "fwiw.", "sadly.",
    "if you ask me.", "for the record.", "honestly.", "mind.", "like.", "though.", "right?", "innit", "smh",
    "no idea why.", "every single time.", "and that's that.", "we'll see.", "#justice", "!!", "...", "?",
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--messages", type=int, default=20000, help="distinct messages in the export")
    parser.add_argument("--configs", default=",".join(CONFIGS), help="comma-separated: " + ", ".join(CONFIGS))
    parser.add_argument("--case", type=Path, default=DEFAULT_CASE, help="case file the scan runs against")
    parser.add_argument("--repeat", type=int, default=1, help="runs per configuration (best wall time kept)")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=None, help="keep the generated export here")


def source_texts(root: Path = ROOT) -> list[str]:
    """Every hand-written message the repository keeps (corpus lines, labelled sets, bundled threads)."""
    texts: list[str] = []
    for path in sorted((root / "tests" / "data" / "abuse" / "corpus").glob("*.txt")):
        texts += [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
                  if line.strip() and not line.startswith("#")]
    for path in sorted((root / "tests" / "abuse" / "data").glob("*.jsonl")) + sorted(
            (root / "tests" / "data").rglob("messages.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            text = row.get("text") or row.get("content") if isinstance(row, dict) else None
            if isinstance(text, str) and text.strip():
                texts.append(text.strip())
    return list(dict.fromkeys(texts))


def distinct_messages(count: int, seed: int = 12, pool: list[str] | None = None) -> list[str]:
    """``count`` distinct texts: the pool first, then pool texts with a forum opener and/or closer."""
    pool = pool if pool is not None else source_texts()
    rng = random.Random(seed)
    out: dict[str, None] = dict.fromkeys(pool[:count])
    while len(out) < count:
        text = rng.choice(pool)
        shape = rng.randrange(3)
        if shape != 1:
            text = f"{rng.choice(_OPENERS)} {text[:1].lower()}{text[1:]}"
        if shape != 0:
            text = f"{text} {rng.choice(_CLOSERS)}"
        out.setdefault(text)
    texts = list(out)
    rng.shuffle(texts)
    return texts


def cold_messages(count: int, tokens: int = 40, seed: int = 7, pool: list[str] | None = None) -> list[str]:
    """``count`` distinct messages of about ``tokens - 2`` words (see :func:`iter_cold`)."""
    return list(itertools.islice(iter_cold(tokens, seed, pool), count))


def iter_cold(tokens: int = 40, seed: int = 7, pool: list[str] | None = None) -> Iterator[str]:
    """Distinct messages of about ``tokens - 2`` words that no bundled text contains: runs of 3-9 words cut from
    random hand-written texts and joined, with about one word in twenty misspelt (two letters swapped, as forum
    typing does). A scorer's caches see each for the first time, so a benchmark over them measures new text, not a
    warm pool cycled (the forum's vocabulary still repeats, as a real server's does)."""
    pool = pool if pool is not None else source_texts()
    words_of = [t.split() for t in pool if t.split()]
    rng = random.Random(seed * 7919 + tokens)
    seen: set[str] = set()
    size = max(1, tokens - 2)
    while True:
        words: list[str] = []
        while len(words) < size:
            src = rng.choice(words_of)
            start = rng.randrange(len(src))
            words += src[start:start + rng.randint(3, 9)]
        words = words[:size]
        for i, w in enumerate(words):
            if len(w) > 3 and rng.random() < 0.05:
                j = rng.randrange(len(w) - 1)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
        text = " ".join(words)
        if text not in seen:
            seen.add(text)
            yield text


def write_export(path: Path, texts: list[str]) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"b{i:06d}", "author": f"member{i % 97}", "content": text,
                                 "timestamp": f"2026-01-{1 + i // 86400 % 28:02d}T{i // 3600 % 24:02d}:"
                                              f"{i // 60 % 60:02d}:{i % 60:02d}+00:00"}) + "\n")


def time_scan(case: Path, export: Path, config: str) -> dict[str, float]:
    """One ``python -m bot scan`` in a child process: wall seconds, child CPU seconds, flagged lines."""
    env = {k: v for k, v in os.environ.items() if k != "ABUSE_BACKEND"}
    env = {**env, "ABUSE_LEARNED": "0", **CONFIGS[config]}
    cmd = [sys.executable, "-m", "bot", "scan", "--case", str(case), str(export), "--no-images"]
    if config == "no-abuse":
        cmd.append("--no-abuse")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise RuntimeError(f"scan ({config}) failed: {proc.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall": wall, "cpu": cpu, "flagged": float(proc.stdout.count("\n"))}


def run(args: argparse.Namespace) -> int:
    configs = [c for c in args.configs.split(",") if c]
    unknown = sorted(set(configs) - set(CONFIGS))
    if unknown:
        print(f"error: unknown config(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    texts = distinct_messages(args.messages, args.seed)
    with tempfile.TemporaryDirectory(prefix="casewatch-scan-bench-") as tmp:
        export = args.out or Path(tmp) / "messages.jsonl"
        write_export(export, texts)
        words = sum(len(t.split()) for t in texts) / len(texts)
        print(f"{len(texts)} distinct messages ({len(set(texts))} distinct texts, {words:.1f} words on average), "
              f"case {args.case.name}; load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} "
              f"on {os.cpu_count()} CPUs")
        print(f"{'config':10} {'wall s':>7} {'msg/s':>7} {'cpu s':>7} {'msg/cpu-s':>9} {'flagged':>7}")
        for config in configs:
            best: dict[str, float] | None = None
            for _ in range(max(1, args.repeat)):
                r = time_scan(args.case, export, config)
                best = r if best is None or r["wall"] < best["wall"] else best
            assert best is not None
            print(f"{config:10} {best['wall']:>7.2f} {len(texts) / best['wall']:>7.0f} {best['cpu']:>7.2f} "
                  f"{len(texts) / best['cpu']:>9.0f} {best['flagged']:>7.0f}", flush=True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0
