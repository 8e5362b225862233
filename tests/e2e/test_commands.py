"""End to end: app commands through real INTERACTION_CREATE payloads (slash commands and a modal)."""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

import pytest

from bot.storage import FlagState
from cogs._checks import REFUSAL
from cogs.settings import SETTINGS_REFUSAL
from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import MANAGE_MESSAGES, FakeDiscord, Recorded
from tests.e2e.test_moderation_flow import (
    BYSTANDER,
    LABEL,
    MODERATOR,
    NAME,
    POSTER,
    assert_no_secret,
    queue_posts,
    start_watching,
)

pytestmark = pytest.mark.e2e

MANAGE_GUILD = 1 << 5


def sub(name: str, **options: Any) -> list[dict[str, Any]]:
    """A sub-command option payload with string/int options."""
    def kind(v: Any) -> int:
        return 5 if isinstance(v, bool) else 3 if isinstance(v, str) else 10 if isinstance(v, float) else 4

    opts = [{"name": k, "type": kind(v), "value": v} for k, v in options.items()]
    return [{"type": 1, "name": name, "options": opts}]


async def reply_to(fake: FakeDiscord, interaction: dict[str, Any]) -> Recorded:
    [reply] = await fake.wait_for_request("POST", rf"^/interactions/{interaction['id']}/")
    return reply


async def answer(fake: FakeDiscord, interaction: dict[str, Any]) -> dict[str, Any]:
    """The message that answers ``interaction``: the reply itself, or the follow-up after a deferral."""
    reply = (await reply_to(fake, interaction)).body
    if reply["type"] != 5:
        return reply["data"]  # type: ignore[no-any-return]
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{interaction['token']}$")
    return followup.body  # type: ignore[no-any-return]


async def test_protect_modal_hashes_values_and_never_echoes_them(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any],
        caplog: pytest.LogCaptureFixture) -> None:
    for name in ("bot", "cogs"):
        caplog.set_level(logging.DEBUG, logger=name)
    bot, thread = await start_watching(fake, runner, default_settings)
    tid = int(thread["id"])
    opened = await fake.slash("case", sub("protect"), user_id=MODERATOR, channel_id=tid)
    modal = (await reply_to(fake, opened)).body
    assert modal["type"] == 9, "a modal is opened"
    inputs = {re.split(r"\W", row["components"][0]["label"])[0]: row["components"][0]["custom_id"]
              for row in modal["data"]["components"]}
    submitted = await fake.submit_modal(modal["data"]["custom_id"], {
        inputs["Label"]: "the officer", inputs["Legal"]: "Anonymity order under s.11 Contempt of Court Act 1981",
        inputs["Names"]: "Dominic Ashgrove\nDom Ashgrove", inputs["Identifiers"]: "PC 4471",
    }, user_id=MODERATOR, channel_id=tid)
    assert (await reply_to(fake, submitted)).body["type"] == 5, "the form is acknowledged at once"
    reply = await answer(fake, submitted)
    assert "the officer" in reply["content"] and reply["flags"] & 64
    assert "2 name(s) and 1 identifier(s)" in reply["content"]

    # the new party is matched at once, and no registered string reaches Discord or the database
    msg = await fake.send_message(POSTER, "Officer Dominic Ashgrove should be named and shamed", channel_id=tid)
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    text = fake.all_request_text().lower()
    assert "ashgrove" not in text and "4471" not in text
    with sqlite3.connect(runner.db_path) as conn:  # the whole database, as SQL
        dump = "\n".join(conn.iterdump()).lower()
    assert "ashgrove" not in dump and "maisie" not in dump
    # the collar number as a value of its own, not four digits inside a keyed hex digest
    assert "pc4471" not in dump and "pc 4471" not in dump
    assert not re.search(r"(?<![0-9a-f])4471(?![0-9a-f])", dump)
    logged = caplog.text.lower()
    assert "ashgrove" not in logged and "4471" not in logged, "never logged"


async def test_case_show_lists_labels_and_counts_only(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    _, thread = await start_watching(fake, runner, default_settings)
    shown = await fake.slash("case", sub("show"), user_id=MODERATOR, channel_id=int(thread["id"]))
    reply = await reply_to(fake, shown)
    embed = reply.body["data"]["embeds"][0]
    parties = next(f["value"] for f in embed["fields"] if f["name"] == "Protected parties")
    assert LABEL in parties and "1 name(s), 1 identifier(s)" in parties
    assert_no_secret(reply.raw)


async def test_moderator_commands_refuse_non_moderators(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    await start_watching(fake, runner, default_settings)
    for name, options in (("flags", sub("stats")), ("case", sub("show")), ("flags", sub("list"))):
        ran = await fake.slash(name, options, user_id=BYSTANDER)
        reply = (await reply_to(fake, ran)).body
        assert reply["data"]["content"] == REFUSAL and reply["data"]["flags"] & 64
    ran = await fake.slash("settings", sub("show"), user_id=MODERATOR, permissions=MANAGE_MESSAGES)
    assert (await reply_to(fake, ran)).body["data"]["content"] == SETTINGS_REFUSAL


async def test_settings_commands_change_what_is_watched(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    fake.add_user(POSTER, "poster")
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    bot = await runner.start()
    admin = {"user_id": fake.owner_id, "permissions": MANAGE_GUILD | MANAGE_MESSAGES}
    forum = fake.channels[fake.forum_id]
    queue = fake.channels[fake.queue_id]
    role = next(r for r in fake.roles() if r["id"] == str(fake.mod_role_id))
    for options, resolved in (
        ([{"type": 1, "name": "forum", "options": [{"name": "change", "type": 3, "value": "add"},
                                                  {"name": "channel", "type": 7, "value": str(fake.forum_id)}]}],
         {"channels": {str(fake.forum_id): {**forum, "permissions": "0"}}}),
        ([{"type": 1, "name": "queue", "options": [{"name": "channel", "type": 7, "value": str(fake.queue_id)}]}],
         {"channels": {str(fake.queue_id): {**queue, "permissions": "0"}}}),
        ([{"type": 1, "name": "modrole", "options": [{"name": "role", "type": 8, "value": str(fake.mod_role_id)}]}],
         {"roles": {str(fake.mod_role_id): role}}),
        (sub("action", category="protected_identity", action="hold"), None),
        (sub("escalation", ladder="3:warn, 5:timeout:30"), None),
    ):
        ran = await fake.slash("settings", options, resolved=resolved, **admin)
        reply = (await reply_to(fake, ran)).body
        assert reply["data"]["flags"] & 64 and "embeds" in reply["data"], reply
    saved = await bot.store.guilds.get_settings(fake.guild_id)
    assert saved.watched_forum_ids == [fake.forum_id] and saved.queue_channel_id == fake.queue_id
    assert saved.moderator_role_id == fake.mod_role_id
    assert saved.policy == {"protected_identity": "hold"}
    assert [(s.after, s.action, s.minutes) for s in saved.escalation] == [(3, "warn", 0), (5, "timeout", 30)]

    bad = await fake.slash("settings", sub("escalation", ladder="soon:ban"), **admin)
    assert "cannot read ladder step" in (await reply_to(fake, bad)).body["data"]["content"]

    # the forum is now watched: a new post opens a case, and the hold policy applies
    thread, _ = await fake.create_thread("Another trial", "Opening post", author_id=fake.owner_id)
    await runner.wait_checked(thread["id"])
    case = await bot.store.cases.for_thread(int(thread["id"]))
    assert case is not None and case.title == "Another trial"


async def test_flags_list_show_and_stats(fake: FakeDiscord, runner: BotRunner,
                                         default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    msg = await fake.send_message(POSTER, f"It was {NAME}", channel_id=int(thread["id"]))
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    flag = await bot.store.flags.latest_for_message(msg["id"])
    await bot.moderation.decide(flag.flag_id, "confirm", actor_id=str(MODERATOR), guild_id=fake.guild_id)

    listed = await fake.slash("flags", sub("list", state="confirmed"), user_id=MODERATOR)
    embed = (await reply_to(fake, listed)).body["data"]["embeds"][0]
    assert str(flag.flag_id) in embed["description"] and "1 flag(s)" in embed["footer"]["text"]

    shown = await fake.slash("flags", sub("show", flag_id=str(flag.flag_id)), user_id=MODERATOR)
    data = (await reply_to(fake, shown)).body["data"]
    assert data["embeds"][0]["footer"]["text"] == f"flag {flag.flag_id}"
    assert any(f["name"] == "Decision" and "confirm" in f["value"] for f in data["embeds"][0]["fields"])

    stats = await fake.slash("flags", sub("stats"), user_id=MODERATOR)
    fields = (await reply_to(fake, stats)).body["data"]["embeds"][0]["fields"]
    assert any("confirmed 1" in f["value"] and "precision 100%" in f["value"] for f in fields)
    assert (await bot.store.flags.get(flag.flag_id)).state is FlagState.CONFIRMED
    assert_no_secret(fake.all_request_text())


ARTICLE = """<html><head><title>Teacher charged after pupil complaint</title></head><body><article>
<h1>Teacher charged after pupil complaint</h1>
<p>A teacher at a primary school has been charged with three offences following a complaint by a pupil,
Maisie Thornbury, police said on Tuesday.</p>
<p>The 41-year-old man appeared at Northgate Magistrates' Court on Wednesday and was remanded on bail.</p>
<p>The court heard that the allegations relate to a period between 2021 and 2023.</p>
<p>The complainant is entitled to lifelong anonymity under the Sexual Offences (Amendment) Act 1992.</p>
<p>The case was sent to the Crown Court, where a trial is expected to begin next spring.</p>
<p>A spokesperson for the school said it was cooperating fully with the police investigation.</p>
</article></body></html>"""


async def test_source_add_and_cited_summary_with_cooldown(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    runner.overrides["fetch_allow_private"] = True  # the fake serves the page on loopback
    bot, thread = await start_watching(fake, runner, default_settings)
    tid = int(thread["id"])
    fake.pages["report"] = ARTICLE
    url = f"{fake.base_url}/pages/report"
    added = await fake.slash("case", [{"type": 2, "name": "source", "options": sub("add", url=url)}],
                             user_id=MODERATOR, channel_id=tid)
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{added['token']}$")
    assert "Added" in followup.body["content"], followup.body

    asked = await fake.slash("case", sub("summary"), user_id=POSTER, channel_id=tid)
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{asked['token']}$")
    embed = followup.body["embeds"][0]
    assert embed["description"] and "[1]" in embed["description"]
    sources = next(f["value"] for f in embed["fields"] if f["name"] == "Sources")
    assert url in sources
    assert "[2] [Opening post, R v Example: trial discussion, " in sources, "the post's opening message is a source"
    assert f"/channels/{fake.guild_id}/{tid}/{tid})" in sources
    assert embed["footer"]["text"].startswith("generated from 2 sources, last updated")
    assert not followup.body.get("flags"), "the summary is posted for everyone"

    again = await fake.slash("case", sub("summary"), user_id=POSTER, channel_id=tid)
    assert "try again in" in (await reply_to(fake, again)).body["data"]["content"]
    refresh = await fake.slash("case", sub("summary", refresh=True), user_id=POSTER, channel_id=tid)
    assert (await answer(fake, refresh))["content"] == REFUSAL
    assert_no_secret(fake.all_request_text())
    with sqlite3.connect(runner.db_path) as conn:
        assert "thornbury" not in "\n".join(conn.iterdump()).lower()
    await settle(bot)


CASE_TOML = b'''id = "r-v-wren"
title = "R v Wren"
jurisdiction = "GB"

[[protected]]
label = "the pupil"
basis = "Children and Young Persons Act 1933, s.45"
names = ["Tobias Wrenfield"]
identifiers = ["@tobyw_2011"]
'''


async def test_case_import_and_link_in_another_post(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    upload = fake.attachment("case.toml", CASE_TOML)
    imported = await fake.slash(
        "case", [{"type": 1, "name": "import", "options": [{"name": "file", "type": 11, "value": upload["id"]}]}],
        user_id=MODERATOR, channel_id=int(thread["id"]), resolved={"attachments": {upload["id"]: upload}})
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{imported['token']}$")
    assert "Imported case `r-v-wren`" in followup.body["content"] and "the pupil" in followup.body["content"]
    assert "wrenfield" not in followup.raw.lower()

    other, _ = await fake.create_thread("Wren trial, day 2", "Day two of the trial.", author_id=fake.owner_id)
    await runner.wait_checked(other["id"])
    linked = await fake.slash("case", sub("link", key="r-v-wren"), user_id=MODERATOR, channel_id=int(other["id"]))
    assert "Linked this post to case `r-v-wren`" in (await reply_to(fake, linked)).body["data"]["content"]
    msg = await fake.send_message(POSTER, "follow @tobyw_2011 for the real story", channel_id=int(other["id"]))
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    await settle(bot)
    assert "tobyw" not in fake.all_request_text().lower()

    broken = fake.attachment("bad.toml", b"id = ")
    bad = await fake.slash(
        "case", [{"type": 1, "name": "import", "options": [{"name": "file", "type": 11, "value": broken["id"]}]}],
        user_id=MODERATOR, resolved={"attachments": {broken["id"]: broken}})
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{bad['token']}$")
    assert followup.body["content"].startswith("the attached case file is not valid TOML")


async def test_dismiss_with_allow_list_on_a_message_left_up(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    settings = {**default_settings, "policy": {"protected_identity": "review", "identifying_detail": "review"}}
    bot, thread = await start_watching(fake, runner, settings)
    text = f"The new caretaker, {NAME}, starts on Monday"
    msg = await fake.send_message(POSTER, text, channel_id=int(thread["id"]))
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    queued = next(m for m in fake.messages.values() if m["channel_id"] == str(fake.queue_id))
    allow_id = next(c["custom_id"] for row in queued["components"] for c in row["components"]
                    if c["custom_id"].startswith("cw:review:allow:"))
    pressed = await fake.press_button(queued, allow_id, user_id=MODERATOR)
    reply = (await answer(fake, pressed))["content"]
    assert "allow-list entr" in reply and "No registered match" not in reply
    assert fake.find("GET", rf"^/channels/{thread['id']}/messages/{msg['id']}$"), "the live message was read"
    flag = await bot.store.flags.latest_for_message(msg["id"])
    assert flag.state is FlagState.DISMISSED
    again = await fake.send_message(POSTER, text, channel_id=int(thread["id"]))
    outcome = await runner.wait_checked(again["id"])
    assert outcome.flag_id is None, "the same match in the same context is not raised again"
    await settle(bot)
    assert len(queue_posts(fake)) == 1


async def test_source_add_refuses_an_internal_address(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    """Without FETCH_ALLOW_PRIVATE a loopback URL is refused in one line and never requested."""
    bot, thread = await start_watching(fake, runner, default_settings)
    fake.pages["report"] = ARTICLE
    for url in (f"{fake.base_url}/pages/report", "http://169.254.169.254/latest/meta-data/"):
        added = await fake.slash("case", [{"type": 2, "name": "source", "options": sub("add", url=url)}],
                                 user_id=MODERATOR, channel_id=int(thread["id"]))
        [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{added['token']}$")
        content = followup.body["content"]
        assert content.startswith("refusing to fetch") and "address" in content and "\n" not in content
    assert fake.page_hits == [], "nothing was fetched from the internal address"
    case = await bot.store.cases.for_thread(int(thread["id"]))
    assert await bot.store.sources.for_case(case.case_id) == []
    await settle(bot)
