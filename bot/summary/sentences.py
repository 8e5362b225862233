"""Sentence splitting and word counting, compatible with the way summaries are checked.

The splitter breaks after ``. ! ? ]`` before a capital, digit, quote or bracket, and rejoins after common
abbreviations ("Det. Supt. Reed", "J. K. Moss"), so a summary sentence chosen here stays one sentence
when the rendered summary is split again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|Prof|Rev|St|Sgt|Insp|Supt|Det|Ch|Con|Const|Cllr|Cmdr|Gen|Col|Capt|Lt|Jr|Sr"
    r"|No|Nos|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|vs|etc|approx|[A-Z])\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?\]])\s+(?=[A-Z0-9\"'(\u201c\u2018])")
_TERMINAL = re.compile(r"[.!?][\"'\u201d\u2019)]*$")
_CITE = re.compile(r"\[\d+\]")


@dataclass(slots=True)
class Sentence:
    """A sentence of a source: where it sits and its text."""

    text: str
    source: int  # 0-based index into the list of sources
    paragraph: int
    index: int  # position among the source's sentences


def split_sentences(text: str) -> list[str]:
    """Split one paragraph (or a rendered body) into sentences."""
    out: list[str] = []
    for piece in _BOUNDARY.split(text.strip()):
        if out and ABBREV.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return [s.strip() for s in out if re.search(r"[A-Za-z]{3}", s)]


def source_sentences(text: str, source: int) -> list[Sentence]:
    """Every sentence of a cleaned source text, paragraph by paragraph."""
    out: list[Sentence] = []
    for p, para in enumerate(t for t in text.split("\n\n") if t.strip()):
        for s in split_sentences(" ".join(para.split())):
            out.append(Sentence(text=s, source=source, paragraph=p, index=len(out)))
    return out


def is_complete(sentence: str) -> bool:
    """A sentence that ends as a sentence does (headings and fragments do not)."""
    return bool(_TERMINAL.search(sentence.strip()))


def word_count(text: str) -> int:
    """Words as the checks count them: ``\\w+`` runs, citation markers excluded."""
    return len(re.findall(r"\w+", _CITE.sub("", text)))
