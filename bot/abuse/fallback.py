"""The offline fallback scorer: alt-profanity-check's bundled linear model (no weights to fetch), read without
scikit-learn (:mod:`bot.abuse.profanity_model`)."""

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
        from bot.abuse.profanity_model import shipped_model

        self._predict_prob = shipped_model().predict_prob

    @property
    def labels(self) -> tuple[str, ...]:
        return (FALLBACK_LABEL,)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        return [{FALLBACK_LABEL: p} for p in self._predict_prob(list(texts))]
