"""Dialect and slang spellings read as standard English (wave 13, issue #12).

The learned heads, the second stage and the pattern layer were trained and written on standard spellings, so
abuse written in Scots, Geordie, Scouse, Welsh English, Black Country or London slang reaches them as unknown
words: "naebody wid miss ye if ye went aff the bridge", "keep 'is 'ead down walkin' 'ome". :func:`normalise`
rewrites such spellings to their standard reading from the word maps and patterns in
``bot/rules/abuse/dialect.toml``; the detector scores that reading (:mod:`bot.abuse.detector`). Standard English
passes through unchanged (each rule's counterexamples are ordinary texts it must leave alone).

Two kinds of rule:

* ``abuse_dialect_word``: a ``mapping`` of whole words or short phrases to their standard reading; matched as
  whole words (not inside a hyphenated word such as "yo-yo", nor before an apostrophe and letter), longest first,
  case-insensitive unless the rule says ``ignore_case = false``. A capitalised match gets a capitalised reading.
* ``abuse_dialect_pattern``: ``patterns`` with ``params.replacements`` (one per pattern, ``\\1`` for a group),
  for words that are dialect only in context ("doe" before a verb is "don't").

Work is bounded: one compiled alternation per rule, run once per message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bot.rules import Rule, load_rules
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

DIALECT_FILE = RULES_DIR / "abuse" / "dialect.toml"
WORD_KIND = "abuse_dialect_word"
PATTERN_KIND = "abuse_dialect_pattern"
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class _Compiled:
    regex: re.Pattern[str]
    mapping: dict[str, str]  # casefolded key -> reading (word rules)
    replacements: tuple[str, ...]  # one per pattern (pattern rules)
    patterns: tuple[re.Pattern[str], ...]
    firsts: frozenset[str]  # casefolded words one of which must be in the text for the rule to change it
    pieces: tuple[str, ...] = ()  # or casefolded pieces one of which must occur in it (pattern rules)


def _keep_case(found: str, reading: str) -> str:
    if found[:1].isupper() and reading[:1].islower():
        return reading[:1].upper() + reading[1:]
    return reading


def _compile(rule: Rule) -> _Compiled:
    flags = re.IGNORECASE if rule.ignore_case else 0
    if rule.kind == WORD_KIND:
        keys = sorted(rule.mapping, key=len, reverse=True)
        words = "|".join(r"\s+".join(re.escape(part) for part in key.split()) for key in keys)
        # whole words: not inside a word or a hyphenated word, not before an apostrophe and a letter ("yo'm")
        regex = re.compile(rf"(?<![\w-])(?<!\w')(?:{words})(?![\w-])(?!'\w)", flags)
        mapping = {(" ".join(k.split()).casefold() if rule.ignore_case else " ".join(k.split())): v
                   for k, v in rule.mapping.items()}
        firsts = frozenset(k.split()[0].casefold() for k in rule.mapping)
        return _Compiled(regex, mapping, (), (), firsts)
    replacements = tuple(str(r) for r in rule.words_param("replacements"))
    if len(replacements) != len(rule.patterns):
        raise ValueError(f"rule {rule.id}: one replacement per pattern")
    needs = tuple(str(w).casefold() for w in rule.words_param("precheck"))
    if not needs:
        raise ValueError(f"rule {rule.id}: a pattern rule needs params.precheck")
    return _Compiled(re.compile("(?!)"), {}, replacements, rule.regexes,
                     frozenset(w for w in needs if w.isalpha()), tuple(w for w in needs if not w.isalpha()))


_WORD = re.compile(r"[\w']+")


def _may_change(c: _Compiled, folded: str, words: set[str]) -> bool:
    return not c.firsts.isdisjoint(words) or any(piece in folded for piece in c.pieces)


def _expander(replacement: str) -> Callable[[re.Match[str]], str]:
    def expand(m: re.Match[str]) -> str:
        return _keep_case(m.group(0), m.expand(replacement))

    return expand


def _apply(c: _Compiled, text: str, ignore_case: bool) -> str:
    if c.patterns:
        for regex, replacement in zip(c.patterns, c.replacements, strict=True):
            text = regex.sub(_expander(replacement), text)
        return text

    def sub(m: re.Match[str]) -> str:
        key = " ".join(m.group(0).split())
        reading = c.mapping.get(key.casefold() if ignore_case else key)
        return m.group(0) if reading is None else _keep_case(m.group(0), reading)

    return c.regex.sub(sub, text)


@cache
def _rules() -> tuple[tuple[Rule, _Compiled], ...]:
    rules = [r for r in load_rules(DIALECT_FILE) if r.kind in (WORD_KIND, PATTERN_KIND)]
    # patterns marked before_words ("yer" as "you"), then words ("gooin'"), then other patterns (dropped g)
    rules.sort(key=lambda r: 0 if r.params.get("before_words") else 1 if r.kind == WORD_KIND else 2)
    return tuple((r, _compile(r)) for r in rules)


def normalise(text: str) -> str:
    """``text`` with dialect and slang spellings replaced by their standard reading (unchanged if none)."""
    out = text.translate(_APOSTROPHES)
    folded = out.casefold()
    tokens = _WORD.findall(folded)
    words = set(tokens) | {t.strip("'") for t in tokens}
    for rule, compiled in _rules():
        if _may_change(compiled, folded, words):
            out = _apply(compiled, out, rule.ignore_case)
    return out if out != text.translate(_APOSTROPHES) else text


@register_runner(WORD_KIND)
@register_runner(PATTERN_KIND)
def run_dialect(rule: Rule, text: str) -> bool:
    """A dialect rule fires when it alone rewrites the text."""
    text = text.translate(_APOSTROPHES)
    return _apply(_compile(rule), text, rule.ignore_case) != text
