"""The offline fallback scorer: alt-profanity-check's bundled 1 MB linear model (no weights to fetch)."""

from __future__ import annotations

from collections.abc import Sequence

from bot.abuse.labels import FALLBACK_LABEL
from bot.abuse.scorer import Scores


class ProfanityScorer:
    """Scores each text with alt-profanity-check's calibrated probability under the label ``profanity``."""

    name = "offline fallback (alt-profanity-check)"
    key = "fallback"
    is_fallback = True

    def __init__(self) -> None:
        from profanity_check import predict_prob  # loads the bundled vectorizer and model once

        self._predict_prob = predict_prob

    @property
    def labels(self) -> tuple[str, ...]:
        return (FALLBACK_LABEL,)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        probs = self._predict_prob(list(texts))
        return [{FALLBACK_LABEL: float(p)} for p in probs]
