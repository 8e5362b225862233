"""Abuse scoring benchmark: ``python -m bot bench abuse`` (or ``python -m bot.abuse.bench``).

Measures the static scorer (MiniLM distilled into word-piece vectors), the cascade (static, then the full
encoder for the messages it is unsure about), the learned offline scorer (shipped MiniLM encoder + trained
head) and the alt-profanity-check fallback beside Detoxify: the stock
weights when a pull or ``DETOXIFY_CHECKPOINT`` provides them (else one line says they are absent), and a
random-weight, full-size ``bert-base-uncased``-shaped checkpoint (compute does not depend on weight values)
exported to ONNX fp32 and int8. In a fresh process per backend: messages per second and p50/p99 latency per
call at each batch size and message length (``cold`` rows: every message new to the scorer; ``warm``: a
cycled pool), and the process's peak RSS. Then a load run: cold messages (``--lag-texts``) of
``--lag-tokens`` tokens arrive at ``--lag-rate`` a second through the real micro-batcher
(:class:`~bot.abuse.batching.BatchingScorer`, scoring off the loop), measuring the event loop's lag and each
message's abuse-flag latency (arrival to flags) for the offline scorer (``offline``: what ``ABUSE_BACKEND=auto``
picks without Detoxify weights), the learned scorer, and ONNX int8 Detoxify with and without overflow to the
offline default (static) past ``--max-age-ms``. Nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BACKENDS = ("static", "cascade", "learned", "detoxify", "onnx-fp32", "onnx-int8", "fallback", "offline", "stock",
            "none")
LABELLED_SET = Path(__file__).resolve().parents[2] / "tests" / "abuse" / "data" / "forum_abuse.jsonl"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--backends", default=",".join(BACKENDS), help="comma-separated: " + ", ".join(BACKENDS))
    parser.add_argument("--batch-sizes", default="1,8,32")
    parser.add_argument("--lengths", default="16,40,150",
                        help="message lengths in tokens (16: a typical short forum message, with [CLS]/[SEP])")
    parser.add_argument("--seconds", type=float, default=2.0, help="minimum time per measurement")
    parser.add_argument("--repeat", type=int, default=2,
                        help="rounds over all backends; each configuration reports its best round")
    parser.add_argument("--size", default="base", choices=("base", "tiny"), help="checkpoint shape")
    parser.add_argument("--work-dir", type=Path, default=None, help="where the checkpoint and ONNX files go")
    parser.add_argument("--lag-rate", type=float, default=100.0, help="messages per second for the lag test")
    parser.add_argument("--lag-seconds", type=float, default=6.0)
    parser.add_argument("--lag-backends", default="none,offline,learned,onnx-int8,onnx-int8+overflow",
                        help="backends for the load run; none: the same arrivals and ticker, no scoring (the "
                             "machine's own lag, a control); NAME+overflow: past --max-age-ms new messages go to "
                             "the offline default (static), as the bot sends them")
    parser.add_argument("--max-age-ms", type=float, default=500.0,
                        help="queue age bound of the load runs, as ABUSE_MAX_QUEUE_AGE_MS (the bot's default); "
                             "0: none, except for NAME+overflow runs")
    parser.add_argument("--lag-tokens", default="16,40", help="message lengths for the lag test")
    parser.add_argument("--texts", default="cold,warm",
                        help="throughput rows: cold (every message new to the scorer: fragments of the project's "
                             "hand-written texts spliced, some words misspelt) and/or warm (a pool of 256 synthetic "
                             "messages cycled, as earlier waves measured: caches answer most of the work)")
    parser.add_argument("--lag-texts", default="cold", choices=("cold", "warm"),
                        help="load run messages: cold (every arrival new, the honest figure) or warm (a pool of 512 "
                             "synthetic messages cycled)")
    parser.add_argument("--max-batch", type=int, default=16)
    parser.add_argument("--wait-ms", type=float, default=50.0)


def _messages(n_tokens: int, count: int, seed: int = 1) -> list[str]:
    """Messages of exactly ``n_tokens`` tokens with the synthetic vocabulary (one word, one token)."""
    from bot.abuse.synthetic import _WORDS

    words = _WORDS.split()
    rng = random.Random(seed * 1000 + n_tokens)
    return [" ".join(rng.choice(words) for _ in range(n_tokens - 2)) for _ in range(count)]


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM; unlike ru_maxrss it does not inherit the parent's peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stock_checkpoint() -> Path | None:
    """Real Detoxify weights, when a pull, DETOXIFY_CHECKPOINT or torch's hub cache holds them (never downloads)."""
    from bot.abuse.checkpoint import locate_checkpoint
    from bot.abuse.pull import pulled_checkpoint
    from bot.settings import load_settings

    settings = load_settings()
    try:
        return locate_checkpoint(settings.detoxify_model, settings.detoxify_checkpoint) or pulled_checkpoint(settings)
    except Exception:  # a broken setting is reported by the bot itself; here it only means "no stock weights"
        return None


def _make_scorer(spec: dict[str, Any]) -> Any:
    backend = spec["backend"]
    if backend in ("offline", "stock"):
        from bot.abuse.factory import build_scorer
        from bot.settings import load_settings

        settings = load_settings()
        if backend == "stock":
            settings = settings.model_copy(update={"abuse_backend": "onnx"})
        return build_scorer(settings)
    if backend == "learned":
        from bot.abuse.learned import LearnedScorer

        return LearnedScorer()
    if backend == "static":
        from bot.abuse.static import StaticScorer

        return StaticScorer()
    if backend == "cascade":
        from bot.abuse.learned import LearnedScorer
        from bot.abuse.static import CascadeScorer, StaticScorer

        return CascadeScorer(StaticScorer(), LearnedScorer())
    if backend == "fallback":
        from bot.abuse.fallback import ProfanityScorer

        return ProfanityScorer()
    if backend.startswith("onnx-"):
        from bot.abuse.onnx_backend import OnnxScorer

        return OnnxScorer(Path(spec["onnx_dir"]), backend.removeprefix("onnx-"))
    from bot.abuse.checkpoint import load_detoxify
    from bot.abuse.detoxify_backend import DetoxifyScorer

    loaded = load_detoxify(Path(spec["checkpoint"]), hf_dir=Path(spec["hf_dir"]), work_dir=Path(spec["work_dir"]))
    return DetoxifyScorer(loaded)


def _texts(kind: str, n_tokens: int, seed: int) -> Any:
    """An endless stream of messages: ``cold`` ones never seen before, or ``warm`` ones from a cycled pool."""
    import itertools

    if kind == "cold":
        from bot.abuse.bench_scan import iter_cold

        return iter_cold(n_tokens, seed)
    return itertools.cycle(_messages(n_tokens, 256 if seed == 1 else 512, seed=seed))


def _worker_throughput(spec: dict[str, Any]) -> dict[str, Any]:
    import itertools

    scorer = _make_scorer(spec)
    if getattr(scorer, "lazy_stages", False):  # as a batcher starts it (bot.abuse.batching.warm_up_texts)
        from bot.abuse.batching import warm_up_texts
        from bot.abuse.detector import AbuseDetector

        AbuseDetector(scorer).score_many(warm_up_texts(AbuseDetector(scorer)))
    rss_loaded = _peak_rss_mb()
    rows = []
    for kind in spec.get("texts", ["warm"]):
        for length in spec["lengths"]:
            stream = _texts(kind, length, 1)
            for batch in spec["batch_sizes"]:
                warm = list(itertools.islice(stream, batch)) if kind == "warm" else \
                    list(itertools.islice(_texts("cold", length, 1000 + batch), batch))
                scorer.score_many(warm)  # warm-up (cold: texts the measured stream never repeats)
                latencies: list[float] = []
                done = 0
                elapsed = cpu = 0.0
                while elapsed < spec["seconds"] or len(latencies) < 3:
                    chunk = list(itertools.islice(stream, batch))  # made outside the timed call
                    t0, c0 = time.perf_counter(), time.process_time()
                    scorer.score_many(chunk)
                    latencies.append(time.perf_counter() - t0)
                    elapsed += latencies[-1]
                    cpu += time.process_time() - c0
                    done += batch
                rows.append({"texts": kind, "tokens": length, "batch": batch, "msgs_per_s": done / elapsed,
                             "msgs_per_cpu_s": done / cpu if cpu > 0 else float("nan"),
                             "p50_ms": _percentile(latencies, 50) * 1000,
                             "p99_ms": _percentile(latencies, 99) * 1000})
    name = scorer.name
    if getattr(scorer, "seen", 0):  # the cascade: how many messages the full encoder saw
        name = f"cascade ({scorer.sent / scorer.seen:.0%} to the encoder)"
    return {"name": name, "rows": rows, "rss_loaded_mb": rss_loaded, "peak_rss_mb": _peak_rss_mb()}


def _worker_lag(spec: dict[str, Any]) -> dict[str, Any]:
    """One load run: arrivals at ``lag_rate`` through the real micro-batcher (backend ``none``: the same
    arrivals and ticker with no scoring, the control for how late a 5 ms sleep wakes on this machine now)."""
    import asyncio

    from bot.abuse.batching import BatchingScorer, _fallback_detector, bound_gil_switch
    from bot.abuse.detector import AbuseDetector

    backend, overflow = spec["backend"].removesuffix("+overflow"), spec["backend"].endswith("+overflow")
    control = backend == "none"
    detector = None if control else AbuseDetector(_make_scorer(spec | {"backend": backend}))
    # overflow goes where the bot sends it (the offline default behind a model scorer): the real choice, not a copy
    fallback = _fallback_detector(detector) if overflow and detector is not None else None
    rate, seconds = spec["lag_rate"], spec["lag_seconds"]
    n = int(rate * seconds)
    import itertools

    arrivals = list(itertools.islice(_texts(spec.get("lag_texts", "warm"), spec["lag_tokens"], 2), n))

    async def main() -> dict[str, Any]:
        lags: list[float] = []
        latencies: list[float] = []
        stop = False

        async def ticker() -> None:
            while not stop:
                t0 = time.perf_counter()
                await asyncio.sleep(0.005)
                lags.append(time.perf_counter() - t0 - 0.005)

        async def one(scorer: BatchingScorer, text: str) -> None:
            t0 = time.perf_counter()
            await scorer.detect(text)  # arrival to flags: what a moderator waits for
            latencies.append(time.perf_counter() - t0)

        batcher = None if detector is None else BatchingScorer(
            detector, max_batch=spec["max_batch"], max_wait_ms=spec["wait_ms"], queue_size=512, fallback=fallback,
            max_age_ms=spec["max_age_ms"] if overflow or spec["max_age_ms"] > 0 else None,
            hedge_ms=spec["max_age_ms"] if spec["max_age_ms"] > 0 else None)
        if batcher is not None:
            bound_gil_switch()  # as ``python -m bot run`` does
            await batcher.start()
        tick = asyncio.create_task(ticker())
        tasks = []
        start = time.perf_counter()
        cpu0 = time.process_time()
        for i in range(n):
            delay = start + i / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if batcher is not None:
                tasks.append(asyncio.create_task(one(batcher, arrivals[i])))
        await asyncio.gather(*tasks)
        total = time.perf_counter() - start
        cpu = time.process_time() - cpu0
        stop = True
        await tick
        lag = {"sent": n, "seconds": total, "rss_mb": _peak_rss_mb(), "lag_p50_ms": _percentile(lags, 50) * 1000,
               "lag_p99_ms": _percentile(lags, 99) * 1000, "lag_max_ms": max(lags) * 1000}
        if batcher is None or detector is None:
            return lag | {"name": "no scoring (control)", "cpu_s": 0.0, "lat_p50_ms": 0.0, "lat_p99_ms": 0.0,
                          "overflowed": 0, "batches": 0, "largest_batch": 0, "overflow_to": "-"}
        await batcher.aclose()
        return lag | {"name": detector.scorer_name + (" +overflow" if overflow else ""), "cpu_s": cpu,
                      "lat_p50_ms": _percentile(latencies, 50) * 1000,
                      "lat_p99_ms": _percentile(latencies, 99) * 1000, "overflowed": batcher.stats.overflowed,
                      "batches": batcher.stats.batches, "largest_batch": batcher.stats.largest_batch,
                      "overflow_to": batcher._fallback.scorer_name if batcher._fallback is not None else "-"}

    return asyncio.run(main())


def _in_child(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run([sys.executable, "-m", "bot.abuse.bench", "--worker", kind, json.dumps(spec)],
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark worker {kind} {spec.get('backend')} failed: {proc.stderr[-800:]}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _labelled_texts() -> list[str]:
    from bot.abuse.onnx_backend import CHECK_TEXTS

    if LABELLED_SET.is_file():
        return [json.loads(line)["text"] for line in LABELLED_SET.read_text().splitlines() if line.strip()]
    return list(CHECK_TEXTS)


def run(args: argparse.Namespace) -> int:
    backends = [b for b in args.backends.split(",") if b]
    lag_backends = [b for b in args.lag_backends.split(",") if b]
    unknown = sorted((set(backends) | {b.removesuffix("+overflow") for b in lag_backends}) - set(BACKENDS))
    if unknown:
        print(f"error: unknown backend(s): {', '.join(unknown)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="casewatch-bench-") as tmp:
        work = Path(args.work_dir or tmp)
        work.mkdir(parents=True, exist_ok=True)
        spec = _prepare(work, args.size)
        spec.update(lengths=[int(x) for x in args.lengths.split(",")],
                    batch_sizes=[int(x) for x in args.batch_sizes.split(",")], seconds=args.seconds,
                    lag_rate=args.lag_rate, lag_seconds=args.lag_seconds, max_batch=args.max_batch,
                    wait_ms=args.wait_ms, max_age_ms=args.max_age_ms,
                    texts=[t for t in args.texts.split(",") if t], lag_texts=args.lag_texts)
        print(f"checkpoint: random-weight bert-{args.size} ({spec['checkpoint_mb']:.0f} MB); "
              f"onnx fp32 {spec['fp32_mb']:.0f} MB, int8 {spec['int8_mb']:.0f} MB; "
              f"int8 vs fp32 largest score difference on {spec['diff_texts']} labelled messages: "
              f"{spec['int8_max_diff']:.4f}")
        stock = _stock_checkpoint()
        stock_absent = stock is None and "stock" in backends
        if stock is None:
            print("stock Detoxify: skipped (no weights here: `python -m bot models pull` or DETOXIFY_CHECKPOINT); "
                  f"the Detoxify rows below are a random-weight bert-{args.size} shape (same compute)")
            backends = [b for b in backends if b != "stock"]
            lag_backends = [b for b in lag_backends if b.removesuffix("+overflow") != "stock"]
        elif "stock" not in backends:
            backends.append("stock")
        print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} CPUs")
        print(f"best of {args.repeat} interleaved rounds per configuration; "
              "msg/s: messages over time in the scorer;\n@p50: batch size / median call time (less sensitive to other "
              "work on the machine); cpu-est: messages per CPU-second x cores, the uncontended rate if every core "
              "were busy (the fallback uses one)")
        print(f"{'backend':40} {'texts':>5} {'tokens':>6} {'batch':>5} {'msg/s':>7} {'@p50':>7} {'p50 ms':>8} "
              f"{'p99 ms':>8} "
              f"{'RSS MB':>6} {'cpu-est':>8}", flush=True)
        best: dict[str, dict[str, Any]] = {}
        for _ in range(max(1, args.repeat)):  # rounds interleave the backends; each config keeps its best
            for backend in backends:
                result = _in_child("throughput", spec | {"backend": backend})
                kept = best.setdefault(backend, result)
                kept["peak_rss_mb"] = max(kept["peak_rss_mb"], result["peak_rss_mb"])
                for i, row in enumerate(result["rows"]):
                    if row["msgs_per_s"] > kept["rows"][i]["msgs_per_s"]:
                        kept["rows"][i] = row
        for backend in backends:
            result = best[backend]
            for row in result["rows"]:
                print(f"{result['name']:40} {row['texts']:>5} {row['tokens']:>6} {row['batch']:>5} "
                      f"{row['msgs_per_s']:>7.1f} "
                      f"{row['batch'] * 1000 / row['p50_ms']:>7.1f} {row['p50_ms']:>8.1f} {row['p99_ms']:>8.1f} "
                      f"{result['peak_rss_mb']:>6.0f} {row['msgs_per_cpu_s'] * (os.cpu_count() or 1):>8.1f}",
                      flush=True)
        if stock_absent:  # the row is there, and says why it has no figures
            print(f"{'stock Detoxify (original weights)':40} absent: no weights on this machine "
                  "(`python -m bot models pull` or DETOXIFY_CHECKPOINT); not measured", flush=True)
        print(f"\nload run: {args.lag_texts} messages (cold: each one new) of ~N tokens arriving at "
              f"{args.lag_rate:.0f}/s for {args.lag_seconds:.0f} s "
              f"through BatchingScorer (max_batch={args.max_batch}, wait={args.wait_ms:.0f} ms; past "
              f"{args.max_age_ms:.0f} ms queue age messages go to the next cheaper scorer: Detoxify or learned -> "
              "static -> fallback); latency = arrival to flags:")
        for backend in lag_backends:
            for tokens in [int(x) for x in args.lag_tokens.split(",") if x]:
                if backend == "detoxify" and tokens != min(int(x) for x in args.lag_tokens.split(",")):
                    continue  # the torch path cannot keep up with 100/s even for short messages
                r = _in_child("lag", spec | {"backend": backend, "lag_tokens": tokens})
                print(f"{r['name']:48} {tokens:>3} tokens: loop lag p50 {r['lag_p50_ms']:.1f} / "
                      f"p99 {r['lag_p99_ms']:.1f} / max {r['lag_max_ms']:.1f} ms; flag latency p50 "
                      f"{r['lat_p50_ms']:.0f} / p99 {r['lat_p99_ms']:.0f} ms; {r['batches']} batches "
                      f"(largest {r['largest_batch']}), {r['overflowed']} overflowed (to {r['overflow_to']}), "
                      f"{r['sent']} msgs in {r['seconds']:.1f} s, {r['cpu_s']:.1f} CPU s, RSS {r['rss_mb']:.0f} MB",
                      flush=True)
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


def _prepare(work: Path, size: str) -> dict[str, Any]:
    from bot.abuse.checkpoint import load_detoxify
    from bot.abuse.onnx_backend import META_FILE, compare_precisions, export_onnx, is_exported
    from bot.abuse.synthetic import BuiltCheckpoint, build_bert_checkpoint

    onnx_dir = work / "onnx"
    built = BuiltCheckpoint(work / "checkpoint" / f"detoxify-{size}.ckpt", work / "checkpoint" / "hf")
    if built.checkpoint.is_file() and is_exported(onnx_dir):  # a --work-dir from an earlier run
        meta = json.loads((onnx_dir / META_FILE).read_text())
    else:
        built = build_bert_checkpoint(work / "checkpoint", size)
        loaded = load_detoxify(built.checkpoint, hf_dir=built.hf_dir, work_dir=work / "prepared")
        meta = export_onnx(loaded, onnx_dir, "original")
        del loaded
    texts = _labelled_texts()
    return {
        "checkpoint": str(built.checkpoint), "hf_dir": str(built.hf_dir), "work_dir": str(work / "prepared"),
        "onnx_dir": str(onnx_dir), "checkpoint_mb": built.checkpoint.stat().st_size / 2**20,
        "fp32_mb": (onnx_dir / "model-fp32.onnx").stat().st_size / 2**20,
        "int8_mb": (onnx_dir / "model-int8.onnx").stat().st_size / 2**20,
        "int8_max_diff": max(meta["int8_max_diff"], compare_precisions(onnx_dir, texts)),
        "diff_texts": len(texts),
    }


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--worker"]:
        kind, spec = argv[1], json.loads(argv[2])
        result = _worker_throughput(spec) if kind == "throughput" else _worker_lag(spec)
        print(json.dumps(result))
        return 0
    parser = argparse.ArgumentParser(prog="python -m bot.abuse.bench", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
