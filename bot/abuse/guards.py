"""Precision guards for model scores: phrasings a model scorer confuses with abuse.

The guards act on a message's text and on label names only, so they serve any model scorer (the learned
MiniLM heads, a static-embedding scorer, Detoxify); the pattern layer is never guarded.

**Legal punishment.** Calls for *legal* punishment ("I hope he never gets out", "throw the book at him",
"life should mean life") sit next to wishes for violence in embedding space, and the project's policy says
they are not abuse. A message whose only harm is such a call, with no word of bodily harm anywhere in it, has
its model labels for violence, threat, self-harm and generic abuse set aside; the pattern layer still runs,
and any other label still flags.

**Moderation requests and peer correction.** On a forum about a live case most sharp @-replies are members
policing the thread: "@x please take that down, it says which street she lives on", "why would you post
that?", "stop guessing who the witness is", "I've reported it", a moderator's warning, "that's out of
order", "I don't think that's right". Models trained on abuse read the @, the "you" and the heat as hostility.
Such a message has every model label set aside, unless a stand-aside rule finds a threat or condition ("take
that down or I'll find you"), menace about knowing the reader, violence, sexual attention or an insult aimed
at the reader ("you're a pathetic little troll, take it down").

The phrasings are rules (``bot/rules/abuse/guards.toml``), checked by their examples.
"""

from __future__ import annotations

import re
from dataclasses import fields
from functools import cache, lru_cache

from bot.abuse.labels import AbuseThresholds
from bot.rules import Rule, load_rules
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

#: self_harm too: a sentence wished on a third party is not encouragement of self-harm, and the agreement tier
#: (bot.abuse.ablation.confirm) can otherwise lift it on "he deserves the maximum"; self-harm wording
#: ("yourself", "end it", "pills") is in the harm words, which stand the guard aside.
GUARDED_LABELS = frozenset({"abuse", "violence", "threat", "toxicity", "severe_toxicity", "self_harm"})
#: Set aside too when the call for a sentence carries no locating detail (no address, number, handle,
#: workplace, school or vehicle): "throw the book at him" is not doxxing, "... he lives at 4 Elm Road" may be.
DETAIL_FREE_GUARDED_LABELS = frozenset({"doxxing"})
_LOCATING = re.compile(
    r"\d|@|\b(?:lives?|living|address|street|st|road|rd|lane|avenue|close|drive|estate|flat|house|works?|"
    r"job|school|college|uni|shop|pub|car|van|reg|plate|facebook|insta\w*|tiktok|snap\w*|twitter|number)\b",
    re.IGNORECASE,
)
GUARD_FILE = RULES_DIR / "abuse" / "guards.toml"
#: Texts whose guard answers are kept (the detector's guards, then the second stage's features, ask about the same
#: texts; the rules are loaded once per process, so an answer is a function of the text alone).
GUARD_CACHE_SIZE = 1 << 14


#: Every label a model scorer may give (the learned heads', Detoxify's and the fallback's): the peer-request guard
#: sets aside all of them, since a request to take a post down is moderation whatever the model calls it.
ALL_MODEL_LABELS = frozenset(f.name for f in fields(AbuseThresholds) if f.name != "hold")


@cache
def _kinds() -> dict[str, tuple[Rule, ...]]:
    rules = list(load_rules(GUARD_FILE))
    return {kind: tuple(r for r in rules if r.kind == kind)
            for kind in ("abuse_guard", "abuse_harm", "abuse_peer", "abuse_peer_harm")}


def _rules() -> tuple[tuple[Rule, ...], tuple[Rule, ...]]:
    kinds = _kinds()
    return kinds["abuse_guard"], kinds["abuse_harm"]


def _any_hit(rules: tuple[Rule, ...], text: str) -> bool:
    return any(next(rule.hits(text), None) is not None for rule in rules)


def legal_punishment_rules() -> tuple[Rule, ...]:
    """The rules that recognise a call for a legal sentence (kind ``abuse_guard``)."""
    return _rules()[0]


@lru_cache(maxsize=GUARD_CACHE_SIZE)
def legal_punishment_only(text: str) -> bool:
    """True when the message calls for a legal sentence and says nothing about bodily harm."""
    guards, harm = _rules()
    return _any_hit(guards, text) and not _any_hit(harm, text)


@lru_cache(maxsize=GUARD_CACHE_SIZE)
def peer_request_only(text: str) -> bool:
    """True when the message asks for a post to come down (or stop, or reports it, or disagrees politely) and
    carries no threat, condition, menace, violence, sexual attention or insult aimed at the reader."""
    kinds = _kinds()
    return _any_hit(kinds["abuse_peer"], text) and not _any_hit(kinds["abuse_peer_harm"], text)


def guarded_labels(text: str) -> frozenset[str]:
    """The model labels set aside for ``text``: all of them for a moderation request or peer correction,
    the legal-punishment set for a call for a legal sentence, else none."""
    if peer_request_only(text):
        return ALL_MODEL_LABELS
    if not legal_punishment_only(text):
        return frozenset()
    return GUARDED_LABELS if _LOCATING.search(text) else GUARDED_LABELS | DETAIL_FREE_GUARDED_LABELS


@register_runner("abuse_guard")
def run_guard(rule: Rule, text: str) -> bool:
    """A guard rule fires when it matches and no harm word stands it aside (as the detector uses it)."""
    return next(rule.hits(text), None) is not None and not _any_hit(_rules()[1], text)


@register_runner("abuse_peer")
def run_peer_guard(rule: Rule, text: str) -> bool:
    """A peer-request rule fires when it matches and no stand-aside rule finds a threat or an insult."""
    return next(rule.hits(text), None) is not None and not _any_hit(_kinds()["abuse_peer_harm"], text)
