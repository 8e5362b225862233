"""Abuse label names and the per-label thresholds a guild can tune."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any

from bot.errors import ConfigError

#: Labels of Detoxify's ``original`` model (and ``original-small``), in its output order.
ORIGINAL_LABELS = ("toxicity", "severe_toxicity", "obscene", "threat", "insult", "identity_attack")
#: ``unbiased``/``multilingual`` add a sexual-content label (and identity-mention labels, not harms).
UNBIASED_LABELS = (*ORIGINAL_LABELS, "sexual_explicit")
#: The offline fallback's single label: alt-profanity-check's probability.
FALLBACK_LABEL = "profanity"
#: Labels the pattern layer raises.
PATTERN_LABELS = ("threat", "incitement", "insult", "identity_attack", "intimidation", "self_harm")
#: Labels whose high scores justify suggesting HOLD rather than REVIEW (model backends only).
SEVERE_LABELS = (
    "severe_toxicity", "threat", "identity_attack", "incitement", "violence", "intimidation", "self_harm", "doxxing",
)

#: Detoxify renames the Jigsaw class names; checkpoints may use either spelling.
CLASS_NAME_ALIASES = {"toxic": "toxicity", "identity_hate": "identity_attack", "severe_toxic": "severe_toxicity"}


@dataclass(frozen=True, slots=True)
class AbuseThresholds:
    """A message is flagged when any harm label reaches its threshold (scores are 0..1).

    Labels a scorer returns that have no threshold here (Detoxify's identity-mention labels such as
    ``female`` or ``muslim``) never flag on their own. ``hold`` is the score at which a model's
    severe label (threat, severe toxicity, identity attack) suggests HOLD instead of REVIEW; the
    offline fallback and the pattern layer only ever suggest REVIEW.
    """

    toxicity: float = 0.80
    severe_toxicity: float = 0.50
    obscene: float = 0.80
    threat: float = 0.50
    insult: float = 0.70
    identity_attack: float = 0.50
    sexual_explicit: float = 0.80
    profanity: float = 0.80
    incitement: float = 0.50
    # the learned scorer's labels (bot.abuse.learned): its calibrated scores put each label's bar at 0.5
    abuse: float = 0.50
    violence: float = 0.50
    intimidation: float = 0.50
    sexual_harassment: float = 0.50
    self_harm: float = 0.50
    doxxing: float = 0.50
    hold: float = 0.90

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if not isinstance(value, int | float) or not 0.0 <= float(value) <= 1.0:
                raise ConfigError(f"abuse threshold {f.name} must be a number between 0 and 1 (got {value!r})")

    def for_label(self, label: str) -> float | None:
        """The threshold for ``label``, or None when the label never flags."""
        if label == "hold":
            return None
        value = getattr(self, label, None)
        return float(value) if isinstance(value, int | float) else None

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> AbuseThresholds:
        """Defaults overridden by ``data`` (e.g. a guild's stored settings); unknown labels are an error."""
        data = dict(data or {})
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown abuse threshold(s): {', '.join(unknown)}; known: {', '.join(sorted(known))}")
        return cls(**{k: float(v) if isinstance(v, int | float) else v for k, v in data.items()})
