"""The stock Detoxify scorer: the public ``Detoxify.predict`` on torch."""

from __future__ import annotations

from collections.abc import Sequence

from bot.abuse.checkpoint import LoadedDetoxify
from bot.abuse.scorer import Scores

#: Characters kept before tokenising; a token covers at least one character, so this never cuts
#: text the model would have seen, and it bounds tokenizer work on pasted walls of text.
CHARS_PER_TOKEN_BOUND = 32


class DetoxifyScorer:
    """Scores with the loaded Detoxify model; texts longer than the model's limit are truncated."""

    key = "detoxify"
    is_fallback = False

    def __init__(self, loaded: LoadedDetoxify, model_type: str = "original"):
        self._detox = loaded.detoxify
        self._labels = loaded.class_names
        self.max_length = loaded.max_length
        self.name = f"detoxify-{model_type} (torch)"

    @property
    def labels(self) -> tuple[str, ...]:
        return self._labels

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        if not texts:
            return []
        cap = self.max_length * CHARS_PER_TOKEN_BOUND
        result = self._detox.predict([t[:cap] for t in texts])
        columns = [result[self._detox.class_names[i]] for i in range(len(self._labels))]
        if len(texts) == 1:
            columns = [c if isinstance(c, list) else [c] for c in columns]
        return [
            {label: float(col[row]) for label, col in zip(self._labels, columns, strict=True)}
            for row in range(len(texts))
        ]
