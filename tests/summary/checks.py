"""The same checks the project's summary scorer applies, for use in tests."""

from __future__ import annotations

import re

from bot.sources import SourceDoc
from bot.summary.build import Summary
from bot.summary.render import render_markdown
from bot.summary.sentences import split_sentences, word_count
from bot.summary.support import word_support


def problems(summary: Summary, docs: list[SourceDoc], *, forbidden: list[str] = (),  # type: ignore[assignment]
             facts: list[list[str]] = (), min_words: int = 60, max_words: int = 200) -> list[str]:  # type: ignore[assignment]
    out = []
    md = render_markdown(summary)
    body = md.split("\n## Sources")[0].split("\n", 2)[2]
    words = word_count(body)
    if not min_words <= words <= max_words:
        out.append(f"{words} words")
    for s in split_sentences(body):
        cites = [int(n) for n in re.findall(r"\[(\d+)\]", s)]
        if not cites:
            out.append(f"uncited: {s[:60]}")
            continue
        if any(not 1 <= n <= len(docs) for n in cites):
            out.append(f"bad citation: {s[:60]}")
            continue
        if word_support(s, [docs[n - 1].text for n in cites]) < 0.7:
            out.append(f"unsupported: {s[:60]}")
    for alts in facts:
        if not any(re.search(a, body, re.I) for a in alts):
            out.append(f"missing fact {alts[0]}")
    out += [f"forbidden: {bad}" for bad in forbidden if bad.lower() in md.lower()]
    return out
