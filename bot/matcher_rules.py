"""Runners for the name-context rules (``bot/rules/identity/name_context.toml``), for the examples test.

A rule's ``params`` name a fictional party (``name``, optionally ``identifier``); the runner registers it
with a fresh key and asks the real matcher about the example:

* ``name_cue`` fires when the matcher finds the party in the text (the cue made the name count);
* ``name_guard`` fires when the name is in the text but the matcher does not report it (the guard kept a
  place, a business, an official or an ordinary word apart from the person).
"""

from __future__ import annotations

from functools import cache

from bot.case import parse_case
from bot.engine import IdentityEngine
from bot.flags import Message
from bot.matcher import ProtectedMatcher
from bot.registry import ProtectedRegistry
from bot.rules.model import Rule
from bot.rules.runners import register_runner


@cache
def _matcher(name: str, identifier: str) -> ProtectedMatcher:
    registry = ProtectedRegistry(b"rule-examples-key")
    registry.add_party("the party", names=[name], identifiers=[identifier] if identifier else [])
    return ProtectedMatcher(registry)


def _found(rule: Rule, text: str) -> bool:
    matcher = _matcher(str(rule.params.get("name", "")), str(rule.params.get("identifier", "")))
    return bool(matcher.find(text))


@register_runner("name_cue")
def run_name_cue(rule: Rule, text: str) -> bool:
    return _found(rule, text)


@register_runner("name_guard")
def run_name_guard(rule: Rule, text: str) -> bool:
    words = str(rule.params.get("name", "")).casefold().split()
    present = any(w in text.casefold() for w in words)  # a guard example must hold the (fictional) name
    return present and not _found(rule, text)


@register_runner("registered_form")
def run_registered_form(rule: Rule, text: str) -> bool:
    return _found(rule, text)


@register_runner("fuzzy_spelling")
def run_fuzzy_spelling(rule: Rule, text: str) -> bool:
    return _found(rule, text)


@cache
def _engine() -> IdentityEngine:
    case = parse_case('id = "rules"\n[[protected]]\nlabel = "the girl"\nbasis = "child complainant"\n'
                      'names = ["Wilhelmina Quarrendon"]\n')
    return IdentityEngine.from_case(case, b"rule-examples-key")


@register_runner("jigsaw_weight")
def run_jigsaw_weight(rule: Rule, text: str) -> bool:
    verdict = _engine().check(Message(id="rule-example", author="rules", content=text))
    return any(f.kind == "jigsaw" for f in verdict.flags)
