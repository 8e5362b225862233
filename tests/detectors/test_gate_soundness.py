"""The recognizers' gate never changes a result: the whole identity engine with every gate on (the rule gate,
the regex start positions, the matcher's pre-gate) gives the same verdicts as with every gate off.

Compared over the benchmark's synthetic messages, every bundled thread (tests/data: fresh, red-team,
held-out, abuse threads, and the shared development case when it is beside the checkout) in several casings,
and every rule's examples and counterexamples. Rule by rule, :meth:`Gate.finditer` must give exactly the
matches of the pattern's own ``finditer``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.bench_identity import synthetic_case, synthetic_messages
from bot.case import load_case
from bot.commands.scan import scan, verdict_line
from bot.engine import IdentityEngine
from bot.flags import Message
from bot.matcher import ProtectedMatcher
from bot.message_view import MessageView
from bot.messages_io import read_messages
from bot.recognizers.gate import shipped_gate
from bot.registry import ProtectedRegistry
from bot.rules.loader import shipped_rules

KEY = b"gate-soundness-key-0123456789abc"
DATA = Path(__file__).resolve().parents[1] / "data"
DEV = next((p / "shared" / "eval" / "dev" for p in Path(__file__).resolve().parents[1:5]
            if (p / "shared" / "eval" / "dev" / "case.toml").exists()), Path("/nonexistent"))
GATE = shipped_gate()
CASINGS: tuple[Callable[[str], str], ...] = (str, str.lower, str.upper, str.title, str.swapcase)


@contextmanager
def _ungated(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every gate off: each recognizer runs every rule over the whole text, the matcher has no pre-gate."""
    find = ProtectedMatcher.find

    def full(self: ProtectedMatcher, text: str, **kwargs: object) -> object:
        kwargs["gate"] = False
        return find(self, text, **kwargs)  # type: ignore[arg-type]

    with monkeypatch.context() as m:
        m.setattr(GATE, "enabled", False)
        m.setattr(ProtectedMatcher, "find", full)
        yield


def _threads() -> list[Path]:
    found = sorted(p.parent for p in DATA.rglob("messages.jsonl") if (p.parent / "case.toml").exists())
    return found + ([DEV] if (DEV / "case.toml").exists() else [])


def _messages(thread: Path) -> list[Message]:
    """The thread as ``scan`` reads it (timestamps, replies and attachments kept)."""
    return [item for _, item in read_messages(thread / "messages.jsonl") if isinstance(item, Message)]


def _scan_lines(thread: Path, messages: list[Message]) -> list[str]:
    case = load_case(thread / "case.toml")
    engine = IdentityEngine.from_case(case, KEY)
    return [verdict_line(v) for v in scan(engine, messages)]


@pytest.mark.parametrize("thread", _threads(), ids=lambda p: p.name)
def test_engine_verdicts_are_the_same_without_any_gate(thread: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    messages = _messages(thread)
    for casing in CASINGS:
        variant = [replace(m, content=casing(m.content)) for m in messages]
        gated = _scan_lines(thread, variant)
        with _ungated(monkeypatch):
            ungated = _scan_lines(thread, variant)
        for one, other, m in zip(gated, ungated, variant, strict=True):
            assert one == other, f"{thread.name} {m.id} ({casing.__name__}): the gate changed the verdict"


def _bench_texts() -> list[str]:
    rng = random.Random(23)
    _, names = synthetic_case(400, rng)
    texts = synthetic_messages(800, 200, names, rng)
    # details the recognizers look for, planted in the benchmark's chat: each rule's own examples
    examples = [e for r in shipped_rules() for e in (*r.examples, *r.counterexamples)]
    texts += [f"{a} {b}" for a, b in zip(texts[:300], rng.sample(examples, min(300, len(examples))), strict=False)]
    return texts


def test_engine_verdicts_on_bench_messages_and_rule_examples(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(23)
    case, _ = synthetic_case(400, rng)
    texts = _bench_texts() + [e for r in shipped_rules() for e in (*r.examples, *r.counterexamples)]

    def verdicts() -> list[str]:
        engine = IdentityEngine(ProtectedRegistry.from_case(case, KEY))
        return [verdict_line(engine.check(Message(id=f"m{i}", author="a", content=casing(t))))
                for casing in CASINGS for i, t in enumerate(texts)]

    gated = verdicts()
    with _ungated(monkeypatch):
        ungated = verdicts()
    assert sum('"flags": [{' in line for line in gated) > 100  # the texts do exercise the detectors
    assert gated == ungated


def _corpus() -> list[str]:
    texts = [m.content for t in _threads() for m in _messages(t)]
    texts += [e for r in shipped_rules() for e in (*r.examples, *r.counterexamples)]
    return [casing(t) for t in texts for casing in CASINGS]


def test_finditer_gives_the_patterns_own_matches() -> None:
    """Rule by rule: where the gate opens a rule, its start positions and live alternatives find exactly the
    matches of the whole pattern; where it does not, the pattern matches nothing."""
    checked = matched = 0
    for text in _corpus() + _bench_texts():
        view = MessageView(text)
        opened = GATE._open(text, view).opened
        for rule in GATE.rules:
            for i, rx in enumerate(rule.regexes):
                full = [(m.span(), m.groups()) for m in rx.finditer(text)]
                if not opened & GATE.bit[rule.id]:
                    assert not full, f"the gate closed {rule.id} on a text it matches: {text!r}"
                    continue
                got = [(m.span(), m.groups()) for m in GATE.finditer(text, rule, i)]
                assert got == full, f"{rule.id} pattern {i}: {text!r}"
                checked += 1
                matched += bool(full)
    assert checked > 1000 and matched > 100


def test_start_positions_respect_look_behind_and_word_boundaries() -> None:
    """A match tried at a start position sees the text before it (look-behinds, \\b), as finditer does."""
    area = shipped_rules()["trait.area"]
    for text in ("xfrom Leeds", "she comes from Leeds", "from Leeds", "he's from Hull and lives in York",
                 "I grew up in Ely", "grew up near Leeds or from Hull"):
        assert [m.span() for m in GATE.finditer(text, area)] == [m.span() for m in area.regexes[0].finditer(text)]


_EXAMPLES = [e for r in shipped_rules() for e in (*r.examples, *r.counterexamples)]
_SEPARATORS = [" ", "  ", "\n", "\t", "-", "_", ".", ",", "'", "/", "", " . ", "!", "(", ")", "[", "]", "@", "&"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_EXAMPLES), st.sampled_from(_SEPARATORS)), min_size=1, max_size=3),
       st.sampled_from(CASINGS), st.sampled_from(_SEPARATORS), st.booleans())
def test_gate_holds_on_rule_examples_joined_and_re_spaced(parts: list[tuple[str, str]], casing: Callable[[str], str],
                                                          space: str, respace: bool) -> None:
    """Examples run together, their white space swapped for signs, in any casing: the gate still gives every
    pattern's own matches (whole-word marks and start strings must hold whatever bounds the words)."""
    text = casing("".join(a + b for a, b in parts))
    if respace:
        text = text.replace(" ", space)
    view = MessageView(text)
    opened = GATE._open(text, view).opened
    for rule in GATE.rules:
        if rule.word_regex is not None and rule.word_regex.search(text):
            assert opened & GATE.bit[rule.id], (rule.id, text)
        for i, rx in enumerate(rule.regexes):
            full = [(m.span(), m.groups()) for m in rx.finditer(text)]
            if not opened & GATE.bit[rule.id]:
                assert not full, (rule.id, text)
            else:
                assert [(m.span(), m.groups()) for m in GATE.finditer(text, rule, i)] == full, (rule.id, text)
