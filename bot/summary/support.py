"""Is a summary sentence supported by the source(s) it cites? Content-word overlap plus fuzzy matching."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

STOP = frozenset(
    """that this with from have were been will would could should their there which about after into than
    then them they what when where while also only over such these those because being other more most very
    just said says""".split()  # noqa: SIM905
)
MIN_SUPPORT = 0.7
_CITE = re.compile(r"\[\d+\]")


def content_words(text: str) -> list[str]:
    """Lower-case alphanumeric words of four or more characters, minus stop words (apostrophes split)."""
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 4 and w not in STOP]


def word_support(sentence: str, pool_text: str | Iterable[str]) -> float:
    """Share of the sentence's content words that occur in the pool text(s); 1.0 for no content words."""
    pool_src = pool_text if isinstance(pool_text, str) else " ".join(pool_text)
    pool = set(content_words(pool_src))
    ws = content_words(_CITE.sub("", sentence))
    if not ws:
        return 1.0
    return sum(w in pool for w in ws) / len(ws)


def best_match(sentence: str, candidates: list[str]) -> float:
    """The best fuzzy similarity (0-100) of ``sentence`` to any candidate sentence."""
    if not candidates:
        return 0.0
    found = process.extractOne(_CITE.sub("", sentence), candidates, scorer=fuzz.token_set_ratio)
    return float(found[1]) if found else 0.0


def supports(sentence: str, source_text: str, source_sentences: list[str], *, min_fuzzy: float = 80.0) -> bool:
    """Whether one source supports a sentence: enough content words *and* a closely matching sentence."""
    return word_support(sentence, source_text) >= MIN_SUPPORT and best_match(sentence, source_sentences) >= min_fuzzy
