"""Detoxify and the learned scorer together: how their scores combine.

- The learned scorer's labels (``abuse``, ``insult``, ``threat``, ``violence``, ``intimidation``,
  ``sexual_harassment``, ``self_harm``, ``identity_attack``, ``doxxing``) are kept as they are.
- Detoxify's ``threat``, ``insult``, ``identity_attack`` and ``severe_toxicity`` are merged by taking the
  larger of the two scores for the same label (both are calibrated so the default bar means "flag").
- Detoxify's ``toxicity`` and ``obscene`` measure swearing, not abuse ("Fuck me, the barrister is good"),
  so in the combination they never flag on their own: they are reported as ``detoxify_toxicity`` and
  ``detoxify_obscene`` (no threshold) for moderators to read.
- The pattern layer and the targeting check then run on the combined scores as for any scorer.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.abuse.scorer import Scorer, Scores

MERGED = ("threat", "insult", "identity_attack", "severe_toxicity", "sexual_explicit")
REPORTED_ONLY = ("toxicity", "obscene")


class CombinedScorer:
    """``primary`` (a Detoxify backend) and ``learned`` score every batch; see the module doc for the rule."""

    is_fallback = False
    skip_untargeted = True  # model scores alone never flag a message with no target

    def __init__(self, primary: Scorer, learned: Scorer):
        self.primary = primary
        self.learned = learned
        self.name = f"{primary.name} + {learned.name}"
        self.key = f"{primary.key}+learned"

    @property
    def labels(self) -> tuple[str, ...]:
        extra = [f"detoxify_{x}" for x in REPORTED_ONLY if x in self.primary.labels]
        merged = [x for x in MERGED if x in self.primary.labels and x not in self.learned.labels]
        return (*self.learned.labels, *merged, *extra)

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        out = []
        for mine, theirs in zip(self.learned.score_many(texts), self.primary.score_many(texts), strict=True):
            row = dict(mine)
            for label, value in theirs.items():
                if label in REPORTED_ONLY:
                    row[f"detoxify_{label}"] = value
                elif label in MERGED:
                    row[label] = max(value, row.get(label, 0.0))
            out.append(row)
        return out
