"""Detail ablation: does a message's abuse survive taking its identifying details out?

The learned scorer reads bare identifying details ("the complainant lives at 41 Elm Drive", "A0ife
K1ngsley", "ring him on 020 7946 0321 and ask him yourself") as doxxing or generic abuse: in its corpus
most messages carrying an address or a name also carry intent. Such a message is an identity problem
(the protected-party detectors flag it), not abuse. Abuse that merely mentions a detail keeps its hostile
content when the detail is replaced by a neutral word: "he's at somewhere, plenty of us with free
evenings, you know what to do" is still a call to act.

:func:`mask_details` replaces e-mail addresses, web links, handles, phone numbers, postcodes, number
plates, dates, street addresses, masked names ("A0ife") and capitalised names that are not common English
words with neutral words. :class:`bot.abuse.learned.LearnedScorer` re-scores the masked text of a message
the head would flag and keeps the flag only when a hostile label (not ``abuse`` or ``doxxing``, which the
detail alone can raise) still reaches its threshold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

#: Labels whose score must survive masking: the kinds of harm a detail alone cannot express.
HOSTILE_LABELS = frozenset({
    "insult", "threat", "violence", "intimidation", "sexual_harassment", "self_harm", "identity_attack",
})

_EMAIL = re.compile(r"\b[\w.+-]+(?:@|\s+at\s+)[\w-]+(?:(?:\.|\s+dot\s+)[\w-]+)+\b", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://)?(?:www\.)?(?:[\w-]+\.)+(?:com|co\.uk|uk|net|org|io|me)(?:/\S*)?", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@[\w.]{2,32}")
_PHONE = re.compile(r"(?:\+44\s?|\b0)\d{2,4}[\s-]?\d{3,4}[\s-]?\d{3,4}\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_PLATE = re.compile(r"\b[A-Z]{2}\d{2}\s?[A-Z]{3}\b")
_DATE = re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b")
_STREET = re.compile(
    r"\b(?:(?:no\.?|number|flat)\s*)?\d*\s*(?:[A-Z][\w'-]+\s){1,3}(?:Road|Street|St|Lane|Avenue|Close|Drive|"
    r"Crescent|Grove|Way|Court|House|Mews|Walk|View|Park|Place|Terrace|Gardens|Yard|Bank|Rd)\b"
)
#: A lower-case handle without its @ ("neesh.okk", "kaydz_77").
_BARE_HANDLE = re.compile(r"(?<![\w.])[a-z0-9]+[._][a-z0-9._]*[a-z0-9](?![\w.])")
_NUMBER = re.compile(r"\b(?:no\.?\s*|number\s+|flat\s+)?\d+[A-Za-z]?\b")
#: A word mixing letters with digits or @/$ ("A0ife", "K1ngsley", "A@liyah"): a masked name or an identifier.
_MASKED_WORD = re.compile(r"(?<![\w@$])(?=[\w@$-]*[A-Za-z])(?=[\w@$-]*[0-9@$])[A-Za-z][\w@$-]*[A-Za-z0-9](?![\w@$])")
_NAME = re.compile(r"\b[A-Z][a-z'’]+(?:[\s-][A-Z][a-z'’]+)*\b")
_SPACES = re.compile(r"\s+")
_SENTENCE_START = re.compile(r"(?:^|[.!?]\s+|\n\s*)$")
#: What a masked name becomes: a plain first name, because "someone" itself reads as a threat's subject
#: ("someone should ...") and scores as abuse in the corpus.
NAME_WORD = " Sam "
PLACE_WORD = " the high street "


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


def mask_details(text: str) -> str:
    """``text`` with identifying details replaced by neutral words (the same text when it has none)."""
    out = _EMAIL.sub(" an email address ", text)
    out = _URL.sub(" a web page ", out)
    out = _HANDLE.sub(" an account ", out)
    out = _PHONE.sub(" a phone number ", out)
    out = _POSTCODE.sub(" ", out)
    out = _PLATE.sub(" a car ", out)
    out = _DATE.sub(" a date ", out)
    out = _STREET.sub(PLACE_WORD, out)
    out = _MASKED_WORD.sub(NAME_WORD, out)
    out = _BARE_HANDLE.sub(" an account ", out)
    out = _NUMBER.sub(" ", out)
    out = _NAME.sub(_name, out)
    out = _SPACES.sub(" ", out).strip()
    return text if out == _SPACES.sub(" ", text).strip() else out


def ablate(probs: np.ndarray, texts: Sequence[str], labels: Sequence[str], thresholds: Sequence[float],
           rescore: Callable[[list[str]], np.ndarray]) -> np.ndarray:
    """``probs`` (n, labels) with detail ablation applied: ``rescore`` gives probabilities for masked texts.

    Only rows over a threshold whose text has a detail are re-scored; such a row keeps, per label, the lower
    of its two probabilities unless a hostile label still reaches its threshold with the details masked.
    """
    bars = np.asarray(thresholds, dtype=np.float64)
    hostile = np.array([label in HOSTILE_LABELS for label in labels])
    out = np.array(probs, dtype=np.float64, copy=True)
    redo: dict[int, str] = {}
    for index in np.flatnonzero((out >= bars).any(axis=1)).tolist():
        masked = mask_details(texts[index])
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
