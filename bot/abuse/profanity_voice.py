"""A gated profanity voice for the static scorer: alt-profanity-check, counted only where the swearing has a target.

Before wave 6 the offline default was alt-profanity-check plus the patterns; it caught swearing insults ("X is a
slave driver and should rot in jail", "shut your stupid fucking mouth") that the static heads' evidence step
gates out, and it flagged untargeted swearing ("Fucking hell, the defence just asked her ...") as abuse. Here it
is a third voice beside the heads and the patterns, scored per *sentence*: a sentence counts only when it holds
a direct target of its own (:func:`direct_target`: "you", an @-mention, a named person, an imperative at the
reader) and its swearing is not an exclamation aimed at nobody (the ``abuse_emphasis`` rules in
``bot/rules/abuse/emphasis.toml`` are blanked first). A message's ``profanity`` score is the highest of its
counted sentences (0 when none counts). It is a model label: guards, the target check and the short-message bar
apply to it as to the heads' labels (:func:`bot.abuse.detector.build_flag`).

One ``predict_prob`` call per batch over the targeted sentences only, on the package's numbers read without
scikit-learn (:mod:`bot.abuse.profanity_model`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from bot.abuse.evidence import word_count
from bot.abuse.guards import legal_punishment_only, legal_punishment_rules
from bot.abuse.labels import FALLBACK_LABEL
from bot.abuse.profanity_model import shipped_model
from bot.abuse.targeting import find_target
from bot.rules import Rule, load_rules
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

EMPHASIS_FILE = RULES_DIR / "abuse" / "emphasis.toml"
LABEL = FALLBACK_LABEL
#: A sentence ends at . ! ? ; or a line break (a comma does not: "Pattison is a slave driver and should rot").
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
#: A word alt-profanity-check's linear model weighs at least this is profane (about 80 words; "sick" is 2.05,
#: "idiot" 6.25, "liar" 2.63).
PROFANE_WEIGHT = 2.5
_TOKEN = re.compile(r"(?u)\b\w\w+\b")  # the vectorizer's own token pattern
#: An @-mention plus at most this many words is a vocative: the sentence speaks to the person mentioned.
VOCATIVE_WORDS = 5
_MENTION = re.compile(r"@[\w.]{2,32}|<@!?\d+>")
#: Target kinds that aim a sentence at someone directly (a group, a role or a bare "he"/"she" does not).
DIRECT = frozenset({"second_person", "named", "addressed"})
@cache
def emphasis_rules() -> tuple[Rule, ...]:
    return tuple(rule for rule in load_rules(EMPHASIS_FILE) if rule.kind == "abuse_emphasis")


@cache
def _emphasis() -> tuple[re.Pattern[str], ...]:
    return tuple(regex for rule in emphasis_rules() for regex in rule.regexes)


@cache
def profane_words() -> frozenset[str]:
    """The words alt-profanity-check's own linear model weighs at least :data:`PROFANE_WEIGHT` (its learned
    swearing and name-calling vocabulary: "fuck", "idiot", "cunt", "pathetic", "liar" ...), less the words of
    the ``abuse_not_profane`` rule (offence and body words of court reporting, identity words, mild oaths)."""
    import numpy as np

    model = shipped_model()
    ordinary = {w for rule in load_rules(EMPHASIS_FILE) if rule.kind == "abuse_not_profane" for w in rule.words}
    return frozenset(model.terms[i] for i in np.flatnonzero(model.mean_coef >= PROFANE_WEIGHT)) - ordinary


def swears(sentence: str) -> bool:
    """True when ``sentence`` holds a word of :func:`profane_words`."""
    words = profane_words()
    return any(w in words for w in _TOKEN.findall(sentence.lower()))


@cache
def _institutions() -> tuple[re.Pattern[str], ...]:
    """``abuse_institution`` rules: a capitalised name of an organisation ("Lancashire Police"), not a person."""
    return tuple(regex for rule in load_rules(EMPHASIS_FILE) if rule.kind == "abuse_institution"
                 for regex in rule.regexes)


@cache
def _legal() -> tuple[re.Pattern[str], ...]:
    return tuple(regex for rule in legal_punishment_rules() for regex in rule.regexes)


def direct_target(sentence: str) -> bool:
    """True when ``sentence`` aims at someone directly: "you", a named person (not an institution such as
    "Lancashire Police"), an imperative at the reader, or an @-mention with at most :data:`VOCATIVE_WORDS` other
    words ("@x absolute scumbag"). A longer sentence that only opens with an @-mention ("@x agreed, the police
    were shit") swears about something else."""
    bare = _MENTION.sub(" ", sentence)
    people = bare
    for regex in _institutions():
        people = regex.sub(" ", people)
    target = find_target(people)
    if target is not None and target.kind in DIRECT:
        return True
    return bare != sentence and word_count(bare) <= VOCATIVE_WORDS


def _set_aside(sentence: str) -> str:
    """``sentence`` with swearing for emphasis blanked, and calls for a legal sentence ("should rot in jail":
    policy, not abuse; :mod:`bot.abuse.guards`) blanked unless it names bodily harm."""
    for regex in _emphasis():
        sentence = regex.sub(" ", sentence)
    if legal_punishment_only(sentence):
        for regex in _legal():
            sentence = regex.sub(" ", sentence)
    return sentence


def targeted_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that could count: a direct target of their own and, once emphasis and calls for
    a legal sentence are blanked, a profane word left (:func:`swears`)."""
    out = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        if sentence and direct_target(sentence):
            cleaned = _set_aside(sentence)
            if swears(cleaned):
                out.append(cleaned)
    return out


class ProfanityVoice:
    """alt-profanity-check's probability over each message's targeted sentences, batched."""

    label = LABEL

    def __init__(self) -> None:
        self._predict_prob = shipped_model().predict_prob  # alt-profanity-check's numbers (bot.abuse.profanity_model)
        profane_words()  # the rule file loads and validates now, not mid-scan

    def scores(self, texts: Sequence[str]) -> list[float]:
        """Per text, the highest probability over its targeted sentences (0.0 when none)."""
        owners: list[int] = []
        sentences: list[str] = []
        for i, text in enumerate(texts):
            if not swears(text):  # most messages: no profane word at all, no sentence to split or target to find
                continue
            for sentence in targeted_sentences(text):
                owners.append(i)
                sentences.append(sentence)
        out = [0.0] * len(texts)
        if sentences:
            for i, p in zip(owners, self._predict_prob(sentences), strict=True):
                out[i] = max(out[i], p)
        return out


@register_runner("abuse_not_profane")
def run_not_profane(rule: Rule, text: str) -> bool:
    """A not-profane rule fires when one of its words occurs."""
    return any(w in rule.words for w in _TOKEN.findall(text.lower()))


@register_runner("abuse_institution")
@register_runner("abuse_emphasis")
def run_emphasis(rule: Rule, text: str) -> bool:
    """An emphasis or institution rule fires when one of its patterns matches."""
    return any(regex.search(text) for regex in rule.regexes)
