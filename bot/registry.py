"""The protected-party registry: keyed digests of registered names and identifiers, never the strings.

Each registered string is reduced to its skeleton (:mod:`bot.normalize`), split into word tokens and
expanded into the *forms* that identify the party: the full name (and reversed), first name with the
surname initial, the surname alone (and each part of a double-barrelled one), the first name alone,
nicknames, full names with one letter dropped or two swapped, handles (and their stem without trailing
digits), identifiers (and their number alone after a cue such as ``PC``, or an institution's name
without ``School``). Each form is stored as a keyed BLAKE2b digest of its tokens run together, with
metadata (label, kind, token count, length, whether its words are common English words) and nothing
else. Every proper token-prefix of a multi-token form is stored too, so the matcher hashes a message's
single tokens first and extends an n-gram only while it is a known prefix; forms that may be run
together inside a longer token (hashtags, URLs) also store the digest of their first four characters,
so a long token costs one hash per offset. Matching cost does not grow with the number of registered
strings.

The key is the settings key, stretched through a personalised BLAKE2b so that the digests are of no
use anywhere else. Plain registered strings exist only transiently while :meth:`add_party` runs.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from bot.case import CaseFile
from bot.errors import ConfigError
from bot.keys import REGISTRY_LABEL, derive
from bot.name_variants import (
    dataset_pets,
    dropped_ends,
    institution_acronyms,
    institution_cuts,
    is_listed_name,
    surname_pets,
)
from bot.name_variants import frequencies as _frequencies
from bot.name_variants import plain as plain_word
from bot.name_variants import zipf as _zipf
from bot.normalize import normalize, skeleton, tokenize
from bot.rules.loader import shipped_rules

FULL_NAME = "full_name"
NAME_INITIAL = "name_initial"
SURNAME = "surname"
FIRST_NAME = "first_name"
NICKNAME = "nickname"
HANDLE = "handle"
HANDLE_STEM = "handle_stem"
IDENTIFIER = "identifier"
IDENTIFIER_PART = "identifier_part"
IDENTIFIER_NUMBER = "identifier_number"
TITLE_INITIAL = "title_initial"  # "Mrs C": a title and the initial of a protected party's surname
INITIALS = "initials"  # "E.S.": the initials of a party's first name and surname, dotted

KINDS = (FULL_NAME, NAME_INITIAL, SURNAME, FIRST_NAME, NICKNAME, HANDLE, HANDLE_STEM, IDENTIFIER,
         IDENTIFIER_PART, IDENTIFIER_NUMBER, TITLE_INITIAL, INITIALS)

#: forms that may be found run together inside a longer token, with their minimum skeleton length
_SUBSTRING_MIN = {FULL_NAME: 7, HANDLE: 5, HANDLE_STEM: 6, IDENTIFIER: 8}  # all longer than ANCHOR
_INSTITUTION_WORDS = shipped_rules()["form.institution_words"].word_set
# one way to split only (no nested quantifiers): matching stays linear in the identifier's length
_ID_NUMBER = re.compile(r"([^\W\d_]+(?:[.\s]+[^\W\d_]+)*)[\s.#:-]*(\d{3,})")  # "PC 2290", "Collar no. 2290"
_HANDLE = re.compile(r"@?[\w.]+")
_COMMON_ZIPF = 4.0  # words at least this frequent in English count as common words
_MAC = re.compile(r"^(ma?c)(?=[a-z]{3})")  # the "Mc"/"Mac" that people write apart
_RARE_ZIPF = 1.0  # a first name below this is in no English word list: it fires alone, for review
_KNOWN_ZIPF = 3.0  # a nickname this frequent ("Toby", "Liv", "Jazzy") is someone else as often as not
PUBLIC_BASIS = "[public party]"  # the basis stored with a public party's row: never a protected party
MAX_TOKEN_CHARS = 100  # a registered name or identifier token longer than this is no name: refused
FUZZY_MIN, FUZZY_MAX = 5, 32  # registered name tokens with this many letters also match at edit distance 1
# a name token this long also matches spelt as it sounds with one letter dropped as well (two edits, one sound)
SOUND_DROP_MIN = 7
ANCHOR = 4  # characters hashed at each offset of a long token before trying run-together forms there
_DIGEST_SIZE = 16


@cache
def common_skeletons() -> frozenset[str]:
    """Skeletons of common English words: a message word among them is never a fuzzy match of a name."""
    return frozenset(skeleton(w) for w, f in _frequencies().items() if f > 0 and math.log10(f * 1e9) >= _COMMON_ZIPF)


@cache
def known_skeletons() -> frozenset[str]:
    """Skeletons of words and names English text uses often (Zipf >= _KNOWN_ZIPF): a derived pet form whose
    skeleton is one of them ("beli" reads as "bell", "neli" as "Neil") is someone or something else."""
    return frozenset(skeleton(w) for w, f in _frequencies().items() if f > 0 and math.log10(f * 1e9) >= _KNOWN_ZIPF)


def is_known_word(word: str) -> bool:
    """Whether a plain word is one English text uses often (Zipf >= 3: "luna", "malice", "kevin")."""
    plain = plain_word(word)
    return bool(plain) and _zipf(plain) >= _KNOWN_ZIPF


def is_common_word(word: str) -> bool:
    """Whether a plain word is common in English (``rose``, ``mark``, ``green``), by wordfreq's Zipf scale."""
    plain = plain_word(word)
    return bool(plain) and _zipf(plain) >= _COMMON_ZIPF


@dataclass(frozen=True, slots=True)
class Form:
    """Metadata of one registered digest; holds no registered text."""

    label: str
    kind: str
    tokens: int
    length: int
    common: bool = False  # every word of it is a common English word
    substring: bool = False  # may be found run together inside a longer token (hashtag, URL, handle)
    cue: bytes | None = None  # identifier_number: digest of the prefix that names it ("PC")
    initial_at: int | None = None  # name_initial: index (0 or -1) of the one-letter token
    misspelt: bool = False  # a full name with one letter dropped or two swapped
    tie: bool = False  # fires alone only when the message ties it to the case (a first name, a known nickname)
    plural: bool = False  # a surname with a plural "s" ("the Marchettis")
    fuzzy: bool = False  # found at edit distance 1 (hashed deletion neighbourhoods), not exactly
    sound: bool = False  # found by its phonetic key only (form.sound_key): for review, and only with a tie
    dropped: bool = False  # a first name with its "-y"/"-ie" dropped that leaves a word (form.pet_dropped_end)


@dataclass(frozen=True, slots=True)
class TokenRef:
    """One registered name token, by position: what a fuzzy (edit distance 1) match of a message token
    points at. Holds no registered text."""

    label: str
    name: int  # which registered name of the registry (a counter)
    index: int  # the token's position in that name
    count: int  # how many tokens the name has
    length: int  # letters in the token
    common: bool = False  # the registered token is a common English word
    tie: bool = False  # a one-word nickname that is also a word or a name: needs a tie to the case
    part: bool = False  # a word of a registered institution's name ("Hadley Brook" of "Hadley Brook Academy")
    far: bool = False  # two edits (a sound spelt another way and a letter dropped): only with the case around it
    sound: bool = False  # spelt as it sounds, by a phonetic key (form.sound_key): weak, for review with a tie


@dataclass(frozen=True, slots=True)
class Party:
    label: str
    basis: str


class ProtectedRegistry:
    """Digests of the protected parties' names and identifiers, and the allow-list of dismissed matches."""

    def __init__(self, key: bytes) -> None:
        if not key:
            raise ConfigError("the protected registry needs a non-empty secret key")
        self._key = derive(key, REGISTRY_LABEL)  # HKDF, a label of its own (bot.keys)
        self._keyed = self._hasher()  # keyed once; every digest copies it (cheaper than keying again)
        self._forms: dict[bytes, list[Form]] = {}
        self._prefixes: set[bytes] = set()
        self._initials: set[bytes] = set()
        self._anchors: set[bytes] = set()  # first ANCHOR characters of forms that may be run together
        self._allowed: set[bytes] = set()
        self._parties: dict[str, Party] = {}
        self._sub_lengths: tuple[int, ...] = ()
        self._lengths: set[int] = set()
        self.max_tokens = 1
        # Fuzzy matching (SymSpell-style, edit distance 1), digests only: each registered name token, each
        # of its one-letter deletions (with the position deleted), its neighbour swaps and its sound-alike
        # spellings. A message token matches when it, or one of its own deletions, meets one of these.
        self._fz_exact: dict[bytes, list[TokenRef]] = {}
        self._fz_del: dict[bytes, list[tuple[int, TokenRef]]] = {}
        #: letters in the registered tokens of _fz_exact and _fz_del: a message token's deletions can meet
        #: them only when it is one letter longer (a letter added) or as long (a letter changed)
        self._fz_lengths: set[int] = set()
        self._fz_swap: dict[bytes, list[TokenRef]] = {}
        self._name_toks: dict[bytes, list[TokenRef]] = {}  # every name token, any length: a fuzzy one's neighbour
        self._fz_sound: dict[bytes, list[TokenRef]] = {}  # digests of person-name tokens' phonetic keys
        self.has_numbers = False  # a collar or staff number is registered (name.id_separators reads split ones)
        self._names = 0
        self.fuzzy = True  # edit-distance-1 matching on (the benchmark turns it off to report its cost)
        #: message tokens already looked up for fuzzy matches (message text only; cleared on every change)
        self._fz_cache: dict[str, list[TokenRef]] = {}
        #: token strings of messages known to be neither a form, nor a prefix, nor to contain a
        #: substring form: message text only, never a registered string. Cleared on every change.
        self.misses: dict[str, None] = {}
        #: message words of one letter, and whether each starts a name-and-initial ("C Baptiste"); and
        #: such a letter run together with the words after it, known to be neither a form nor a prefix
        #: (message text only; cleared on every change, like ``misses``)
        self._initial_letters: dict[str, bool] = {}
        self.join_misses: dict[str, None] = {}
        #: message words whose only forms are a party's initials ("es"): a word is never initials (only
        #: dotted single letters are), so the pre-check passes over them (cleared on every change)
        self.initials_only: dict[str, None] = {}

    # ------------------------------------------------------------ building

    @classmethod
    def from_case(cls, case: CaseFile, key: bytes) -> ProtectedRegistry:
        """A registry holding every protected party of ``case``."""
        registry = cls(key)
        for party in case.protected:
            registry.add_party(party.label, party.basis, party.names, party.identifiers)
        return registry

    @classmethod
    def public_from_case(cls, case: CaseFile, key: bytes) -> ProtectedRegistry | None:
        """A registry of the case's ``[[public]]`` parties (hashed the same way), or None when there are none."""
        if not case.public:
            return None
        registry = cls(key)
        for party in case.public:
            registry.add_public(party.label, party.names)
        return registry

    def add_public(self, label: str, names: Iterable[str]) -> None:
        """Register a public party: an organisation's name as an identifier (and its core without "Court",
        "Club", ...), a person's name with its usual forms and "Mr/Mrs/Ms" plus the surname's initial."""
        people: list[str] = []
        orgs: list[str] = []
        for name in names:
            words = [skeleton(w) for w in name.split()]
            (orgs if len(words) >= 3 or any(w in _PUBLIC_ORG_SKELETONS for w in words) else people).append(name)
        titled = [f"{title} {name.split()[-1][0]}" for name in people if len(name.split()) >= 2
                  for title in ("Mr", "Mrs", "Ms", "Miss")]
        self.add_party(label, PUBLIC_BASIS, names=people + titled, identifiers=orgs)

    def add_party(
        self, label: str, basis: str = "", names: Iterable[str] = (), identifiers: Iterable[str] = ()
    ) -> None:
        """Register a party's names and identifiers (hashed here; the strings are not kept)."""
        label = label.strip()
        if not label:
            raise ConfigError("a protected party needs a label")
        names, identifiers = list(names), list(identifiers)
        for text in names + identifiers:
            check_token_lengths(text)
        self._parties.setdefault(label, Party(label, basis))
        for name in names:
            for kind, toks, common, extra in _name_forms(name):
                self._add(label, kind, toks, common, **extra)
            self._add_fuzzy(label, name)
            if basis != PUBLIC_BASIS:  # a public party's "Mr S" is registered as a name of its own
                for toks in _title_initials(name):
                    self._add(label, TITLE_INITIAL, toks)
        if basis != PUBLIC_BASIS:  # "mills h": a one-word nickname with the initial of the party's surname
            for nick, letter in _nickname_initials(names):
                self._add(label, NAME_INITIAL, [*nick, letter], is_common_word(" ".join(nick)), initial_at=-1)
        for ident in identifiers:
            for kind, toks, common, extra in self._identifier_forms(ident):
                self._add(label, kind, toks, common, **extra)
                short = _abbreviated(toks) if kind in (IDENTIFIER, IDENTIFIER_PART) and len(toks) >= 2 else None
                if short is not None:  # "Goring X" for "Goring Cross", "St Anne's" for "Saint Anne's"
                    self._add(label, kind, short, common, **extra)
                if kind == IDENTIFIER_PART and len(toks) >= 2 and not common:
                    # "Hadly Brook": one word of a school's name misspelt, next to the other written right
                    self._add_fuzzy(label, " ".join(toks), part=True)
        self._changed()

    def _add(self, label: str, kind: str, toks: list[str], common: bool = False, **extra: object) -> None:
        toks = [t for t in toks if t]
        if not toks:
            return
        joined = "".join(toks)
        substring = len(joined) >= _SUBSTRING_MIN.get(kind, 10**9) and not extra.get("misspelt")
        form = Form(label, kind, len(toks), len(joined), common, substring, **extra)  # type: ignore[arg-type]
        self.has_numbers = self.has_numbers or kind == IDENTIFIER_NUMBER
        entries = self._forms.setdefault(self.digest(joined), [])
        if substring:
            self._anchors.add(self.digest(joined[:ANCHOR]))
            self._lengths.add(len(joined))
        self.max_tokens = max(self.max_tokens, len(toks))
        if form not in entries:
            entries.append(form)
        running = self._hasher()  # prefixes hashed incrementally: linear in the form's length
        for k in range(1, len(toks)):
            running.update(toks[k - 1].encode("utf-8", "surrogatepass"))
            # one-letter prefixes ("C" of "C Baptiste") are kept apart so that the fast path need not
            # look at every "a" and "I": the surname after them is a form of its own.
            one_letter = kind == NAME_INITIAL and k == 1 and len(toks[0]) == 1
            (self._initials if one_letter else self._prefixes).add(running.copy().digest())

    def _add_fuzzy(self, label: str, name: str, *, part: bool = False) -> None:
        """Hashed deletion neighbourhoods of a name's tokens (linear: a token of n letters adds about 2n
        digests; tokens outside FUZZY_MIN..FUZZY_MAX letters add none)."""
        words = [w for w in name.split() if _words(w)]
        toks = [t for w in words for t in _words(w)]
        if not toks:
            return
        self._names += 1
        plain = [plain_word(w) for w in words]
        tie = len(toks) == 1 and bool(plain[0]) and _zipf(plain[0]) >= _KNOWN_ZIPF
        if not part:
            self._add_sound_pairs(label, name, len(toks))
        for index, tok in enumerate(toks):
            if not (FUZZY_MIN <= len(tok) <= FUZZY_MAX) or not tok.isalpha():
                if len(tok) <= FUZZY_MAX:
                    _append(self._name_toks, self.digest(tok),
                            TokenRef(label, self._names, index, len(toks), len(tok), part=part))
                continue
            common = is_common_word(tok)
            ref = TokenRef(label, self._names, index, len(toks), len(tok), common, tie, part)
            if index == 0 and len(toks) >= 2 and not (common or part or tie):  # "Reeanon": a first name as it sounds
                for key, _short in sound_keys(tok):
                    _append(self._fz_sound, self.digest(key), replace(ref, sound=True))
            _append(self._fz_exact, self.digest(tok), ref)
            self._fz_lengths.add(len(tok))
            _append(self._name_toks, self.digest(tok), ref)
            for at in range(len(tok)):
                _append(self._fz_del, self.digest(tok[:at] + tok[at + 1 :]), (at, ref))
            for at in range(len(tok) - 1):
                if tok[at] != tok[at + 1]:
                    _append(self._fz_swap, self.digest(tok[:at] + tok[at + 1] + tok[at] + tok[at + 2 :]), ref)
            # spelt as it sounds ("McCaskey" for "McCaskie"): looked up like a swap
            for old, new in _SOUND_ALIKE:
                at = tok.find(old)
                while at != -1:
                    alike = tok[:at] + new + tok[at + len(old) :]
                    _append(self._fz_swap, self.digest(alike), ref)
                    if len(tok) >= SOUND_DROP_MIN:  # and a letter dropped too ("Linquist" for "Lindqvist")
                        far = replace(ref, far=True)
                        for cut in range(len(alike)):
                            _append(self._fz_swap, self.digest(alike[:cut] + alike[cut + 1 :]), far)
                    at = tok.find(old, at + 1)

    def _add_sound_pairs(self, label: str, name: str, count: int) -> None:
        """``form.sound_surname``: each later word of a name ("Ashdown" of "Kieran Ashdown") by its phonetic keys
        (of its plain letters: skeletons fold "l" into "i"), paired with the exact word before it and with the
        first name; only keyed digests of the pairs are kept."""
        parts = [w for w in _NAME_PARTS.split(name) if w]
        if len(parts) < 2:
            return
        skels = [_words(w) for w in parts]
        if any(len(sk) != 1 for sk in skels):
            return  # a word with a digit or an apostrophe inside: no plain pair
        for index in range(1, len(parts)):
            plain = plain_letters(parts[index])
            if not (_SOUND_MIN <= len(plain) <= FUZZY_MAX):
                continue
            pair = TokenRef(label, self._names, index, count, len(plain), sound=True)
            for before in dict.fromkeys((skels[index - 1][0], skels[0][0])):
                for key, short in sound_keys(plain):
                    _append(self._fz_sound, self.digest(_pair_key(before, key, short)), pair)

    def fuzzy_refs(self, token: str, digest: bytes | None = None) -> list[TokenRef]:
        """Registered name tokens within edit distance 1 of a message token (one letter dropped, added,
        changed, or two neighbours swapped; or spelt as it sounds), but not equal to it."""
        n = len(token)
        if not (self.fuzzy and self._fz_exact and FUZZY_MIN - 1 <= n <= FUZZY_MAX + 1) or token in common_skeletons():
            return []
        known = self._fz_cache.get(token)
        if known is not None:
            return known
        d = digest if digest is not None else self.digest(token)
        out: list[TokenRef] = []
        if n <= FUZZY_MAX:
            out += [ref for _, ref in self._fz_del.get(d, ())]  # a letter dropped
            out += self._fz_swap.get(d, ())  # two letters swapped, or a sound spelt another way
        if n >= FUZZY_MIN and (n in self._fz_lengths or n - 1 in self._fz_lengths):  # else no deletion can meet
            fz_exact, fz_del, keyed = self._fz_exact, self._fz_del, self._keyed
            for at in range(n):
                h = keyed.copy()  # self.digest, inlined: this loop is most of a new word's cost
                h.update((token[:at] + token[at + 1 :]).encode("utf-8", "surrogatepass"))
                dd = h.digest()
                added = fz_exact.get(dd)
                if added:
                    out += added  # a letter added
                changed = fz_del.get(dd)
                if changed:
                    out += [ref for pos, ref in changed if pos == at]  # a letter changed
        exact = self._fz_exact.get(d, ())
        found = [r for r in dict.fromkeys(out) if r not in exact]
        if (self._fz_sound and not found and not exact and n >= _SOUND_MIN and _zipf(token) < _KNOWN_ZIPF
                and token not in known_skeletons()):  # "ieagues" is "leagues" once look-alike letters fold
            # spelt as it sounds: a phonetic key in common, a length near the name's, not itself a known name
            found = [r for key, short in sound_keys(token) for r in self._fz_sound.get(self.digest(key), ())
                     if abs(r.length - n) <= (1 if short else _SOUND_LENGTH_GAP)]
            found = list(dict.fromkeys(found))
        if (not found and not exact and n - 1 >= FUZZY_MIN and token.endswith("s") and not token.endswith("ss")
                and _zipf(token) < _KNOWN_ZIPF):
            # "quarells", "pascows": a plural or a possessive without its apostrophe on a near-miss
            # (form.fuzzy_plural); the word without its "s" is looked up as a near-miss of its own
            stem = token[:-1]
            found = [r for r in self.fuzzy_refs(stem) if not (r.sound or r.far)]
        if len(self._fz_cache) >= 100_000:
            self._fz_cache.clear()
        self._fz_cache[token] = found
        return found

    def sound_pair_refs(self, before: str, token: str) -> list[TokenRef]:
        """Registered later name tokens (a surname, a nickname's second word) that ``token`` (plain lower-case
        letters, :func:`plain_letters`) sounds like, when ``before`` (a skeleton) is exactly the registered word
        before it or the first name (``form.sound_surname``): not a word English text uses a lot, and a length
        near the registered word's."""
        n = len(token)
        if (not self._fz_sound or n < _SOUND_MIN or n > FUZZY_MAX or not token.isalpha()
                or _zipf(token) >= _PAIR_MAX_ZIPF):
            return []
        found = [r for key, short in sound_keys(token)
                 for r in self._fz_sound.get(self.digest(_pair_key(before, key, short)), ())
                 if abs(r.length - n) <= (1 if short else _SOUND_LENGTH_GAP)]
        return list(dict.fromkeys(found))

    def name_refs(self, digest: bytes) -> list[TokenRef]:
        """Registered name tokens equal to a message token (to pair with a fuzzy neighbour)."""
        return self._name_toks.get(digest, [])

    def _hasher(self) -> hashlib.blake2b:
        return hashlib.blake2b(key=self._key, digest_size=_DIGEST_SIZE)

    def _identifier_forms(self, ident: str) -> Iterator[tuple[str, list[str], bool, dict[str, object]]]:
        text = ident.strip()
        if not text:
            return
        number = _ID_NUMBER.fullmatch(text)
        if number:  # "PC 2290": the whole, and the number alone after a cue (its last word, "PC", "collar", ...)
            prefix, digits = _words(number.group(1)), _words(number.group(2))
            for k in range(max(0, len(prefix) - 4), len(prefix)):  # "staff number CW-48213", "CW-48213", ...
                yield IDENTIFIER, prefix[k:] + digits, False, {}
            yield IDENTIFIER_NUMBER, digits, False, {"cue": self.digest(prefix[-1])}
            return
        if _HANDLE.fullmatch(text) and (text.startswith("@") or re.search(r"[\d_]", text)):
            body = text.lstrip("@")
            yield HANDLE, _words(body), False, {}
            stem = re.sub(r"[\d_.]+$", "", body)
            if stem != body and len(skeleton(stem)) >= 5:
                yield HANDLE_STEM, _words(stem), is_common_word(stem), {}
            return
        words = text.split()
        yield IDENTIFIER, _words(text), False, {}
        national = phone_digits(text)
        if national:  # a registered phone number, however it is written: "+44 7700 900872", "07700-900-872"
            yield IDENTIFIER, [skeleton(national)], False, {}
            return
        core = list(words)
        while core and skeleton(core[-1]).strip(".,'’") in _INSTITUTION_SKELETONS:
            core.pop()
        while len(core) > 1 and skeleton(core[0]) in _TYPE_FIRST_SKELETONS:
            core.pop(0)  # "Ysgol Gyfun Bro Taf" is "Bro Taf" too
        if (len(core) == 2 and skeleton(core[0]).strip(".") in ("st", "saint") and re.search(r"['’]s$", core[1])
                and len(skeleton(core[1])) >= 6 and len(core) < len(words)):
            yield IDENTIFIER_PART, _words(core[1]), False, {}  # "Hilda's" for "St Hilda's College"
        if core and len(core) < len(words):
            common = all(is_common_word(w) for w in core)
            if not common and (len(core) >= 2 or len(skeleton(core[0])) >= 5):
                yield IDENTIFIER_PART, _words(" ".join(core)), common, {}
        # "Bramwell Fold", "Bramwell" of "Bramwell Fold Academy" (form.institution_cut): one word alone needs
        # the institution talked about around it (name.institution_cues), as a first name needs a tie
        for cut in institution_cuts(core):
            yield IDENTIFIER_PART, _words(" ".join(cut)), False, {"tie": len(cut) == 1}
        if len(words) >= 3:  # "BFA" (form.institution_acronym), written with its capital
            for acronym in institution_acronyms(words, core):
                yield IDENTIFIER_PART, [acronym], True, {}

    def _changed(self) -> None:
        self.misses.clear()
        self._fz_cache.clear()
        self._initial_letters.clear()
        self.join_misses.clear()
        self.initials_only.clear()
        self._sub_lengths = tuple(sorted(self._lengths))

    # ------------------------------------------------------------ lookups

    def digest(self, skel: str) -> bytes:
        """The keyed digest of a skeleton string."""
        h = self._keyed.copy()
        h.update(skel.encode("utf-8", "surrogatepass"))
        return h.digest()

    def forms(self, digest: bytes) -> list[Form]:
        return self._forms.get(digest, [])

    def is_prefix(self, digest: bytes, *, initial: bool = False) -> bool:
        """Whether ``digest`` is a registered token-prefix; one-letter prefixes count only with ``initial``."""
        return digest in self._prefixes or (initial and digest in self._initials)

    def starts_initial(self, letter: str) -> bool:
        """Whether a one-letter message word is the initial that starts a registered name-and-initial form
        (a one-letter prefix, see :meth:`is_prefix`); remembered per letter."""
        known = self._initial_letters.get(letter)
        if known is None:
            known = bool(self._initials) and self.digest(letter) in self._initials
            if len(self._initial_letters) < 10_000:
                self._initial_letters[letter] = known
        return known

    def is_anchor(self, digest: bytes) -> bool:
        """Whether ``digest`` is that of the first :data:`ANCHOR` characters of a run-together form."""
        return digest in self._anchors

    @property
    def substring_lengths(self) -> tuple[int, ...]:
        """Skeleton lengths of the forms that may be found inside a longer token, ascending."""
        return self._sub_lengths

    def match_digest(self, label: str, kind: str, form: bytes, before: str, after: str) -> str:
        """A hex digest naming one match in its context (the tokens either side), for the allow-list."""
        data = b"\0".join([b"allow", label.encode(), kind.encode(), form, before.encode("utf-8", "replace"),
                           after.encode("utf-8", "replace")])
        return hashlib.blake2b(data, key=self._key, digest_size=_DIGEST_SIZE).hexdigest()

    # ------------------------------------------------------------ allow-list

    def allow(self, match_digest: str) -> None:
        """Suppress a dismissed match (the same form in the same context) from now on."""
        try:
            self._allowed.add(bytes.fromhex(match_digest))
        except ValueError:
            raise ConfigError("an allow-list entry must be a hex match digest") from None

    def disallow(self, match_digest: str) -> None:
        self._allowed.discard(bytes.fromhex(match_digest))

    def is_allowed(self, match_digest: str) -> bool:
        return bytes.fromhex(match_digest) in self._allowed

    # ------------------------------------------------------------ description

    @property
    def labels(self) -> list[str]:
        return list(self._parties)

    @property
    def parties(self) -> list[Party]:
        return list(self._parties.values())

    @property
    def party_count(self) -> int:
        """How many parties are registered. Parties are only ever added, so a change in the count tells a
        table derived from them (the matcher's label nouns) to rebuild, without listing them per message."""
        return len(self._parties)

    def __len__(self) -> int:
        return sum(len(v) for v in self._forms.values())

    def __bool__(self) -> bool:  # what ``len(self) > 0`` says, without counting every form (once per excerpt)
        return any(self._forms.values())

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        state["misses"] = {}  # a cache of message words: not worth keeping, and not ours to keep
        state["_fz_cache"] = {}
        state["_initial_letters"] = {}
        state["join_misses"] = {}
        state["initials_only"] = {}
        del state["_keyed"]  # a hash object does not pickle: keyed again from the key on load
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._keyed = self._hasher()

    def __repr__(self) -> str:
        return f"ProtectedRegistry(parties={len(self._parties)}, forms={len(self)}, allowed={len(self._allowed)})"

    # ------------------------------------------------------------ persistence

    def to_records(self) -> list[dict[str, object]]:
        """Rows for the database: digests as hex and metadata, never registered text."""
        rows: list[dict[str, object]] = [{"type": "key_check", "digest": self.digest("\0key-check").hex()}]
        rows += [{"type": "party", "label": p.label, "basis": p.basis} for p in self._parties.values()]
        for digest, forms in self._forms.items():
            for f in forms:
                rows.append({
                    "type": "form", "digest": digest.hex(), "label": f.label, "kind": f.kind,
                    "tokens": f.tokens, "length": f.length, "common": f.common,
                    "cue": f.cue.hex() if f.cue else None, "initial_at": f.initial_at, "misspelt": f.misspelt,
                    "tie": f.tie, "plural": f.plural, "dropped": f.dropped,
                })
        for table, entries in (("fz_exact", self._fz_exact), ("fz_swap", self._fz_swap),
                               ("fz_name", self._name_toks), ("fz_sound", self._fz_sound)):
            for digest, refs in entries.items():
                rows += [{"type": table, "digest": digest.hex(), **_ref_row(r)} for r in refs]
        for digest, pairs in self._fz_del.items():
            rows += [{"type": "fz_del", "digest": digest.hex(), "pos": pos, **_ref_row(r)} for pos, r in pairs]
        rows += [{"type": "prefix", "digest": d.hex()} for d in sorted(self._prefixes)]
        rows += [{"type": "initial", "digest": d.hex()} for d in sorted(self._initials)]
        rows += [{"type": "anchor", "digest": d.hex()} for d in sorted(self._anchors)]
        rows += [{"type": "allow", "digest": d.hex()} for d in sorted(self._allowed)]
        return rows

    @classmethod
    def from_records(cls, records: Iterable[dict[str, object]], key: bytes) -> ProtectedRegistry:
        """Rebuild a registry from :meth:`to_records`; the key must be the one that made them."""
        registry = cls(key)
        checked = False
        try:
            for row in records:
                kind = row["type"]
                if kind == "key_check":
                    if bytes.fromhex(str(row["digest"])) != registry.digest("\0key-check"):
                        raise ConfigError("the secret key does not match the stored protected registry")
                    checked = True
                elif kind == "party":
                    label = str(row["label"])
                    registry._parties[label] = Party(label, str(row.get("basis", "")))
                elif kind == "form":
                    length = int(row["length"])  # type: ignore[call-overload]
                    fkind = str(row["kind"])
                    cue = row.get("cue")
                    initial_at = row.get("initial_at")
                    form = Form(
                        str(row["label"]), fkind, int(row["tokens"]), length,  # type: ignore[call-overload]
                        bool(row.get("common", False)),
                        length >= _SUBSTRING_MIN.get(fkind, 10**9) and not row.get("misspelt"),
                        bytes.fromhex(str(cue)) if cue else None,
                        int(initial_at) if initial_at is not None else None,  # type: ignore[call-overload]
                        bool(row.get("misspelt", False)), bool(row.get("tie", False)),
                        bool(row.get("plural", False)), bool(row.get("fuzzy", False)),
                        dropped=bool(row.get("dropped", False)),
                    )
                    registry._forms.setdefault(bytes.fromhex(str(row["digest"])), []).append(form)
                    registry.has_numbers = registry.has_numbers or fkind == IDENTIFIER_NUMBER
                    if form.substring:
                        registry._lengths.add(form.length)
                    registry.max_tokens = max(registry.max_tokens, form.tokens)
                elif kind in ("fz_exact", "fz_swap", "fz_del", "fz_name", "fz_sound"):
                    ref = TokenRef(str(row["label"]), int(row["name"]), int(row["index"]),  # type: ignore[call-overload]
                                   int(row["count"]), int(row["length"]),  # type: ignore[call-overload]
                                   bool(row.get("common", False)), bool(row.get("tie", False)),
                                   bool(row.get("part", False)), bool(row.get("far", False)),
                                   bool(row.get("sound", False)))
                    d = bytes.fromhex(str(row["digest"]))
                    registry._names = max(registry._names, ref.name)
                    if kind == "fz_exact":
                        _append(registry._fz_exact, d, ref)
                        registry._fz_lengths.add(ref.length)
                    elif kind == "fz_swap":
                        _append(registry._fz_swap, d, ref)
                    elif kind == "fz_name":
                        _append(registry._name_toks, d, ref)
                    elif kind == "fz_sound":
                        _append(registry._fz_sound, d, ref)
                    else:
                        _append(registry._fz_del, d, (int(row["pos"]), ref))  # type: ignore[call-overload]
                        registry._fz_lengths.add(ref.length)
                elif kind == "prefix":
                    registry._prefixes.add(bytes.fromhex(str(row["digest"])))
                elif kind == "anchor":
                    registry._anchors.add(bytes.fromhex(str(row["digest"])))
                elif kind == "initial":
                    registry._initials.add(bytes.fromhex(str(row["digest"])))
                elif kind == "allow":
                    registry._allowed.add(bytes.fromhex(str(row["digest"])))
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"stored protected registry is malformed ({type(exc).__name__})") from None
        if not checked and (registry._forms or registry._prefixes):
            raise ConfigError("stored protected registry has no key check; cannot trust its digests")
        registry._changed()
        return registry


_INSTITUTION_SKELETONS = frozenset(skeleton(w) for w in _INSTITUTION_WORDS)
_PUBLIC_ORG_SKELETONS = _INSTITUTION_SKELETONS | frozenset(
    skeleton(w) for w in shipped_rules()["form.public_org_words"].words)
# Welsh, Gaelic and Irish schools put the type first
_TYPE_FIRST_SKELETONS = frozenset(skeleton(w) for w in shipped_rules()["form.type_first"].words)
# One sound spelt another common way, in skeleton letters ("l" is "i" there)
_SOUND_ALIKE = tuple((skeleton(a), skeleton(b)) for a, b in (
    pair.split("=", 1) for rule in shipped_rules().of_kind("fuzzy_spelling") for pair in rule.words))
_PHONE_TEXT = re.compile(r"\+?[\d\s().-]{9,24}")
# Titles that go before a surname's initial ("Mrs C", "Mr T"), as the press and forums anonymise people
_INITIAL_TITLES = tuple(dict.fromkeys(skeleton(w) for w in shipped_rules()["form.title_initial"].words))


# Words of a registered place written short or long ("Cross" as "X", "Saint" as "St"), in skeleton letters
_ABBREVIATIONS: dict[str, str] = {
    skeleton(old): skeleton(new) for old, new in (
        pair.split("=", 1) for pair in shipped_rules()["form.abbreviations"].words)}


def _abbreviated(toks: list[str]) -> list[str] | None:
    """``toks`` with every word that has a short (or long) form swapped for it; None when none has."""
    out = [_ABBREVIATIONS.get(t, t) for t in toks]
    return out if out != toks else None


def _title_initials(name: str) -> Iterator[list[str]]:
    """The hashed-form tokens of each title with the initial of a name's surname ("mrs", "c")."""
    words = [_words(w) for w in name.split()]
    words = [w for w in words if w]
    if len(words) < 2 or not words[-1][0]:
        return
    initial = words[-1][0][0]
    if initial.isalpha():
        for title in _INITIAL_TITLES:
            yield [title, initial]


def _append(table: dict[Any, list[Any]], key: Any, value: Any) -> None:
    entries = table.setdefault(key, [])
    if value not in entries:
        entries.append(value)


def _ref_row(ref: TokenRef) -> dict[str, object]:
    return {"label": ref.label, "name": ref.name, "index": ref.index, "count": ref.count, "length": ref.length,
            "common": ref.common, "tie": ref.tie, "part": ref.part, "far": ref.far, "sound": ref.sound}


def check_token_lengths(text: str) -> None:
    """Refuse a registered string with a token longer than :data:`MAX_TOKEN_CHARS` (no name is that long,
    and bounded tokens keep registration linear)."""
    if any(len(tok) > MAX_TOKEN_CHARS for tok in text.split()):
        raise ConfigError(f"a registered name or identifier has a word longer than {MAX_TOKEN_CHARS} characters")


def phone_digits(text: str) -> str | None:
    """A phone number's digits in UK national form ("+44 (0)7700 900872" -> "07700900872"), or None."""
    text = text.strip()
    if not _PHONE_TEXT.fullmatch(text):
        return None
    digits = re.sub(r"\D", "", text.replace("(0)", ""))
    international = text.startswith("+") or digits.startswith("00")
    if digits.startswith("00"):
        digits = digits[2:]  # "0040 712 ..." is "+40 712 ..."
    if digits.startswith("44") and (international or len(digits) == 12):
        digits = "0" + digits[2:]
    return digits if 9 <= len(digits) <= 15 else None


def _words(text: str) -> list[str]:
    """Skeleton tokens of a registered string (in-word symbols read as letters)."""
    return [t.text for t in tokenize(normalize(text))]


def _nickname_initials(names: list[str]) -> Iterator[tuple[list[str], str]]:
    """Each one-word name of a party with the initial of each surname its full names give (sorted, once)."""
    letters = sorted({last[0][0] for n in names if len(n.split()) >= 2 and (last := _words(n.split()[-1]))})
    for name in names:
        toks = _words(name) if len(name.split()) == 1 else []
        if toks and len(toks[0]) >= 3:
            for letter in letters:
                yield toks, letter


def _name_forms(name: str) -> Iterator[tuple[str, list[str], bool, dict[str, object]]]:
    words = [w for w in name.split() if _words(w)]
    if not words:
        return
    toks = [_words(w) for w in words]
    common = [is_common_word(w) for w in words]
    if len(words) == 1:  # a nickname alone: one that is also a word or a name needs a tie, a rare one does not
        plain = plain_word(words[0])
        yield NICKNAME, toks[0], common[0], {"tie": bool(plain) and _zipf(plain) >= _KNOWN_ZIPF}
        return
    first, last = toks[0], toks[-1]
    everything = [t for ts in toks for t in ts]
    yield FULL_NAME, everything, all(common), {}
    split = [p for t in last for p in _MAC.split(t) if p]
    if len(split) > len(last):  # "Summer Mc Caskie", "Mc Caskie" for "McCaskie"
        yield FULL_NAME, [t for ts in toks[:-1] for t in ts] + split, False, {}
        yield SURNAME, split, False, {}
    if len(words) > 2:
        yield FULL_NAME, first + last, common[0] and common[-1], {}
    if len("".join(last)) < 2:  # "Ruby A", "Child B": an anonymising initial is no surname on its own
        return
    yield FULL_NAME, last + first, common[0] and common[-1], {}
    yield NAME_INITIAL, [*first, last[0][0]], common[0], {"initial_at": -1}
    yield NAME_INITIAL, [first[0][0], *last], common[-1], {"initial_at": 0}
    yield INITIALS, [first[0][0] + last[0][0]], False, {"tie": True}  # "E.S.": needs a tie, as a first name does
    if len(last) > 1:  # "D.O.M." for Daniel Osei-Mensah: each part of a double-barrelled surname gives its letter
        yield INITIALS, [first[0][0] + "".join(t[0] for t in last)], False, {"tie": True}
    yield SURNAME, last, common[-1], {}
    if not common[-1] and not last[-1].endswith("s"):  # "the Marchettis", "the Marchettis' house"
        yield SURNAME, [*last[:-1], last[-1] + "s"], False, {"plural": True}
    if len(last) > 1:  # a double-barrelled surname: each part alone is a (weak) surname too
        for part in last:
            if len(part) >= 3:
                yield SURNAME, [part], is_common_word(part), {}
        if len(last) == 2 and len(last[0]) >= 4 and not is_common_word(last[0]):
            yield SURNAME, [last[0], last[1][0]], False, {}  # "Ashdown-P": the second part cut to its initial
    # "Hutchy", "Robbo", "Macca": pet forms of the surname (form.surname_pet), weak: a tie or the first name
    plain_last = plain_word(words[-1])
    if len(last) == 1 and len(plain_last) <= _PET_MAX_NAME:
        for pet, word in surname_pets(plain_last):
            yield NICKNAME, _words(pet), word, {"tie": True}
            yield FULL_NAME, [*first, *_words(pet)], False, {}
    # a first name no word list knows ("Deccy", "Ffion") is rarely anyone else in a thread about the case
    plain_first = plain_word(words[0])
    rare = len(plain_first) >= 4 and _zipf(plain_first) < _RARE_ZIPF
    yield FIRST_NAME, first, common[0], {"tie": not rare}
    # "Lozza", "Tams": a pet form needs a tie to the case, as a first name does; none of a token longer than
    # any first name (form.pet_open's max_name: bounded work on a case file of long tokens)
    if len(first) == 1:
        if len(plain_first) > _PET_MAX_NAME:
            return
        # made and checked against English in plain letters, then hashed; a cut that is a known name ("Lexi"
        # for Alexandra) too (form.pet_known_name)
        made = set(pet_forms(plain_first)) | {  # and a known name the dataset lists: "Lexi", not "lobster"
            p for p in pet_forms(plain_first, max_zipf=_PET_KNOWN_MAX) if is_listed_name(p)}
        listed = dataset_pets(plain_first)  # "Peggy" for Margaret (form.pet_dataset): no cut makes it
        for pet in sorted({*listed.with_surname, *made}):  # "Lexi B", "Peggy Oyelaran": the pair is specific
            pet_toks = _words(pet)
            pet_common = is_common_word(pet)
            yield FULL_NAME, [*pet_toks, *last], pet_common and common[-1], {}
            yield NAME_INITIAL, [*pet_toks, last[0][0]], pet_common, {"initial_at": -1}
        made.update(listed.alone)
        for pet in listed.alone:  # "Mags" of Maggie: the usual cuts of a listed pet form
            made.update(pet_forms(pet))
        made.discard(plain_first)
        for pet in sorted(made):
            yield NICKNAME, _words(pet), False, {"tie": True}
        for stem in dropped_ends(plain_first):  # "Lace" of Lacey: a word, so only with a strong tie
            yield NICKNAME, _words(stem), True, {"tie": True, "dropped": True}
        return
    # a hyphenated first name ("Maisie-Rose", form.hyphenated_first): each part that is no common word is a
    # first name of its own, the first part makes pet forms, and the initials count every part
    parts = [p for p in re.split(r"[^a-z]+", unicodedata.normalize("NFKD", words[0].casefold())) if p]
    for k, part in enumerate(parts):
        if len(part) >= _HYPHEN_PART_MIN and not is_common_word(part):
            yield FIRST_NAME, _words(part), False, {"tie": True}
            if k == 0 and len(part) <= _PET_MAX_NAME:
                for pet in pet_forms(part):
                    yield NICKNAME, _words(pet), False, {"tie": True}
                # "Bethany K", "Beth Kerslake", "beth-jo k": the first part, or a pet form of it in place of
                # the part (the dataset's, or a cut that is a listed name), goes before the surname or its
                # initial, and a pet form before the other parts, as the whole first name does
                rest = [t for p in parts[1:] for t in _words(p)]
                pets = {*dataset_pets(part).with_surname, *(
                    p for p in pet_forms(part, max_zipf=_PET_KNOWN_MAX) if is_listed_name(p))}
                pets.discard(part)
                for name in sorted({part, *pets}):
                    name_toks = _words(name)
                    name_common = is_common_word(name)
                    yield FULL_NAME, [*name_toks, *last], name_common and common[-1], {}
                    yield NAME_INITIAL, [*name_toks, last[0][0]], name_common, {"initial_at": -1}
                    if name != part and rest:
                        yield FIRST_NAME, [*name_toks, *rest], False, {"tie": True}
                        yield FULL_NAME, [*name_toks, *rest, *last], False, {}
                        yield NAME_INITIAL, [*name_toks, *rest, last[0][0]], False, {"initial_at": -1}
    if len(parts) == len(first) and all(t for t in first):
        yield INITIALS, ["".join(t[0] for t in first) + last[0][0]], False, {"tie": True}
        if len(first) == 2:  # "A-J" for Abbie-Jo: the first name's own initials, as forums write them
            yield INITIALS, ["".join(t[0] for t in first)], False, {"tie": True}


_PET_OPEN = tuple(shipped_rules()["form.pet_open"].words)
_PET_CLOSED = tuple(shipped_rules()["form.pet_closed"].words)
_VOWELS = frozenset("aeiouy")
_PET_MAX_NAME = shipped_rules()["form.pet_open"].int_param("max_name", 14)
_PET_BARE_NAME = shipped_rules()["form.pet_bare"].int_param("min_name", 6)
_PET_BARE_CUT = shipped_rules()["form.pet_bare"].int_param("min_cut", 3)


def pet_forms(first: str, max_zipf: float = _KNOWN_ZIPF) -> list[str]:
    """Pet forms people make of a first name (``form.pet_open``, ``form.pet_closed``): its opening syllable
    with "-z"/"-zza" ("loz", "lozza"); its first closed syllable, or all its letters up to the second vowel,
    with "-s"/"-ie"/"-o" ("tams", "tammie", "morvs"). None that is the name itself, shorter than three
    letters, or a word or name English text uses often ("lorry", "robbie": someone or something else as
    often as not; Zipf ``max_zipf`` or more: ``form.pet_known_name`` raises it for forms that need a tie)."""
    if len(first) < 3 or not first.isalpha():
        return []
    v = next((k for k, ch in enumerate(first) if ch in _VOWELS), len(first))
    end = next((k for k in range(v, len(first)) if first[k] not in _VOWELS), len(first))
    if end == len(first) - 1 and _PET_SHORT[0] <= len(first) <= _PET_SHORT[1]:
        return _short_pet_forms(first, first[:end])  # "Kez": one closed syllable is the whole name
    if end >= len(first) - 1 or len(first) < 4:
        return []
    opening, closed = first[:end], first[: end + 1]
    out = {opening + e for e in _PET_OPEN}
    double = closed[-1] not in "hwxy"
    # a vowel ending doubles the closing consonant ("Tammy"); a silent "e" does not ("Mase" for Mason)
    out.update((closed + closed[-1] if double and e[0] in _VOWELS and e != "e" else closed) + e for e in _PET_CLOSED)
    bare = closed if len(first) >= _PET_BARE_NAME and len(closed) >= _PET_BARE_CUT else None
    second = next((k for k in range(end, len(first)) if first[k] in _VOWELS), len(first))
    if second > end + 1 and second < len(first):  # "Morv" of Morven: every consonant before the next vowel
        out.update(first[:second] + e for e in _PET_CLOSED)
    out.discard(first)
    found = {p for p in out if len(p) >= 3 and _zipf(p) < max_zipf}
    if bare is not None and not is_common_word(bare):  # "Dem" for Demelza: as known as a first name, and as tied
        found.add(bare)
    found.update(p for p in _tail_forms(first) if p != first and _zipf(p) < max_zipf)
    known = known_skeletons() if max_zipf <= _KNOWN_ZIPF else common_skeletons()
    # "beli" would read "bell" once letters that look alike are folded (its own frequency was checked above)
    return sorted(p for p in found if skeleton(p) == p or skeleton(p) not in known)


_PET_KNOWN_MAX = shipped_rules()["form.pet_known_name"].float_param("max_zipf", 4.0)
_SOUND_RULE = shipped_rules()["form.sound_key"]
_SOUND_MIN = _SOUND_RULE.int_param("min_letters", 4)
_SOUND_LENGTH_GAP = _SOUND_RULE.int_param("length_gap", 2)
_SOUND_SHORT_KEY = _SOUND_RULE.int_param("short_key", 3)


def sound_keys(token: str) -> list[tuple[str, bool]]:
    """``form.sound_key``: phonetic keys of a name token (in skeleton letters), each prefixed by its
    algorithm (NYSIIS; Metaphone with the token's first letter), and whether the key is short (fewer than
    params.short_key letters: it then needs lengths within one letter). Only keyed digests are kept."""
    if len(token) < _SOUND_MIN or not token.isalpha():
        return []
    import jellyfish

    keys = []
    for algo in _SOUND_RULE.words:
        key = jellyfish.nysiis(token) if algo == "nysiis" else token[0] + jellyfish.metaphone(token)
        if len(key) >= 3:
            keys.append((f"\0sound\0{algo}\0{key}", len(key) < _SOUND_SHORT_KEY + (algo == "metaphone")))
    return keys


_PAIR_MAX_ZIPF = shipped_rules()["form.sound_surname"].float_param("max_zipf", 4.0)


_NAME_PARTS = re.compile(r"[\s\-\u2010\u2011]+")
_NOT_LETTER = re.compile(r"[^a-z]")


def plain_letters(word: str) -> str:
    """A word's plain lower-case letters a-z, accents dropped (``form.sound_surname`` keys read letters as
    they sound; a skeleton folds look-alike letters)."""
    return _NOT_LETTER.sub("", unicodedata.normalize("NFKD", word).casefold())


def _pair_key(before: str, key: str, short: bool) -> str:
    """What is hashed for ``form.sound_surname``: the exact token before, and the later token's phonetic key."""
    return f"\0pair\0{before}\0{int(short)}{key}"


_HYPHEN_PART_MIN = shipped_rules()["form.hyphenated_first"].int_param("min_part", 3)
_PET_SHORT_RULE = shipped_rules()["form.pet_short"]
_PET_SHORT = (_PET_SHORT_RULE.int_param("min_name", 3),
              _PET_SHORT_RULE.int_param("max_name", 3))
_PET_TAIL_RULE = shipped_rules()["form.pet_tail"]
_PET_TAIL_NAME = _PET_TAIL_RULE.int_param("min_name", 6)
_PET_TAIL_MIN = _PET_TAIL_RULE.int_param("min_form", 4)
_CODA_PAIRS = frozenset(_PET_TAIL_RULE.words_param("coda_pairs"))


def _short_pet_forms(first: str, opening: str) -> list[str]:
    """``form.pet_short``: a first name of one closed syllable ("Kez", "Dom") with a pet ending: a "-z"
    ending on its opening ("Kezza"), an ending that starts with a vowel after its last consonant doubled
    ("Dommo", "Kezzie"), any other ending as it is ("Domster"); none that is a word or name English text
    uses often."""
    last = first[-1]
    out = set()
    for ending in _PET_SHORT_RULE.words:
        if ending.startswith("z"):
            out.add(opening + ending)
        elif ending[0] in _VOWELS:
            out.add(first + (last if last not in "hwxy" else "") + ending)
        else:
            out.add(first + ending)
    out.discard(first)
    known = known_skeletons()
    return sorted(p for p in out if len(p) >= 4 and _zipf(p) < _KNOWN_ZIPF
                  and (skeleton(p) == p or skeleton(p) not in known))


def _tail_forms(first: str) -> set[str]:
    """``form.pet_tail``: pet forms cut from the end of a long first name ("Trina" for Catriona, "Tori" for
    Victoria, "Becca" for Rebecca), made from its second syllable: the rest of the name from there; that
    syllable closed by its next consonant, with each pet ending; and that syllable with the name's last
    syllable ("Tri" + "na"). The second syllable starts at the consonants after the first vowels when they
    can open a syllable ("tr", "st", "ph"), else at the last of them ("c-t" of Victoria is "t")."""
    n = len(first)
    if n < _PET_TAIL_NAME:
        return set()
    v = next((k for k, ch in enumerate(first) if ch in _VOWELS), n)
    run = next((k for k in range(v, n) if first[k] not in _VOWELS), n)  # first consonant after the first vowels
    nucleus = next((k for k in range(run, n) if first[k] in _VOWELS), n)
    last = n
    while last > 0 and first[last - 1] in _VOWELS:
        last -= 1
    while last > 0 and first[last - 1] not in _VOWELS:
        last -= 1
    if nucleus >= n or run >= last:
        return set()  # one or two syllables: nothing to cut from the end
    cluster = first[run:nucleus]
    starts = {nucleus - 2 if cluster.endswith("h") and len(cluster) >= 2 else nucleus - 1}
    if len(cluster) == 2 and cluster[0] != cluster[1] and (cluster[1] in "lrh" or cluster[0] == "s"):
        starts.add(run)  # "tr", "bl", "ph", "st": a syllable may open with both
    final = first[last:] if first[-1] in _VOWELS else ""  # the name's last syllable ("na" of Catriona)
    vowels_end = next((k for k in range(nucleus, n) if first[k] not in _VOWELS), n)  # "ou" of Anoushka
    coda = first[vowels_end : vowels_end + 2] if first[vowels_end : vowels_end + 2] in _CODA_PAIRS else \
        first[vowels_end : vowels_end + 1]
    out: set[str] = set()
    for s in starts:
        syllable = first[s : nucleus + 1]
        out.add(first[s:])  # "Becca": the name without its first syllable
        if nucleus + 1 < n and first[nucleus + 1] not in _VOWELS:
            out.update(syllable + first[nucleus + 1] + e for e in _PET_TAIL_RULE.words)  # "Tor" + "i"
        if final and nucleus + 1 < last:
            out.add(syllable + final)  # "Tri" + "na"
        if vowels_end > nucleus + 1 and coda and vowels_end + len(coda) < n:
            out.add(first[s:vowels_end] + coda)  # "Noush" of Anoushka: a vowel pair and what closes it
    return {p for p in out if len(p) >= _PET_TAIL_MIN and p.isalpha()}
