""":func:`bot.rules.literals.first_characters`: the characters every match of a pattern starts with, which the
rule gate uses to try a pattern with no literal start only at those places."""

from __future__ import annotations

import re

import pytest

from bot.recognizers.gate import shipped_gate
from bot.rules.literals import first_characters
from bot.rules.loader import shipped_rules


@pytest.mark.parametrize(("pattern", "ignore_case", "expected"), [
    (r"(?<![\w'])(?:St |[A-Z][a-z]+ )Road", False, set("ABCDEFGHIJKLMNOPQRSTUVWXYZ")),
    (r"(?:ab|c)d", False, {"a", "c"}),
    (r"x*y", False, {"x", "y"}),
    (r"\bfoo", True, {"f", "F"}),
    (r"(?:x{0,2})z", False, {"x", "z"}),
])
def test_first_characters(pattern: str, ignore_case: bool, expected: set[str]) -> None:
    assert first_characters(pattern, ignore_case=ignore_case) == expected


@pytest.mark.parametrize("pattern", [r"a?", r"[^a]b", r"\w+", r".x", r"(?:a|\w)b"])
def test_unknown_or_empty_starts_give_none(pattern: str) -> None:
    assert first_characters(pattern) is None


def test_every_match_starts_with_one_of_them() -> None:
    """On every rule's examples, each match of a pattern starts with one of its first characters."""
    for rule in shipped_rules():
        for index, pattern in enumerate(rule.patterns):
            chars = first_characters(pattern, ignore_case=rule.ignore_case)
            if chars is None:
                continue
            for text in (*rule.examples, *rule.counterexamples):
                for m in rule.regexes[index].finditer(text):
                    assert text[m.start()] in chars, rule.id


def test_gate_tries_a_capitalised_pattern_only_at_capitals() -> None:
    """``address.street`` starts with a capital: the gate's matches equal the pattern's own."""
    rule = shipped_rules()["address.street"]
    gate = shipped_gate()
    text = "she moved from the park near Mill Road to a flat on Station Street last year, not St Johns Way"
    assert [m.span() for m in gate.finditer(text, rule)] == [m.span() for m in rule.regexes[0].finditer(text)]
    assert gate._first_of(rule, 0) is not None and re.fullmatch(gate._first_of(rule, 0), "M")
