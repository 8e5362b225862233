"""Text normalisation for matching protected names: a *skeleton* that obfuscation collapses into.

The skeleton of a text is what both registered strings and messages are reduced to before hashing:

* Unicode NFKD, then combining marks dropped (diacritics, zalgo), then case-folded;
* lookalike letters from other scripts (Cyrillic, Greek, ...) mapped to Latin, from the Unicode
  confusables table shipped by ``confusable_homoglyphs`` plus a few lower-case Greek/Cyrillic forms;
* leetspeak folded: ``3→e, 4→a, 0→o, 5→s, 7→t``; ``1``, ``l`` and ``i`` share one class (``i``) because
  ``1`` stands for either, so ``Ch1oe`` and ``Chloe`` have the same skeleton. ``@ ! $ |`` are letters
  (a, i, s, i) only *inside* a word (``B@ptiste``) and are handled by :func:`tokenize`;
* zero-width and other format characters and Discord markdown (``* ` ~ \\``, spoiler ``||``) removed,
  so they join what they split.

:func:`normalize` also keeps, for every skeleton character, the offset of the original character it
came from, so a match found in the skeleton maps back to a span of the original content.
:func:`tokenize` splits a :class:`Normalized` text into word tokens and joins spaced-out letters
(``c h l o e``, ``j.a.n.e``) into one token.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

# ---------------------------------------------------------------- character map

_LEET = {"3": "e", "4": "a", "0": "o", "1": "i", "5": "s", "7": "t", "l": "i"}
_MARKDOWN_DROP = "*`~\\"
#: in-word symbols read as letters by :func:`tokenize` (``B@ptiste``, ``J!ll``, ``$am``, ``Ph|l``)
SYMBOL_LETTERS = {"@": "a", "!": "i", "$": "s", "|": "i"}
_SYMBOLS = str.maketrans(SYMBOL_LETTERS)

# Lower-case Greek and Cyrillic letters that pass for Latin ones but are missing from the confusables table.
_EXTRA_LOOKALIKES = {
    "κ": "k", "ε": "e", "υ": "u", "ι": "i", "χ": "x", "τ": "t", "η": "n", "ω": "w", "β": "b", "μ": "u",
    "г": "r", "п": "n", "т": "t", "к": "k", "м": "m", "н": "h", "в": "b", "ѕ": "s", "ј": "j", "ԁ": "d",
    "ɡ": "g", "ı": "i", "ℓ": "l", "Б": "b",
    # Latin letters with a stroke or ligatures: no Unicode decomposition, but read as the plain letters
    "ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ŧ": "t", "ƀ": "b", "ɨ": "i", "æ": "ae", "œ": "oe", "þ": "th",
    "ð": "d",
}


def _ascii_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in range(128):
        ch = chr(code)
        out = ch.lower()
        out = _LEET.get(out, out)
        if ch in _MARKDOWN_DROP:
            table[code] = None
        elif out != ch:
            table[code] = out
    return table


_ASCII = _ascii_table()
# the same map for ASCII bytes (bytes.translate is several times faster than str.translate with a dict)
_ASCII_BYTES = bytes(ord(_ASCII.get(c) or chr(c)) if len(_ASCII.get(c) or chr(c)) == 1 else c for c in range(256))
_ASCII_BYTES_DROP = _MARKDOWN_DROP.encode()
_ASCII_DROPS = re.compile(r"[*`~\\]|\|\|")


@cache
def _lookalikes() -> dict[str, str]:
    """Non-ASCII characters that look like one ASCII letter or digit (from the Unicode confusables)."""
    import confusable_homoglyphs

    path = Path(confusable_homoglyphs.__file__).with_name("confusables.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    table: dict[str, str] = {}
    for char, entries in data.items():
        if len(char) != 1 or char.isascii():
            continue
        targets = [e["c"] for e in entries if len(e["c"]) == 1 and e["c"].isascii() and e["c"].isalnum()]
        letters = [t for t in targets if t.isalpha()]
        if targets:
            table[char] = (letters or targets)[0]
    table.update(_EXTRA_LOOKALIKES)
    return table


_CHAR_CACHE: dict[str, str] = {}


def _map_char(ch: str) -> str:
    """The skeleton of one character (possibly empty, possibly several characters)."""
    hit = _CHAR_CACHE.get(ch)
    if hit is not None:
        return hit
    if ch.isascii():
        out = ch.translate(_ASCII)
    else:
        cat = unicodedata.category(ch)
        if cat == "Cs":  # a lone surrogate (undecodable input): a separator
            out = " "
        elif cat == "Cf" or cat[0] == "M":  # zero-width / format characters, combining marks
            out = ""
        else:
            looks = _lookalikes()
            parts = []
            for part in unicodedata.normalize("NFKD", ch):
                if unicodedata.combining(part) or unicodedata.category(part)[0] == "M":
                    continue
                part = looks.get(part) or looks.get(part.casefold()) or part
                for folded in part.casefold():
                    parts.append(folded.translate(_ASCII) if folded.isascii() else looks.get(folded, folded))
            out = "".join(parts)
    if len(_CHAR_CACHE) < 50_000:
        _CHAR_CACHE[ch] = out
    return out


# An apostrophe inside a name joins it ("O'Connor", "D'Souza"); before a lone "s" it is a possessive, before "ll" a
# contraction ("Shivvy'll be wanting..."), and the name stands alone. It runs on skeletons, where "l" reads "i".
_INNER_APOSTROPHE = re.compile(r"(?<=[^\W_])['’](?=[^\W_])(?!(?:s|ii)(?:[^\w'’]|$))")


def skeleton(text: str) -> str:
    """The skeleton of ``text`` without offsets (equal to ``normalize(text).text``, but faster)."""
    if text.isascii():
        skel = text.encode().translate(_ASCII_BYTES, _ASCII_BYTES_DROP).decode()
    else:
        skel = "".join([_map_char(ch) for ch in text])
    if "||" in skel:
        skel = skel.replace("||", "")
    if "'" in skel or "’" in skel:
        skel = _INNER_APOSTROPHE.sub("", skel)
    return skel


_SPOILER = re.compile(r"\|\|")


def _join_apostrophes(norm: Normalized) -> Normalized:
    return _drop_at(norm, {m.start() for m in _INNER_APOSTROPHE.finditer(norm.text)})


def _drop_at(norm: Normalized, gone: set[int]) -> Normalized:
    """``norm`` without the skeleton characters at ``gone``, offsets kept."""
    if not gone:
        return norm
    keep = [k for k in range(len(norm.text)) if k not in gone]
    return Normalized(norm.original, "".join(norm.text[k] for k in keep), [norm.starts[k] for k in keep])


# ---------------------------------------------------------------- offsets


@dataclass(slots=True)
class Normalized:
    """A skeleton and, for each of its characters, the offset of the original character it came from."""

    original: str
    text: str
    starts: Sequence[int] = field(repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` offsets of the skeleton slice ``[start, end)`` (``end > start``).

        The end takes in combining marks and invisible characters that follow (zalgo, a trailing
        zero-width space), so that redacting the span leaves none of them behind.
        """
        return self.starts[start], self.end_after(end - 1)

    def end_after(self, index: int) -> int:
        """Original end offset of skeleton character ``index``, past trailing marks and invisibles."""
        end = self.starts[index] + 1
        original, n = self.original, len(self.original)
        while end < n and not original[end].isascii() and unicodedata.category(original[end])[0] in "MC":
            end += 1
        return end


def normalize(text: str) -> Normalized:
    """Normalise ``text``, keeping the map from skeleton characters back to original offsets."""
    if text.isascii() and not _ASCII_DROPS.search(text):
        norm = Normalized(text, text.translate(_ASCII), range(len(text)))  # one to one
        return _join_apostrophes(norm) if "'" in text else norm
    out: list[str] = []
    starts: list[int] = []
    i, n = 0, len(text)
    ascii_only = text.isascii()
    while i < n:
        ch = text[i]
        mapped = ch.translate(_ASCII) if ascii_only else _map_char(ch)
        if len(mapped) == 1:
            out.append(mapped)
            starts.append(i)
        elif mapped:
            out.extend(mapped)
            starts.extend([i] * len(mapped))
        i += 1
    norm = Normalized(text, "".join(out), starts)
    if "||" in norm.text:
        norm = _drop_at(norm, {k for m in _SPOILER.finditer(norm.text) for k in (m.start(), m.start() + 1)})
    return _join_apostrophes(norm) if "'" in norm.text or "’" in norm.text else norm


# ---------------------------------------------------------------- tokens

_WORD_LEET = re.compile(r"\$?[^\W_]+(?:[@!$|]+[^\W_]+)*")
_WORD_PLAIN = re.compile(r"[^\W_]+")
_SPACED_SEP = re.compile(r"(?:[ \t]{1,3}|[ \t]?[.\-_·•/,:][ \t]?)")


@dataclass(slots=True)
class Token:
    """A word of the skeleton. ``positions`` are skeleton indices of its characters."""

    text: str
    positions: range | list[int]
    start: int  # original offsets
    end: int
    spaced: bool = False  # joined from spaced-out single letters

    def __len__(self) -> int:
        return len(self.text)


_IN_WORD_SYMBOL = re.compile(r"[^\W_][@!$|]+[^\W_]|\$[^\W_]")


def has_symbols(skel: str) -> bool:
    """Whether a skeleton holds an in-word symbol that :func:`tokenize` may read as a letter (``B@p``)."""
    if "@" not in skel and "!" not in skel and "$" not in skel and "|" not in skel:
        return False
    return _IN_WORD_SYMBOL.search(skel) is not None


# every ASCII character that is not a letter or digit becomes a space: ``split()`` then gives the words
# ``[^\W_]+`` finds in ASCII text (several times faster than the regex)
_ASCII_NOT_WORD = bytes(c if c < 128 and chr(c).isalnum() else 32 for c in range(256))


def spaced_words(skel: str) -> str:
    """An ASCII skeleton with every character that is not a letter or digit made a space (its ``split()`` is
    :func:`word_strings` without symbols)."""
    return skel.encode().translate(_ASCII_NOT_WORD).decode()


def word_strings(skel: str, *, symbols_as_letters: bool = True) -> list[str]:
    """The token strings of a skeleton, without offsets or joining (the matcher's fast path)."""
    if symbols_as_letters and has_symbols(skel):
        return [w.translate(_SYMBOLS) for w in _WORD_LEET.findall(skel)]
    if skel.isascii():
        return spaced_words(skel).split()
    return _WORD_PLAIN.findall(skel)


def tokenize(norm: Normalized, *, symbols_as_letters: bool = True) -> list[Token]:
    """Split a normalised text into tokens, joining runs of spaced-out single letters.

    A run joins when it has at least three single characters separated by short separators (spaces,
    dots, dashes, underscores), or two separated by dots (``P.C.``).
    """
    pattern = _WORD_LEET if symbols_as_letters else _WORD_PLAIN
    raw: list[Token] = []
    starts = norm.starts
    # ASCII originals have no trailing marks to take in: a span ends one past its last character's start
    one_to_one = norm.original.isascii() and isinstance(starts, range) and starts.start == 0 and starts.step == 1
    plain = norm.original.isascii()
    for m in pattern.finditer(norm.text):
        a, b = m.span()
        word = m.group()
        if symbols_as_letters:
            word = word.translate(_SYMBOLS)
        if one_to_one:
            start, end = a, b
        elif plain:
            start, end = starts[a], starts[b - 1] + 1
        else:
            start, end = norm.span(a, b)
        raw.append(Token(word, range(a, b), start, end))
    return _join_spaced(raw, norm.original)


def _join_spaced(raw: list[Token], original: str) -> list[Token]:
    out: list[Token] = []
    i, n = 0, len(raw)
    while i < n:
        tok = raw[i]
        if len(tok.text) != 1:
            out.append(tok)
            i += 1
            continue
        j = i
        dots = True
        while j + 1 < n and len(raw[j + 1].text) == 1:
            sep = original[raw[j].end : raw[j + 1].start]
            if not _SPACED_SEP.fullmatch(sep):
                break
            if original[raw[j + 1].start : raw[j + 1].start + 1].isupper() and original[raw[j].start].islower():
                break  # "S u m m e r H.": a capital after small letters starts the next word (an initial)
            dots = dots and sep.strip() == "."
            j += 1
        run = j - i + 1
        hyphened = run == 2 and original[raw[i].end : raw[j].start] == "-" and (
            original[raw[i].start : raw[i].end].isupper() and original[raw[j].start : raw[j].end].isupper()) and not (
            i > 0 and original[raw[i - 1].start : raw[i - 1].start + 1].isupper()
            and original[raw[i - 1].end : raw[i].start].isspace())  # "Poppy C-H": a double-barrelled surname's initials
        if run >= 3 or (run == 2 and dots) or hyphened:  # "A-J": two capitals joined by a hyphen, as initials
            positions: list[int] = []
            for t in raw[i : j + 1]:
                positions.extend(t.positions)
            text = "".join(t.text for t in raw[i : j + 1])
            out.append(Token(text, positions, tok.start, raw[j].end, spaced=True))
            i = j + 1
        else:
            out.append(tok)
            i += 1
    return out


# ---------------------------------------------------------------- describing obfuscation

_LEET_ORIGINAL = frozenset("3401!57@$|")


_ASCII_DISGUISE = re.compile(r"[0-9!@$|*`~\\]")  # in ASCII, only digits and these symbols disguise a name


def obfuscations(original_span: str) -> list[str]:
    """Plain words for how a matched span was disguised (for a moderator; never the span itself)."""
    if original_span.isascii() and _ASCII_DISGUISE.search(original_span) is None:
        return []
    found: list[str] = []
    span = original_span.replace("||", "")
    def leet_at(k: int, ch: str) -> bool:
        before = k > 0 and span[k - 1].isalpha()
        after = k + 1 < len(span) and span[k + 1].isalpha()
        if ch.isdigit():
            return before or after
        return ch in _LEET_ORIGINAL and before and (after or (k + 1 < len(span) and span[k + 1].isalnum()))

    if any(leet_at(k, ch) for k, ch in enumerate(span)):
        found.append("leetspeak")
    letters = [ch for ch in span if not ch.isascii() and unicodedata.category(ch)[0] == "L"]
    if any(unicodedata.normalize("NFKD", ch) == ch and ch in _lookalikes() for ch in letters):
        found.append("lookalike characters")
    if any(unicodedata.category(ch)[0] == "M" for ch in span) or any(
        unicodedata.normalize("NFKD", ch) != ch for ch in letters
    ):
        found.append("accents or unusual letter forms")
    if any(unicodedata.category(ch) == "Cf" for ch in span):
        found.append("invisible characters")
    if any(ch in "*`~\\" for ch in span) or "||" in original_span:
        found.append("markdown")
    return found


# ---------------------------------------------------------------- display variants

#: right-to-left override: the characters after it, up to a pop or the end of the line, show reversed
_RLO = "\u202e"
_BIDI_END = frozenset("\u202c\u2069\n")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# "(at)", "[dot]", "{at}", " at ", " dot ": an e-mail address or handle spelled out
_SPELLED = re.compile(r"\s*[(\[{<]\s*(at|dot|underscore)\s*[)\]}>]\s*|\s+(at|dot|underscore)\s+", re.IGNORECASE)
_SPELLED_AS = {"at": "@", "dot": ".", "underscore": "_"}
_SPELLED_CUES = ("dot", "underscore", "at)", "at]", "at}", "at>", "at )", "at ]")
# only worth a variant when something is spelled out that an address needs: a bracketed word or a "dot"
_SPELLED_HINT = re.compile(r"[(\[{<]\s*(?:at|dot|underscore)\s*[)\]}>]|\b(?:dot|underscore)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Variant:
    """Another reading of a text, as its reader sees it, with the original offset of each character."""

    text: str
    origin: list[int]  # origin[k]: original index of text[k]; origin[len(text)] = len(original)
    how: str  # in plain words, for a moderator
    #: ends[k]: original end of what text[k] stands for, when that is longer than one character (the digit 2 of
    #: "two"); None: each character stands for one
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering ``text[start:end]`` (a digit read out covers its whole word, so redacting
        the span leaves no letter of it behind)."""
        if end <= start:
            return self.origin[start], self.origin[start]
        points = self.origin[start:end]
        return min(points), max(self.ends[start:end]) if self.ends is not None else max(points) + 1


def bidi_visual(text: str) -> Variant | None:
    """The text in display order when a right-to-left override reverses part of it (``\\u202e`` before
    "ojnokO" shows "Okonjo"); ``None`` when nothing is reversed. Other direction marks are invisible and
    simply dropped (the skeleton drops them anyway)."""
    if _RLO not in text:
        return None
    out: list[str] = []
    origin: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == _RLO:
            j = i + 1
            while j < n and text[j] not in _BIDI_END:
                j += 1
            run = [(k, text[k]) for k in range(i + 1, j) if text[k] not in _BIDI_CONTROLS]
            for k, c in reversed(run):
                out.append(c)
                origin.append(k)
            i = j + 1 if j < n and text[j] != "\n" else j
            continue
        if ch not in _BIDI_CONTROLS:
            out.append(ch)
            origin.append(i)
        i += 1
    origin.append(n)
    return Variant("".join(out), origin, "reversed with direction marks")


def _has_spelled_cue(low: str) -> bool:
    for cue in _SPELLED_CUES:  # noqa: SIM110 - a plain loop beats any() over a generator here
        if cue in low:
            return True
    return False


def spelled_out(text: str, lower: str | None = None) -> Variant | None:
    """The text with spelled-out "@", "." and "_" put back ("roz (at) outlook [dot] com" reads as
    "roz@outlook.com", "jo underscore x" as "jo_x"); ``None`` when there is nothing spelled out.
    ``lower``: ``text.lower()``, when the caller has it."""
    low = text.lower() if lower is None else lower
    if not _has_spelled_cue(low) or _SPELLED_HINT.search(text) is None:
        return None
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for m in _SPELLED.finditer(text):
        out.extend(text[last : m.start()])
        origin.extend(range(last, m.start()))
        word = (m.group(1) or m.group(2)).lower()
        out.append(_SPELLED_AS[word])
        origin.append(m.start())
        last = m.end()
    if not origin and last == 0:
        return None
    out.extend(text[last:])
    origin.extend(range(last, len(text)))
    origin.append(len(text))
    return Variant("".join(out), origin, "spelled out")


SAID = "digits written as words"  # the :class:`Variant` ``how`` of :func:`digits_said`
_DIGIT_WORD = {"zero": "0", "nought": "0", "oh": "0", "o": "0", "one": "1", "two": "2", "three": "3", "four": "4",
               "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9"}
_REPEAT_WORD = {"double": 2, "treble": 3, "triple": 3}
_ZEROS_WORD = {"hundred": "00", "thousand": "000"}  # "oh seven seven hundred, nine hundred ...": 07700 900
_ONE_DIGIT = (r"(?:(?:double|treble|triple)[\s-]+)?(?:zero|nought|oh|o|one|two|three|four|five|six|seven|eight|nine)"
              r"(?:[\s-]+(?:hundred|thousand))?")
# three or more digits said one by one ("two two nine one", "oh seven double seven"): a number read out
# (split by spaces, commas, hyphens, full stops or slashes: "oh seven seven. nine double oh / three ...")
_DIGIT_RUN = re.compile(rf"\b{_ONE_DIGIT}(?:[\s,.;/-]+{_ONE_DIGIT}){{2,}}\b", re.IGNORECASE)
_DIGIT_WORD_PART = re.compile(
    r"(double|treble|triple)?[\s-]*\b(zero|nought|oh|o|one|two|three|four|five|six|seven|eight|nine)\b"
    r"(?:[\s-]+(hundred|thousand))?", re.IGNORECASE)


_DIGIT_TOKENS = frozenset(_DIGIT_WORD) | frozenset(_REPEAT_WORD) | frozenset(_ZEROS_WORD)
_LETTERS = re.compile(r"[a-z]+")


def _digit_words_in_a_row(words: Sequence[str]) -> bool:
    """Whether two digit words stand next to each other (a cheap pre-check: most messages have none)."""
    if _DIGIT_TOKENS.isdisjoint(words):  # one pass in C; the pairwise walk only for the few with a digit word
        return False
    prev = False
    for w in words:
        cur = w in _DIGIT_TOKENS
        if cur and prev:
            return True
        prev = cur
    return False


def digits_said(text: str, words: Sequence[str] | None = None) -> Variant | None:
    """The text with numbers read out digit by digit put back as digits ("DC two two nine one" reads as
    "DC 2291", "oh seven double seven" as "0777"); ``None`` when there is no such run. ``words``: the text's
    lower-cased words, when the caller has them (the pre-check)."""
    if not _digit_words_in_a_row(words if words is not None else _LETTERS.findall(text.lower())):
        return None
    runs = list(_DIGIT_RUN.finditer(text))
    if not runs:
        return None
    out: list[str] = []
    origin: list[int] = []
    ends: list[int] = []
    last = 0
    for run in runs:
        out.extend(text[last : run.start()])
        origin.extend(range(last, run.start()))
        ends.extend(range(last + 1, run.start() + 1))
        for part in _DIGIT_WORD_PART.finditer(text, run.start(), run.end()):
            times = _REPEAT_WORD.get((part.group(1) or "").lower(), 1)
            for _ in range(times):
                out.append(_DIGIT_WORD[part.group(2).lower()])
                origin.append(part.start(2))
                ends.append(part.end(2))
            if part.group(3):  # "seven hundred": 700
                zeros = _ZEROS_WORD[part.group(3).lower()]
                out.extend(zeros)
                origin.extend([part.start(3)] * len(zeros))
                ends.extend([part.end(3)] * len(zeros))
        last = run.end()
    out.extend(text[last:])
    origin.extend(range(last, len(text)))
    ends.extend(range(last + 1, len(text) + 1))
    origin.append(len(text))
    return Variant("".join(out), origin, SAID, ends)


def variants(text: str, lower: str | None = None, words: Sequence[str] | None = None) -> list[Variant]:
    """Other readings of ``text`` that a matcher should also look at (bidi display order, spelled-out
    separators, digits read out as words). ``lower``: ``text.lower()``, and ``words``: its words, when the
    caller has them."""
    bidi = bidi_visual(text) if _RLO in text else None
    said = digits_said(text, words if words is not None else None if lower is None else _LETTERS.findall(lower))
    return [v for v in (bidi, spelled_out(text, lower), said) if v is not None]
