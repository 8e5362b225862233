"""Shared fixtures for the image tests: every rendered sample is read (OCR) once per session."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.images.formats import ImageLimits
from bot.images.worker import ImageReading, read_image
from bot.registry import ProtectedRegistry
from tests.conftest import SECRET_KEY
from tests.images.render import Sample
from tests.images.samples import PARTIES, negative_samples, positive_samples


@pytest.fixture(scope="session")
def samples() -> dict[str, list[Sample]]:
    return {"positive": positive_samples(), "negative": negative_samples()}


@pytest.fixture(scope="session")
def readings(samples: dict[str, list[Sample]]) -> dict[str, ImageReading]:
    """OCR of every sample, in this process (the pool is tested separately, without repeating OCR)."""
    return {s.key: read_image(s.data, ImageLimits()) for group in samples.values() for s in group}


def make_engine() -> IdentityEngine:
    registry = ProtectedRegistry.from_records([], SECRET_KEY)
    for label, basis, names, identifiers in PARTIES:
        registry.add_party(label, basis, names, identifiers)
    return IdentityEngine(registry, parties=[(label, basis) for label, basis, _, _ in PARTIES])


@pytest.fixture
def engine() -> IdentityEngine:
    return make_engine()
