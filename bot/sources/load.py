"""Build :class:`SourceDoc` objects from a case file, a URL, a local file or a thread's opening post."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from bot.case import CaseFile
from bot.errors import InputError
from bot.source import Source, SourceDoc
from bot.sources.extract import Extracted, extract_any, read_source_file
from bot.sources.fetch import fetch_url
from bot.sources.furniture import clean_text


class EmptySourceError(InputError):
    """A source was read but held no article text (a page of navigation, an image-only post)."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _doc(ex: Extracted, raw: bytes, *, title: str, publisher: str, published: str, url: str, path: str) -> SourceDoc:
    if not ex.text.strip():
        where = url or Path(path).name or "source"
        raise EmptySourceError(f"no article text found in {where}")
    return SourceDoc(
        title=title or ex.title or url or Path(path).name,
        text=ex.text,
        url=url,
        publisher=publisher or ex.publisher,
        published=published or ex.published,
        path=path,
        kind="forum" if ex.kind == "forum" else "article",
        fetched_at=_now(),
        raw_sha256=hashlib.sha256(raw).hexdigest(),
        notes=list(ex.notes),
    )


def load_local_source(path: str | Path, *, title: str = "", publisher: str = "", published: str = "",
                      url: str = "") -> SourceDoc:
    """Read and clean a local copy of a source (plain text, HTML or Markdown)."""
    p = Path(path)
    ex, raw = read_source_file(p)
    return _doc(ex, raw, title=title, publisher=publisher, published=published, url=url, path=str(p))


async def fetch_source(url: str, *, title: str = "", publisher: str = "", published: str = "",
                       timeout_s: float = 15.0, max_bytes: int = 3_000_000, respect_robots: bool = True,
                       allow_private: bool = False, session: aiohttp.ClientSession | None = None) -> SourceDoc:
    """Fetch ``url`` and extract its article; what the moderator gave (title, ...) wins over page metadata.

    Internal addresses are refused unless ``allow_private`` (see :mod:`bot.sources.fetch`).
    """
    got = await fetch_url(url, timeout_s=timeout_s, max_bytes=max_bytes, respect_robots=respect_robots,
                          allow_private=allow_private, session=session)
    hint = "html" if "html" in got.content_type else ("markdown" if "markdown" in got.content_type else "text")
    # trafilatura on a 3 MB page takes seconds of CPU: in a worker thread, never on the bot's event loop
    ex = await asyncio.to_thread(extract_any, got.text, kind_hint=hint, url=got.url)
    return _doc(ex, got.raw, title=title, publisher=publisher, published=published, url=url, path="")


def opening_post_source(content: str, *, title: str, url: str = "", posted: str = "",
                        publisher: str = "") -> SourceDoc:
    """A thread's opening post as a source (its author is deliberately not kept)."""
    cleaned = clean_text(content)
    if not cleaned.text.strip():
        raise InputError("the opening post has no text to summarise")
    return SourceDoc(
        title=title or cleaned.title or "Opening post",
        text=cleaned.text,
        url=url,
        publisher=publisher or "opening post",
        published=posted,
        kind="opening_post",
        fetched_at=_now(),
        raw_sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
        notes=cleaned.notes,
    )


def source_key(case: CaseFile, source: Source) -> str:
    """The key a stored copy of a case-file source is found under (matches :attr:`SourceDoc.key`)."""
    return source.url or str(case.source_path(source) or "")


def local_case_sources(case: CaseFile, *, stored: Mapping[str, SourceDoc] | None = None) -> list[SourceDoc]:
    """Every ``[[sources]]`` entry from a stored copy or a local file, never the network (for the demo)."""
    stored = stored or {}
    docs = []
    for source in case.sources:
        key = source_key(case, source)
        path = case.source_path(source)
        if key and key in stored:
            docs.append(stored[key])
        elif path is not None:
            docs.append(_local_or_empty(source, path))
        elif source.url:
            raise InputError(f"source {source.url[:200]} is not stored and fetching is off")
        else:
            raise InputError(f"a source of case {case.id} has neither a url nor a path")
    return _not_all_empty(docs)


def cut_not_article(doc: SourceDoc, marker: str | None) -> SourceDoc:
    """``doc`` without everything from the case file's ``not_article`` marker on (reader comments, trailing
    furniture the extractor did not recognise)."""
    if not marker or not marker.strip():
        return doc
    at = doc.text.find(marker.strip())
    if at < 0:
        return doc
    return replace(doc, text=doc.text[:at].rstrip(), not_article=marker,
                   notes=[*doc.notes, "cut at the case file's not_article marker"])


def _local_or_empty(source: Source, path: Path) -> SourceDoc:
    """A case-file source read from disk; one with no article text is kept (still listed, never quoted),
    so one image-only post does not sink a whole case."""
    try:
        return cut_not_article(load_local_source(path, title=source.title, publisher=source.publisher,
                                                 published=source.published, url=source.url), source.not_article)
    except EmptySourceError as exc:
        return SourceDoc(title=source.title or source.url or path.name, text="", url=source.url,
                         publisher=source.publisher, published=source.published, path=str(path),
                         fetched_at=_now(), notes=[str(exc)])


def _not_all_empty(docs: list[SourceDoc]) -> list[SourceDoc]:
    if docs and not any(d.text.strip() for d in docs):
        raise EmptySourceError(docs[0].notes[0] if docs[0].notes else "no article text found in any source")
    return docs


async def case_sources(
    case: CaseFile,
    *,
    stored: Mapping[str, SourceDoc] | None = None,
    fetch: bool = True,
    timeout_s: float = 15.0,
    max_bytes: int = 3_000_000,
    allow_private: bool = False,
) -> list[SourceDoc]:
    """Every ``[[sources]]`` entry of ``case`` as a :class:`SourceDoc`, in case-file order.

    A stored copy (``stored[source_key]``) is used as it is and never re-fetched; otherwise a local
    ``path`` is read from disk, and only a URL-only source is fetched (when ``fetch`` is true).
    """
    stored = stored or {}
    docs: list[SourceDoc] = []
    for source in case.sources:
        key = source_key(case, source)
        if key and key in stored:
            docs.append(stored[key])
            continue
        path = case.source_path(source)
        if path is not None:
            docs.append(_local_or_empty(source, path))
        elif source.url and fetch:
            fetched = await fetch_source(source.url, title=source.title, publisher=source.publisher,
                                         published=source.published, timeout_s=timeout_s,
                                         max_bytes=max_bytes, allow_private=allow_private)
            docs.append(cut_not_article(fetched, source.not_article))
        elif source.url:
            raise InputError(f"source {source.url[:200]} is not stored and fetching is off")
        else:
            raise InputError(f"a source of case {case.id} has neither a url nor a path")
    return _not_all_empty(docs)
