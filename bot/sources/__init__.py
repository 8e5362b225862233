"""Case sources: fetching, extraction, furniture removal and the storage-agnostic :class:`SourceDoc`."""

from bot.sources.load import (
    case_sources,
    fetch_source,
    load_local_source,
    local_case_sources,
    opening_post_source,
    source_key,
)
from bot.sources.model import SourceDoc, sources_fingerprint

__all__ = [
    "SourceDoc",
    "case_sources",
    "fetch_source",
    "load_local_source",
    "local_case_sources",
    "opening_post_source",
    "source_key",
    "sources_fingerprint",
]
