"""The leak test: names in a thread title, a display name, a source URL slug and a message, some of them
there before the party is registered; afterwards no registered string, in any simple variant, is in any
request the bot sent, the database file, its WAL, or the DEBUG log. Also ``/flags purge`` and a huge id."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.flags import Category, Flag
from bot.logging_setup import setup_logging
from bot.storage import FlagState
from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord, wait_until
from tests.e2e.test_commands import ARTICLE, answer, reply_to, sub
from tests.e2e.test_moderation_flow import BASIS, LABEL, MODERATOR, NAME, POSTER, SCHOOL, queue_posts

pytestmark = pytest.mark.e2e

NAMED = 900_000_000_000_000_299  # a member whose display name is the protected name


def variants(*registered: str) -> set[str]:
    """Each registered string and its simple variants: case, spacing, joined, hyphenated, and each of its
    words that is not an everyday English word ("Thornbury" yes, "school" no)."""
    from wordfreq import zipf_frequency

    out: set[str] = set()
    for value in registered:
        words = value.split()
        distinctive = [w for w in words if zipf_frequency(w.lower(), "en") < 3.0]
        for joined in (" ".join(words), "".join(words), "-".join(words), "_".join(words), ".".join(words),
                       "  ".join(words), *distinctive):
            out.add(joined.lower())
    return out


def found_in(blob: str | bytes, needles: set[str]) -> list[str]:
    low = blob.lower() if isinstance(blob, str) else blob.lower().decode("utf-8", "replace")
    return sorted(n for n in needles if n in low)


class Scorer:
    """Abuse for these tests: any text with 'idiot' (so a flag is stored before the registration)."""

    async def detect(self, text: str, thresholds: object = None) -> list[Flag]:
        return [Flag(Category.ABUSE, "abuse:test", 0.95, "insult", kind="insult")] if "idiot" in text else []


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The bot's own logging set up at DEBUG (as ``LOG_LEVEL=DEBUG`` does), into a buffer."""
    buffer = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = setup_logging("DEBUG", stream=buffer)
    try:
        yield buffer
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def test_no_registered_string_leaks_anywhere(fake: FakeDiscord, runner: BotRunner,
                                                   default_settings: dict[str, Any], debug_log: io.StringIO,
                                                   tmp_path: Path) -> None:
    needles = variants(NAME, SCHOOL)
    runner.overrides["fetch_allow_private"] = True  # the fake serves the source page on loopback
    fake.add_user(POSTER, "poster")
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    fake.add_user(NAMED, NAME.lower())  # shown as its global name: the protected name itself
    bot = await runner.start(abuse=Scorer())
    await runner.configure(**default_settings)

    # before registration: a title naming the child, a reply by the look-alike member, a source slug
    thread, _ = await fake.create_thread(f"Justice for {NAME}", "Reporting from the trial today.",
                                         author_id=fake.owner_id)
    tid = int(thread["id"])
    await wait_until(lambda: bot.get_channel(tid) is not None)
    await settle(bot)
    rude = await fake.send_message(NAMED, "the defence barrister is an idiot", channel_id=tid)
    await runner.wait_checked(rude["id"])
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    slug = NAME.lower().replace(" ", "-") + "-trial"
    fake.pages[slug] = ARTICLE
    added = await fake.slash("case", [{"type": 2, "name": "source",
                                       "options": sub("add", url=f"{fake.base_url}/pages/{slug}")}],
                             user_id=MODERATOR, channel_id=tid)
    await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{added['token']}$")

    case = await bot.store.cases.for_thread(tid)
    assert case is not None
    before = len(fake.requests)  # what the bot sent before the name was registered could not know it
    await bot.moderation.protect(case.case_id, LABEL, BASIS, [NAME], [SCHOOL], actor_id=str(MODERATOR))
    await bot.actions.sweep()  # the queue post shown before the registration is edited (an action stored then)
    await settle(bot)
    # the post's title on Discord, which named the child before the registration, is renamed
    await settle(bot, lambda: NAME.lower() not in fake.channels[tid]["name"].lower())
    assert f"[{LABEL}]" in fake.channels[tid]["name"]

    # after registration: the look-alike member names the child in a message
    named = await fake.send_message(NAMED, f"{NAME} goes to {SCHOOL}, everyone knows", channel_id=tid)
    await runner.wait_checked(named["id"])
    await settle(bot, lambda: len(queue_posts(fake)) == 3)
    shown_case = await fake.slash("case", sub("show"), user_id=MODERATOR, channel_id=tid)
    assert f"[{LABEL}]" in json.dumps((await reply_to(fake, shown_case)).body)  # the title, relabelled
    asked = await fake.slash("case", sub("summary"), user_id=MODERATOR, channel_id=tid)
    [summary] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{asked['token']}$")
    assert summary.body.get("embeds"), summary.body
    listed = await fake.slash("flags", sub("list"), user_id=MODERATOR)
    await reply_to(fake, listed)
    await settle(bot)

    db = runner.db_path
    files = {p.name: p.read_bytes() for p in (db, db.with_name(db.name + "-wal")) if p.exists()}
    assert db.name + "-wal" in files, "the WAL is searched while the bot runs"
    after = "\n".join(r.raw for r in fake.requests[before:])
    shown = [m for m in fake.messages.values() if m["channel_id"] == str(fake.queue_id)]
    assert len(shown) == 3  # the rude reply, the title (flagged once its name was registered), the message
    where = {"requests after registration": after, "queue posts as they stand": json.dumps(shown),
             "the post's title as it stands": fake.channels[tid]["name"],
             "debug log": debug_log.getvalue(), **files}
    assert logging.getLogger().level == logging.DEBUG and debug_log.getvalue()  # the log really was at DEBUG
    leaks = {name: found_in(blob, needles) for name, blob in where.items()}
    assert leaks == {name: [] for name in where}, "registered strings found"

    await runner.stop()
    assert found_in(db.read_bytes(), needles) == []


async def test_flags_purge_and_a_huge_id(fake: FakeDiscord, runner: BotRunner,
                                         default_settings: dict[str, Any]) -> None:
    from tests.e2e.test_moderation_flow import start_watching

    bot, thread = await start_watching(fake, runner, default_settings)
    msg = await fake.send_message(POSTER, f"The one from {SCHOOL}, you know who", channel_id=int(thread["id"]))
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    flag = await bot.store.flags.latest_for_message(msg["id"])
    assert flag is not None and await bot.store.flags.held(flag.flag_id) is not None
    await bot.moderation.decide(flag.flag_id, "escalate", actor_id=str(MODERATOR), guild_id=fake.guild_id)
    then = (datetime.now(UTC) - timedelta(days=31)).isoformat(timespec="seconds")
    async with bot.store.db.transaction() as conn:
        await conn.execute("UPDATE flags SET updated_at = ? WHERE flag_id = ?", (then, flag.flag_id))

    purged = await fake.slash("flags", sub("purge"), user_id=MODERATOR)
    content = (await answer(fake, purged))["content"]
    assert "purged 1 sealed original" in content
    assert await bot.store.flags.held(flag.flag_id) is None
    row = await bot.store.flags.get(flag.flag_id)
    assert row is not None and row.state is FlagState.ESCALATED
    assert [a.decision for a in await bot.store.audit.for_flag(flag.flag_id)][-1] == "retention_purge"

    shown = await fake.slash("flags", sub("show", flag_id="9" * 20), user_id=MODERATOR)  # the most Discord sends
    data = (await reply_to(fake, shown)).body["data"]
    # flag_id takes at most 20 digits (Discord refuses more); a number past any id is refused in one line
    assert "is not a flag id" in data["content"] and data["flags"] & 64
    assert "\n" not in data["content"]
