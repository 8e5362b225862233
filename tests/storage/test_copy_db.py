"""``python -m bot copy-db``: the demo database moves from SQLite to PostgreSQL, verified, and still works."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.case import load_case
from bot.cli import main
from bot.commands.demo import DEMO_DIR, load_thread, scan, store_verdicts
from bot.engine import IdentityEngine
from bot.errors import StorageError
from bot.flags import Message
from bot.registry import ProtectedRegistry
from bot.storage import Database, Store
from bot.storage.copy import copy_database
from bot.storage.repositories.flags import verdict_signature
from tests.conftest import SECRET_KEY
from tests.pg import fresh_database


async def demo_database(path: Path, key: bytes = SECRET_KEY) -> None:
    """The demo's database, as ``make demo`` leaves it, plus a guild and an unfinished outbox action."""
    case = load_case(DEMO_DIR / "case.toml")
    verdicts = scan(IdentityEngine.from_case(case, key), load_thread(DEMO_DIR / "thread.jsonl", case.id), None)
    stored, _ = await store_verdicts(path, key, case, verdicts)
    assert stored > 0
    async with await Store.open(path, key) as store:
        await store.guilds.ensure(7)
        aid = await store.outbox.enqueue("delete_message", {"channel_id": 1, "message_id": 2}, guild_id=7)
        await store.outbox.mark_attempt_failed(aid, "429")


async def test_demo_database_moves_to_postgresql_and_reads_the_same(
        tmp_path: Path, pg_admin_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    sqlite = tmp_path / "demo.db"
    await demo_database(sqlite)
    url = await fresh_database(pg_admin_url)

    assert await asyncio.to_thread(main, ["copy-db", str(sqlite), url]) == 0
    assert "counts and checksums match" in capsys.readouterr().out

    async with await Store.open(sqlite, SECRET_KEY) as old, await Store.open(url, SECRET_KEY) as new:
        case = load_case(DEMO_DIR / "case.toml")
        old_case, new_case = await old.cases.by_key(None, case.id), await new.cases.by_key(None, case.id)
        assert old_case == new_case
        assert await old.cases.parties(old_case.case_id) == await new.cases.parties(new_case.case_id)
        old_flags, new_flags = await old.flags.page(None, state=None, limit=100), await new.flags.page(
            None, state=None, limit=100)
        assert old_flags == new_flags and new_flags
        for flag in new_flags:
            assert await old.flags.get(flag.flag_id) == await new.flags.get(flag.flag_id)
            held = await new.flags.held(flag.flag_id)
            if held is not None:  # sealed with the same key: still opens
                assert new.sealer.open(held.original_sealed)
        assert await old.outbox.pending() == await new.outbox.pending()

        # the keyed digests still match the registered names with the same key
        parties = await new.cases.parties(new_case.case_id)
        registry = ProtectedRegistry.from_records([r for p in parties for r in p.records], SECRET_KEY)
        name = case.protected[0].names[0]
        verdict = IdentityEngine(registry).check(Message("m", "u", f"apparently it was {name} all along"))
        assert verdict.flags

        # the demo's messages, checked again, find their flags already stored in the copy
        verdicts = scan(IdentityEngine.from_case(case, SECRET_KEY),
                        load_thread(DEMO_DIR / "thread.jsonl", case.id), None)
        for v in (v for v in verdicts if v.flags):
            latest = await new.flags.latest_for_message(v.message.id)
            assert latest is not None and latest.signature == verdict_signature(v)


async def test_a_copy_that_differs_is_caught_and_a_full_target_refused(tmp_path: Path, pg_admin_url: str) -> None:
    sqlite = tmp_path / "demo.db"
    await demo_database(sqlite)
    url = await fresh_database(pg_admin_url)
    source, target = await Database.open(sqlite), await Database.open(url)
    try:
        report = await copy_database(source, target)
        assert all(t.ok for t in report) and sum(t.target_rows for t in report) > 0
        with pytest.raises(StorageError, match="not empty"):
            await copy_database(source, target)
        async with target.transaction() as tx:  # one changed letter in one row
            await tx.execute("UPDATE flags SET reason = reason || '.' WHERE flag_id = "
                             "(SELECT MIN(flag_id) FROM flags)")
        from bot.storage.copy import checksum, columns

        names = [c for c, _ in await columns(source, "flags")]
        assert (await checksum(source, "flags", names, ["flag_id"]))[1] != (
            await checksum(target, "flags", names, ["flag_id"]))[1]
    finally:
        await source.close()
        await target.close()


def test_missing_source_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["copy-db", str(tmp_path / "none.db"), str(tmp_path / "new.db")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: no SQLite database") and err.count("\n") == 1
