"""Facts first: what kind of statement a candidate sentence makes.

Classes, in the order a summary uses them: ``event`` (who did what to whom, when, where), ``outcome``
(dismissed, charged, convicted, sentenced, cleared), ``finding`` (what a watchdog, court or panel found),
``process`` (referrals, reviews, next steps); then ``context`` (general commentary, background, statistics),
used only when a source has nothing else, and ``opinion`` (recommendations, evaluations, a writer's or
poster's asides), never used.

The cues are rules (``bot/rules/summary/cues.toml``, kind ``summary_cue``), each pointing to one class.
Precedence: opinion wins; context wins unless an outcome or finding cue also fires; then outcome, finding,
process, event. A sentence no cue claims is an event when it reports in the past tense, else context.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Literal

from bot.rules import Rule, load_rules
from bot.rules.loader import RULES_DIR
from bot.rules.runners import fires, register_runner

Kind = Literal["event", "outcome", "finding", "process", "context", "opinion"]
FACT_ORDER: tuple[Kind, ...] = ("event", "outcome", "finding", "process")
_PAST = re.compile(
    r"\b(?:was|were|had|did|\w{3,}ed|gave|told|took|made|went|came|said|met|sent|found|left|began|saw|heard|"
    r"brought|held|led|paid|kept|wrote|spoke|knew|fell|stood|sat|ran|rang|won|lost|got|put|set|hit|shook|"
    r"threw|drove|broke|fought|caught|taught|sought|bought|struck|stole|hid|bit|ate|rode|swore|woke)\b", re.I)
_QUOTED = re.compile(r"[\"\u201c][^\"\u201d]{3,}[\"\u201d]")


@cache
def cue_rules() -> tuple[Rule, ...]:
    """The shipped summary cues."""
    return tuple(load_rules(RULES_DIR / "summary").of_kind("summary_cue"))


def cue_classes(text: str, rules: tuple[Rule, ...] | None = None) -> set[str]:
    """The classes whose cues fire on ``text`` (quotations left out: a quoted opinion is reporting)."""
    outside = _QUOTED.sub(" ", text)
    return {str(r.params.get("class")) for r in (rules or cue_rules()) if fires(r, outside)}


def classify(text: str, rules: tuple[Rule, ...] | None = None) -> Kind:
    """The class of one sentence."""
    hits = cue_classes(text, rules)
    if "opinion" in hits:
        return "opinion"
    if "context" in hits and not hits & {"outcome", "finding"}:
        return "context"
    for kind in ("outcome", "finding", "process", "event"):
        if kind in hits:
            return kind
    return "event" if _PAST.search(_QUOTED.sub(" ", text)) else "context"


@register_runner("summary_cue")
def run_summary_cue(rule: Rule, text: str) -> bool:
    """A cue "fires" on a text when it matches and the classifier, with every cue, gives its class."""
    return fires(rule, _QUOTED.sub(" ", text)) and classify(text) == rule.params.get("class")
