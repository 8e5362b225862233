"""Detoxify weights on demand: ``python -m bot models pull`` and where a pulled checkpoint lives."""

from __future__ import annotations

import json
from pathlib import Path

from bot.settings import Settings

MANIFEST = "manifest.json"


def models_dir(settings: Settings) -> Path:
    """Pulled models live beside the ONNX cache, under the data directory: ``<data>/models/detoxify-<model>``."""
    return Path(settings.onnx_cache_dir).parent / "models" / f"detoxify-{settings.detoxify_model}"


def pulled_checkpoint(settings: Settings) -> Path | None:
    """The checkpoint a previous pull stored and verified, or None."""
    target = models_dir(settings)
    manifest = target / MANIFEST
    if not manifest.is_file():
        return None
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
        checkpoint = target / str(data["checkpoint"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return checkpoint if checkpoint.is_file() else None
