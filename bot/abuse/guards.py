"""Precision guards for model scores: phrasings the learned scorer confuses with abuse.

Calls for *legal* punishment ("I hope he never gets out", "throw the book at him", "life should mean life")
sit next to wishes for violence in embedding space, and the project's policy says they are not abuse. A
message whose only harm is such a call, with no violent or degrading word anywhere in it, has its model
labels for violence, threat and generic abuse set aside; the pattern layer still runs, and any other label
still flags.
"""

from __future__ import annotations

import re

_LEGAL_PUNISHMENT = re.compile(
    r"\b(?:never\s+(?:gets?|get|getting|comes?)\s+out|throw\s+(?:away\s+)?the\s+(?:book|key)|lock\s+\w+\s+up|"
    r"locked\s+up|life\s+(?:sentence|means\s+life|should\s+mean\s+life)|gets?\s+life|whole[-\s]life|"
    r"(?:long|longest|maximum|max|massive|big|full)\s+(?:sentence|stretch|term)|the\s+maximum|\d+\s*(?:years?|yrs)|"
    r"(?:twenty|fifteen|ten|thirty)\s+years|behind\s+bars|rot\s+in\s+(?:jail|prison|a\s+cell)|"
    r"(?:sex\s+offenders?\s+)?register|struck\s+off|prosecuted|charged|jailed|sent\s+down|send\s+\w+\s+down|"
    r"bang\s+\w+\s+up|deported|parole|behind\s+bars)\b",
    re.IGNORECASE,
)
#: Words that make a message about harm to a body, not about a sentence (then the guard stands aside).
_HARM = re.compile(
    r"\b(?:kill|killed|die|dies|dead|death|hang|hanged|hung|rope|stab|stabbed|shank|shanked|shiv|beat|beaten|"
    r"beating|batter|battered|kick|kicked|kicking|punch|hurt|hurts|suffer|suffers|pain|painful|burn|torch|"
    r"bleed|bones?|legs?|head|face|teeth|slap|smash|cut|knife|bat|hammer|sort(?:ed)?\s+out|deal\s+with|"
    r"dealt\s+with|welcome|lesson|taste|visit|find|found|wing|showers?|yard|cell\s*mates?|lags?|inmates?|"
    r"prisoners|lads)\b",
    re.IGNORECASE,
)
GUARDED_LABELS = frozenset({"abuse", "violence", "threat", "toxicity", "severe_toxicity"})


def legal_punishment_only(text: str) -> bool:
    """True when the message calls for a legal sentence and says nothing about bodily harm."""
    return bool(_LEGAL_PUNISHMENT.search(text)) and not _HARM.search(text)
