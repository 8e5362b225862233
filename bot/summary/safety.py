"""Make text safe to post: registered identifiers and identifying details become labels, or the text goes.

The identity engine (``bot.engine.IdentityEngine``) does the detecting; this module applies its spans.
A literal guard then makes sure no registered name or identifier survives in any spelling the engine may
have missed (case, spacing). Nothing here logs or returns the matched text.
"""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Protocol

from bot.case import CaseFile
from bot.engine import IdentityEngine
from bot.flags import Category, Flag, Message, Span, Verdict

PROTECTIVE = (Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL)
# matches that *are* the person, so the label can stand in for them; any other protected match (a surname
# alone, part of a school's name, a handle) may be someone or something else, and its sentence is dropped
RELABEL_KINDS = frozenset({"full_name", "name", "name_initial", "nickname"})


class Checker(Protocol):
    """What the summariser needs from the identity engine."""

    def check(self, message: Message) -> Verdict: ...


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


class LiteralGuard:
    """Finds the case's registered names and identifiers literally (case- and spacing-insensitive).

    It is the last line of defence after the identity engine, and the checker of last resort when the
    engine is not available. It keeps compiled patterns only, never a list of the strings.
    """

    def __init__(self, case: CaseFile) -> None:
        self._patterns: list[tuple[re.Pattern[str], str, str]] = []
        self._loose: list[re.Pattern[str]] = []  # the same strings inside longer words ("Ann Lee" in "Ann Leeds")
        for party in case.protected:
            for kind, values in (("name", party.names), ("identifier", party.identifiers)):
                for value in values:
                    tokens = [re.escape(t) for t in _fold(value).split()]
                    if not tokens:
                        continue
                    rx = r"(?<!\w)" + r"[\s\W_]*".join(tokens) + r"(?!\w)"
                    self._patterns.append((re.compile(rx), party.label, kind))
                    self._loose.append(re.compile(r"[\s\W_]*".join(tokens)))

    def matches(self, text: str) -> list[tuple[int, int, str, str]]:
        """(start, end, label, "name" or "identifier") for every registered string in ``text``."""
        folded = _fold(text)
        if len(folded) != len(text):  # folding changed lengths: report presence over the whole text
            return [(0, len(text), label, "identifier") for rx, label, _ in self._patterns if rx.search(folded)][:1]
        return [(m.start(), m.end(), label, kind) for rx, label, kind in self._patterns for m in rx.finditer(folded)]

    def contains(self, text: str) -> bool:
        """Whether any registered string occurs in ``text`` at all, even inside a longer word."""
        folded = _fold(text)
        return any(rx.search(folded) for rx in self._loose)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(a, b, label) for a, b, label, _ in self.matches(text)]

    def check(self, message: Message) -> Verdict:
        flags = [
            Flag(Category.PROTECTED_IDENTITY, "literal_guard", 1.0, f"registered {kind} of {label}",
                 spans=(Span(a, b, f"[{label}]"),), kind=kind, label=label)
            for a, b, label, kind in self.matches(message.content)
        ]
        return Verdict(message=message, flags=flags)


def identity_checker(case: CaseFile, key: bytes | None = None) -> Checker:
    """The case's identity engine (keyed with a throwaway key unless one is given)."""
    return IdentityEngine.from_case(case, key or secrets.token_bytes(32))


@dataclass(slots=True)
class Redacted:
    text: str | None  # None: the text could not be made safe and must be dropped
    changed: bool = False
    reason: str = ""  # for a moderator: which labels or categories were involved, never the matched text


def _label_text(span: Span, flag: Flag) -> str:
    if flag.label:
        return flag.label
    inner = span.replacement.strip().strip("[]").strip()
    return inner or "[redacted]"


_LEADING_TITLE = re.compile(
    r"\b(?:the|a|an|mr|mrs|ms|miss|mx|dr|prof|sir|dame|pc|dc|ps|ds|di|sgt|insp|det|supt|cllr|rev)\.?\s+$", re.I
)


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


def _apply(text: str, spans: list[tuple[int, int, str]]) -> str:
    out = text
    for start, end, repl in sorted(spans, key=lambda s: s[0], reverse=True):
        before = out[:start]
        after = out[end:]
        if _PERSON_NOUN.search(before) and re.match(r"\s*(?:,|[.;:!?](?:\s|$)|$)", after):
            # the noun already refers to them: drop the apposition rather than say it twice
            before = before.rstrip().rstrip(",")
            out = before + (after.lstrip()[1:] if after.lstrip().startswith(",") else after)
            continue
        # "the girl, the pupil" reads fine; "the the pupil" and "Mrs the resident" do not
        if repl.lower().startswith(("the ", "a ")):
            before = _LEADING_TITLE.sub("", before)
        # possessives stay attached: "[name]'s" -> "the pupil's"
        out = before + repl + after
    if out and out[0].islower():
        out = out[0].upper() + out[1:]
    return re.sub(r"\s{2,}", " ", out)


def _merge(spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    merged: list[tuple[int, int, str]] = []
    for s in sorted(spans):
        if merged and s[0] < merged[-1][1]:
            last = merged[-1]
            merged[-1] = (last[0], max(last[1], s[1]), last[2])
        else:
            merged.append(s)
    return merged


class Redactor:
    """Redacts sentences and source texts for one case."""

    def __init__(self, case: CaseFile, checker: Checker | None = None, *, drop_identifying: bool = True) -> None:
        self.guard = LiteralGuard(case)
        self.checker: Checker = checker or identity_checker(case)
        self.drop_identifying = drop_identifying

    def _flags(self, text: str) -> list[Flag]:
        verdict = self.checker.check(Message(id="summary", author="casewatch", content=text))
        return [f for f in verdict.flags if f.category in PROTECTIVE]

    def sentence(self, text: str) -> Redacted:
        """A sentence for a summary: labels for protected parties; dropped for identifying details."""
        flags = self._flags(text)
        spans: list[tuple[int, int, str]] = []
        labels: set[str] = set()
        for f in flags:
            if not f.spans:
                return Redacted(None, reason=f"{f.category} without a span")
            if f.category == Category.IDENTIFYING_DETAIL and self.drop_identifying:
                return Redacted(None, reason=f"identifying detail ({f.kind or 'detail'}) about {f.label or 'a party'}")
            if f.category == Category.PROTECTED_IDENTITY and f.kind not in RELABEL_KINDS:
                return Redacted(None, reason=f"{f.kind or 'match'} of {f.label or 'a party'}")
            for sp in f.spans:
                spans.append((sp.start, sp.end, _label_text(sp, f)))
            labels.add(f.label or str(f.category))
        for a, b, label, kind in self.guard.matches(text):
            if kind == "identifier":  # a handle, school or number: no wording keeps the sentence true and safe
                return Redacted(None, reason=f"registered identifier of {label}")
            spans.append((a, b, label))
            labels.add(label)
        for a, b, _ in spans:
            if re.match(r"-\w", text[b:b + 2]) or re.search(r"\w-$", text[max(0, a - 2):a]):
                # part of a longer, hyphenated name ("[name]-Smith"): the label cannot stand in for it
                return Redacted(None, reason="name inside a hyphenated name")
        if not spans:
            if self.guard.contains(text):  # a registered string run into another word: no safe wording
                return Redacted(None, reason="registered string inside a longer word")
            return Redacted(text)
        out = _apply(text, _merge(spans))
        # what is left must be clean by both the engine and the literal guard
        if self.guard.contains(out) or any(f.category == Category.PROTECTED_IDENTITY for f in self._flags(out)):
            return Redacted(None, reason="still identifying after redaction")
        return Redacted(out, changed=True, reason="replaced with " + ", ".join(sorted(labels)))

    def plain(self, text: str, fallback: str = "") -> str:
        """A short string (a title, a publisher) with every flagged span replaced; ``fallback`` if unsafe."""
        if not text:
            return text
        flags = self._flags(text)
        if any(not f.spans for f in flags):
            return fallback
        spans = [(sp.start, sp.end, _label_text(sp, f) if f.category == Category.PROTECTED_IDENTITY
                  else sp.replacement) for f in flags for sp in f.spans]
        spans.extend(self.guard.spans(text))
        out = _apply(text, _merge(spans)) if spans else text
        return fallback if self.guard.contains(out) else out

    def url(self, url: str) -> str:
        """A source's URL, or "" when it contains a whole registered name or identifier.

        Only whole registered strings count here (even run into other words): a town that is also part
        of a registered school's name must not cost a source its citation link.
        """
        return "" if self.guard.contains(url) else url

    def source_text(self, text: str) -> str:
        """A whole source text with every protected span replaced by its label (for storage)."""
        paragraphs = []
        for para in text.split("\n\n"):
            flags = self._flags(para)
            spans = [(sp.start, sp.end, f"[{_label_text(sp, f)}]") for f in flags for sp in f.spans]
            spans.extend((a, b, f"[{label}]") for a, b, label in self.guard.spans(para))
            paragraphs.append(_apply(para, _merge(spans)) if spans else para)
        return "\n\n".join(paragraphs)
