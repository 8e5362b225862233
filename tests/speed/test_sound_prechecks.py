"""Pre-checks that skip work are sound: on every hand-written text the repository keeps (the bundled threads, the
abuse corpus and labelled sets; ``bench_scan.source_texts``), and on every rule's examples and counterexamples,
a pre-check never skips a text the work it guards would have found something in."""

from __future__ import annotations

import dataclasses

import pytest

from bot.abuse import dialect
from bot.abuse.bench_scan import source_texts
from bot.abuse.patterns import _necessary, pattern_layer


@pytest.fixture(scope="module")
def bodies() -> list[str]:
    layer = pattern_layer()
    texts = source_texts()
    for c in layer.compiled:
        texts += [*c.rule.examples, *c.rule.counterexamples]
    out = list(dict.fromkeys(layer.body(dialect.normalise(t)) for t in texts))
    return out + [layer._bodies(b)[1] for b in out]  # the "about others" reading as well


def test_a_leading_lookahead_is_checked_by_the_rest_of_its_pattern() -> None:
    import re

    rx = re.compile(r"(?=[^.]*\bout\b)\bI'll\s+be\s+waiting\b", re.IGNORECASE)
    rest = _necessary(rx)
    assert rest is not None and rest.pattern == r"\bI'll\s+be\s+waiting\b" and rest.flags == rx.flags
    assert _necessary(re.compile(r"\bI'll\b")) is None  # no lookahead: nothing to gain
    assert _necessary(re.compile(r"(?=(a))\1b")) is None  # groups: the rest's numbers would shift
    assert _necessary(re.compile(r"(?=a)")) is None  # nothing after it


def test_the_necessary_regex_matches_wherever_the_pattern_does(bodies: list[str]) -> None:
    checked = 0
    for c in pattern_layer().compiled:
        for rx, need in zip(c.regexes, c.necessary or [None] * len(c.regexes), strict=True):
            if need is None:
                continue
            checked += 1
            for body in bodies:
                if rx.search(body) is not None:
                    assert need.search(body) is not None, (c.rule.id, body)
    assert checked  # the shipped rules have at least one pattern that opens with a lookahead


def test_pattern_hits_are_the_same_without_the_necessary_regexes(bodies: list[str]) -> None:
    layer = pattern_layer()
    with_checks = [layer.hits(b, body=b) for b in bodies]
    saved = layer._ordered
    try:
        layer._ordered = [dataclasses.replace(c, necessary=()) for c in saved]
        without = [layer.hits(b, body=b) for b in bodies]
    finally:
        layer._ordered = saved
    assert with_checks == without


def test_the_second_stage_decides_whether_it_may_speak_before_the_rest_of_its_row() -> None:
    """``Stage2.flags`` works out the guards and the rest of the feature row only when the evidence lets it speak:
    the same answers as the whole row first (``analyse``), on every bundled text with seeded random scores."""
    import random

    from bot.abuse.stage2 import analyse, shipped_stage2
    from bot.abuse.targeting import find_target

    stage2 = shipped_stage2()
    rng = random.Random(14)
    texts = source_texts()
    spoke = 0
    for text in texts:
        target = find_target(text)
        scores = {label: rng.choice((0.0, 0.2, 0.35, 0.6, 0.95)) for label in stage2.labels}
        row, may = analyse(text, scores, stage2.labels, target)
        p = float(stage2.proba(row)[0]) if target is not None and may else None
        want = p if p is not None and p >= stage2.threshold else None
        assert stage2.flags(text, scores, target) == want, text
        spoke += want is not None
    assert spoke  # the check saw the second stage speak, not only stay silent


def test_vocabulary_rewrites_skipped_by_their_literals_leave_the_same_text(bodies: list[str]) -> None:
    """``neutralise`` skips a rewrite when none of its required literals is in the text: the same text as running
    every rewrite, on every bundled text, the rewrites' own examples, and both the static and the fallback reading."""
    layer = pattern_layer()
    assert layer._rewrite_literals  # the shipped rewrites have literals to check
    texts = list(bodies)
    for rule_id in ("abuse.text.offence_vocabulary", "abuse.text.mild_vocabulary", "abuse.text.self_deprecation",
                    "abuse.text.emphatic_yourself"):
        rule = layer.rules[rule_id]
        texts += [layer.body(t) for t in (*rule.examples, *rule.counterexamples)]
    gated = [(layer.neutralise(t, body=t), layer.neutralise(t, mild=True, body=t)) for t in texts]
    saved = layer._rewrite_literals
    try:
        layer._rewrite_literals = {}
        plain = [(layer.neutralise(t, body=t), layer.neutralise(t, mild=True, body=t)) for t in texts]
    finally:
        layer._rewrite_literals = saved
    assert gated == plain
    assert any(a != t for (a, _), t in zip(gated, texts, strict=True))  # some texts were rewritten


def test_pattern_hits_are_every_rule_tried_in_order(bodies: list[str]) -> None:
    """``hits`` tries only the rules one of whose pre-check literals is present (found from the literals): the same
    hits as trying every rule in order through its own ``matches``, on every bundled text."""
    layer = pattern_layer()

    def every_rule(text: str) -> list:
        body, about_others = layer._bodies(text, text)
        present, present_others = layer.present(body), layer.present(about_others)
        found: dict = {}
        for c in layer._ordered:
            if c.hit.label not in found and c.matches(*((about_others, present_others) if c.about_others
                                                        else (body, present))):
                found[c.hit.label] = c.hit
        return list(found.values())

    assert [layer.hits(b, body=b) for b in bodies] == [every_rule(b) for b in bodies]
