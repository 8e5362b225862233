"""The recognizers' cheap pre-checks only skip patterns that could not have matched.

A pre-check that said "no" for a text one of its patterns matches would silently drop a detail, so each is
checked against the evaluation messages and against generated texts made of the patterns' own words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.recognizers import traits
from bot.recognizers.base import may_contain

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev" / "messages.jsonl"

# (pattern, pre-check): the pre-check must be True whenever the pattern matches
GATES: list[tuple[str, re.Pattern[str], object]] = [
    ("age", traits.AGE, traits._may_be_age),
    ("appearance", traits.APPEARANCE, lambda t: may_contain(t, traits.APPEARANCE_NEEDS)),
    ("hobby", traits.HOBBY, lambda t: may_contain(t, traits.HOBBY_NEEDS)),
]

_PIECES = [
    "she's", "he is", "only", "the", "her", "his", "in", "at", "for", "with", "plays", "played", "rows",
    "Year", "yrs", "years", "old", "aged", "ten", "twelve", "P", "S", "under", "mid", "late", "early",
    "twenties", "30s", "teens", "sixth form", "reception class", "girl", "is", "was", "turned", "now",
    "red hair", "blonde", "Glasses", "wears a", "red coat", "tall", "autistic", "a stammer", "Down's syndrome",
    "football", "the violin", "Ballet", "Dance", "dancing", "Sea Cadets", "ju-jitsu", "Cheer", "swims",
    "runs", "cycling", "Norton", "Rovers", "FC", "Juniors", "Stage School", "club", "Mill", "Lane",
    "1", "7", "11", "15", "42", "-", ",", ".", "'s", "gold", "told", "band", "husband",
]


def _corpus() -> list[str]:
    texts = []
    for path in [SHARED, DATA / "heldout" / "messages.jsonl", *sorted(DATA.glob("redteam/*/messages.jsonl"))]:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("content"), str):
                    texts.append(row["content"])
    return texts


def _check(text: str) -> None:
    for name, pattern, gate in GATES:
        if pattern.search(text):
            assert gate(text), f"the {name} pre-check skipped a text its pattern matches: {text!r}"  # type: ignore[operator]


def test_prechecks_hold_on_the_evaluation_messages() -> None:
    texts = _corpus()
    assert texts
    matched = 0
    for text in texts:
        _check(text)
        matched += any(p.search(text) for _, p, _ in GATES)
    assert matched > 0  # the corpus does exercise the patterns


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=12),
       st.sampled_from([" ", "-", ""]), st.booleans())
def test_prechecks_hold_on_texts_made_of_the_patterns_words(pieces: list[str], sep: str, upper: bool) -> None:
    text = sep.join(pieces)
    _check(text.upper() if upper else text)


def test_non_ascii_text_is_never_ruled_out() -> None:
    # under re.IGNORECASE the long s matches "s": "ſcouts" must not be skipped
    assert may_contain("ſcouts", ("scouts",))
    assert not may_contain("nothing here", ("scouts",))
