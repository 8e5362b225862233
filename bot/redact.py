"""Redaction: replace every flagged span with its label, and cut a short excerpt a moderator can read."""

from __future__ import annotations

import re
from collections.abc import Iterable

from bot.flags import Category, Flag, Span

EXCERPT_CHARS = 200
WITHHELD = "[message withheld: a protected party is named in a way that cannot be shown]"
_ARTICLE_BEFORE = re.compile(r"(?:(?<=\s)|^)(?:the|a|an)[ \t]+$", re.IGNORECASE)
_MARKS = "\u0300-\u036f\u0483-\u0489\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"
# zalgo: combining marks stacked three deep, or left hanging on a replacement or a space
_ZALGO = re.compile(f"(?<=[\\]\\s])[{_MARKS}]+|[{_MARKS}]{{3,}}")
_PRIORITY = {Category.PROTECTED_IDENTITY: 0, Category.IDENTIFYING_DETAIL: 1, Category.ABUSE: 2,
             Category.UNCHECKED: 3}


def merged_spans(content: str, flags: Iterable[Flag]) -> list[Span]:
    """Spans of ``flags`` clipped to ``content``, overlaps merged.

    A merged span takes the replacement of its most important part: a protected party's label over
    an identifying detail's kind; within a category, the longest original span.
    """
    ranked: list[tuple[Span, tuple[int, int]]] = []
    for flag in flags:
        for s in flag.spans:
            start, end = max(0, s.start), min(len(content), s.end)
            if end > start:
                ranked.append((Span(start, end, s.replacement), (_PRIORITY.get(flag.category, 3), start - end)))
    ranked.sort(key=lambda item: (item[0].start, item[0].end))
    merged: list[tuple[Span, tuple[int, int]]] = []
    for span, rank in ranked:
        if merged and span.start < merged[-1][0].end:
            last, last_rank = merged[-1]
            best_span, best_rank = (span, rank) if rank < last_rank else (last, last_rank)
            merged[-1] = (Span(last.start, max(last.end, span.end), best_span.replacement), best_rank)
        else:
            merged.append((span, rank))
    return [s for s, _ in merged]


def redact(content: str, flags: Iterable[Flag]) -> str:
    """``content`` with every flagged span replaced by its replacement (e.g. ``[the pupil]``)."""
    out, pos = [], 0
    for span in merged_spans(content, flags):
        before = content[pos : span.start]
        # "the [the pupil] family" reads badly: drop an article the label already carries
        if span.replacement.lower().startswith(("[the ", "[a ")):
            before = _ARTICLE_BEFORE.sub("", before)
        out.append(before)
        out.append(span.replacement)
        pos = span.end
    out.append(content[pos:])
    return "".join(out)


def excerpt(content: str, flags: Iterable[Flag], limit: int = EXCERPT_CHARS) -> str:
    """A redacted, single-line excerpt of at most about ``limit`` characters around the first flagged span.

    A protected-identity flag without spans (a match that could not be located) withholds the text.
    """
    flags = list(flags)
    if any(f.category is Category.PROTECTED_IDENTITY and not f.spans for f in flags):
        return WITHHELD
    spans = merged_spans(content, flags)
    text = redact(content, flags)
    anchor = spans[0].start if spans else 0  # nothing before the first span is replaced
    flat = " ".join(_ZALGO.sub("", text).split())
    if len(flat) <= limit:
        return flat
    # map the anchor into the cleaned text approximately by cleaning the prefix the same way
    prefix = " ".join(_ZALGO.sub("", text[:anchor]).split())
    anchor = len(prefix)
    start = max(0, anchor - limit // 4)
    end = min(len(flat), start + limit)
    start = max(0, end - limit)
    # do not cut a replacement in half
    open_at = flat.rfind("[", 0, start)
    if open_at != -1 and flat.find("]", open_at) >= start:
        start = open_at
    close_at = flat.rfind("[", 0, end)
    if close_at != -1 and flat.find("]", close_at) >= end:
        end = flat.find("]", close_at) + 1
    return ("…" if start > 0 else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")
