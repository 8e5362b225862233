"""End to end: every message the bot sends carries its action's nonce, a resend is deduplicated by the fake as
by Discord, a 404 delete is done, and a flag's notice never overtakes its delete during a 429 run."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_moderation_flow import NAME, POSTER, start_watching

pytestmark = pytest.mark.e2e


def dm_posts(fake: FakeDiscord) -> list[Any]:
    return [r for r in fake.find("POST", r"^/channels/(\d+)/messages$")
            if r.status < 300 and int(r.path.split("/")[2]) >= 800_000_000_000_000_000
            and int(r.path.split("/")[2]) < 900_000_000_000_000_000]


async def flag_one(fake: FakeDiscord, runner: BotRunner, thread: dict[str, Any], text: str) -> tuple[Any, int]:
    msg = await fake.send_message(POSTER, text, channel_id=int(thread["id"]))
    outcome = await runner.wait_checked(msg["id"])
    assert outcome.flag_id
    return outcome, int(msg["id"])


async def test_sends_carry_the_action_nonce_and_a_resend_creates_nothing(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    outcome, _ = await flag_one(fake, runner, thread, f"It was {NAME} all along")
    await settle(bot, lambda: len(dm_posts(fake)) == 1 and bool(fake.find("POST", rf"/channels/{fake.queue_id}/")))
    items = await bot.services.outbox.for_flag(outcome.flag_id)
    assert [(i.kind, i.status) for i in items] == [("delete", "done"), ("notify", "done"), ("queue", "done")]
    sends = {r.path: r.body for r in fake.find("POST", r"^/channels/\d+/messages$") if r.status < 300}
    nonces = sorted((b["nonce"], b["enforce_nonce"]) for b in sends.values())
    assert nonces == sorted([(str(items[1].action_id), True), (str(items[2].action_id), True)])
    created = len(fake.created)

    # a crash after Discord created the messages but before they were marked done: both are sent again
    for item in items[1:]:
        await bot.store.db.conn.execute("UPDATE outbox SET status = 'pending' WHERE action_id = ?",
                                        (item.action_id,))
    assert await bot.actions.run_pending() == 2
    assert len(fake.created) == created, "Discord returned the original messages: nothing new was created"
    assert len(dm_posts(fake)) == 2, "the resend did reach Discord"


async def test_a_delete_that_answers_404_is_done_and_the_rest_follows(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    fake.rate_limit("DELETE", r"/messages/", times=1, retry_after=0.05)
    msg = await fake.send_message(POSTER, f"Everyone knows it is {NAME}", channel_id=int(thread["id"]))
    fake.messages.pop(int(msg["id"]))  # the author deleted it first
    outcome = await runner.wait_checked(msg["id"])
    await settle(bot, lambda: len(dm_posts(fake)) == 1)
    deletes = [r for r in fake.find("DELETE", rf"/messages/{msg['id']}$") if r.status != 429]
    assert [r.status for r in deletes] == [404]
    assert {i.kind: i.status for i in await bot.services.outbox.for_flag(outcome.flag_id)} == {
        "delete": "done", "notify": "done", "queue": "done"}


async def test_during_a_429_run_the_notice_waits_for_the_delete(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    fake.rate_limit("DELETE", r"/messages/", times=12, retry_after=0.01)  # > discord.py's 5 tries
    _, message_id = await flag_one(fake, runner, thread, f"Her name is {NAME}")
    await settle(bot)
    assert dm_posts(fake) == [] and not fake.find("POST", rf"/channels/{fake.queue_id}/messages"), \
        "nothing after the delete runs while it is pending"
    for _ in range(30):
        if [r for r in fake.find("DELETE", rf"/messages/{message_id}$") if r.status == 204]:
            break
        await bot.actions.run_pending()  # the sweeper's pass, repeated until the rate limit is over
    await settle(bot, lambda: len(dm_posts(fake)) == 1 and bool(fake.find("POST", rf"/channels/{fake.queue_id}/")))
    order = [r for r in fake.requests if r.status < 300 and (r.method == "DELETE" or r.path.endswith("/messages"))]
    kinds = ["delete" if r.method == "DELETE" else "queue" if str(fake.queue_id) in r.path else "dm" for r in order]
    assert kinds == ["delete", "dm", "queue"]
