"""End to end: what is posted, edited or opened while the bot is offline is checked when it starts again."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_moderation_flow import LABEL, NAME, POSTER, assert_no_secret, queue_posts, start_watching

pytestmark = pytest.mark.e2e


def cursor_of(runner: BotRunner, thread_id: int) -> int | None:
    with sqlite3.connect(runner.db_path) as conn:
        row = conn.execute("SELECT last_message_id FROM threads WHERE thread_id = ?", (thread_id,)).fetchone()
    return row[0]


def dm_texts(fake: FakeDiscord) -> list[str]:
    dms = {str(c) for c, v in fake.channels.items() if v["type"] == 1}
    return [r.body["content"] for r in fake.find("POST", r"^/channels/\d+/messages$")
            if r.path.split("/")[2] in dms and r.status < 300]


async def test_messages_posted_and_edited_while_offline_are_caught_on_start(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    tid = int(thread["id"])
    seen = await fake.send_message(POSTER, "The trial resumes on Monday.", channel_id=tid)
    await runner.wait_checked(seen["id"])
    await runner.stop()
    assert cursor_of(runner, tid) == int(seen["id"]), "the cursor is written on shutdown"

    clean = fake.post_offline(POSTER, "The jury was sent home early today.", channel_id=tid)
    naming = fake.post_offline(POSTER, f"Everyone on the estate knows it was {NAME}", channel_id=tid)
    later = fake.post_offline(POSTER, "Reporting restrictions still apply, careful.", channel_id=tid)
    fake.edit_offline(seen, f"The trial resumes on Monday. The girl is {NAME}.")
    before = len(fake.requests)

    bot = await runner.start()
    await fake.wait_for_request("DELETE", rf"^/channels/{tid}/messages/{naming['id']}$")
    await fake.wait_for_request("DELETE", rf"^/channels/{tid}/messages/{seen['id']}$")
    await settle(bot, lambda: len(queue_posts(fake)) == 2)
    history = [r for r in fake.requests[before:] if r.method == "GET" and r.path == f"/channels/{tid}/messages"]
    assert any(r.query.get("after") == seen["id"] for r in history), "history is read after the cursor"
    deleted = {r.path.rsplit("/", 1)[1] for r in fake.find("DELETE", rf"^/channels/{tid}/messages/\d+$")}
    assert deleted == {naming["id"], seen["id"]}, "the clean messages stay up"
    assert int(clean["id"]) in fake.messages and int(later["id"]) in fake.messages
    notices = dm_texts(fake)
    assert len(notices) == 2 and all(LABEL in n for n in notices)
    for msg in (naming, seen):
        flag = await bot.store.flags.latest_for_message(msg["id"])
        assert flag is not None and flag.action == "remove"
    for msg in (clean, later):
        assert await bot.store.flags.latest_for_message(msg["id"]) is None
    assert_no_secret(fake.all_request_text())

    await runner.stop()
    assert cursor_of(runner, tid) == int(later["id"])
    deletes, queued = len(fake.find("DELETE")), len(queue_posts(fake))
    bot = await runner.start()  # nothing new: a second start does nothing
    await settle(bot)
    await runner.stop()
    assert (len(fake.find("DELETE")), len(queue_posts(fake))) == (deletes, queued)


async def test_post_opened_while_offline_gets_a_case_and_is_checked(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    seen = await fake.send_message(POSTER, "First day of the trial.", channel_id=int(thread["id"]))
    await runner.wait_checked(seen["id"])
    await runner.stop()

    new_thread, opening = fake.create_thread_offline("Day two", "The defence opened its case.",
                                                     author_id=fake.owner_id)
    reply = fake.post_offline(POSTER, "Thanks for the update.", channel_id=int(new_thread["id"]))
    runner.checked.clear()
    bot = await runner.start()
    await runner.wait_checked(reply["id"])
    checked = [p.message_id for p, _ in runner.checked if p.thread_id == int(new_thread["id"]) and not p.is_title]
    assert checked == [int(opening["id"]), int(reply["id"])], "oldest first, from the opening message"
    case = await bot.store.cases.for_thread(int(new_thread["id"]))
    assert case is not None and case.title == "Day two"
    await settle(bot)
    assert not fake.find("DELETE")
