"""End to end: the findings of issue #11, each where real Discord would have shown it, in the fake with its
limits on (400 "Invalid Form Body", the 3 s interaction deadline, no ``member`` on REST messages)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_commands import answer, sub
from tests.e2e.test_moderation_flow import (
    MODERATOR,
    NAME,
    POSTER,
    TRUSTED,
    queue_posts,
    start_watching,
)

pytestmark = pytest.mark.e2e


async def test_catch_up_honours_exempt_roles_of_history_messages(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    """REST history carries no member roles: the bot asks Discord for the member (or its cache)."""
    bot, thread = await start_watching(fake, runner, default_settings)
    tid = int(thread["id"])
    seen = await fake.send_message(POSTER, "The trial resumes on Monday.", channel_id=tid)
    await runner.wait_checked(seen["id"])
    await runner.stop()

    trusted = fake.post_offline(TRUSTED, f"Moderator note: posts naming {NAME} will be removed", channel_id=tid)
    naming = fake.post_offline(POSTER, f"It was {NAME}, everyone knows", channel_id=tid)
    bot = await runner.start()
    await fake.wait_for_request("DELETE", rf"^/channels/{tid}/messages/{naming['id']}$")
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    assert int(trusted["id"]) in fake.messages, "the exempt member's message stays up"
    assert await bot.store.flags.latest_for_message(trusted["id"]) is None
    assert fake.find("GET", rf"^/guilds/{fake.guild_id}/members/{TRUSTED}$"), "roles were fetched on a cache miss"


async def test_settings_is_synced_for_manage_server_only(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    await start_watching(fake, runner, default_settings)
    synced = {c["name"]: c for c in fake.commands[str(fake.guild_id)]}
    assert str(synced["settings"]["default_member_permissions"]) == str(1 << 5), "Manage Server"
    assert synced["case"].get("default_member_permissions") is None, "/case summary is for everyone"
    assert not fake.rejected, fake.rejected


async def test_commands_are_synced_only_when_the_tree_changes(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    await start_watching(fake, runner, default_settings)
    puts = lambda: fake.find("PUT", r"/commands$")  # noqa: E731
    assert len(puts()) == 1
    await runner.stop()
    await runner.start()
    assert len(puts()) == 1, "an unchanged tree is not synced again"
    await runner.stop()
    bot = await runner.start()
    assert await bot.sync_app_commands(force=True) and len(puts()) == 2, "python -m bot sync forces it"


async def test_case_show_pages_through_many_cases(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, _ = await start_watching(fake, runner, default_settings)
    for i in range(31):
        await bot.store.cases.create(fake.guild_id, f"case-{i:03d}", f"A long discussion title number {i} " * 2)
    shown = await fake.slash("case", sub("show"), user_id=MODERATOR)
    first = await answer(fake, shown)
    assert len(first.get("content") or "") <= 2000 and not fake.rejected
    keys = set()
    message = fake.message_payload(fake.bot_user_id, "", channel_id=fake.general_id)
    # an ephemeral reply, as Discord sends it with a button press: linked to the command that made it
    message.update(components=first["components"], flags=64, interaction_metadata={
        "id": shown["id"], "type": 2, "user": fake.users[MODERATOR], "authorizing_integration_owners": {}})
    for _ in range(5):
        embed = first["embeds"][0]
        keys |= {line.split("`")[1] for line in embed["description"].splitlines() if line.startswith("`")}
        nxt = next(c for row in first["components"] for c in row["components"] if c["label"] == "Next")
        if nxt.get("disabled"):
            break
        pressed = await fake.press_button(message, nxt["custom_id"], user_id=MODERATOR)
        [turned] = await fake.wait_for_request("POST", rf"^/interactions/{pressed['id']}/")
        first = turned.body["data"]
        message.update(embeds=first["embeds"], components=first["components"])  # the same message, edited
    assert {f"case-{i:03d}" for i in range(31)} <= keys, "every case can be reached"
    await settle(bot)


async def test_a_refused_summary_costs_no_cooldown(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, _ = await start_watching(fake, runner, default_settings)
    await bot.store.cases.create(fake.guild_id, "empty-case", "A case with no sources yet")
    for _ in range(2):
        refused = await fake.slash("case", sub("summary", key="empty-case"), user_id=POSTER)
        text = (await answer(fake, refused))["content"]
        assert "no sources yet" in text, "the refusal started no cooldown"
    assert not fake.rejected
    await settle(bot)


async def test_the_fake_refuses_what_discord_would(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    import discord

    bot, _ = await start_watching(fake, runner, default_settings)
    channel = bot.get_channel(fake.general_id)
    with pytest.raises(discord.HTTPException) as raised:
        await channel.send("x" * 2001)
    assert raised.value.status == 400 and raised.value.code == 50035
    _, body = fake.rejected[-1]
    assert body["errors"]["content"]["_errors"][0]["message"] == "Must be 2000 or fewer in length."
    with pytest.raises(discord.HTTPException):
        await channel.send(embed=discord.Embed(description="d" * 4097))


async def choices(fake: FakeDiscord, name: str, sub_name: str, options: dict[str, Any], focused: str,
                  **kwargs: Any) -> list[dict[str, Any]]:
    """Autocomplete ``focused`` of ``/name sub_name``: the choices the bot offered."""
    def kind(v: Any) -> int:
        return 3 if isinstance(v, str) else 4

    opts = [{"name": k, "type": kind(v), "value": v, **({"focused": True} if k == focused else {})}
            for k, v in options.items()]
    typed = await fake.autocomplete(name, [{"type": 1, "name": sub_name, "options": opts}], **kwargs)
    [reply] = await fake.wait_for_request("POST", rf"^/interactions/{typed['id']}/")
    assert reply.body["type"] == 8 and not fake.rejected
    return reply.body["data"]["choices"]  # type: ignore[no-any-return]


async def test_autocomplete_offers_case_keys_party_labels_and_flag_ids(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    from tests.e2e.test_moderation_flow import BYSTANDER, LABEL

    bot, thread = await start_watching(fake, runner, default_settings)
    tid = int(thread["id"])
    for i in range(40):
        await bot.store.cases.create(fake.guild_id, f"r-v-case-{i:02d}", f"Trial {i}")
    keys = await choices(fake, "case", "show", {"key": "case-1"}, "key", user_id=MODERATOR)
    assert {c["value"] for c in keys} == {f"r-v-case-{i:02d}" for i in range(10, 20)}
    assert len(await choices(fake, "case", "show", {"key": ""}, "key", user_id=MODERATOR)) == 25
    assert await choices(fake, "case", "show", {"key": ""}, "key", user_id=BYSTANDER) == [], "moderators only"

    labels = await choices(fake, "case", "unprotect", {"label": "compl"}, "label", user_id=MODERATOR, channel_id=tid)
    assert [c["value"] for c in labels] == [LABEL]

    msg = await fake.send_message(POSTER, f"It was {NAME}", channel_id=tid)
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    flag = await bot.store.flags.latest_for_message(msg["id"])
    ids = await choices(fake, "flags", "show", {"flag_id": ""}, "flag_id", user_id=MODERATOR)
    assert [c["value"] for c in ids] == [str(flag.flag_id)], "newest open first"

    kinds = await choices(fake, "settings", "action", {"category": "abuse", "kind": "thr"}, "kind",
                          user_id=fake.owner_id, permissions=1 << 5)
    assert [c["value"] for c in kinds] == ["threat"]


async def test_flag_id_is_a_validated_number_and_kind_is_validated(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    """Flag ids are 63-bit: past Discord's INTEGER option (2**53), so the option is digits, autocompleted,
    turned into an int by a Transformer that refuses anything else in one line."""
    from bot.discord_limits import INTEGER_OPTION
    from tests.e2e.test_commands import answer

    bot, thread = await start_watching(fake, runner, default_settings)
    synced = {c["name"]: c for c in fake.commands[str(fake.guild_id)]}
    show = next(o for o in synced["flags"]["options"] if o["name"] == "show")
    [flag_id] = show["options"]
    assert flag_id["type"] == 3 and flag_id["autocomplete"] and flag_id["max_length"] == 20
    msg = await fake.send_message(POSTER, f"It was {NAME}", channel_id=int(thread["id"]))
    await settle(bot, lambda: len(queue_posts(fake)) == 1)
    flag = await bot.store.flags.latest_for_message(msg["id"])
    assert flag.flag_id > INTEGER_OPTION.value, "an INTEGER option could not carry it"
    with pytest.raises(ValueError, match="outside the option's length"):  # what Discord's client refuses
        fake.check_invocation("flags", [{"type": 1, "name": "show", "options": [
            {"name": "flag_id", "type": 3, "value": "1" * 21}]}])
    shown = await fake.slash("flags", sub("show", flag_id=f"#{flag.flag_id}"), user_id=MODERATOR)
    assert (await answer(fake, shown))["embeds"][0]["footer"]["text"] == f"flag {flag.flag_id}"
    for bad in ("abc", "12 34"):
        refused = await fake.slash("flags", sub("show", flag_id=bad), user_id=MODERATOR)
        assert "is not a flag id" in (await answer(fake, refused))["content"]
    ran = await fake.slash("settings", sub("action", category="abuse", action="hold", kind="surname"),
                           user_id=fake.owner_id, permissions=1 << 5)
    assert "has no kind 'surname'" in (await answer(fake, ran))["content"]
    bad = await fake.slash("settings", sub("escalation", ladder="3:timeout:0"), user_id=fake.owner_id,
                           permissions=1 << 5)
    assert "a timeout lasts 1 to 40320 minutes" in (await answer(fake, bad))["content"]


async def test_the_fake_refuses_a_late_or_second_answer_as_discord_does(fake: FakeDiscord) -> None:
    import time

    for late in (False, True):
        interaction = {"id": str(fake.new_id())}
        fake._interactions[interaction["id"]] = (time.monotonic() - (4.0 if late else 0.0), False)
        path = f"/interactions/{interaction['id']}/token/callback"
        body = {"type": 4, "data": {"content": "ok"}}
        status, error = fake._discord_error("POST", path, body)
        if late:
            assert (status, error["code"]) == (404, 10062), "Unknown interaction after 3 s"
            continue
        assert error is None
        status, error = fake._discord_error("POST", path, body)
        assert (status, error["code"]) == (400, 40060), "already acknowledged"
    status, error = fake._discord_error("POST", "/channels/1/messages", {"embeds": [{"fields": [
        {"name": "n", "value": "v" * 1025}]}]})
    assert status == 400 and error["code"] == 50035
    assert error["errors"]["embeds"]["0"]["fields"]["0"]["value"]["_errors"]
