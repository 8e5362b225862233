"""One redaction path for everything a summary shows or stores: sentences, titles, publishers, URLs and
source text, for the command line and the bot alike.

Matching is done on the hashed registry only: the case's :class:`bot.registry.ProtectedRegistry` through
:class:`bot.matcher.ProtectedMatcher` (which also finds names run together or hyphenated into a URL slug,
``jane-doe-teacher-charged``), and the identity engine (:class:`bot.engine.IdentityEngine`) for identifying
details. No plain registered string is held here, and nothing here logs or returns matched text.

A public word that is only part of a multi-word registered identifier (the town in "<Town> Academy", kind
``identifier_part``) is not the identifier: it is left as written. A name (full, surname, first name,
nickname) becomes the party's label; a handle, an identifier or an identifying detail cannot be reworded
safely, so its sentence is dropped (and a title falls back to a neutral one, a URL is withheld).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from bot.case import CaseFile
from bot.engine import IdentityEngine
from bot.flags import Category, Message, Verdict
from bot.matcher import ProtectedMatcher
from bot.protected_text import NOT_A_NAME, registered_matches
from bot.registry import (
    FIRST_NAME,
    FULL_NAME,
    IDENTIFIER_PART,
    NAME_INITIAL,
    NICKNAME,
    SURNAME,
    ProtectedRegistry,
)
from bot.source import WITHHELD_SITE

PROTECTIVE = (Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL)
#: matches that are the person, so the label can stand in for them
RELABEL_KINDS = frozenset({FULL_NAME, NAME_INITIAL, SURNAME, FIRST_NAME, NICKNAME, "name"})
#: a public word inside a longer registered identifier: not the identifier
NOT_THE_IDENTIFIER = frozenset({IDENTIFIER_PART})


WITHHELD = "[paragraph withheld: it names a protected party in a way that cannot be relabelled]"


class Checker(Protocol):
    """What the summariser needs from the identity engine."""

    def check(self, message: Message) -> Verdict: ...


def identity_checker(case: CaseFile, key: bytes | None = None) -> IdentityEngine:
    """The case's identity engine on a registry keyed with a throwaway key (unless one is given)."""
    return IdentityEngine.from_case(case, key or secrets.token_bytes(32))


@dataclass(frozen=True, slots=True)
class Hit:
    """One protected match in a text: offsets, the party's label and the kind; never the matched text."""

    start: int
    end: int
    label: str
    kind: str
    category: Category
    replacement: str = ""  # an identifying detail's own placeholder ("[street]")

    @property
    def relabel(self) -> bool:
        return self.category is Category.PROTECTED_IDENTITY and self.kind in RELABEL_KINDS


@dataclass(slots=True)
class Redacted:
    text: str | None  # None: the text could not be made safe and must be dropped
    changed: bool = False
    reason: str = ""  # for a moderator: which labels or categories were involved, never the matched text


_LEADING_TITLE = re.compile(
    r"\b(?:the|a|an|mr|mrs|ms|miss|mx|dr|prof|sir|dame|pc|dc|ps|ds|di|sgt|insp|det|supt|cllr|rev)\.?\s+$", re.I
)
# "Mrs [surname]" may be the party's mother as well as the party: a label would say the wrong person
_HONORIFIC = re.compile(r"\b(?:mr|mrs|ms|miss|mx)\.?\s+$", re.I)
# a name in apposition to a noun that already says who the person is: "with a patient, [name], who was"
_PERSON_NOUN = re.compile(
    r"\b(?:patient|pupil|student|girl|boy|woman|man|child|baby|toddler|teenager|teen|youngster|daughter|son|"
    r"mother|father|mum|dad|wife|husband|partner|girlfriend|boyfriend|sister|brother|niece|nephew|"
    r"grandmother|grandfather|victim|complainant|survivor|resident|tenant|pensioner|prisoner|inmate|"
    r"neighbour|colleague|friend|officer|constable|worker|employee|member|client|customer|passenger|"
    r"claimant|witness|accuser|person|individual|adult|minor|infant|schoolgirl|schoolboy|"
    r"\w+-year-old)s?,\s*$",
    re.I,
)
# a capitalised word before a surname, or after a first name, makes it someone else's full name ("Kerry
# [surname]" is a relative); ranks, titles and sentence-opening words are not names
_WORD_BEFORE = re.compile(r"([A-Z][\w'’]*)\.?\s+$")
_WORD_AFTER = re.compile(r"^\s+([A-Z][\w'’]*)")
_VERB_AFTER = re.compile(r",\s*(?:who|whom|whose|which|that|said|says|told|was|were|is|are|has|had|have|will|"
                         r"would|\w+ed)\b")
_SEPARATORS = re.compile(r"[\W_]+")
_SLUG_SPLIT = re.compile(r"[^0-9A-Za-z\u00c0-\uffff]+")


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    out = text
    for start, end, repl in sorted(spans, key=lambda s: s[0], reverse=True):
        before = out[:start]
        after = out[end:]
        if _PERSON_NOUN.search(before) and re.match(r"\s*(?:,|[.;:!?](?:\s|$)|$)", after):
            # the noun already refers to them: drop the apposition rather than say it twice
            before = before.rstrip().rstrip(",")
            rest = after.lstrip()
            # "the boy, [name], said" -> "the boy said"; "a pupil, [name], police said" keeps its comma
            kept = rest[1:] if _VERB_AFTER.match(rest) else rest
            out = before + (kept if rest.startswith(",") else after)
            continue
        # "the girl, the pupil" reads fine; "the the pupil" and "PC the officer" do not
        if repl.lower().startswith(("the ", "a ", "[the ", "[a ")):
            before = _LEADING_TITLE.sub("", before)
        out = before + repl + after  # possessives stay attached: "[name]'s" -> "the pupil's"
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return re.sub(r"[ \t]{2,}", " ", out)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for s in sorted(spans):
        if merged and s[0] < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], s[1]), last[2])
        else:
            merged.append(s)
    return merged


REDACTED_MARK = re.compile(r"\[redacted[^\]]*\]")


def _marker(h: Hit) -> str:
    """What stands in a stored text for an identifier or a detail: a marker no summary sentence may carry
    (a label would turn "pupils at [school]" into "pupils at the pupil")."""
    what = "identifying detail" if h.category is Category.IDENTIFYING_DETAIL else "identifier"
    return f"[redacted {what}" + (f" of {h.label}]" if h.label else "]")


def slug_words(url: str) -> str:
    """A URL's words, title-cased and spaced ("…/jane-doe-teacher" -> "Jane Doe Teacher"), so that a name
    written in lower case into a slug reads as a name to the matcher."""
    return " ".join(w[:1].upper() + w[1:] for w in _SLUG_SPLIT.split(url) if w)


class Redactor:
    """Redacts sentences, titles, URLs and source texts for one case, on its hashed registry."""

    def __init__(self, case: CaseFile, checker: Checker | None = None, *,
                 registry: ProtectedRegistry | None = None, drop_identifying: bool = True) -> None:
        self.checker: Checker = checker or identity_checker(case)
        registry = registry or getattr(self.checker, "registry", None)
        self.matcher = ProtectedMatcher(registry) if isinstance(registry, ProtectedRegistry) else None
        self.drop_identifying = drop_identifying

    # ------------------------------------------------------------ matching

    def hits(self, text: str, *, untied_first_names: bool = True) -> list[Hit]:
        """Every protected name, identifier and identifying detail in ``text`` (engine and registry).

        First names are reported even where nothing ties them to the case (over-redaction is cheap in a
        summary), except a rank or title registered as part of a name ("PC" of "PC Furlough")."""
        if not text:
            return []
        out: list[Hit] = []
        verdict = self.checker.check(Message(id="summary", author="casewatch", content=text))
        for f in verdict.flags:
            if f.category not in PROTECTIVE or f.kind in NOT_THE_IDENTIFIER:
                continue
            label = f.label or ""
            if not f.spans:  # found but not located: the whole text counts
                out.append(Hit(0, len(text), label, "unlocated", f.category))
            for sp in f.spans:
                out.append(Hit(sp.start, sp.end, label, f.kind or "", f.category, sp.replacement))
        if self.matcher is not None:  # first names too: over-redaction is cheap in a summary
            for m in registered_matches(text, self.matcher, untied_first_names=untied_first_names):
                out.append(Hit(m.start, m.end, m.label, m.kind, Category.PROTECTED_IDENTITY))
        return out

    def run_together(self, text: str) -> bool:
        """Whether a registered name or identifier is spelt out in ``text`` across word boundaries or inside
        longer words ("Megan Thorleyson Way"): the text is read with every separator removed."""
        if self.matcher is None:
            return False
        collapsed = _SEPARATORS.sub("", text)
        return any(m.kind not in NOT_THE_IDENTIFIER for m in self.matcher.find(collapsed))

    def names_party(self, text: str) -> bool:
        """Whether ``text`` names a protected party or holds one of their identifiers or details."""
        return bool(self.hits(text))

    # ------------------------------------------------------------ outputs

    def sentence(self, text: str) -> Redacted:
        """A sentence for a summary: names become labels; a sentence with an identifier or an identifying
        detail, or a name that no label can stand in for, is dropped."""
        hits = self.hits(text)
        if not hits:
            if self.run_together(text):
                return Redacted(None, reason="a registered string inside longer words")
            return Redacted(text)
        spans: list[tuple[int, int, str]] = []
        labels: set[str] = set()
        for h in hits:
            who = h.label or "a party"
            if h.category is Category.IDENTIFYING_DETAIL:
                if self.drop_identifying:
                    return Redacted(None, reason=f"identifying detail ({h.kind or 'detail'}) about {who}")
                spans.append((h.start, h.end, h.replacement or "[detail]"))
                continue
            if not h.relabel or not h.label:
                return Redacted(None, reason=f"{h.kind or 'match'} of {who}")
            if h.kind == SURNAME and _HONORIFIC.search(text[: h.start]):
                return Redacted(None, reason=f"surname of {who} after an honorific (may be a relative)")
            if self._part_of_another_name(text, h):
                return Redacted(None, reason=f"{h.kind} of {who} inside another person's name")
            if re.match(r"-\w", text[h.end : h.end + 2]) or re.search(r"\w-$", text[max(0, h.start - 2) : h.start]):
                return Redacted(None, reason="name inside a hyphenated name")
            spans.append((h.start, h.end, h.label))
            labels.add(h.label)
        out = _apply(text, _merge(spans))
        if any(h.category is Category.PROTECTED_IDENTITY for h in self.hits(out)) or self.run_together(out):
            return Redacted(None, reason="still identifying after redaction")
        return Redacted(out, changed=True, reason="replaced with " + ", ".join(sorted(labels)))

    @staticmethod
    def _part_of_another_name(text: str, h: Hit) -> bool:
        """A surname after another capitalised name ("Kerry [surname]"), or a first name or nickname before
        one ("[first name] Smith"): a relative or a namesake, for whom the party's label would be wrong."""
        if h.kind == SURNAME:
            m = _WORD_BEFORE.search(text[: h.start])
            return m is not None and m.group(1).casefold() not in NOT_A_NAME
        if h.kind in (FIRST_NAME, NICKNAME):
            m = _WORD_AFTER.match(text[h.end :])
            return m is not None and m.group(1).casefold() not in NOT_A_NAME
        return False

    def plain(self, text: str, fallback: str = "") -> str:
        """A title or publisher as published, unless it names a party: then names become labels, and a
        title holding an identifier or detail becomes ``fallback``."""
        if not text:
            return text
        found = self.sentence(text)
        return fallback if found.text is None else found.text

    def url(self, url: str) -> str:
        """A source's URL, or "" when it names a party anywhere (host, path, slug, query)."""
        if not url:
            return url
        # a slug's words are all capitalised here, so a first name there is as likely any other word
        unsafe = (self.names_party(url) or bool(self.hits(slug_words(url), untied_first_names=False))
                  or self.run_together(url))
        return "" if unsafe else url

    def withheld_site(self, url: str, shown: str | None = None) -> str:
        """For a URL that :meth:`url` withholds: its host when the host names no one ("forum.example.org"),
        else :data:`bot.source.WITHHELD_SITE`; "" for a URL that is shown (or none). ``shown``: what
        :meth:`url` already said of ``url``, when the caller asked it (the URL is then not read again)."""
        if not url or (self.url(url) if shown is None else shown):
            return ""
        host = urlsplit(url).hostname or ""
        return host if host and self.url(f"https://{host}/") else WITHHELD_SITE

    def source_text(self, text: str) -> str:
        """A whole source text with every protected span replaced by ``[label]`` (for storage)."""
        paragraphs = []
        for para in text.split("\n\n"):
            spans = [(h.start, h.end, f"[{h.label}]" if h.relabel and h.label else _marker(h)) for h in self.hits(para)]
            out = _apply(para, _merge(spans)) if spans else para
            paragraphs.append(WITHHELD if self.run_together(out) else out)
        return "\n\n".join(paragraphs)
