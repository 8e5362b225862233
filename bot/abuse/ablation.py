"""Detail ablation: does a message's abuse survive taking its identifying details out?

A model scorer reads bare identifying details ("the complainant lives at 41 Elm Drive", "A0ife K1ngsley",
"ring him on O77OO 9OO 321 and ask him yourself") as doxxing or generic abuse: in an abuse corpus most
messages carrying an address or a name also carry intent. Such a message is an identity problem (the
protected-party detectors flag it), not abuse. Abuse that merely mentions a detail keeps its hostile content
when the detail is replaced by a neutral word: "he's at somewhere, plenty of us with free evenings, you know
what to do" is still a call to act.

:class:`DetailMasker` finds the details **the way the identity engine sees them**:

* the identity recognizers (``bot.recognizers``, the rule files under ``bot/rules/identity/recognizers``) give
  phones in look-alike letters, e-mails written with "at" and "dot", handles, addresses, streets, postcodes,
  plates, dates of birth, schools, workplaces and ages, on the same folded text the identity detector reads;
* with a case (``python -m bot scan`` sets it for its one case: :func:`use_case`), the case's protected-name
  matcher and public-party matcher give registered names and identifiers through every disguise they know
  ("K1t Ashd0wn", a handle spelt out);
* what no identity recognizer looks for is filled in by a few fallback patterns: web links, bare handles
  without context ("kaydz_77"), stray numbers, words mixing letters and digits ("A0ife"), and capitalised
  words that are not common English (unregistered names; the identity engine has no detector for those).

:func:`ablate` re-scores the masked text of a row a scorer would flag and keeps the flag only when a hostile
label (not ``abuse`` or ``doxxing``, which the detail alone can raise) still reaches its threshold. It acts on
texts and label names only, so it serves any model scorer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from bot.detectors.identifying import IdentifyingDetailDetector
    from bot.matcher import ProtectedMatcher

#: Labels whose score must survive masking: the kinds of harm a detail alone cannot express.
HOSTILE_LABELS = frozenset({
    "insult", "threat", "violence", "intimidation", "sexual_harassment", "self_harm", "identity_attack",
})

#: What a masked name becomes: a plain first name, because "someone" itself reads as a threat's subject
#: ("someone should ...") and scores as abuse in the corpus.
NAME_WORD = " Sam "
PLACE_WORD = " the high street "
#: Neutral words for each detail kind the identity recognizers report (kinds not listed are left in the text:
#: appearance, hobby, relative and occupation say nothing that could be mistaken for hostility).
KIND_WORDS = {
    "phone": " a phone number ", "email": " an email address ", "social": " an account ", "media": " a link ",
    "address": PLACE_WORD, "street": PLACE_WORD, "postcode": " ", "area": PLACE_WORD, "routine": PLACE_WORD,
    "vehicle": " a car ", "car": " a car ", "dob": " a date ", "school": " the school ",
    "workplace": " the shop ", "age": " ",
}
#: Registered identifiers (not names) found by the protected matcher.
_IDENTIFIER_KINDS = frozenset({"identifier", "handle", "handle_stem", "identifier_number"})

# Fallback patterns: what no identity recognizer looks for.
_URL = re.compile(r"\b(?:https?://)?(?:www\.)?(?:[\w-]+\.)+(?:com|co\.uk|uk|net|org|io|me)(?:/\S*)?", re.IGNORECASE)
#: A lower-case handle without its @ ("neesh.okk", "kaydz_77").
_BARE_HANDLE = re.compile(r"(?<![\w.])[a-z0-9]+[._][a-z0-9._]*[a-z0-9](?![\w.])")
_NUMBER = re.compile(r"\b(?:no\.?\s*|number\s+|flat\s+)?\d+[A-Za-z]?\b")
#: A word mixing letters with digits or @/$ ("A0ife", "K1ngsley", "A@liyah"): a masked name or an identifier.
_MASKED_WORD = re.compile(r"(?<![\w@$])(?=[\w@$-]*[A-Za-z])(?=[\w@$-]*[0-9@$])[A-Za-z][\w@$-]*[A-Za-z0-9](?![\w@$])")
_NAME = re.compile(r"\b[A-Z][a-z'’]+(?:[\s-][A-Z][a-z'’]+)*\b")
_SPACES = re.compile(r"\s+")
#: The verb and preposition an address span may open with ("lives in the flats behind ..."): kept in the text.
_PLACE_LEAD = re.compile(r"(?:[\w']+\s+){0,2}?(?:in|at|on|near|by|off|behind|above|opposite)\s+", re.IGNORECASE)
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")


@lru_cache(maxsize=8192)
def _common_word(word: str) -> bool:
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= 3.6


@lru_cache(maxsize=8192)
def _english_word(word: str) -> bool:
    """A less common English word ("Inbred", "Disgusting"): capitalised only because it opens a sentence."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word.lower(), "en") >= 2.5


def _name(match: re.Match[str]) -> str:
    from bot.abuse.targeting import names_a_group

    words = [w for w in re.split(r"[\s-]", match.group(0)) if w]
    opener = len(words) == 1 and _SENTENCE_START.search(match.string[:match.start()]) is not None
    keep = all(_common_word(w) or names_a_group(w) or (opener and _english_word(w)) for w in words)
    return match.group(0) if keep else NAME_WORD


def _fallback(text: str) -> str:
    out = _URL.sub(" a web page ", text)
    out = _MASKED_WORD.sub(NAME_WORD, out)
    out = _BARE_HANDLE.sub(" an account ", out)
    out = _NUMBER.sub(" ", out)
    return _NAME.sub(_name, out)


class DetailMasker:
    """Replaces identifying details with neutral words, finding them as the identity engine does."""

    def __init__(self, matchers: Sequence[ProtectedMatcher] = ()) -> None:
        """``matchers``: the case's protected-name (and public-party) matchers; none without a case."""
        self.matchers = tuple(matchers)
        self._detector: IdentifyingDetailDetector | None = None

    def _recognizers(self) -> IdentifyingDetailDetector:
        if self._detector is None:  # late: the rule files load on first use, not at import
            from bot.detectors.identifying import IdentifyingDetailDetector

            self._detector = IdentifyingDetailDetector(cache_size=0)
        return self._detector

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, replacement)`` of every detail the identity engine sees, in ``text``'s offsets,
        overlapping spans merged (the earlier-starting, then longer, wins)."""
        found: list[tuple[int, int, str]] = []
        for matcher in self.matchers:
            for m in matcher.find(text, untied_first_names=True):
                found.append((m.start, m.end, " an account " if m.kind in _IDENTIFIER_KINDS else NAME_WORD))
        analysis = self._recognizers().analyse(text)
        for d in analysis.details:
            word = KIND_WORDS.get(d.kind)
            if word is not None and d.end > d.start and not d.public:
                start, end = analysis.folded.span(d.start, d.end)
                lead = _PLACE_LEAD.match(text, start, end) if word == PLACE_WORD else None
                found.append((lead.end() if lead else start, end, word))
        found.sort(key=lambda s: (s[0], -(s[1] - s[0])))
        merged: list[tuple[int, int, str]] = []
        for span in found:
            if merged and span[0] < merged[-1][1]:
                if span[1] > merged[-1][1]:
                    merged[-1] = (merged[-1][0], span[1], merged[-1][2])
                continue
            merged.append(span)
        return merged

    def __call__(self, text: str) -> str:
        """``text`` with identifying details replaced by neutral words (the same text when it has none)."""
        parts, at = [], 0
        for start, end, word in self.spans(text):
            parts += [text[at:start], word]
            at = end
        out = _fallback("".join(parts) + text[at:])
        out = _SPACES.sub(" ", out).strip()
        return text if out == _SPACES.sub(" ", text).strip() else out


_MASKER = DetailMasker()


def use_case(matchers: Sequence[ProtectedMatcher]) -> None:
    """Mask with this case's name matchers from now on (``scan`` reads one case per process; the live bot, which
    serves many cases through one scorer, masks with the recognizers and the fallback only)."""
    global _MASKER
    _MASKER = DetailMasker(matchers)


def use_engine(engine: object) -> None:
    """:func:`use_case` with an identity engine's matchers: its protected-party detector's and its public one."""
    found = [getattr(d, "matcher", None) for d in getattr(engine, "detectors", ())]
    found.append(getattr(engine, "public", None))
    use_case([m for m in found if m is not None and hasattr(m, "find")])


def mask_details(text: str) -> str:
    """``text`` with identifying details replaced by neutral words (the same text when it has none)."""
    return _MASKER(text)


def ablate(probs: np.ndarray, texts: Sequence[str], labels: Sequence[str], thresholds: Sequence[float],
           rescore: Callable[[list[str]], np.ndarray], mask: Callable[[str], str] | None = None) -> np.ndarray:
    """``probs`` (n, labels) with detail ablation applied: ``rescore`` gives probabilities for masked texts.

    Only rows over a threshold whose text has a detail are re-scored; such a row keeps, per label, the lower
    of its two probabilities unless a hostile label still reaches its threshold with the details masked.
    ``mask``: how details are masked (:func:`mask_details`, the current case's masker, by default).
    """
    mask = mask or mask_details
    bars = np.asarray(thresholds, dtype=np.float64)
    hostile = np.array([label in HOSTILE_LABELS for label in labels])
    out = np.array(probs, dtype=np.float64, copy=True)
    redo: dict[int, str] = {}
    for index in np.flatnonzero((out >= bars).any(axis=1)).tolist():
        masked = mask(texts[index])
        if masked != texts[index]:
            redo[index] = masked
    if redo:
        again = rescore(list(redo.values()))
        for row, second in zip(redo, again, strict=True):
            if not (second[hostile] >= bars[hostile]).any():
                out[row] = np.minimum(out[row], second)
    return out


def confirm(probs: np.ndarray, labels: Sequence[str], thresholds: Sequence[float],
            confirm_thresholds: Sequence[float], generic: str = "abuse") -> np.ndarray:
    """Agreement between heads: a specific label over its lower *confirm* threshold counts as over its own
    threshold when the generic head is over its confirm threshold too (two heads trained on different
    contrasts agree), so each probability is raised to its threshold in those rows.

    Each head's ``thresholds`` are chosen for a higher held-out precision than its ``confirm_thresholds``.
    """
    out = np.array(probs, dtype=np.float64, copy=True)
    bars = np.asarray(thresholds, dtype=np.float64)
    low = np.asarray(confirm_thresholds, dtype=np.float64)
    g = list(labels).index(generic)
    specific = np.array([label != generic for label in labels])
    agreed = (out >= low) & specific[None, :] & (out[:, [g]] >= low[g])
    rows = agreed.any(axis=1)
    agreed[:, g] = rows
    return np.where(agreed, np.maximum(out, bars), out)
