"""A source as the summariser sees it: metadata plus the cleaned article text, storage-agnostic."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

SourceKind = Literal["article", "forum", "opening_post", "text"]


@dataclass(slots=True)
class SourceDoc:
    """One source of a case summary.

    ``text`` is the cleaned main text (page furniture and reader comments removed), paragraphs separated
    by blank lines. ``raw_sha256`` identifies the fetched or read bytes; ``text_sha256`` the cleaned text.
    ``to_dict``/``from_dict`` give a JSON-friendly form for whatever store persists it.
    """

    title: str
    text: str
    url: str = ""
    publisher: str = ""
    published: str = ""
    path: str = ""
    kind: SourceKind = "article"
    fetched_at: str = ""
    raw_sha256: str = ""
    notes: list[str] = field(default_factory=list)  # what extraction removed ("cut reader comments", ...)

    @property
    def text_sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def key(self) -> str:
        """A stable identity for the source within a case: its URL, else its path, else its text hash."""
        return self.url or self.path or self.text_sha256

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> SourceDoc:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)  # type: ignore[arg-type]


def sources_fingerprint(docs: Iterable[SourceDoc]) -> str:
    """A short key that changes whenever a source is added, removed, reordered or its text changes.

    The cog caches a summary under this key and rebuilds when the key differs.
    """
    h = hashlib.sha256()
    for doc in docs:
        for part in (doc.key, doc.title, doc.publisher, doc.published, doc.text_sha256):
            h.update(part.encode("utf-8"))
            h.update(b"\x1f")
        h.update(b"\x1e")
    return h.hexdigest()[:16]
