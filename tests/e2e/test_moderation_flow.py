"""End to end: the real discord.py client and bot against the loopback Discord stand-in.

A protected party is registered for the case of a forum post; messages naming them are taken down,
the author is told why without the detail, the queue gets an embed without the detail, and moderators
decide with buttons that survive a restart. No registered string ever reaches a request body.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot.storage import FlagState
from cogs._checks import REFUSAL
from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import MANAGE_MESSAGES, FakeDiscord, Recorded, wait_until

pytestmark = pytest.mark.e2e

LABEL = "the complainant"
BASIS = "Sexual Offences (Amendment) Act 1992, s.1"
NAME = "Maisie Thornbury"
SCHOOL = "Larkhill Primary School"
SECRETS = ("maisie", "thornbury", "larkhill")
POSTER = 900_000_000_000_000_200
MODERATOR = 900_000_000_000_000_201
BYSTANDER = 900_000_000_000_000_202
TRUSTED = 900_000_000_000_000_203


def assert_no_secret(text: str) -> None:
    lowered = text.lower()
    for secret in SECRETS:
        assert secret not in lowered, "a registered string reached Discord"


async def start_watching(fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any],
                         **start: Any) -> tuple[Any, dict[str, Any]]:
    """Start the bot, configure the guild, open a forum post and protect a party of its case."""
    fake.add_user(POSTER, "poster")
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    fake.add_user(BYSTANDER, "bystander")
    fake.add_user(TRUSTED, "trusted", roles=[fake.exempt_role_id])
    bot = await runner.start(**start)
    await runner.configure(**default_settings)
    thread, _ = await fake.create_thread("R v Example: trial discussion", "Reporting from the trial today.",
                                         author_id=fake.owner_id)
    tid = int(thread["id"])
    await wait_until(lambda: bot.get_channel(tid) is not None)
    await settle(bot)
    case = await bot.store.cases.for_thread(tid)
    assert case is not None, "a new forum post opens a case"
    await bot.moderation.protect(case.case_id, LABEL, BASIS, [NAME], [SCHOOL], actor_id=str(MODERATOR))
    return bot, thread


def queue_posts(fake: FakeDiscord) -> list[Recorded]:
    return [r for r in fake.find("POST", rf"^/channels/{fake.queue_id}/messages$") if r.status < 300]


def button_ids(message: dict[str, Any]) -> dict[str, str]:
    ids = {}
    for row in message.get("components", []):
        for comp in row.get("components", []):
            m = re.fullmatch(r"cw:review:([a-z]+):(\d+)", comp.get("custom_id", ""))
            if m:
                ids[m[1]] = comp["custom_id"]
    return ids


def queue_message(fake: FakeDiscord) -> dict[str, Any]:
    posted = [m for m in fake.messages.values() if m["channel_id"] == str(fake.queue_id)]
    assert posted, "nothing was posted to the queue"
    return posted[-1]


async def test_protected_name_is_removed_author_told_queue_gets_embed(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    msg = await fake.send_message(POSTER, f"Everyone knows the girl is {NAME}, it was all over the estate",
                                  channel_id=int(thread["id"]))
    await fake.wait_for_request("DELETE", rf"/channels/{thread['id']}/messages/{msg['id']}$")
    await settle(bot, lambda: bool(queue_posts(fake)))

    dm_open = fake.find("POST", r"^/users/@me/channels$")
    assert dm_open and int(dm_open[-1].body["recipient_id"]) == POSTER
    dm_channel = next(c for c, v in fake.channels.items() if v["type"] == 1)
    dm = fake.find("POST", rf"^/channels/{dm_channel}/messages$")
    assert dm, "the author gets a DM"
    notice = dm[-1].body["content"]
    assert LABEL in notice and "Sexual Offences" in notice and "https://example.org/rules" in notice

    embed = queue_posts(fake)[-1].body["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert "Protected identity" in embed["title"]
    assert fields["Action"] == "removed"
    assert f"<@{POSTER}>" in fields["Author"]
    assert f"/channels/{fake.guild_id}/{thread['id']}/{msg['id']}" in fields["Where"]
    assert fields["Author's recent flags"] == "1"
    assert LABEL in fields["Excerpt (redacted)"]
    assert set(button_ids(queue_message(fake))) >= {"confirm", "restore", "dismiss", "escalate", "timeout"}

    flag = await bot.store.flags.latest_for_message(msg["id"])
    assert flag is not None and flag.state is FlagState.OPEN and flag.action == "remove"
    assert all(item.status == "done" for item in await bot.store.outbox.for_flag(flag.flag_id))
    assert_no_secret(fake.all_request_text())


async def test_clean_message_causes_no_request(fake: FakeDiscord, runner: BotRunner,
                                               default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    before = len(fake.requests)
    for text in ("The jury is expected to retire tomorrow afternoon.",
                 "Reporting restrictions apply, so be careful what you post.",
                 "Maisie from the press office said the court sits at ten."):  # a first name alone, untied
        msg = await fake.send_message(POSTER, text, channel_id=int(thread["id"]))
        outcome = await runner.wait_checked(msg["id"])
        assert outcome.verdict is not None and not outcome.verdict.flags
    await settle(bot)
    assert fake.requests[before:] == []


async def test_exempt_roles_bots_and_webhooks_are_skipped(fake: FakeDiscord, runner: BotRunner,
                                                          default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    before = len(fake.requests)
    await fake.send_message(TRUSTED, f"{NAME} was named in court", channel_id=int(thread["id"]))
    await fake.send_message(fake.bot_user_id, f"{NAME} was named in court", channel_id=int(thread["id"]))
    hooked = fake.message_payload(POSTER, f"{NAME} again", channel_id=int(thread["id"]), webhook_id=12345)
    await fake.dispatch("MESSAGE_CREATE", hooked)
    await settle(bot)
    assert fake.requests[before:] == []
    assert await bot.store.flags.count(fake.guild_id, state=None) == 0


async def test_edit_adding_an_identifier_is_caught_and_repeat_edit_is_not_realerted(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    # leave it up, so that edits matter
    settings = {**default_settings, "policy": {"protected_identity": "review", "identifying_detail": "review"}}
    bot, thread = await start_watching(fake, runner, settings)
    msg = await fake.send_message(POSTER, "The girl went to a local primary.", channel_id=int(thread["id"]))
    await runner.wait_checked(msg["id"])
    await settle(bot)
    assert not queue_posts(fake)
    edited = await fake.edit_message(msg, f"The girl went to a local primary, {SCHOOL}.")
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    await fake.edit_message(edited, f"The girl went to a local primary, {SCHOOL}. Shocking.")
    await settle(bot)
    assert len(queue_posts(fake)) == 1, "an edit that only repeats the flag raises no second alert"
    assert not fake.find("DELETE"), "policy said review: the message stays up"
    assert_no_secret(fake.all_request_text())


async def test_title_naming_a_party_is_retitled(fake: FakeDiscord, runner: BotRunner,
                                                default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    await fake.rename_thread(int(thread["id"]), f"Trial: is it {NAME}?")
    patched = await fake.wait_for_request("PATCH", rf"^/channels/{thread['id']}$")
    assert_no_secret(patched[-1].raw)
    assert LABEL in patched[-1].body["name"]
    await settle(bot)


async def test_moderator_button_changes_state_and_is_audited_non_moderator_refused(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    msg = await fake.send_message(POSTER, f"It's {NAME}, obviously", channel_id=int(thread["id"]))
    await settle(bot, lambda: bool(queue_posts(fake)))
    queued = queue_message(fake)
    flag = await bot.store.flags.latest_for_message(msg["id"])
    assert flag is not None

    refused = await fake.press_button(queued, button_ids(queued)["confirm"], user_id=BYSTANDER)
    [reply] = await fake.wait_for_request("POST", rf"^/interactions/{refused['id']}/")
    assert reply.body["data"]["content"] == REFUSAL and reply.body["data"]["flags"] & 64
    assert (await bot.store.flags.get(flag.flag_id)).state is FlagState.OPEN

    pressed = await fake.press_button(queued, button_ids(queued)["confirm"], user_id=MODERATOR)
    [reply] = await fake.wait_for_request("POST", rf"^/interactions/{pressed['id']}/")
    assert reply.body["data"]["flags"] & 64, "the moderator's confirmation is ephemeral"
    await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{pressed['token']}$")
    await settle(bot)
    assert (await bot.store.flags.get(flag.flag_id)).state is FlagState.CONFIRMED
    decisions = [a for a in await bot.store.audit.for_flag(flag.flag_id) if a.actor_id == str(MODERATOR)]
    assert [(a.decision, a.state_before, a.state_after) for a in decisions] == [("confirm", "open", "confirmed")]
    assert not [a for a in await bot.store.audit.for_flag(flag.flag_id) if a.actor_id == str(BYSTANDER)]
    # the queue entry is edited to show the decision
    edits = await fake.wait_for_request("PATCH", rf"^/channels/{fake.queue_id}/messages/{queued['id']}$")
    assert "confirmed" in edits[-1].body["embeds"][0]["title"]

    # Manage Messages without the role also counts as a moderator
    again = await fake.press_button(queued, button_ids(queued)["escalate"], user_id=BYSTANDER,
                                    permissions=MANAGE_MESSAGES)
    await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{again['token']}$")
    await settle(bot)
    assert (await bot.store.flags.get(flag.flag_id)).state is FlagState.ESCALATED

    timed = await fake.press_button(queued, button_ids(queued)["timeout"], user_id=MODERATOR)
    await fake.wait_for_request("POST", rf"^/interactions/{timed['id']}/")
    [patch] = await fake.wait_for_request("PATCH", rf"^/guilds/{fake.guild_id}/members/{POSTER}$")
    assert patch.body["communication_disabled_until"]
    await settle(bot)
    last = (await bot.store.audit.for_flag(flag.flag_id))[-1]
    assert (last.actor_id, last.decision, last.note) == (str(MODERATOR), "timeout", "60 minutes")


async def test_button_works_after_restart_on_the_same_database(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    msg = await fake.send_message(POSTER, f"{NAME} is the one", channel_id=int(thread["id"]))
    await settle(bot, lambda: bool(queue_posts(fake)))
    queued = queue_message(fake)
    flag_id = (await bot.store.flags.latest_for_message(msg["id"])).flag_id
    await runner.stop()

    bot = await runner.start()
    pressed = await fake.press_button(queued, button_ids(queued)["dismiss"], user_id=MODERATOR)
    await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{pressed['token']}$")
    await settle(bot)
    assert (await bot.store.flags.get(flag_id)).state is FlagState.DISMISSED
    # a wrongly removed message is put back under the author's name through a webhook
    [hook] = await fake.wait_for_request("POST", rf"^/webhooks/(?!{fake.app_id}/)\d+/[^/]+$")
    assert hook.query.get("thread_id") == thread["id"]
    assert hook.body["username"] == "Poster" and NAME in hook.body["content"]


async def test_held_message_is_restored_through_a_webhook(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    settings = {**default_settings, "policy": {"protected_identity": "hold"}}
    bot, thread = await start_watching(fake, runner, settings)
    msg = await fake.send_message(POSTER, f"Heard it was {NAME}", channel_id=int(thread["id"]))
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    await settle(bot, lambda: bool(queue_posts(fake)))
    held = await bot.store.flags.held((await bot.store.flags.latest_for_message(msg["id"])).flag_id)
    assert held is not None and NAME not in held.original_sealed and LABEL in held.redacted
    queued = queue_message(fake)
    pressed = await fake.press_button(queued, button_ids(queued)["restore"], user_id=MODERATOR)
    await fake.wait_for_request("POST", rf"^/interactions/{pressed['id']}/")
    [hook] = await fake.wait_for_request("POST", rf"^/webhooks/(?!{fake.app_id}/)\d+/[^/]+$")
    assert hook.body["content"] == f"Heard it was {NAME}"
    await settle(bot)
    assert fake.find("POST", rf"^/channels/{fake.forum_id}/webhooks$"), "the webhook is made on the forum"


async def test_rate_limited_delete_is_retried_and_not_lost(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    fake.rate_limit("DELETE", r"/channels/\d+/messages/\d+$", times=1, retry_after=0.25)
    msg = await fake.send_message(POSTER, f"{NAME} again", channel_id=int(thread["id"]))
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    deletes = fake.find("DELETE", rf"/messages/{msg['id']}$")
    assert [d.status for d in deletes] == [429, 204]
    await settle(bot, lambda: bool(queue_posts(fake)))
    flag = await bot.store.flags.latest_for_message(msg["id"])
    items = await bot.store.outbox.for_flag(flag.flag_id)
    assert [i.kind for i in items][:1] == ["delete"] and all(i.status == "done" for i in items)


async def test_delete_still_rate_limited_after_retries_is_done_on_restart(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    fake.rate_limit("DELETE", r"/channels/\d+/messages/\d+$", times=5, retry_after=0.05)
    msg = await fake.send_message(POSTER, f"{NAME} again", channel_id=int(thread["id"]))
    await settle(bot, lambda: len(fake.find("DELETE")) >= 5)
    flag = await bot.store.flags.latest_for_message(msg["id"])
    await wait_until(lambda: _delete_item(bot, flag.flag_id, "pending", attempts=1))
    assert msg["id"] and int(msg["id"]) in fake.messages, "still up: every attempt was rate limited"
    await runner.stop()

    bot = await runner.start()  # the outbox is swept on start
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    await wait_until(lambda: _delete_item(bot, flag.flag_id, "done"))
    assert int(msg["id"]) not in fake.messages


async def _delete_item(bot: Any, flag_id: int, status: str, attempts: int | None = None) -> bool:
    items = [i for i in await bot.store.outbox.for_flag(flag_id) if i.kind == "delete"]
    return bool(items) and items[0].status == status and (attempts is None or items[0].attempts >= attempts)


async def test_a_long_held_message_is_restored_in_parts_within_discords_limit(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    """A Nitro member may post 4,000 characters; a restore sends it back in parts of at most 2,000."""
    settings = {**default_settings, "policy": {"protected_identity": "hold"}}
    bot, thread = await start_watching(fake, runner, settings)
    text = f"Heard it was {NAME}.\n" + " ".join(f"Paragraph {i} of a long post about the hearing." for i in range(70))
    assert 3_000 < len(text) <= 4_000
    msg = await fake.send_message(POSTER, text, channel_id=int(thread["id"]))
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    await settle(bot, lambda: bool(queue_posts(fake)))
    queued = queue_message(fake)
    pressed = await fake.press_button(queued, button_ids(queued)["restore"], user_id=MODERATOR)
    await fake.wait_for_request("POST", rf"^/interactions/{pressed['id']}/")
    await settle(bot, lambda: len(fake.find("POST", rf"^/webhooks/(?!{fake.app_id}/)\d+/[^/]+$")) >= 2)
    await settle(bot)
    hooks = [h for h in fake.find("POST", rf"^/webhooks/(?!{fake.app_id}/)\d+/[^/]+$") if h.status < 300]
    assert len(hooks) == 2 and all(len(h.body["content"]) <= 2_000 for h in hooks)
    assert "".join(h.body["content"] for h in hooks) == text and not fake.rejected
