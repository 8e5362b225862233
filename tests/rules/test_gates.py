"""The literal gates change how fast a rule answers, never what it answers.

For every shipped rule and every example text of every rule (thousands of texts, most of which a given rule
does not match), the gated :meth:`Rule.hits` yields exactly the matches of running each pattern ungated,
:meth:`Rule.fires` agrees with it, and a :class:`RuleGroup` over a file's rules agrees with each rule alone.
"""

from __future__ import annotations

import re
from collections import defaultdict

from bot.rules import Rule, load_rules
from bot.rules.gates import LiteralGate, PatternGate, RuleGroup

RULES = list(load_rules())
TEXTS = sorted({t for rule in RULES for t in (*rule.examples, *rule.counterexamples)})


def _ungated(rule: Rule, text: str) -> list[tuple[int, int, tuple[str | None, ...]]]:
    found = [m for rx in rule.regexes for m in rx.finditer(text)]
    if rule.word_regex is not None:
        found += list(rule.word_regex.finditer(text))
    return [(m.start(), m.end(), m.groups()) for m in found]


def test_gated_hits_and_fires_equal_the_ungated_patterns() -> None:
    for rule in RULES:
        for text in TEXTS:
            want = _ungated(rule, text)
            got = [(m.start(), m.end(), m.groups()) for m in rule.hits(text)]
            assert got == want, (rule.id, text)
            assert rule.fires(text) is bool(want), (rule.id, text)


def test_a_rule_group_answers_as_its_rules_do() -> None:
    by_kind: dict[str, list[Rule]] = defaultdict(list)
    for rule in RULES:
        by_kind[rule.kind].append(rule)
    for rules in by_kind.values():
        group = RuleGroup(rules)
        for text in TEXTS:
            assert group.fired(text) == {r.id for r in rules if r.fires(text)}, text


def test_an_alternative_whose_literals_are_absent_is_not_run() -> None:
    gate = PatternGate.of(r"\bshame\s+if\b|\bwatch\s+(?:your|his)\s+back\b", re.compile(
        r"\bshame\s+if\b|\bwatch\s+(?:your|his)\s+back\b", re.I), ignore_case=True)
    literals = LiteralGate(lit for need in gate.alternatives if need is not None for lit in need)
    assert gate.regex_for(literals.present("nothing here")) is None
    text = "Watch your BACK"
    assert gate.matches(text, literals.present(text.casefold()))
    assert not gate.matches("what a shame it was", literals.present("what a shame it was"))
