"""Abuse scoring: Detoxify (torch or ONNX), an offline fallback, a pattern layer, micro-batching.

``build_detector(settings)`` picks the best scorer available; ``AbuseDetector.detect_many`` is the
synchronous batched API (scan, demo); ``BatchingScorer`` is the async front for the bot.
"""

from bot.abuse.batching import BatchingScorer
from bot.abuse.detector import AbuseDetector, AbuseScores, build_flag
from bot.abuse.factory import build_detector, build_scorer
from bot.abuse.labels import AbuseThresholds
from bot.abuse.scorer import Scorer, Scores

__all__ = [
    "AbuseDetector",
    "AbuseScores",
    "AbuseThresholds",
    "BatchingScorer",
    "Scorer",
    "Scores",
    "build_detector",
    "build_flag",
    "build_scorer",
]
