"""Every shipped rule fires on each of its examples and on none of its counterexamples.

One parametrised test for every rule file under ``bot/rules/``: each rule is run by the runner of its
kind (``bot.rules.runners``); kinds register their own runners, named in their file's ``runner`` key.
"""

from __future__ import annotations

import pytest

from bot.rules import Rule, load_rules
from bot.rules.runners import import_runner_modules, runner_for

RULES = load_rules()
import_runner_modules(RULES.runner_modules)

CASES = [
    pytest.param(rule, text, expected, id=f"{rule.id}:{'ex' if expected else 'counter'}{n}")
    for rule in RULES
    for expected, texts in ((True, rule.examples), (False, rule.counterexamples))
    for n, text in enumerate(texts)
]


def test_rules_ship() -> None:
    assert len(RULES) > 0
    assert all(r.examples and r.counterexamples for r in RULES)


@pytest.mark.parametrize(("rule", "text", "expected"), CASES)
def test_rule_example(rule: Rule, text: str, expected: bool) -> None:
    fired = runner_for(rule.kind)(rule, text)
    what = "missed an example" if expected else "fired on a counterexample"
    assert fired is expected, f"rule {rule.id} ({rule.kind}) {what}"
