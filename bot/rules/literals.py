"""Pre-check literals derived from a regular expression: strings one of which every match contains.

``required_literals(r"\\bthe (?:girl|boy)s?\\b")`` is ``{"the girl", "the boy"}``: a text whose casefolded
form holds none of them cannot match, so a detector may skip the regex. Worked out from Python's own
regex parser, so the list never drifts from the pattern.
"""

from __future__ import annotations

import re
from re import _constants as C  # type: ignore[attr-defined]  # Python's own regex parser
from re import _parser as P  # type: ignore[attr-defined]
from typing import Any

_MAX_SET = 256  # a literal set larger than this is not worth testing one by one
_MIN_USEFUL = 2  # shortest literal worth a pre-check
_ZERO_WIDTH = {C.AT, C.ASSERT, C.ASSERT_NOT}


def required_literals(pattern: str, *, ignore_case: bool = True) -> frozenset[str] | None:
    """Casefolded literals one of which every match of ``pattern`` contains; None when there is none useful."""
    del ignore_case  # literals are always casefolded and tested against casefolded text: sound either way
    try:
        parsed = P.parse(pattern)
    except re.error:
        return None
    best = _sequence(list(parsed))
    if best is None or min(len(s) for s in best) < _MIN_USEFUL:
        return None
    # a literal that contains another one in the set adds nothing ("the girls" holds "the girl")
    return frozenset(s for s in best if not any(o != s and o in s for o in best))


def _fixed(op: Any, av: Any) -> set[str] | None:
    """All strings one item can match, when that is a small finite set; else None."""
    if op is C.LITERAL:
        return {chr(av).casefold()}
    if op is C.IN:
        chars: set[str] = set()
        for sub_op, sub_av in av:
            if sub_op is C.LITERAL:
                chars.add(chr(sub_av).casefold())
            elif sub_op is C.RANGE and sub_av[1] - sub_av[0] < 8:
                chars |= {chr(c).casefold() for c in range(sub_av[0], sub_av[1] + 1)}
            else:
                return None
        return chars if 0 < len(chars) <= 8 else None
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
    if op in _ZERO_WIDTH:
        return {""}
    return None


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
    candidates: list[set[str]] = []
    cur = {""}
    for op, av in items:
        f = _fixed(op, av)
        if f is not None and len({a + b for a in cur for b in f}) <= _MAX_SET:
            cur = {a + b for a in cur for b in f}
            continue
        if cur != {""}:
            candidates.append(cur)
        cur = {""}
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
    candidates = [c for c in candidates if c and "" not in c]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (min(len(s) for s in c), -len(c)))


def requires_digit(pattern: str) -> bool:
    """Whether every match of ``pattern`` contains a digit (a cheap pre-check for number-shaped patterns)."""
    try:
        return _needs_digit(list(P.parse(pattern)))
    except re.error:
        return False


def _digit_item(op: Any, av: Any) -> bool:
    if op is C.LITERAL:
        return chr(av).isdigit()
    if op is C.IN:
        return bool(av) and all(
            (o is C.LITERAL and chr(a).isdigit()) or (o is C.RANGE and chr(a[0]).isdigit() and chr(a[1]).isdigit())
            or (o is C.CATEGORY and a is C.CATEGORY_DIGIT) for o, a in av)
    if op is C.SUBPATTERN:
        return _needs_digit(list(av[-1]))
    if op is C.BRANCH:
        return all(_needs_digit(list(b)) for b in av[1])
    if op in (C.MAX_REPEAT, C.MIN_REPEAT, getattr(C, "POSSESSIVE_REPEAT", None)):
        return av[0] >= 1 and _needs_digit(list(av[2]))
    return False


def _needs_digit(items: list[tuple[Any, Any]]) -> bool:
    return any(_digit_item(op, av) for op, av in items)
