"""A moderator's day, end to end, in the fake with Discord's limits on: every reply, embed, view, modal and
command the bot sends that day is one Discord would accept (``fake.rejected`` stays empty), and every
interaction is answered within Discord's 3 s.

Where the fake only approximates Discord (see the note at the end of this module), the test says so.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.storage import FlagState
from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import JSON, FakeDiscord
from tests.e2e.test_commands import answer, reply_to, sub
from tests.e2e.test_moderation_flow import BASIS, LABEL, NAME, POSTER, assert_no_secret, button_ids

pytestmark = pytest.mark.e2e

MANAGE_GUILD = 1 << 5
MODERATOR = 900_000_000_000_000_301
TRUSTED = 900_000_000_000_000_302
MEMBERS = [900_000_000_000_000_400 + i for i in range(6)]
COLLAR = "PC 4471"


def option(name: str, kind: int, value: Any) -> JSON:
    return {"name": name, "type": kind, "value": value}


def queue_entry(fake: FakeDiscord, flag_id: int) -> JSON:
    """The queue message of ``flag_id`` as Discord holds it (the latest edit)."""
    for msg in fake.messages.values():
        if msg["channel_id"] == str(fake.queue_id) and any(
                (e.get("footer") or {}).get("text") == f"flag {flag_id}" for e in msg.get("embeds", [])):
            return msg
    raise AssertionError(f"flag {flag_id} is not in the queue")


def ephemeral_reply(fake: FakeDiscord, command: JSON, data: JSON) -> JSON:
    """The ephemeral reply a button is pressed on: Discord links it to the command that made it."""
    message = fake.message_payload(fake.bot_user_id, data.get("content") or "", channel_id=int(command["channel_id"]))
    message.update(components=data.get("components") or [], embeds=data.get("embeds") or [], flags=64,
                   interaction_metadata={"id": command["id"], "type": 2, "user": fake.users[MODERATOR],
                                         "authorizing_integration_owners": {}})
    return message


async def page_through(fake: FakeDiscord, command: JSON, pattern: str) -> set[str]:
    """Press Next until it is disabled; returns every ``pattern`` match seen on the pages."""
    data = await answer(fake, command)
    reply = ephemeral_reply(fake, command, data)  # one message, edited in place page after page
    seen: set[str] = set()
    for _ in range(50):
        embed = data["embeds"][0]
        seen |= set(re.findall(pattern, embed.get("description") or ""))
        buttons = {c["label"]: c for row in data.get("components") or [] for c in row["components"]}
        if not buttons or buttons["Next"].get("disabled"):
            return seen
        pressed = await fake.press_button(reply, buttons["Next"]["custom_id"], user_id=MODERATOR)
        turned = (await reply_to(fake, pressed)).body
        assert turned["type"] == 7, "the page is edited in place"
        data = turned["data"]
        reply.update(embeds=data["embeds"], components=data["components"])
    raise AssertionError("the pager never ended")


async def decide(fake: FakeDiscord, flag_id: int, decision: str) -> str:
    """A moderator presses ``decision`` on the flag's queue entry; returns the (ephemeral) answer."""
    entry = queue_entry(fake, flag_id)
    pressed = await fake.press_button(entry, button_ids(entry)[decision], user_id=MODERATOR)
    reply = await answer(fake, pressed)
    assert reply["flags"] & 64
    return str(reply["content"])


async def test_a_moderators_day(fake: FakeDiscord, runner: BotRunner) -> None:
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    fake.add_user(TRUSTED, "trusted", roles=[fake.exempt_role_id])
    fake.add_user(POSTER, "poster")
    for uid in MEMBERS:
        fake.add_user(uid, f"member{uid % 100}")
    bot = await runner.start()
    admin = {"user_id": fake.owner_id, "permissions": MANAGE_GUILD}

    # -- the admin sets the bot up --------------------------------------------------------------------
    forum, queue = fake.channels[fake.forum_id], fake.channels[fake.queue_id]
    roles = {r["id"]: r for r in fake.roles()}
    setup = [
        ([{"type": 1, "name": "forum", "options": [option("change", 3, "add"), option("channel", 7,
                                                                                     str(fake.forum_id))]}],
         {"channels": {str(fake.forum_id): {**forum, "permissions": "0"}}}),
        ([{"type": 1, "name": "queue", "options": [option("channel", 7, str(fake.queue_id))]}],
         {"channels": {str(fake.queue_id): {**queue, "permissions": "0"}}}),
        ([{"type": 1, "name": "modrole", "options": [option("role", 8, str(fake.mod_role_id))]}],
         {"roles": {str(fake.mod_role_id): roles[str(fake.mod_role_id)]}}),
        ([{"type": 1, "name": "exempt", "options": [option("change", 3, "add"),
                                                    option("role", 8, str(fake.exempt_role_id))]}],
         {"roles": {str(fake.exempt_role_id): roles[str(fake.exempt_role_id)]}}),
        (sub("action", category="protected_identity", action="review", kind="identifier"), None),
        (sub("action", category="protected_identity", action="review", kind="identifier_number"), None),
        (sub("escalation", ladder="3:warn, 5:timeout:30"), None),
        (sub("rules", url="https://example.org/rules"), None),
    ]
    for options, resolved in setup:
        ran = await fake.slash("settings", options, resolved=resolved, **admin)
        reply = await answer(fake, ran)
        assert reply["flags"] & 64 and reply.get("embeds"), reply
    refused = await fake.slash("settings", sub("show"), user_id=MODERATOR)
    assert "Manage Server" in (await answer(fake, refused))["content"]

    # -- a member opens a forum post; the moderator registers a party through the form ---------------
    thread, opening = await fake.create_thread("R v Example: the trial", "The trial starts today.",
                                               author_id=POSTER)
    tid = int(thread["id"])
    await runner.wait_checked(opening["id"])
    opened = await fake.slash("case", sub("protect"), user_id=MODERATOR, channel_id=tid)
    modal = (await reply_to(fake, opened)).body
    assert modal["type"] == 9
    inputs = {re.split(r"\W", row["components"][0]["label"])[0]: row["components"][0]["custom_id"]
              for row in modal["data"]["components"]}
    submitted = await fake.submit_modal(modal["data"]["custom_id"], {
        inputs["Label"]: LABEL, inputs["Legal"]: BASIS, inputs["Names"]: NAME, inputs["Identifiers"]: COLLAR,
    }, user_id=MODERATOR, channel_id=tid)
    assert "1 name(s) and 1 identifier(s)" in (await answer(fake, submitted))["content"]

    # -- a member posts, edits and retitles; an exempt member's post stays up ---------------------------
    named = await fake.send_message(POSTER, f"It was {NAME}, everyone at the school knows", channel_id=tid)
    await fake.wait_for_request("DELETE", rf"^/channels/{tid}/messages/{named['id']}$")
    clean = await fake.send_message(POSTER, "Reporting restrictions apply here.", channel_id=tid)
    await runner.wait_checked(clean["id"])
    await fake.edit_message(clean, f"Reporting restrictions apply here. Not that {NAME} cares.")
    await fake.wait_for_request("DELETE", rf"^/channels/{tid}/messages/{clean['id']}$")
    await fake.rename_thread(tid, f"R v Example: {NAME} gives evidence")
    collar = await fake.send_message(MEMBERS[0], f"The arresting officer was {COLLAR}", channel_id=tid)
    trusted = await fake.send_message(TRUSTED, f"Please do not name {NAME} here", channel_id=tid)
    await runner.wait_checked(trusted["id"])
    await settle(bot, lambda: len([m for m in fake.messages.values()
                                   if m["channel_id"] == str(fake.queue_id)]) == 4)
    assert int(trusted["id"]) in fake.messages and int(collar["id"]) in fake.messages
    flags = {key: await bot.store.flags.latest_for_message(key)
             for key in (named["id"], clean["id"], f"title-{tid}", collar["id"])}
    assert all(f is not None for f in flags.values()), "each lands in the queue"
    assert flags[collar["id"]].action == "review", "the admin's kind override applies"
    assert await bot.store.flags.latest_for_message(trusted["id"]) is None

    # -- a busy day: 40 cases and 60 flags ----------------------------------------------------------
    for i in range(39):
        _, first = await fake.create_thread(f"Case {i}: hearing notes and discussion", "Notes.",
                                                author_id=MEMBERS[i % len(MEMBERS)])
    await runner.wait_checked(first["id"])
    for i in range(56):
        await fake.send_message(MEMBERS[i % len(MEMBERS)], f"Day {i}: they say {NAME} was there", channel_id=tid)
    await settle(bot, lambda: len([m for m in fake.messages.values()
                                   if m["channel_id"] == str(fake.queue_id)]) == 60, timeout=60)
    assert await bot.store.flags.count(fake.guild_id, state="open") == 60

    listed = await fake.slash("flags", sub("list"), user_id=MODERATOR)
    flag_ids = await page_through(fake, listed, r"`(\d+)`")
    assert len(flag_ids) == 60, "every open flag can be reached"
    cases = await fake.slash("case", sub("show"), user_id=MODERATOR)
    assert len(await page_through(fake, cases, r"`([^`]+)`")) == 40

    # -- decisions ------------------------------------------------------------------------------------
    assert "confirm" in (await decide(fake, flags[named["id"]].flag_id, "confirm")).lower()
    await decide(fake, flags[clean["id"]].flag_id, "restore")
    [hook] = await fake.wait_for_request("POST", rf"^/webhooks/(?!{fake.app_id}/)\d+/[^/]+$")
    assert hook.query.get("thread_id") == str(tid), "restored into the thread through a webhook"
    reply = await decide(fake, flags[collar["id"]].flag_id, "allow")
    assert "allow-list entr" in reply
    again = await fake.send_message(MEMBERS[0], f"The arresting officer was {COLLAR}", channel_id=tid)
    assert (await runner.wait_checked(again["id"])).flag_id is None, "allow-listed in that context"
    await decide(fake, flags[f"title-{tid}"].flag_id, "escalate")
    await decide(fake, flags[named["id"]].flag_id, "timeout")
    [patch] = await fake.wait_for_request("PATCH", rf"^/guilds/{fake.guild_id}/members/{POSTER}$")
    assert patch.body["communication_disabled_until"]
    await settle(bot)

    # -- the bot restarts; a button pressed after the restart still works ------------------------------
    await runner.stop()
    bot = await runner.start()
    later = sorted(flag_ids - {str(f.flag_id) for f in flags.values()})[0]
    assert "dismiss" in (await decide(fake, int(later), "dismiss")).lower()
    await settle(bot)
    assert (await bot.store.flags.get(int(later))).state is FlagState.DISMISSED

    # -- /flags stats shows the day's counts ------------------------------------------------------------
    stats = await fake.slash("flags", sub("stats"), user_id=MODERATOR)
    fields = (await answer(fake, stats))["embeds"][0]["fields"]
    shown = {k: sum(int(m[1]) for f in fields if (m := re.search(rf"{k} (\d+)", f["value"])))
             for k in ("flags", "confirmed", "dismissed")}
    stored = await bot.store.flags.stats(fake.guild_id)
    assert shown == {"flags": sum(s.flags for s in stored), "confirmed": sum(s.confirmed for s in stored),
                     "dismissed": sum(s.dismissed for s in stored)}
    assert shown["flags"] >= 60 and shown["confirmed"] >= 1 and shown["dismissed"] >= 2
    by_state = {s: await bot.store.flags.count(fake.guild_id, state=s)
                for s in ("open", "confirmed", "restored", "dismissed", "escalated")}
    assert by_state == {"open": 55, "confirmed": 1, "restored": 1, "dismissed": 2, "escalated": 1}, by_state
    assert not fake.rejected, f"Discord would have refused: {fake.rejected[:3]}"
    # nothing but the messages a moderator put back (restore, dismiss) carries the name to Discord
    put_back = re.compile(rf"^/webhooks/(?!{fake.app_id}/)\d+/")
    assert_no_secret("\n".join(r.raw for r in fake.requests if not put_back.match(r.path)))
    assert COLLAR not in "\n".join(r.raw for r in fake.requests if r.path.startswith(("/interactions", "/webhooks"))
                                   and r is not hook)


# What in this test approximates Discord (the fake is a stand-in, not Discord):
# - Permissions are whatever the test puts in the interaction payload; the fake does not compute them
#   from roles and overwrites, and does not hide /settings from members without Manage Server (it only
#   records default_member_permissions; the bot's own check refuses them).
# - An ephemeral reply is not stored by the fake; pressing a button on one is simulated with a message
#   built from the reply, linked to its command through interaction_metadata, as Discord sends it.
# - Timing: the 3 s deadline is enforced on loopback, where nothing is slow unless a test injects it.
# - The gateway sends no heartbeat ACK timing, no resume, no member chunks, no presence.
# - Rate limits appear only where a test injects them; Discord's per-route buckets are not modelled.
# - Markdown, mentions and embed rendering are not checked, only lengths and counts.
