"""Short texts that leave the engine or are kept (display names, titles, source URLs, excerpts), with every
registered name or identifier of a case replaced by its party's label.

Built on the hashed registry: the matcher finds registered strings through every disguise it knows, so
the text never has to be compared with a plain copy of a name. First names count even when nothing ties
them to the case: a display name or a title has no context to tie them, and over-labelling is cheap here.
"""

from __future__ import annotations

import re

from bot.matcher import ProtectedMatch, ProtectedMatcher
from bot.normalize import skeleton
from bot.registry import FIRST_NAME, IDENTIFIER_PART, NICKNAME, ProtectedRegistry
from bot.text import clean_text

#: A capitalised word (Title case or capitals): how a name is written, whatever else the word can mean.
_CAPITALISED = re.compile(r"(?<![\w\[])[^\W\d_][\w'’]*")

#: Words that can be registered as (part of) a name without being the person: ranks, titles, articles and
#: sentence-joining words ("PC" of "PC Furlough"). A first name or nickname match of one of them is not a name.
NOT_A_NAME = frozenset({
    "the", "a", "an", "this", "that", "his", "her", "their", "its", "pc", "dc", "ps", "ds", "di", "dci",
    "sgt", "sergeant", "insp", "inspector", "det", "detective", "supt", "constable", "officer", "dr", "prof",
    "judge", "coroner", "miss", "mr", "mrs", "ms", "mx", "sir", "dame", "lord", "lady", "when", "after",
    "before", "as", "and", "but", "if", "while", "where", "because", "then", "so", "on", "in", "at", "by",
    "for", "from", "with", "of", "to",
})


def registered_matches(text: str, matcher: ProtectedMatcher, *, untied_first_names: bool = True
                       ) -> list[ProtectedMatch]:
    """The registered names and identifiers in ``text`` that are the party, for every output front end.

    First names count untied (an output has no context to tie them; over-labelling is cheap). Left out: a
    rank, title or article registered as a first name or nickname, and a public word that is only part of
    a longer registered identifier (the town in "<Town> Academy")."""
    return [m for m in matcher.find(text, untied_first_names=untied_first_names)
            if m.kind != IDENTIFIER_PART
            and not (m.kind in (FIRST_NAME, NICKNAME) and text[m.start : m.end].casefold().strip(".") in NOT_A_NAME)]


def label_protected(text: str, registry: ProtectedRegistry, matcher: ProtectedMatcher | None = None) -> str:
    """``text`` with each registered match replaced by ``[label]`` (overlapping matches merged). ``matcher``: one
    the caller keeps for ``registry`` (else one is made for this call)."""
    text = clean_text(text)
    if not text or not registry:
        return text
    matcher = matcher if matcher is not None else ProtectedMatcher(registry)
    matches = sorted(registered_matches(text, matcher), key=lambda m: (m.start, -m.end))
    out, pos = [], 0
    for m in matches:
        if m.end <= pos:
            continue
        out.append(text[pos : max(pos, m.start)])
        out.append(f"[{m.label}]")
        pos = m.end
    out.append(text[pos:])
    return _capitalised_names("".join(out), registry)


def _capitalised_names(text: str, registry: ProtectedRegistry) -> str:
    """Registered first names and nicknames the matcher left because they are also common words ("Will", "Bay"),
    labelled wherever they are written capitalised: the matcher needs a tie before it calls such a word a name, but
    an output shown beside a flag must not print it either way (wave 14: a three-letter nickname that is an English
    word was shown in two excerpts of a blind thread). Over-labelling a sentence's first word is the cost."""
    def label(m: re.Match[str]) -> str:
        word = m.group(0)
        if not word[0].isupper() or word.casefold().strip(".'’") in NOT_A_NAME:
            return word
        for form in registry.forms(registry.digest(skeleton(word))):
            if form.kind in (FIRST_NAME, NICKNAME) and form.tokens == 1:
                return f"[{form.label}]"
        return word
    return _CAPITALISED.sub(label, text)


def names_protected(text: str, registry: ProtectedRegistry) -> bool:
    """Whether ``text`` holds a registered name or identifier of ``registry``."""
    return label_protected(text, registry) != clean_text(text)
