"""Short texts that leave the engine or are kept (display names, titles, source URLs, excerpts), with every
registered name or identifier of a case replaced by its party's label.

Built on the hashed registry: the matcher finds registered strings through every disguise it knows, so
the text never has to be compared with a plain copy of a name. First names count even when nothing ties
them to the case: a display name or a title has no context to tie them, and over-labelling is cheap here.
"""

from __future__ import annotations

from bot.matcher import ProtectedMatcher
from bot.registry import ProtectedRegistry
from bot.text import clean_text


def label_protected(text: str, registry: ProtectedRegistry) -> str:
    """``text`` with each registered match replaced by ``[label]`` (overlapping matches merged)."""
    text = clean_text(text)
    if not text or not len(registry):
        return text
    matches = sorted(ProtectedMatcher(registry).find(text, untied_first_names=True), key=lambda m: (m.start, -m.end))
    out, pos = [], 0
    for m in matches:
        if m.end <= pos:
            continue
        out.append(text[pos : max(pos, m.start)])
        out.append(f"[{m.label}]")
        pos = m.end
    out.append(text[pos:])
    return "".join(out)


def names_protected(text: str, registry: ProtectedRegistry) -> bool:
    """Whether ``text`` holds a registered name or identifier of ``registry``."""
    return label_protected(text, registry) != clean_text(text)
