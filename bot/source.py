"""The one source model: a :class:`Source` (metadata, as a case file or a moderator gives it) becomes a
:class:`SourceDoc` (metadata and cleaned text, as read, fetched or stored) becomes a :class:`Citation`
(``n`` and the metadata that passed redaction, as a summary lists it). Storage, rendering, the command line
and the cog all use these three; nothing else describes a source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, field, fields
from typing import Any, Literal

from pydantic import ConfigDict, field_validator
from pydantic.dataclasses import dataclass

SourceKind = Literal["article", "forum", "opening_post", "text"]
_CONFIG = ConfigDict(extra="ignore")


@dataclass(kw_only=True, config=_CONFIG)
class Source:
    """A source's metadata. ``not_article`` marks where reader comments or page furniture begin in its
    cleaned text (everything from that string on is left out)."""

    title: str = ""
    publisher: str = ""
    published: str = ""
    url: str = ""
    path: str | None = None  # local copy, relative to the case file
    kind: SourceKind = "article"
    not_article: str | None = None

    @field_validator("published", mode="before")
    @classmethod
    def _date_to_text(cls, value: object) -> object:
        return value.isoformat() if hasattr(value, "isoformat") else value

    def metadata(self) -> dict[str, Any]:
        """The :class:`Source` fields of this object (of a :class:`SourceDoc` too)."""
        return {f.name: getattr(self, f.name) for f in fields(Source)}


@dataclass(kw_only=True, config=_CONFIG)
class SourceDoc(Source):
    """A source with its cleaned main text (furniture and reader comments removed), paragraphs separated by
    blank lines. ``raw_sha256`` identifies the bytes read (dropped once redacted); ``stored_id`` is set when
    the document came from storage."""

    text: str = ""
    fetched_at: str = ""
    raw_sha256: str = ""
    notes: list[str] = field(default_factory=list)  # what extraction removed ("cut reader comments", ...)
    stored_id: int | None = None
    withheld_site: str = ""  # set by redaction when ``url`` named a party: see :attr:`Citation.withheld`

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def key(self) -> str:
        """A stable identity within a case: its URL, else its path, else its text hash."""
        return self.url or self.path or self.text_sha256

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SourceDoc:
        return cls(**{f.name: data[f.name] for f in fields(cls) if f.name in data})  # type: ignore[arg-type]


#: ``Citation.withheld`` when a link was withheld and its site names a party too: the note, without the site.
WITHHELD_SITE = "(withheld)"


@dataclass(kw_only=True, config=_CONFIG)
class Citation:
    """A summary's numbered source: ``n`` and metadata already checked (a title that names a party
    relabelled or replaced, a URL that names one withheld as "", its site kept in ``withheld`` when the site
    itself names no one, so a reader still sees where the source is and why there is no link)."""

    n: int
    title: str
    publisher: str = ""
    published: str = ""
    url: str = ""
    withheld: str = ""  # the site of a withheld link ("forum.example.org"), or "(withheld)" for its place

    @property
    def label(self) -> str:
        """"Title, Publisher, 2025-03-02" (empty parts left out)."""
        return ", ".join(p for p in (self.title, self.publisher, self.published) if p)

    @property
    def link_note(self) -> str:
        """Where a withheld link pointed, said without it: "forum.example.org (link withheld: ...)"."""
        if not self.withheld:
            return ""
        site = "" if self.withheld == WITHHELD_SITE else f"{self.withheld} "
        return f"{site}(link withheld: it names a protected party)"

    @property
    def line(self) -> str:
        """"[1] Title, Publisher, 2025-03-02, https://..." for Markdown and plain text."""
        return f"[{self.n}] " + ", ".join(p for p in (self.label, self.url or self.link_note) if p)

    @property
    def markdown(self) -> str:
        """"[1] [Title, Publisher, date](url)" for an embed field (the note instead when the URL was withheld)."""
        if self.url:
            return f"[{self.n}] [{self.label}]({self.url})"
        return ", ".join(p for p in (f"[{self.n}] {self.label}", self.link_note) if p)


def sources_fingerprint(docs: Iterable[SourceDoc]) -> str:
    """A short key that changes whenever a source is added, removed, reordered or its text changes."""
    h = hashlib.sha256()
    for doc in docs:
        for part in (doc.key, doc.title, doc.publisher, doc.published, doc.text_sha256):
            h.update(part.encode("utf-8"))
            h.update(b"\x1f")
        h.update(b"\x1e")
    return h.hexdigest()[:16]
