"""Forms of registered names and institutions that no cut of the written name makes.

* **Pet forms from a curated dataset** (``form.pet_dataset``): "Peggy" and "Meg" for Margaret, "Bill" for
  William, "Pip" for Philip. The pairs come from the ``nicknames`` package (Carlton Northern and Nick Crews;
  a hand-curated CSV of English given names and their nicknames, Apache-2.0), read once at registration.
  Only the registry's keyed digests of the forms are kept (:mod:`bot.registry`).
* **Institutions cut short** (``form.institution_cut``, ``form.institution_acronym``): "Bramwell" or
  "Bramwell Fold" for "Bramwell Fold Academy", "BFA" for the same school.

Every function here works on plain lower-case letters and returns plain strings, transiently, to the
registry that hashes them; nothing is stored or logged.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from bot.rules.loader import shipped_rules

if TYPE_CHECKING:
    from nicknames import NickNamer

_PET_RULE = shipped_rules()["form.pet_dataset"]
#: a pet form at least this frequent as an English word ("will", "bill", "bell") never stands alone
_ALONE_MAX_ZIPF = _PET_RULE.float_param("max_zipf_alone", 4.0)
#: a pet form the dataset gives for more full names than this ("Lena", "Cassie", "Jo") is anyone's
_MAX_NAMES = _PET_RULE.int_param("max_names", 6)
_ALONE_MIN = _PET_RULE.int_param("min_alone", 3)
_DROP_RULE = shipped_rules()["form.pet_dropped_end"]
_DROP_MIN = _DROP_RULE.int_param("min_letters", 3)
_DROP_MIN_ZIPF = _DROP_RULE.float_param("min_zipf", 3.0)
_CUT_RULE = shipped_rules()["form.institution_cut"]
_CUT_MIN = _CUT_RULE.int_param("min_letters", 5)
_CUT_MAX_ZIPF = _CUT_RULE.float_param("max_zipf", 3.0)
_ACRONYM_RULE = shipped_rules()["form.institution_acronym"]
_ACRONYM_MIN = _ACRONYM_RULE.int_param("min_letters", 3)
_ACRONYM_MAX_ZIPF = _ACRONYM_RULE.float_param("max_zipf", 3.0)
_ACRONYM_SKIP = frozenset(_ACRONYM_RULE.words)


def plain(word: str) -> str:
    """A word's letters, lower case, without accents or anything else ("Zoë-Mae's" -> "zoemaes")."""
    return "".join(ch for ch in unicodedata.normalize("NFKD", word.casefold()) if ch.isalpha())


@cache
def frequencies() -> dict[str, float]:
    """English word frequencies (wordfreq's "small" list: every word used at least once in a million)."""
    from wordfreq import get_frequency_dict

    return dict(get_frequency_dict("en", wordlist="small"))


def zipf(word: str) -> float:
    """Zipf frequency of a plain lower-case word (0.0 when wordfreq's small list does not have it); looked up
    without wordfreq's own cache, which would keep registered words in memory."""
    freq = frequencies().get(word, 0.0)
    return math.log10(freq * 1e9) if freq > 0 else 0.0


@cache
def _namer() -> NickNamer:
    from nicknames import NickNamer

    return NickNamer()  # the package's own CSV, read once (about 2,700 pairs)


@cache
def _listed_names() -> frozenset[str]:
    namer = _namer()
    return frozenset(namer.nickname_lookup) | frozenset(namer.canonical_lookup)


def is_listed_name(word: str) -> bool:
    """Whether the dataset lists a plain word as a given name or a pet form ("lexi", "robbie"; not "lobster")."""
    return plain(word) in _listed_names()


@dataclass(frozen=True, slots=True)
class DatasetPets:
    """Pet forms of one first name: those that may go before the surname or its initial ("Peggy O"), and
    the fewer that may stand alone ("Peggy's mum", with a tie to the case)."""

    with_surname: tuple[str, ...]
    alone: tuple[str, ...]


def dataset_pets(first: str) -> DatasetPets:
    """``form.pet_dataset``: the dataset's pet forms of a plain first name (or, for a name it does not list,
    of the name it is formed from: "Pip" for Philippa, as for Philip). Before a surname every one
    counts (the pair is specific); alone only one that is no common English word (Zipf below
    params.max_zipf_alone), has at least params.min_alone letters, and that the dataset gives for no more
    than params.max_names full names ("Lena" is a pet form of sixteen: someone of her own)."""
    namer = _namer()
    first = plain(first)
    if len(first) < 3:
        return DatasetPets((), ())
    listed = namer.nicknames_of(first) or namer.nicknames_of(_base_name(first))
    pets = sorted(p for p in listed if p.isalpha() and p != first and len(p) >= 2)
    alone = tuple(p for p in pets if len(p) >= _ALONE_MIN and zipf(p) < _ALONE_MAX_ZIPF
                  and len(namer.canonicals_of(p)) <= _MAX_NAMES)
    return DatasetPets(tuple(pets), alone)


_FEMININE = tuple(sorted(_PET_RULE.words_param("feminine_endings"), key=len, reverse=True))


def _base_name(first: str) -> str:
    """A name the dataset does not list, read as the one it is formed from (params.feminine_endings):
    "philippa" as "philip", "roberta" as "robert", "georgina" as "george"; "" when the dataset lists none."""
    namer = _namer()
    for ending in _FEMININE:
        stem = first.removesuffix(ending)
        if stem == first or len(stem) < 3:
            continue
        single = stem[:-1] if len(stem) >= 2 and stem[-1] == stem[-2] else stem
        for base in (stem, single, stem + "e"):
            if namer.nicknames_of(base):
                return base
    return ""


def institution_cuts(core: list[str]) -> list[list[str]]:
    """``form.institution_cut``: the leading words of a registered institution's name, shorter than its
    core (the name without its type words): "Bramwell Fold" and "Bramwell" of "Bramwell Fold Academy"'s
    core "Bramwell Fold"... only cuts that are not all common words; a one-word cut only of
    params.min_letters letters (a possessive "'s" not counted) and no word or name English text uses
    often (Zipf below params.max_zipf: a town such as "Leeds", a surname such as "Taylor")."""
    out: list[list[str]] = []
    for k in range(1, len(core)):
        cut = core[:k]
        letters = [plain(w.removesuffix("'s").removesuffix("’s")) for w in cut]
        if not all(letters) or all(zipf(w) >= 4.0 for w in letters):
            continue
        if k == 1 and (len(letters[0]) < _CUT_MIN or zipf(letters[0]) >= _CUT_MAX_ZIPF):
            continue
        out.append([w.removesuffix("'s").removesuffix("’s") for w in cut])
    return out


def institution_acronyms(words: list[str], core: list[str]) -> list[str]:
    """``form.institution_acronym``: the initials of a registered institution's words ("BFA" of "Bramwell
    Fold Academy"), and of its core when that has three words or more; small words (params words: "of",
    "the", "and") are left out. Only acronyms of params.min_letters letters that English text does not
    use as a word or abbreviation (Zipf below params.max_zipf: not "NHS", "BBC", "CAT")."""
    out: list[str] = []
    for ws in (words, core):
        letters = [plain(w) for w in ws]
        initials = "".join(w[0] for w in letters if w and w not in _ACRONYM_SKIP)
        if len(initials) >= _ACRONYM_MIN and zipf(initials) < _ACRONYM_MAX_ZIPF and initials not in out:
            out.append(initials)
    return out


def dropped_ends(first: str) -> list[str]:
    """``form.pet_dropped_end``: a first name with its pet ending (the rule's words: "y", "ie", "ey", "i")
    dropped, when what is left has params.min_letters letters and is a word English text uses often (Zipf
    at least params.min_zipf: "Lace" of Lacey, "Mill" of Millie). Other cuts are pet forms already
    (``form.pet_bare``); these are words, so the matcher takes them only with a strong tie to the case."""
    first = plain(first)
    out = []
    for ending in _DROP_RULE.words:
        stem = first.removesuffix(ending)
        if stem != first and len(stem) >= _DROP_MIN and zipf(stem) >= _DROP_MIN_ZIPF and stem not in out:
            out.append(stem)
    return out


_SURNAME_RULE = shipped_rules()["form.surname_pet"]
_SURNAME_ENDINGS = tuple(_SURNAME_RULE.words)
_SURNAME_MIN = _SURNAME_RULE.int_param("min_letters", 4)
_SURNAME_MAX_ZIPF = _SURNAME_RULE.float_param("max_zipf", 4.0)
_SURNAME_WORD_ZIPF = _SURNAME_RULE.float_param("word_zipf", 3.0)
_SURNAME_DIGRAPHS = tuple(sorted(_SURNAME_RULE.words_param("digraphs"), key=len, reverse=True))
_SURNAME_MAC = _SURNAME_RULE.words_param("mac_prefixes")
_VOWELS = frozenset("aeiou")


def _surname_cuts(last: str) -> set[str]:
    """The cuts a surname pet form is built on: a "Mc"/"Mac" surname's "mac" (McCartney: "Macca"); else its
    first syllable closed by its first consonant, or by a digraph there ("hutch" of Hutchinson, "fletch" of
    Fletcher, "thom" of Thompson), and closed by all its consonants up to the next vowel ("whitt" of
    Whittaker); a one-syllable surname is its own cut ("smith")."""
    for prefix in _SURNAME_MAC:
        if last.startswith(prefix) and len(last) - len(prefix) >= 3:
            return {"mac"}
    v = next((k for k, ch in enumerate(last) if ch in _VOWELS), len(last))
    end = next((k for k in range(v, len(last)) if last[k] not in _VOWELS), len(last))
    if v == len(last) or end == len(last):
        return set()
    nxt = next((k for k in range(end, len(last)) if last[k] in _VOWELS or (k > end and last[k] == "y")), len(last))
    if (nxt >= len(last) - 1 and last[-1] in "ey") or nxt == len(last):
        return {last[:nxt]}  # one syllable ("smith", "white"): the name itself takes the ending
    cluster = last[end:nxt]
    first = next((d for d in _SURNAME_DIGRAPHS if cluster.startswith(d)), cluster[0])
    return {last[: end + len(first)], last[:nxt]}


def surname_pets(last: str) -> list[tuple[str, bool]]:
    """``form.surname_pet``: pet forms people make of a plain surname, the productive British and Australian
    way: a cut (:func:`_surname_cuts`) bare when it drops the name's ending ("Hutch", "Fletch"), or with one
    of the rule's endings ("Whitty", "Smithy", "Robbo", "Davo", "Macca", "Hutchy"); an ending that starts with
    a vowel also doubles a cut's last single consonant ("Robbo" and "Davo" both). With the "-z" endings on the
    name's opening ("Gazza"). Only forms of params.min_letters+ letters that are not the name itself and are
    no word English text uses a lot (Zipf below params.max_zipf); each comes with whether it is a known word
    (Zipf params.word_zipf or more: "Hutch"), which then needs its capital."""
    if not last.isalpha() or len(last) < _SURNAME_MIN:
        return []
    out: set[str] = set()
    v = next((k for k, ch in enumerate(last) if ch in _VOWELS), len(last))
    for cut in _surname_cuts(last):
        single = len(cut) >= 2 and cut[-1] not in _VOWELS and cut[-2] in _VOWELS and cut[-1] not in "hwxy"
        for ending in _SURNAME_ENDINGS:
            if ending == "-":
                if cut != last:
                    out.add(cut)
            elif ending.startswith("z"):
                if cut != "mac":
                    out.add(last[: v + 1] + ending)
            else:
                base = cut[:-1] if cut == last and cut.endswith("e") and ending[0] in "aeiouy" else cut
                out.add(base + ending)
                if single and ending[0] in "aeiouy":
                    out.add(cut + cut[-1] + ending)
    out.discard(last)
    return sorted((p, zipf(p) >= _SURNAME_WORD_ZIPF) for p in out
                  if len(p) >= _SURNAME_MIN and zipf(p) < _SURNAME_MAX_ZIPF)
