"""Identity benchmark: messages per second through the identity detectors, on one core.

Registers synthetic protected parties (invented syllable names, handles, schools, collar numbers) until
there are ``--strings`` registered strings, generates ``--messages`` chat messages of about ``--length``
characters from English word frequencies (a few name a party, some obfuscated), and times:

* ``protected (warm)``: the protected-party detector as it runs in the bot, its cache of tokens known not
  to match filling as messages go by;
* ``protected (cold)``: the same with that cache emptied before every message (every token hashed);
* ``engine``: the whole identity engine (protected parties, identifying details, policy, redaction), and
  the same engine with the protected-party detector only (the rest is the identifying-detail detector's share),
  and, when the learned identifying-detail scorer is on, the same engine without it (``rules only``, as
  ``IDENTITY_MODEL=off`` runs: the rest is the learned scorer's share);
* ``fuzzy cost``: the warm protected timing again with hashed fuzzy matching off, and the difference;
* ``phone spam``: one 4,000-character message made of phone numbers through the whole engine;
* with ``--breakdown``: the identifying-detail detector's stages, each alone over the same messages: the rule
  gate (one read of each message for every rule's literals), each recognizer on the messages the gate lets
  it see (its regexes tried only where a match can start), ``analyse`` (gate + recognizers + bookkeeping)
  and the whole detector (``triggered_on``: analysis, ties when a detail is found, scoring).

Rates are messages per second of this process's CPU time (wall-clock rates, which other work on the
machine slows down, are printed beside them). It measures; it asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable, Sequence

from wordfreq import get_frequency_dict

from bot.case import CaseFile, ProtectedParty
from bot.detectors.base import ScanContext
from bot.detectors.protected import ProtectedPartyDetector
from bot.engine import IdentityEngine
from bot.flags import Message
from bot.registry import ProtectedRegistry

_SYLLABLES = (
    "ka", "ri", "mo", "len", "dar", "vi", "sa", "tho", "bel", "wyn", "os", "ter",
    "quin", "ma", "lo", "ren", "fi", "gus", "ha", "nel", "pry", "dor", "cas", "mi",
    "jo", "ve", "lu", "tan", "ber", "ko", "zel", "ar", "is", "ul",
)
_SCHOOLS = ("Academy", "School", "Primary School", "College", "High School")
_LEET = str.maketrans("aeios", "43105")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strings", type=int, default=1000, help="registered strings (names + identifiers)")
    parser.add_argument("--messages", type=int, default=20000, help="messages per timing")
    parser.add_argument("--length", type=int, default=200, help="characters per message")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-engine", action="store_true", help="skip the whole-engine timing")
    parser.add_argument("--cpu", type=int, default=None, help="pin the process to this CPU")
    parser.add_argument("--breakdown", action="store_true", help="also time the identifying detector's stages")


def _word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(parts)).capitalize()


def synthetic_case(n_strings: int, rng: random.Random) -> tuple[CaseFile, list[str]]:
    """A case with ``n_strings`` registered strings; also returns its full names (to plant in messages)."""
    parties: list[ProtectedParty] = []
    names: list[str] = []
    count = 0
    while count < n_strings:
        first, last = _word(rng, 2), _word(rng, rng.choice((2, 3)))
        full = f"{first} {last}"
        idents = [f"@{first.lower()}{last[:3].lower()}_{rng.randint(0, 99):02d}",
                  f"{_word(rng, 3)} {rng.choice(_SCHOOLS)}" if rng.random() < 0.5 else f"PC {rng.randint(100, 9999)}"]
        party_names = [full, f"{first[:3]} {last}"]
        take = min(4, n_strings - count)
        strings = (party_names + idents)[:take]
        parties.append(ProtectedParty(label=f"party {len(parties) + 1}", names=[s for s in strings if s in party_names],
                                      identifiers=[s for s in strings if s in idents]))
        names.append(full)
        count += take
    return CaseFile(id="bench", protected=parties), names


def _vocabulary() -> tuple[list[str], list[float]]:
    table = get_frequency_dict("en", wordlist="small")
    words = [w for w in sorted(table, key=table.__getitem__, reverse=True)[:20000] if w.isalpha()]
    return words, [table[w] for w in words]


def synthetic_messages(count: int, length: int, names: Sequence[str], rng: random.Random) -> list[str]:
    """Chat-like messages of about ``length`` characters; about 3% name a party, some obfuscated."""
    words, weights = _vocabulary()
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < length:
            batch = rng.choices(words, weights, k=8)
            for w in batch:
                if rng.random() < 0.08:
                    w = w.capitalize()
                if rng.random() < 0.05:
                    w += rng.choice(",.!?")
                parts.append(w)
                size += len(w) + 1
                if size >= length:
                    break
        if rng.random() < 0.03:
            name = rng.choice(names)
            name = rng.choice((name, name.lower().translate(_LEET), " ".join(name)))
            parts.insert(rng.randrange(len(parts)), name)
        out.append(" ".join(parts)[:length])
    return out


def _time(label: str, fn: Callable[[str], object], messages: Sequence[str],
          before: Callable[[], None] | None = None, per: int | None = None) -> float:
    """Time ``fn`` over ``messages``; ``per``: divide by this many messages instead (a stage that saw only some)."""
    start, cpu_start = time.perf_counter(), time.process_time()
    for text in messages:
        if before is not None:
            before()
        fn(text)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    if per is not None:
        print(f"  {label:<30} {cpu * 1e6 / per:6.1f} µs/message on average ({len(messages):,} of {per:,} "
              f"messages reach it)")
        return cpu * 1e6 / per
    rate = len(messages) / max(cpu, 1e-9)
    print(f"  {label:<18} {rate:>10,.0f} msg/s of CPU time ({cpu * 1e6 / len(messages):6.1f} µs/message; "
          f"wall clock {len(messages) / elapsed:,.0f} msg/s)")
    return rate


def run(args: argparse.Namespace) -> int:
    if args.cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.cpu})  # the matcher is single-threaded anyway
    rng = random.Random(args.seed)
    case, names = synthetic_case(args.strings, rng)
    started = time.perf_counter()
    registry = ProtectedRegistry.from_case(case, os.urandom(32))
    built = time.perf_counter() - started
    messages = synthetic_messages(args.messages, args.length, names, rng)
    detector = ProtectedPartyDetector(registry)
    strings = sum(len(p.names) + len(p.identifiers) for p in case.protected)
    print(f"identity benchmark: {strings} registered strings in {len(case.protected)} parties "
          f"({len(registry)} digests, built in {built:.2f}s); {len(messages)} messages of "
          f"{args.length} characters; one core")

    def protected(text: str) -> object:
        return detector.triggered_on(ScanContext(Message(id="m", author="a", content=text)))

    flagged = sum(bool(detector.find(m)) for m in messages)
    print(f"  messages with a protected match: {flagged}")
    warm = _time("protected (warm)", protected, messages)
    _time("protected (cold)", protected, messages, before=registry.misses.clear)
    registry.fuzzy = False
    registry.misses.clear()
    for text in messages:  # warm the cache again, without fuzzy lookups
        protected(text)
    plain = _time("  without fuzzy", protected, messages)
    registry.fuzzy = True
    registry.misses.clear()
    print(f"  fuzzy cost         {1e6 / warm - 1e6 / plain:+.1f} µs/message on the warm path "
          f"({(plain - warm) / plain:+.0%} of the protected rate)")
    if not args.no_engine:
        engine = IdentityEngine(registry)
        n = [0]

        def whole(text: str) -> object:
            n[0] += 1
            return engine.check(Message(id=f"m{n[0]}", author="a", content=text))

        _time("engine", whole, messages)
        alone = IdentityEngine(registry, detectors=[ProtectedPartyDetector(registry)])

        def protected_engine(text: str) -> object:
            n[0] += 1
            return alone.check(Message(id=f"m{n[0]}", author="a", content=text))

        for text in messages[:2000]:  # the same warm cache as the whole engine's
            protected_engine(text)
        _time("  protected only", protected_engine, messages)
        if engine.detectors and getattr(engine.detectors[-1], "detail_model", None) is not None:
            from bot.detectors.identifying import IdentifyingDetailDetector

            rules = IdentityEngine(registry, detectors=[ProtectedPartyDetector(registry), IdentifyingDetailDetector(
                [(p.label, p.basis) for p in registry.parties], detail_model=None)])

            def rules_engine(text: str) -> object:
                n[0] += 1
                return rules.check(Message(id=f"m{n[0]}", author="a", content=text))

            _time("  rules only", rules_engine, messages)  # IDENTITY_MODEL=off: the learned scorer's share is the rest
        if args.breakdown:
            breakdown(messages, [(p.label, p.basis) for p in registry.parties])
        spam = phone_spam(rng)
        runs = []
        for _ in range(11):
            n[0] += 1
            started = time.process_time()
            engine.check(Message(id=f"m{n[0]}", author="a", content=spam))
            runs.append(time.process_time() - started)
        runs.sort()
        print(f"  phone spam         {runs[len(runs) // 2] * 1e3:.1f} ms median CPU for one message of "
              f"{len(spam):,} characters of phone numbers (slowest {runs[-1] * 1e3:.1f} ms)")
    return 0


def breakdown(messages: Sequence[str], parties: Sequence[tuple[str, str]]) -> None:
    """CPU time of the identifying-detail detector's stages over ``messages`` (see the module docstring)."""
    from bot.detectors.identifying import IdentifyingDetailDetector
    from bot.message_view import MessageView, view_of
    from bot.recognizers.gate import shipped_gate
    from bot.recognizers.text import fold

    print("  identifying-detail detector, stage by stage:")
    detector = IdentifyingDetailDetector(parties)
    gate = shipped_gate()
    texts = [fold(m).text for m in messages]
    # each stage is timed over fresh views, so that the gate reads every message afresh
    _time("rule gate", lambda t: gate._open(t, MessageView(t)), texts, per=len(texts))
    states = {t: gate._open(t, MessageView(t)) for t in texts}
    for recognizer, need in zip(detector.recognizers, detector._needs, strict=True):
        seen = [t for t in texts if need is None or states[t].opened & need]

        def run(text: str, recognizer: object = recognizer) -> object:
            view_of(text).cache[gate._key] = states[text]  # the gate's answer, as the detector has it
            return recognizer.find(text)  # type: ignore[attr-defined]

        _time(f"  {type(recognizer).__name__}", run, seen, per=len(texts))
    _time("analyse (all of the above)", detector.analyse, [m + " " for m in messages])
    n = [0]

    def whole(text: str) -> object:
        n[0] += 1
        return detector.triggered_on(ScanContext(Message(id=f"b{n[0]}", author="a", content=text)))

    _time("whole detector", whole, [m + "  " for m in messages])


def phone_spam(rng: random.Random, length: int = 4000) -> str:
    """A message made of UK mobile numbers in assorted formats, ``length`` characters long."""
    parts: list[str] = []
    while sum(len(p) + 1 for p in parts) < length:
        a, b = rng.randint(100, 999), rng.randint(100000, 999999)
        parts.append(rng.choice((f"07{a} {b}", f"+44 7{a} {b}", f"07{a}-{b}", f"(07{a}) {b}")))
    return " ".join(parts)[:length]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
