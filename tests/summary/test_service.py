"""Summaries over the real storage: redacted before storing, cached by fingerprint, rebuilt on a new source."""

from __future__ import annotations

from typing import Any

import pytest

from bot.storage import Store
from bot.summary.redaction import Redactor, identity_checker
from bot.summary.service import case_for_summary, case_summary, store_source, stored_sources

from .conftest import load


async def test_store_redacts_and_summary_is_cached_until_a_source_is_added(store: Store) -> None:
    case, docs = load("multi_source")
    redactor = Redactor(case, identity_checker(case))
    case_id = await store.cases.create(None, case.id, case.title)
    await store_source(store, case_id, docs[0], redactor, added_by="mod")

    stored = await stored_sources(store, case_id)
    assert len(stored) == 1
    assert "Marchetti" not in stored[0].text and "Brackenfield" not in stored[0].text
    assert "[redacted identifier of the pupil]" in stored[0].text  # the school: a marker, never the label

    # the cog holds no names: a label-only case plus the engine (on the hashed registry) as checker
    slim = case_for_summary(case.id, case.title, case.labels)
    first, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case))
    assert rebuilt and len(first.sources) == 1
    assert all("[the pupil]" not in s.text for s in first.sentences)

    again, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case))
    assert not rebuilt and again == first

    await store_source(store, case_id, docs[1], redactor)
    third, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case))
    assert rebuilt and len(third.sources) == 2 and third.fingerprint != first.fingerprint

    forced, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case), refresh=True)
    assert rebuilt and forced.sentences == third.sentences


async def test_cached_summary_is_rebuilt_when_it_would_now_name_a_protected_party(store: Store) -> None:
    case, docs = load("news_comments")
    case_id = await store.cases.create(None, case.id, case.title)
    await store_source(store, case_id, docs[0], Redactor(case, identity_checker(case)))
    slim = case_for_summary(case.id, case.title, case.labels)
    first, _ = await case_summary(store, case_id, slim, checker=identity_checker(case))
    assert any("Owen Hale" in s.text for s in first.sentences)
    # the panel chair's order now protects the officer: his name is registered after the summary was cached
    newly = case.model_copy(deep=True)
    newly.protected[0].names.append("Owen Hale")
    again, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(newly))
    assert rebuilt and not any("Owen Hale" in s.text for s in again.sentences)


async def test_unstored_opening_post_is_a_redacted_source_and_part_of_the_cache_key(store: Store) -> None:
    from bot.sources import opening_post_source
    from bot.summary.service import redact_source

    case, docs = load("multi_source")
    redactor = Redactor(case, identity_checker(case))
    case_id = await store.cases.create(None, case.id, case.title)
    await store_source(store, case_id, docs[1], redactor)
    raw = docs[0].text  # stands in for a thread's opening post that names the pupil
    assert "Marchetti" in raw
    post = opening_post_source(raw, title="Opening post", publisher="Trial thread", posted="2026-03-02",
                               url="https://discord.com/channels/1/2/2")
    safe = redact_source(post, redactor)
    assert "Marchetti" not in safe.text and "[redacted identifier of the pupil]" in safe.text
    assert safe.raw_sha256 == ""

    slim = case_for_summary(case.id, case.title, case.labels)
    with_post, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case), extra=[safe])
    assert rebuilt and [r.title for r in with_post.sources] == [docs[1].title, "Opening post"]
    assert with_post.sources[1].publisher == "Trial thread" and with_post.sources[1].published == "2026-03-02"
    assert all("Marchetti" not in s.text for s in with_post.sentences)
    assert len(await stored_sources(store, case_id)) == 1, "the opening post is not stored"

    same, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case), extra=[safe])
    assert not rebuilt and same == with_post
    edited = redact_source(opening_post_source(raw + "\n\nThe trial was adjourned until May.",
                                               title="Opening post", publisher="Trial thread"), redactor)
    changed, rebuilt = await case_summary(store, case_id, slim, checker=identity_checker(case), extra=[edited])
    assert rebuilt and changed.fingerprint != with_post.fingerprint


async def test_redaction_and_the_build_run_in_worker_threads(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Checking every sentence of up to 256 KB of sources is CPU work: never on the bot's event loop."""
    import threading

    from bot.summary import service

    threads: dict[str, threading.Thread] = {}

    def recording(name: str) -> Any:
        real = getattr(service, name)

        def run(*args: Any, **kwargs: Any) -> Any:
            threads[name] = threading.current_thread()
            return real(*args, **kwargs)
        return run

    for name in ("redact_source", "build_summary", "still_safe"):
        monkeypatch.setattr(service, name, recording(name))
    case, docs = load("multi_source")
    case_id = await store.cases.create(None, case.id, case.title)
    await store_source(store, case_id, docs[0], Redactor(case, identity_checker(case)), added_by="mod")
    slim = case_for_summary(case.id, case.title, case.labels)
    await case_summary(store, case_id, slim, checker=identity_checker(case))
    await case_summary(store, case_id, slim, checker=identity_checker(case))  # the cached one is re-checked
    assert set(threads) == {"redact_source", "build_summary", "still_safe"}
    assert all(t is not threading.main_thread() for t in threads.values())
