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

One vectorised ``predict_prob`` call per batch over the targeted sentences only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache

from bot.abuse.labels import FALLBACK_LABEL
from bot.abuse.targeting import find_target
from bot.rules import Rule, load_rules
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

EMPHASIS_FILE = RULES_DIR / "abuse" / "emphasis.toml"
LABEL = FALLBACK_LABEL
#: A sentence ends at . ! ? ; or a line break (a comma does not: "Pattison is a slave driver and should rot").
_SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
#: Target kinds that aim a sentence at someone directly (a group, a role or a bare "he"/"she" does not).
DIRECT = frozenset({"mention", "second_person", "named", "addressed"})
#: A capitalised run ending in one of these is an institution, not a person ("Lancashire Police").
_INSTITUTION = re.compile(
    r"\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\s+(?:Police|Constabulary|Court|Council|Office|Service|Trust|Church|Diocese|"
    r"University|College|School|Academy|Hospital|Prison|Borough|County|Force|Government|Party|Ltd|Club|FC|Station|"
    r"Cathedral|Parish|Authority|Commission|Board|Service)\b"
)
@cache
def emphasis_rules() -> tuple[Rule, ...]:
    return tuple(rule for rule in load_rules(EMPHASIS_FILE) if rule.kind == "abuse_emphasis")


@cache
def _emphasis() -> tuple[re.Pattern[str], ...]:
    return tuple(regex for rule in emphasis_rules() for regex in rule.regexes)


def without_emphasis(sentence: str) -> str:
    """``sentence`` with every swearing-for-emphasis exclamation blanked out."""
    for regex in _emphasis():
        sentence = regex.sub(" ", sentence)
    return sentence


def direct_target(sentence: str) -> bool:
    """True when ``sentence`` aims at someone directly: "you", an @-mention, a named person (not an
    institution such as "Lancashire Police"), or an imperative at the reader."""
    target = find_target(_INSTITUTION.sub(" ", sentence))
    return target is not None and target.kind in DIRECT


def targeted_sentences(text: str) -> list[str]:
    """The sentences of ``text`` that could count (a direct target of their own), emphasis blanked."""
    out = []
    for match in _SENTENCE.finditer(text):
        sentence = match.group(0).strip()
        if sentence and direct_target(sentence):
            cleaned = without_emphasis(sentence)
            if cleaned.strip(" ,.!?;:-"):
                out.append(cleaned)
    return out


class ProfanityVoice:
    """alt-profanity-check's probability over each message's targeted sentences, batched."""

    label = LABEL

    def __init__(self) -> None:
        from profanity_check import predict_prob  # loads the bundled 1 MB vectorizer and model once

        self._predict_prob = predict_prob
        emphasis_rules()  # the rule file loads and validates now, not mid-scan

    def scores(self, texts: Sequence[str]) -> list[float]:
        """Per text, the highest probability over its targeted sentences (0.0 when none)."""
        owners: list[int] = []
        sentences: list[str] = []
        for i, text in enumerate(texts):
            for sentence in targeted_sentences(text):
                owners.append(i)
                sentences.append(sentence)
        out = [0.0] * len(texts)
        if sentences:
            for i, p in zip(owners, self._predict_prob(sentences), strict=True):
                out[i] = max(out[i], float(p))
        return out


@register_runner("abuse_emphasis")
def run_emphasis(rule: Rule, text: str) -> bool:
    """An emphasis rule fires when one of its patterns matches."""
    return any(regex.search(text) for regex in rule.regexes)
