"""Case sources: fetching, extraction, furniture removal and the storage-agnostic :class:`SourceDoc`."""

from bot.source import Citation, Source, SourceDoc, sources_fingerprint
from bot.sources.load import (
    case_sources,
    fetch_source,
    load_local_source,
    local_case_sources,
    opening_post_source,
    source_key,
)

__all__ = [
    "Citation",
    "Source",
    "SourceDoc",
    "case_sources",
    "fetch_source",
    "load_local_source",
    "local_case_sources",
    "opening_post_source",
    "source_key",
    "sources_fingerprint",
]
