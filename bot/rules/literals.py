"""Pre-check literals derived from a regular expression: strings one of which every match contains.

``required_literals(r"\\bthe (?:girl|boy)s?\\b")`` is ``{"the girl", "the boy"}``: a text whose casefolded
form holds none of them cannot match, so a detector may skip the regex. Worked out from Python's own
regex parser, so the list never drifts from the pattern.

:func:`literal_clauses` gives every set a match needs (for the recognizers' gate), and
:func:`literal_prefixes` the strings every match starts with (so a regex is tried only where one occurs).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]  # Python's own regex parser
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

_MAX_SET = 256  # a literal set larger than this is not worth testing one by one
_MIN_USEFUL = 2  # shortest literal worth a pre-check
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}
#: in a derived literal, a word boundary (``\b``, ``(?<!\w)``, ``(?!\w)``); "\0ig\0" is the whole word "ig"
WORD = "\0"
_DIGITS = frozenset("0123456789")
_COMMON_SIGNS = frozenset(".,-'’!?:;()\"")


def required_literals(pattern: str, *, ignore_case: bool = True) -> frozenset[str] | None:
    """Casefolded literals one of which every match of ``pattern`` contains; None when there is none useful."""
    return required_from_groups(literal_groups(pattern, ignore_case=ignore_case))


def required_from_groups(groups: list[frozenset[str]]) -> frozenset[str] | None:
    """:func:`required_literals` from a pattern's :func:`literal_groups` (for a caller that needs both)."""
    return _finish(max(groups, key=_selectivity), words=False) if groups else None


def _finish(group: frozenset[str], *, words: bool) -> frozenset[str]:
    """Plain substrings; with ``words``, a literal bounded as a whole ``[a-z0-9]+`` word keeps its marks (a
    sign or white space that bounds it counts as a mark: " road" + WORD holds the whole word "road")."""
    out = set()
    for s in group:
        core = s.replace(WORD, "")
        word = whole_word(s) if words else None
        # with ``words``, marks inside a literal of several words stay: they say which words it holds whole
        out.add(WORD + word + WORD if word is not None else s if words and implied_words(s) else core)
    return _minimal(out)


def implied_words(literal: str) -> frozenset[str]:
    """The ASCII ``[a-z0-9]+`` words a text holding ``literal`` surely holds whole: runs of letters and digits
    bounded on both sides, inside the literal, by a word boundary mark or a character that is not a letter or
    digit ("he is quite tall" holds "is" and "quite"; "he" may be the end of "she")."""
    out, i, n = set(), 0, len(literal)
    while i < n:
        if not _alnum(literal[i]):
            i += 1
            continue
        j = i
        while j < n and _alnum(literal[j]):
            j += 1
        if i > 0 and j < n and not literal[i - 1].isalnum() and not literal[j].isalnum():
            out.add(literal[i:j])
        i = j
    return frozenset(out)


def whole_word(literal: str) -> str | None:
    """The ASCII ``[a-z0-9]+`` word a literal is, bounded at both ends by word boundary marks or white space
    (" road" + WORD is the word "road"; "[at]" is not just "at": see :func:`implied_words`), or None."""
    i, j = 0, len(literal)
    while i < j and (literal[i] == WORD or literal[i].isspace()):
        i += 1
    while j > i and (literal[j - 1] == WORD or literal[j - 1].isspace()):
        j -= 1
    core = literal[i:j]
    if not core or i == 0 or j == len(literal) or not all(_alnum(c) for c in core):
        return None
    return core


def _alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def literal_groups(pattern: str, *, ignore_case: bool = True) -> list[frozenset[str]]:
    r"""Every useful literal set the top level of ``pattern`` needs: a match contains one literal of EACH set
    (``r"\w+@\w+\.com"`` needs ``{"@"}`` and ``{".com"}``)."""
    del ignore_case  # literals are always casefolded and tested against casefolded text: sound either way
    try:
        parsed = P.parse(pattern)
    except re.error:
        return []
    return [_minimal(c) for c in _candidates(list(parsed)) if _useful(c)]


def literal_clauses(pattern: str) -> list[list[frozenset[str]]]:
    """Ways a match can hold literals: it holds one literal of every set of at least one clause. A pattern
    that is one choice of alternatives has a clause per alternative (each with every set it needs); other
    patterns have one clause. An empty clause means nothing can be tested.

    Unlike :func:`literal_groups`, a clause keeps every set the match needs (groups are read through, and a
    word that follows white space, ``\\b`` or a look-around is marked as a whole word), most selective first:
    a gate that tests them all runs the pattern only when every one of them occurs."""
    try:
        items = list(P.parse(pattern))
    except re.error:
        return [[]]
    while len(items) == 1 and items[0][0] is C.SUBPATTERN:
        items = list(items[0][1][-1])
    at = [i for i, (op, _) in enumerate(items) if op is C.BRANCH]
    if len(at) != 1:
        return [_all(_needed(items))]
    i = at[0]  # one choice: a clause per alternative, read with what comes before and after it
    return [_all(_needed(items[:i] + list(alt) + items[i + 1:])) for alt in items[i][1][1]]


def _all(groups: list[set[str]]) -> list[frozenset[str]]:
    """Every useful needed set (whole words marked), most selective first, without repeats."""
    ranked = sorted({_finish(frozenset(g), words=True) for g in groups if _useful(g)}, key=_selectivity,
                    reverse=True)
    return ranked


def _needed(items: list[tuple[Any, Any]], boundary: bool = False, closed: bool = False) -> list[set[str]]:
    """Literal sets every match of the sequence holds (one literal of each), reading through groups and
    repeats that must occur; ``boundary``: the sequence starts where a word starts (after white space or a
    word boundary), so a literal it begins with is marked with :data:`WORD`, as is one that white space, a
    sign or a word boundary surely follows (``closed``: what follows the sequence begins that way)."""
    flat = list(_flat(items))
    found: list[set[str]] = []
    cur = {WORD} if boundary else {""}
    for k, (op, av) in enumerate(flat):
        f = _fixed(op, av)
        if f is not None and len(cur) * len(f) <= _MAX_SET:
            cur = {a + b for a in cur for b in f}
            boundary = _ends_word(f, boundary)
            continue
        after = _after(op, av, boundary)
        if cur not in ({""}, {WORD}):
            found.append({c + WORD for c in cur} if _begins_word(flat[k:]) else cur)
        if op is C.BRANCH:
            ends = _begins_word(flat[k + 1:]) or (k == len(flat) - 1 and closed)
            parts = [_needed(list(b), boundary, ends) for b in av[1]]
            best = [max(p, key=lambda c: _selectivity(frozenset(c))) for p in parts if p]
            if len(best) == len(parts):
                found.append(set().union(*best))
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            found.extend(_needed(list(av[2]), boundary))
        elif f is not None:  # a fixed item too large to join to what came before: it starts afresh
            found.append({(WORD if boundary else "") + s for s in f} if len(f) <= _MAX_SET else set())
        boundary = after
        cur = {WORD} if boundary else {""}
    found.append({c + WORD for c in cur} if closed and cur not in ({""}, {WORD}) else cur)
    return [c for c in found if c and "" not in c and WORD not in c]


def _begins_word(items: list[tuple[Any, Any]]) -> bool:
    """Whether what the sequence matches surely begins with white space, a sign or a word boundary (so a
    word before it ends there); False when unsure, or when it may match nothing at the end of the text."""
    for op, av in items:
        state = _begins(op, av)
        if state is not None:
            return state
    return False


def _begins(op: Any, av: Any) -> bool | None:
    """True/False whether one item surely begins a non-word run; None when it may match nothing (look on)."""
    if _space(op, av) or _boundary(op, av):
        return True
    if op is C.SUBPATTERN:
        inner = [_begins(o, a) for o, a in av[-1]]
        known = [b for b in inner if b is not None]
        return known[0] if known else None
    if op is C.BRANCH:
        states = [_begins_or_none(list(b)) for b in av[1]]
        if any(st is False for st in states):
            return False
        return None if any(st is None for st in states) else True
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        body = _begins_or_none(list(av[2]))
        if body is False:
            return False
        return body if av[0] >= 1 else (None if body else False)
    f = _fixed(op, av)
    if f is not None:
        if all(s == "" for s in f):
            return None
        return False if "" in f else all(s[0] == WORD or not (s[0].isalnum() or s[0] == "_") for s in f)
    return False


def _begins_or_none(items: list[tuple[Any, Any]]) -> bool | None:
    for op, av in items:
        state = _begins(op, av)
        if state is not None:
            return state
    return None


@lru_cache(maxsize=4096)
def literal_prefixes(pattern: str) -> frozenset[str] | None:
    r"""Casefolded strings one of which every match of ``pattern`` starts with, so a match can only start
    where one of them occurs (``\b(?:lives?|from)\s`` starts with "live", "lives" or "from"); a :data:`WORD`
    mark at an end says a word boundary is there. None when a match may start with anything."""
    try:
        items = list(P.parse(pattern))
    except re.error:
        return None
    out = _prefix(items)
    if not out or len(out) > _MAX_SET or any(not lit.replace(WORD, "") for lit in out):
        return None
    return frozenset(out)


def _prefix(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The strings a match of the sequence starts with (possibly empty ones: then nothing is known)."""
    cur = {""}
    for op, av in _flat(items):
        f = _fixed(op, av)
        if f is not None and len(cur) * len(f) <= _MAX_SET:
            cur = {a + b for a in cur for b in f}
            continue
        if _space(op, av):
            return {c + WORD for c in cur}
        inner: set[str] | None = None
        if op is C.BRANCH:
            parts = [_prefix(list(b)) for b in av[1]]
            inner = None if any(part is None for part in parts) else set().union(*parts)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            inner = _prefix(list(av[2]))
        if inner is not None and len(cur) * len(inner) <= _MAX_SET:
            return {a + b for a in cur for b in inner}
        return cur
    return cur


def _flat(items: list[tuple[Any, Any]]) -> Iterator[tuple[Any, Any]]:
    """The items of a sequence with plain groups read through (a group is a sequence inside the sequence)."""
    for op, av in items:
        if op is C.SUBPATTERN and _fixed(op, av) is None:
            yield from _flat(list(av[-1]))
        else:
            yield op, av


def _ends_word(strings: set[str], boundary: bool) -> bool:
    """Whether every one of ``strings``, read after a position that is (``boundary``) or is not at a word
    start, ends where a word may start: after white space, a sign or a word boundary."""
    return all((boundary if s == "" else s[-1] == WORD or not (s[-1].isalnum() or s[-1] == "_")) for s in strings)


def _after(op: Any, av: Any, boundary: bool) -> bool:
    """Whether the position after one item is surely where a word starts (white space or a sign before it)."""
    if _space(op, av) or _boundary(op, av):
        return True
    f = _fixed(op, av)
    if f is not None:
        return _ends_word(f, boundary)
    if op is C.SUBPATTERN:
        return _seq_after(list(av[-1]), boundary)
    if op is C.BRANCH:
        return all(_seq_after(list(b), boundary) for b in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        once = _seq_after(list(av[2]), False)  # every repetition ends this way, whatever came before
        return once and (av[0] >= 1 or boundary)
    if op in _ZERO_WIDTH:
        return boundary
    return False


def _seq_after(items: list[tuple[Any, Any]], boundary: bool) -> bool:
    for op, av in items:
        boundary = _after(op, av, boundary)
    return boundary


def _best(groups: list[frozenset[str]]) -> list[frozenset[str]]:
    """The most selective set, and a second one when it is selective too (each set is needed, so fewer sets
    is still sound, only looser); a literal that is a whole word keeps its :data:`WORD` marks."""
    ranked = sorted({_finish(g, words=True) for g in groups}, key=_selectivity, reverse=True)
    return ranked[:1] + [g for g in ranked[1:2] if _selectivity(g)[0] >= 3]


def _useful(lits: set[str] | frozenset[str]) -> bool:
    """Worth a pre-check: no empty literal, no single letter or space (a digit or a sign like "@" is)."""
    cores = [s.replace(WORD, "") for s in lits]
    return bool(cores) and all(c.strip() and (len(c) >= _MIN_USEFUL or not c.isalpha()) for c in cores)


def _selectivity(lits: frozenset[str]) -> tuple[int, int]:
    """Longer literals are rarer; a digit or a sign like "@" is rarer in chat than a two-letter word, a
    full stop or a hyphen is not."""
    return min(_rarity(s) for s in lits), -len(lits)


def _rarity(literal: str) -> int:
    if literal.startswith(WORD) and literal.endswith(WORD) and len(literal) > 2:
        return len(literal) - 1  # a whole word is rarer than the same letters anywhere
    literal = literal.replace(WORD, "")
    if len(literal) == 1 and not literal.isalnum():
        return 1 if literal in _COMMON_SIGNS else 3
    return 3 if literal.isdigit() else len(literal)


def _minimal(lits: set[str]) -> frozenset[str]:
    # a literal that contains another one in the set adds nothing ("the girls" holds "the girl")
    return frozenset(s for s in lits if not any(o != s and o in s for o in lits))


def _fixed(op: Any, av: Any) -> set[str] | None:
    """All strings one item can match, when that is a small finite set; else None."""
    if op is C.LITERAL:
        return {chr(av).casefold()}
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av).casefold())
            elif sub_op is C.RANGE and (sub_av[1] - sub_av[0] < 8 or _DIGITS.issuperset(map(chr, sub_av))):
                chars |= {chr(c).casefold() for c in range(sub_av[0], sub_av[1] + 1)}
            elif sub_op is C.CATEGORY and sub_av is C.CATEGORY_DIGIT:
                chars |= _DIGITS
            else:
                return None
        return chars if 0 < len(chars) <= 8 or chars <= _DIGITS else None
    if op is C.SUBPATTERN:
        return _fixed_seq(list(av[-1]))
    if op is C.BRANCH:
        out: set[str] = set()
        for branch in av[1]:
            f = _fixed_seq(list(branch))
            if f is None:
                return None
            out |= f
            if len(out) > _MAX_SET:
                return None
        return out
    if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[1] is not C.MAXREPEAT and av[1] <= 2:
        body = _fixed_seq(list(av[2]))
        if body is None:
            return None
        out = set()
        for n in range(av[0], av[1] + 1):
            strings = {""}
            for _ in range(n):
                strings = {a + b for a in strings for b in body}
            out |= strings
        return out if len(out) <= _MAX_SET else None
    if _boundary(op, av):
        return {WORD}
    if op in _ZERO_WIDTH:
        return {""}
    return None


def _space(op: Any, av: Any) -> bool:
    r"""One or more white-space characters (``\s``, ``\s+``, a space)."""
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        body = list(av[2])
        return av[0] >= 1 and len(body) == 1 and _space(*body[0])
    if op is C.IN:
        return all(o is C.CATEGORY and a is C.CATEGORY_SPACE for o, a in av)
    return False


def _boundary(op: Any, av: Any) -> bool:
    r"""``\b``, or a look-around that no word character may fill (``(?<![\w@])``, ``(?!\w)``)."""
    if op is C.AT:
        return av is C.AT_BOUNDARY
    if op is C.ASSERT_NOT:
        inner = list(av[1])
        return len(inner) == 1 and inner[0][0] is C.IN and (C.CATEGORY, C.CATEGORY_WORD) in inner[0][1]
    return False


def _fixed_seq(items: list[tuple[Any, Any]]) -> set[str] | None:
    cur = {""}
    for op, av in items:
        f = _fixed(op, av)
        if f is None:
            return None
        cur = {a + b for a in cur for b in f}
        if len(cur) > _MAX_SET:
            return None
    return cur


def _sequence(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The most selective literal set that every match of the sequence must contain."""
    found = [c for c in _candidates(items) if _useful(c)]
    return set(max(found, key=lambda c: _selectivity(frozenset(c)))) if found else None


def _candidates(items: list[tuple[Any, Any]]) -> list[set[str]]:
    """Literal sets the sequence needs, each on its own (a match holds one literal of every set)."""
    candidates: list[set[str]] = []
    cur = {""}
    for op, av in items:
        f = _fixed(op, av)
        if f is not None and len({a + b for a in cur for b in f}) <= _MAX_SET:
            cur = {a + b for a in cur for b in f}
            continue
        space = _space(op, av)  # white space ends a word before it and starts one after it
        if cur != {""}:
            candidates.append({c + WORD for c in cur} if space else cur)
        cur = {WORD} if space else {""}
        if space:
            continue
        inner: set[str] | None = None
        if op is C.SUBPATTERN:
            inner = _sequence(list(av[-1]))
        elif op is C.BRANCH:
            parts = [_sequence(list(b)) for b in av[1]]
            if all(p is not None for p in parts):
                inner = set().union(*parts)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)) and av[0] >= 1:
            inner = _sequence(list(av[2]))
        if inner:
            candidates.append(inner)
    if cur != {""}:
        candidates.append(cur)
    return [c for c in candidates if c and "" not in c and WORD not in c]



def split_alternatives(pattern: str) -> list[str] | None:
    """The top-level alternatives of a pattern that is one choice (``a|b`` or ``(?:a|b)``); None otherwise."""
    body = pattern
    if body.startswith("(?:") and closing_paren(body, 0) == len(body) - 1:
        body = body[3:-1]
    parts, start = [], 0
    for i, ch, depth in _syntax(body, 0):
        if ch == "|" and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts if len(parts) > 1 else None


def _syntax(s: str, i: int) -> Iterator[tuple[int, str, int]]:
    """(index, character, group depth before it) of each character of ``s`` from ``i`` that is regex syntax
    outside a character class and not escaped: where "|" splits and ")" closes."""
    depth = 0
    while i < len(s):
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "[":
            i = _class_end(s, i) + 1
            continue
        yield i, ch, depth
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        i += 1


def _class_end(s: str, i: int) -> int:
    """The index of the "]" closing the character class that opens at ``s[i]``."""
    j = i + 1
    if j < len(s) and s[j] == "^":
        j += 1
    if j < len(s) and s[j] == "]":
        j += 1
    while j < len(s) and s[j] != "]":
        j += 2 if s[j] == "\\" else 1
    return j


def closing_paren(s: str, i: int) -> int:
    """The index of the ")" closing the group that opens at ``s[i]`` (-1 when unbalanced)."""
    for j, ch, depth in _syntax(s, i):
        if ch == ")" and depth == 1:
            return j
    return -1


_FIRST_REPEATS = tuple(op for op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None))
                       if op is not None)


@lru_cache(maxsize=4096)
def first_characters(pattern: str, *, ignore_case: bool = False) -> frozenset[str] | None:
    r"""Every character a match of ``pattern`` can start with (both cases of a letter with ``ignore_case``), so a
    match can only start where one of them is (``(?<!\w)(?:St |[A-Z][a-z]+ )Road`` starts with a capital).
    Look-arounds and anchors take no character. None when it cannot be told: a match may start with any
    character, with a character class this does not read (``\w``, ``.``), or be empty."""
    try:
        items = list(P.parse(pattern))
    except re.error:
        return None
    found = _first(items)
    if found is None or found[1]:
        return None  # unknown, or a match may be empty
    chars = found[0]
    if ignore_case:
        chars = chars | {c.swapcase() for c in chars}
    return frozenset(chars)


def _first(items: list[tuple[Any, Any]]) -> tuple[set[str], bool] | None:
    """(the characters a match of the sequence may start with, whether it may be empty); None: unknown."""
    out: set[str] = set()
    for op, av in items:
        if op in _ZERO_WIDTH:
            continue
        if op is C.LITERAL:
            out.add(chr(av))
            return out, False
        if op is C.IN:
            chars = _class(av)
            if chars is None:
                return None
            out |= chars
            return out, False
        if op is C.SUBPATTERN:
            inner = _first(list(av[-1]))
        elif op is C.BRANCH:
            parts = [_first(list(b)) for b in av[1]]
            if any(p is None for p in parts):
                return None
            inner = (set().union(*(p[0] for p in parts if p)), any(p[1] for p in parts if p))
        elif op in _FIRST_REPEATS:
            body = _first(list(av[2]))
            inner = None if body is None else (body[0], body[1] or av[0] == 0)
        else:
            return None  # any character, a back-reference, a conditional: unknown
        if inner is None:
            return None
        out |= inner[0]
        if not inner[1]:
            return out, False
    return out, True


def _class(items: list[tuple[Any, Any]]) -> set[str] | None:
    """The characters of a ``[...]`` class made of single characters and small ranges (None: anything else)."""
    chars: set[str] = set()
    for op, av in items:
        if op is C.LITERAL:
            chars.add(chr(av))
        elif op is C.RANGE and av[1] - av[0] < 128:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        else:
            return None  # a negated class, a category (\w, \d, \s), a wide range
    return chars
