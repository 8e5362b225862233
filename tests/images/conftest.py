"""Shared fixtures for the image tests: every rendered sample is read (OCR) once per session."""

from __future__ import annotations

import asyncio

import pytest

from bot.engine import IdentityEngine
from bot.images import ImageReader, ImageReading
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
    """OCR of every sample, once per session, through the real worker pool (the models never load into the
    test process, so its memory stays what the other tests measure)."""
    keyed = {f"{name}/{s.key}": s.data
             for name, groups in image_sets.items() for group in groups.values() for s in group}

    async def read_all() -> dict[str, ImageReading]:
        async with ImageReader(deadline_s=600, queue_size=len(keyed)) as reader:
            return {key: await reader.read(data) for key, data in keyed.items()}

    return asyncio.run(read_all())


def make_engine(set_name: str = "first") -> IdentityEngine:
    parties = SETS[set_name].PARTIES
    registry = ProtectedRegistry.from_records([], SECRET_KEY)
    for label, basis, names, identifiers in parties:
        registry.add_party(label, basis, names, identifiers)
    return IdentityEngine(registry, parties=[(label, basis) for label, basis, _, _ in parties])


@pytest.fixture
def engine() -> IdentityEngine:
    return make_engine()
