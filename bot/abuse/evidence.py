"""Per-label evidence for a surface scorer's model labels: a label flags only with a cue of its harm.

The static scorer's heads read word and character n-grams and averaged word-piece vectors. On short ordinary
replies that surface is thin, and the heads fire on the wrong thing: "why would you" as self-harm, "good on
him" as violence, a bare detail as doxxing, "X should be shut" as an identity attack. A scorer that sets
``needs_evidence`` (the static family) has each of its model labels checked against the rules of kind
``abuse_evidence`` in ``bot/rules/abuse/evidence.toml``: a label some rule names flags only when, for each
of its evidence groups, one rule of that group fires on the message (self-harm needs a self-harm cue, an
identity attack a group of people and derogation, doxxing a call to act or menace, insult a demeaning word ...).
A label no rule names needs no evidence. The generic label
then flags only beside a specific label that kept its evidence (:func:`bot.abuse.detector.build_flag`).

**Short messages carry little n-gram evidence.** A message of at most :data:`SHORT_WORDS` words (an @-mention
is not a word) flags through a model label only when the label's score also reaches :data:`SHORT_BAR`; below
that the scorer abstains and the pattern layer alone speaks.

The pattern layer is never gated: its rules carry their own examples and counterexamples.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from bot.rules import Rule, load_rules
from bot.rules.gates import RuleGroup
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

EVIDENCE_FILE = RULES_DIR / "abuse" / "evidence.toml"
#: At most this many words (after dropping @-mentions and URLs): a short message.
SHORT_WORDS = 4
#: A model label on a short message flags only at or over this calibrated score (its default bar is 0.5).
SHORT_BAR = 0.9
#: Texts whose fired evidence rules are kept: enough for a scan's scoring chunk and the gating that follows it
#: (a cache smaller than the texts scored between the two asks is emptied before the second).
EVIDENCE_CACHE_SIZE = 1 << 15
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_MENTION = re.compile(r"@[\w.]+|https?://\S+")


@cache
def evidence_rules() -> dict[str, dict[str, tuple[Rule, ...]]]:
    """Label -> evidence group -> the rules any one of which satisfies that group. A label needs every one of
    its groups (``params.group``, default "cue"): an identity attack needs a group of people AND derogation."""
    out: dict[str, dict[str, list[Rule]]] = {}
    for rule in load_rules(EVIDENCE_FILE):
        if rule.kind != "abuse_evidence":
            continue
        group = str(rule.params.get("group", "cue"))
        for label in _labels_of(rule):
            out.setdefault(label, {}).setdefault(group, []).append(rule)
    return {label: {g: tuple(rules) for g, rules in groups.items()} for label, groups in out.items()}


def _labels_of(rule: Rule) -> tuple[str, ...]:
    labels = rule.words_param("labels")
    single = rule.params.get("label")
    return labels + ((str(single),) if isinstance(single, str) else ())


@cache
def _evidence_group() -> RuleGroup:
    return RuleGroup(rule for groups in evidence_rules().values() for group in groups.values() for rule in group)


@lru_cache(maxsize=EVIDENCE_CACHE_SIZE)
def fired_evidence(text: str) -> frozenset[str]:
    """The ids of the evidence rules that fire on ``text``, found together once (several checks ask: the static
    scorer's ablation choice while a batch is scored, then the detector's gating after every batch)."""
    return _evidence_group().fired(text)


def _fires(rule: Rule, text: str) -> bool:
    return rule.id in fired_evidence(text)


def word_count(text: str) -> int:
    """Words in ``text`` once @-mentions and URLs are dropped."""
    return len(_WORD.findall(_MENTION.sub(" ", text)))


def unevidenced(text: str, labels: set[str] | frozenset[str]) -> frozenset[str]:
    """The labels among ``labels`` that need evidence and find none in ``text``."""
    rules = evidence_rules()
    return frozenset(label for label in labels if label in rules
                     and not all(any(_fires(rule, text) for rule in group) for group in rules[label].values()))


def corroborated(text: str, labels: set[str] | frozenset[str]) -> frozenset[str]:
    """The labels among ``labels`` that a *corroborating* cue backs (rules with ``params.corroborates``: menace,
    bodily harm). A topic cue ("going to the police", "giving evidence") lets a label over its bar stand but does
    not lift one under it (:data:`bot.abuse.detector.CORROBORATED_FRACTION`)."""
    rules = evidence_rules()
    return frozenset(label for label in labels if any(
        rule.params.get("corroborates") is True and _fires(rule, text)
        for group in rules.get(label, {}).values() for rule in group))


@register_runner("abuse_evidence")
def run_evidence(rule: Rule, text: str) -> bool:
    """An evidence rule fires when one of its patterns or words matches."""
    return _fires(rule, text)
