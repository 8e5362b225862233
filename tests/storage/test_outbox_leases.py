"""Outbox leases: several workers (processes) share one outbox; each action is claimed by one of them at a
time, in its flag's order, and a dead worker's lease expires so another finishes the action."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.action_plan import Planned
from bot.flags import Category, Flag, Message, Verdict
from bot.storage import Store
from tests.conftest import SECRET_KEY


async def flag_with_actions(store: Store, mid: str = "20") -> list[int]:
    verdict = Verdict(Message(mid, "5", "x"), [Flag(Category.ABUSE, "t", 0.9, "r")])
    flag = store.flags.draft(verdict, guild_id=1, channel_id=10, author_id="5")
    return list(await store.flags.store(flag, actions=[
        Planned("delete", {"channel_id": 10, "message_id": int(mid)}),
        Planned("notify", {"user_id": 5, "text": "t"}),
        Planned("queue", {"channel_id": 11}),
    ]))


async def test_one_worker_at_a_time_and_an_expired_lease_is_taken_over(store: Store) -> None:
    delete, notify, _queue = await flag_with_actions(store)
    assert (await store.outbox.claim(delete, "a", 60_000)) is not None
    assert await store.outbox.claim(delete, "b", 60_000) is None, "leased to a"
    assert await store.outbox.claim(notify, "b", 60_000) is None, "the delete is still pending"
    assert [i.action_id for i in await store.outbox.runnable()] == [], "a leased action is not runnable"

    await store.outbox.release(delete, "a")
    short = await store.outbox.claim(delete, "a", 1)  # a dies holding a 1 ms lease
    assert short is not None
    await asyncio.sleep(0.01)
    assert [i.action_id for i in await store.outbox.runnable()] == [delete]
    taken = await store.outbox.claim(delete, "b", 60_000)
    assert taken is not None and taken.action_id == delete
    await store.outbox.mark_done(delete)
    item = await store.outbox.get(delete)
    assert item is not None and item.status == "done" and item.attempts == 1
    assert await store.outbox.claim(delete, "a", 60_000) is None, "done is done"
    assert (await store.outbox.claim(notify, "a", 60_000)) is not None, "next in the flag's order"


async def test_a_failed_attempt_frees_the_action_for_any_worker(store: Store) -> None:
    delete, *_ = await flag_with_actions(store)
    assert await store.outbox.claim(delete, "a", 60_000)
    await store.outbox.mark_attempt_failed(delete, "503")
    assert await store.outbox.claim(delete, "b", 60_000)


async def test_two_workers_racing_claim_each_action_once_in_flag_order(db_target: str | Path) -> None:
    """Two stores on one database (two processes' pools) drain 20 flags' actions concurrently."""
    first = await Store.open(db_target, SECRET_KEY)
    second = await Store.open(db_target, SECRET_KEY)
    try:
        flags = [await flag_with_actions(first, str(100 + n)) for n in range(20)]
        done: list[tuple[str, int]] = []

        async def worker(store: Store, name: str) -> None:
            idle = 0
            while idle < 3:
                progressed = False
                for item in await store.outbox.runnable(limit=50):
                    claimed = await store.outbox.claim(item.action_id, name, 60_000)
                    if claimed is None:
                        continue
                    done.append((name, claimed.action_id))
                    await asyncio.sleep(0)
                    await store.outbox.mark_done(claimed.action_id)
                    progressed = True
                idle = 0 if progressed else idle + 1
                await asyncio.sleep(0.005)

        await asyncio.gather(worker(first, "a"), worker(second, "b"))
        ids = [action_id for _, action_id in done]
        assert sorted(ids) == sorted(a for f in flags for a in f), "every action once, none twice"
        for actions in flags:  # delete, then notice, then queue
            assert [i for i in ids if i in actions] == actions
        assert {name for name, _ in done} <= {"a", "b"}
    finally:
        await first.close()
        await second.close()
