"""Shared fixtures for the image tests: every rendered sample is read (OCR) once per session."""

from __future__ import annotations

import pytest

from bot.engine import IdentityEngine
from bot.images.formats import ImageLimits
from bot.images.worker import ImageReading, read_image
from bot.registry import ProtectedRegistry
from tests.conftest import SECRET_KEY
from tests.images import samples as first_set
from tests.images import samples_fresh as fresh_set
from tests.images.render import Sample

SETS = {"first": first_set, "fresh": fresh_set}


@pytest.fixture(scope="session")
def image_sets() -> dict[str, dict[str, list[Sample]]]:
    """Each rendered set's positive and negative samples."""
    return {name: {"positive": module.positive_samples(), "negative": module.negative_samples()}
            for name, module in SETS.items()}


@pytest.fixture(scope="session")
def readings(image_sets: dict[str, dict[str, list[Sample]]]) -> dict[str, ImageReading]:
    """OCR of every sample, once per session, in this process (the pool is tested without repeating OCR)."""
    return {f"{name}/{s.key}": read_image(s.data, ImageLimits())
            for name, groups in image_sets.items() for group in groups.values() for s in group}


def make_engine(set_name: str = "first") -> IdentityEngine:
    parties = SETS[set_name].PARTIES
    registry = ProtectedRegistry.from_records([], SECRET_KEY)
    for label, basis, names, identifiers in parties:
        registry.add_party(label, basis, names, identifiers)
    return IdentityEngine(registry, parties=[(label, basis) for label, basis, _, _ in parties])


@pytest.fixture
def engine() -> IdentityEngine:
    return make_engine()
