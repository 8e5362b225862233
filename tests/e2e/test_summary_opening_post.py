"""End to end: a forum post's opening message is a cited source of /case summary, redacted, never stored."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord, wait_until
from tests.e2e.test_commands import sub
from tests.e2e.test_moderation_flow import BASIS, LABEL, MODERATOR, NAME, POSTER, SCHOOL

pytestmark = pytest.mark.e2e

TUTOR = "Gareth Pollwick"
OPENING = (
    f"{NAME} told police in March that her form tutor, {TUTOR}, had assaulted her during a residential "
    "school trip.\n\n"
    "The tutor, a 41-year-old man, was charged with two offences and appeared at Northgate Magistrates' "
    "Court on Wednesday.\n\n"
    "He was remanded on conditional bail and the case was sent to the Crown Court for trial.\n\n"
    "The trial is expected to begin next spring and to last about two weeks, the prosecution said."
)


async def ask_summary(fake: FakeDiscord, user_id: int, thread_id: int, **options: Any) -> dict[str, Any]:
    asked = await fake.slash("case", sub("summary", **options), user_id=user_id, channel_id=thread_id)
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{asked['token']}$")
    assert followup.body.get("embeds"), followup.body
    return followup.body["embeds"][0]  # type: ignore[no-any-return]


def embed_text(embed: dict[str, Any]) -> str:
    return "\n".join([embed.get("title", ""), embed.get("description", ""), embed["footer"]["text"],
                      *(f["value"] for f in embed.get("fields", []))]).lower()


async def test_summary_cites_the_opening_post_without_the_names_it_contained(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    fake.add_user(POSTER, "poster")
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    bot = await runner.start()
    await runner.configure(**default_settings)
    # the post names the child before any moderator has registered her: nothing to flag yet
    thread, opening = await fake.create_thread("Tutor charged after school trip", OPENING, author_id=POSTER)
    tid = int(thread["id"])
    await runner.wait_checked(opening["id"])
    await settle(bot)
    case = await bot.store.cases.for_thread(tid)
    await bot.moderation.protect(case.case_id, LABEL, BASIS, [NAME], [SCHOOL], actor_id=str(MODERATOR))

    embed = await ask_summary(fake, POSTER, tid)
    sources = next(f["value"] for f in embed["fields"] if f["name"] == "Sources")
    assert sources.startswith("[1] [Opening post, Tutor charged after school trip, ")
    assert f"/channels/{fake.guild_id}/{tid}/{tid})" in sources, "cited with its jump link"
    assert "[1]" in embed["description"] and "Northgate Magistrates' Court" in embed["description"]
    text = embed_text(embed)
    assert "maisie" not in text and "thornbury" not in text, "the registered name never reaches the summary"
    assert "pollwick" in text, "not yet registered: the tutor's name is still there"

    # a party registered later is redacted from the opening post on the next summary (nothing stale cached)
    await bot.moderation.protect(case.case_id, "the defendant", "Anonymity order", [TUTOR], [],
                                 actor_id=str(MODERATOR))
    embed = await ask_summary(fake, MODERATOR, tid, refresh=False)
    text = embed_text(embed)
    assert "pollwick" not in text and "maisie" not in text and "Opening post" in embed["fields"][0]["value"]

    # after a restart the opening message is not cached: it is read from Discord
    await runner.stop()
    bot = await runner.start()
    await wait_until(lambda: bot.get_channel(tid) is not None)
    before = len(fake.requests)
    embed = await ask_summary(fake, POSTER, tid)
    assert [r for r in fake.requests[before:] if r.method == "GET" and r.path == f"/channels/{tid}/messages/{tid}"]
    assert "Opening post" in embed["fields"][0]["value"]
    assert "pollwick" not in embed_text(embed) and "thornbury" not in embed_text(embed)
    await settle(bot)
    await runner.stop()

    with sqlite3.connect(runner.db_path) as conn:  # only the redacted summary is kept, never the post
        dump = "\n".join(conn.iterdump()).lower()
        stored = conn.execute("SELECT COUNT(*) FROM sources").fetchone()[0]
    assert stored == 0
    assert "thornbury" not in dump and "maisie" not in dump and "pollwick" not in dump
    assert "the complainant told police in march" in dump, "the cached summary holds the redacted sentence"


async def test_summary_defers_at_once_and_waits_for_a_slow_opening_post(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    """The opening post is the case's only source and Discord is slow to hand it over (a 2.5 s rate
    limit): the command defers first, waits, and summarises it; it never says "no sources"."""
    fake.add_user(POSTER, "poster")
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    bot = await runner.start()
    await runner.configure(**default_settings)
    thread, opening = await fake.create_thread("Teacher charged", OPENING, author_id=POSTER)
    tid = int(thread["id"])
    await runner.wait_checked(opening["id"])
    case = await bot.store.cases.for_thread(tid)
    await bot.moderation.protect(case.case_id, LABEL, BASIS, [NAME], [SCHOOL], actor_id=str(MODERATOR))
    await runner.stop()

    bot = await runner.start()  # the opening message is no longer cached, and Discord is rate limiting
    await wait_until(lambda: bot.get_channel(tid) is not None)
    fake.rate_limit("GET", rf"^/channels/{tid}/messages/{tid}$", times=1, retry_after=2.5)
    first = len(fake.requests)
    embed = await ask_summary(fake, POSTER, tid)
    assert embed["footer"]["text"].startswith("generated from 1 source,"), "the opening post"
    assert "Opening post" in embed["fields"][0]["value"]
    assert "thornbury" not in embed_text(embed)
    later = [r for r in fake.requests[first:] if r.method != "GET" or "/messages/" in r.path]
    assert later[0].path.startswith("/interactions/") and later[0].body["type"] == 5, "deferred before reading"
    await runner.stop()
