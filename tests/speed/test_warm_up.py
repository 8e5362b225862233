"""A batcher warms a scorer with lazy stages on the shipped rules' examples before it takes messages."""

from __future__ import annotations

from bot.abuse.batching import WARM_UP_TEXT, warm_up_texts
from bot.abuse.detector import AbuseDetector
from bot.abuse.fallback import ProfanityScorer
from bot.abuse.static import StaticScorer
from bot.rules.loader import shipped_rules


class _Lazy(ProfanityScorer):
    lazy_stages = True


def test_a_scorer_with_lazy_stages_is_warmed_on_every_rules_examples() -> None:
    texts = warm_up_texts(AbuseDetector(_Lazy()))
    assert texts[0] == WARM_UP_TEXT
    assert set(texts[1:]) == {text for rule in shipped_rules() for text in rule.examples}
    assert len(texts) == len(set(texts))


def test_other_scorers_get_one_short_text() -> None:
    assert warm_up_texts(AbuseDetector(ProfanityScorer())) == [WARM_UP_TEXT]


def test_the_static_scorer_has_lazy_stages() -> None:
    assert StaticScorer.lazy_stages is True
