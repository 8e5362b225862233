"""Runners for the name-context rules (``bot/rules/identity/name_context.toml``), for the examples test.

A rule's ``params`` name a fictional party (``name``, optionally ``identifier``, and ``others``: more parties of
the same case); the runner registers them with a fresh key and asks the real matcher about the example:

* ``name_cue`` fires when the matcher finds the party in the text (the cue made the name count);
* ``name_guard`` fires when the name is in the text but the matcher does not report it (the guard kept a
  place, a business, an official or an ordinary word apart from the person);
* ``match_kind`` / ``match_modifier`` (``match_strengths.toml``): the matcher reports a match of that kind, or
  one showing that circumstance (misspelt, untied, for redaction only, after a title).
"""

from __future__ import annotations

from functools import cache

from bot.case import parse_case
from bot.engine import IdentityEngine
from bot.flags import Message
from bot.matcher import KIND_INFO, MISSPELT, REDACTION, UNTIED, ProtectedMatch, ProtectedMatcher
from bot.recognizers.ties import Tie, TieFinder
from bot.registry import NICKNAME, SURNAME, ProtectedRegistry
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule
from bot.rules.runners import register_runner


@cache
def _matcher(name: str, identifier: str, others: tuple[str, ...] = ()) -> ProtectedMatcher:
    registry = ProtectedRegistry(b"rule-examples-key")
    registry.add_party("the party", names=[name], identifiers=[identifier] if identifier else [])
    for n, other in enumerate(others, 2):  # params.others: more parties of the same case, one name each
        registry.add_party(f"party {n}", names=[other])
    return ProtectedMatcher(registry)


def _found(rule: Rule, text: str) -> bool:
    matcher = _matcher(str(rule.params.get("name", "")), str(rule.params.get("identifier", "")),
                       rule.words_param("others"))
    return any(m.label == "the party" for m in matcher.find(text))


@register_runner("name_cue")
def run_name_cue(rule: Rule, text: str) -> bool:
    return _found(rule, text)


@register_runner("name_guard")
def run_name_guard(rule: Rule, text: str) -> bool:
    words = f"{rule.params.get('name', '')} {rule.params.get('identifier', '')}".casefold().split()
    present = any(w in text.casefold() for w in words)  # a guard example must hold the (fictional) name or identifier
    return present and not _found(rule, text)


@register_runner("match_kind")
def run_match_kind(rule: Rule, text: str) -> bool:
    """Fires when the matcher reports a match of the rule's kind (its word) for the party of ``params``."""
    return any(m.kind == rule.words[0] for m in _matches(rule, text))


def _matches(rule: Rule, text: str, *, untied_first_names: bool = False) -> list[ProtectedMatch]:
    matcher = _matcher(str(rule.params.get("name", "")), str(rule.params.get("identifier", "")))
    return matcher.find(text, untied_first_names=untied_first_names)


@register_runner("match_modifier")
def run_match_modifier(rule: Rule, text: str) -> bool:
    """Fires when a match shows the rule's circumstance: ``misspelt`` (held as misspelt), ``untied`` (a name
    reported for review with nothing tying it to the case), ``redaction`` (a first name found only for
    redacting summaries), ``after_title`` (a surname weighing more than alone, after a title)."""
    what = rule.words[0]
    if what == "misspelt":
        return any("misspelt" in m.how and m.suggested is MISSPELT.action for m in _matches(rule, text))
    if what == "untied":
        return any(m.score == UNTIED.score and m.suggested is UNTIED.action for m in _matches(rule, text))
    if what == "redaction":
        plain = {(m.start, m.end) for m in _matches(rule, text)}
        return any((m.start, m.end) not in plain and m.score == REDACTION.score
                   for m in _matches(rule, text, untied_first_names=True))
    if what == "after_title":
        return any(m.kind in (SURNAME, NICKNAME) and m.score > KIND_INFO[m.kind].score for m in _matches(rule, text))
    raise ValueError(f"rule {rule.id}: no such match modifier {what!r}")


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


@cache
def _ties() -> TieFinder:
    return TieFinder([("the girl", "child complainant"), ("the complainant", "adult complainant"),
                      ("the officer", "police officer, anonymity order"), ("the witness", "prosecution witness")])


def _tie_words(rule: Rule, text: str, *, relative: bool = False) -> bool:
    """Whether a tie the finder reports holds one of the rule's words."""
    rx = rule.word_regex
    return rx is not None and any(
        rx.search(text, t.start, t.end) for t in _ties().find(text) if tie_ok(t, relative))


def tie_ok(tie: Tie, relative: bool) -> bool:
    return tie.relative if relative else True


@register_runner("tie_noun")
def run_tie_noun(rule: Rule, text: str) -> bool:
    return _tie_words(rule, text)


@register_runner("tie_relative")
def run_tie_relative(rule: Rule, text: str) -> bool:
    return _tie_words(rule, text, relative=True)


@register_runner("tie_other")
def run_tie_other(rule: Rule, text: str) -> bool:
    return bool(_ties().others(text)) and next(rule.hits(text), None) is not None


@register_runner("tie_informant")
def run_tie_informant(rule: Rule, text: str) -> bool:
    return _tie_words(shipped_rules()["tie.informant_nouns"], text)


@register_runner("recognizer")
def run_recognizer(rule: Rule, text: str) -> bool:
    from bot.recognizers.rules import RuleRecognizer

    return bool(RuleRecognizer([rule]).find(text))
