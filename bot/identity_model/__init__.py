"""A learned identifying-detail scorer: does a sentence give away where a person lives, goes, studies or works,
who their relatives are, what they look like, drive or post (:mod:`bot.identity_model.scorer`)?

It decides WHETHER a detail is given; the tie finder (:mod:`bot.recognizers.ties`) decides WHO it is about, and
the identifying detector (:mod:`bot.detectors.identifying`) counts the model's evidence only when the sentence is
tied to a protected party. Trained by ``python -m bot train identity`` (:mod:`bot.identity_model.train`).
"""

from bot.identity_model.scorer import DetailScorer, SentenceDetail, shipped_scorer

__all__ = ["DetailScorer", "SentenceDetail", "shipped_scorer"]
