"""Summaries over the real storage: redacted before storing, cached by fingerprint, rebuilt on a new source."""

from __future__ import annotations

from bot.storage import Store
from bot.summary.safety import LiteralGuard, Redactor
from bot.summary.service import case_for_summary, case_summary, store_source, stored_sources

from .conftest import load


async def test_store_redacts_and_summary_is_cached_until_a_source_is_added(store: Store) -> None:
    case, docs = load("multi_source")
    redactor = Redactor(case, LiteralGuard(case))
    case_id = await store.cases.create(None, case.id, case.title)
    await store_source(store, case_id, docs[0], redactor, added_by="mod")

    stored = await stored_sources(store, case_id)
    assert len(stored) == 1
    assert "Marchetti" not in stored[0].text and "Brackenfield" not in stored[0].text
    assert "[the pupil]" in stored[0].text

    # the cog holds no names: a label-only case plus the engine (here the guard) as checker
    slim = case_for_summary(case.id, case.title, case.labels)
    first, rebuilt = await case_summary(store, case_id, slim, checker=LiteralGuard(case))
    assert rebuilt and len(first.sources) == 1
    assert all("[the pupil]" not in s.text for s in first.sentences)

    again, rebuilt = await case_summary(store, case_id, slim, checker=LiteralGuard(case))
    assert not rebuilt and again == first

    await store_source(store, case_id, docs[1], redactor)
    third, rebuilt = await case_summary(store, case_id, slim, checker=LiteralGuard(case))
    assert rebuilt and len(third.sources) == 2 and third.fingerprint != first.fingerprint

    forced, rebuilt = await case_summary(store, case_id, slim, checker=LiteralGuard(case), refresh=True)
    assert rebuilt and forced.sentences == third.sentences


async def test_cached_summary_is_rebuilt_when_it_would_now_name_a_protected_party(store: Store) -> None:
    case, docs = load("news_comments")
    case_id = await store.cases.create(None, case.id, case.title)
    await store_source(store, case_id, docs[0], Redactor(case, LiteralGuard(case)))
    slim = case_for_summary(case.id, case.title, case.labels)
    first, _ = await case_summary(store, case_id, slim, checker=LiteralGuard(case))
    assert any("Owen Hale" in s.text for s in first.sentences)
    # the panel chair's order now protects the officer: his name is registered after the summary was cached
    newly = case.model_copy(deep=True)
    newly.protected[0].names.append("Owen Hale")
    again, rebuilt = await case_summary(store, case_id, slim, checker=LiteralGuard(newly))
    assert rebuilt and not any("Owen Hale" in s.text for s in again.sentences)
