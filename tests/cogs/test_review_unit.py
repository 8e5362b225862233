"""Unit tests of the moderator check, the review buttons, embeds and the error handler (specced mocks)."""

from __future__ import annotations

import unittest.mock
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.decisions import Decision, DecisionError, DecisionResult
from bot.errors import CasewatchError
from bot.guild_settings import GuildSettings
from bot.storage import FlagState
from bot.storage.repositories.audit import AuditRow
from bot.storage.repositories.flags import FindingRow, FlagRow
from cogs import _embeds, _views
from cogs._checks import REFUSAL, NotModerator, member_is_moderator, refuse
from cogs._client import CasewatchTree, extension_names
from cogs.settings import parse_ladder
from tests.helpers import CasewatchBotMock, MockInteraction, MockMember, MockRole

MOD_ROLE = 4242


def flag_row(**changes: Any) -> FlagRow:
    base: dict[str, Any] = dict(
        flag_id=99, guild_id=1, case_id=5, channel_id=10, message_id="20", author_id="30", author_name="Poster",
        category="protected_identity", action="remove", state=FlagState.OPEN, score=0.97,
        reason="names the complainant (full name)", excerpt="It was [the complainant] all along",
        signature="", queue_channel_id=None, queue_message_id=None, created_at="", updated_at="",
        findings=(FindingRow("protected_identity", "protected_party", "full_name", "the complainant", 0.97,
                             "names the complainant"),),
    )
    return FlagRow(**(base | changes))


def interaction_for(host: CasewatchBotMock, *, roles: list[Any] = (), manage_messages: bool = False,
                    responded: bool = False) -> Any:
    host.services.settings.get.return_value = GuildSettings(moderator_role_id=MOD_ROLE)
    member = MockMember(roles=list(roles))
    interaction = MockInteraction(user=member, permissions=discord.Permissions(manage_messages=manage_messages),
                                  responded=responded, client=host)
    return interaction


async def test_moderator_is_manage_messages_or_the_configured_role() -> None:
    host = CasewatchBotMock()
    assert await member_is_moderator(interaction_for(host, manage_messages=True))
    assert await member_is_moderator(interaction_for(host, roles=[MockRole(id=MOD_ROLE)]))
    assert not await member_is_moderator(interaction_for(host, roles=[MockRole(id=MOD_ROLE + 1)]))


async def test_refuse_is_ephemeral_before_and_after_a_response() -> None:
    fresh = MockInteraction()
    await refuse(fresh)
    fresh.response.send_message.assert_awaited_once_with(REFUSAL, ephemeral=True)
    answered = MockInteraction(responded=True)
    await refuse(answered, "no")
    answered.followup.send.assert_awaited_once_with("no", ephemeral=True)


async def test_button_custom_id_round_trips_through_the_template() -> None:
    button = _views.ReviewButton(Decision.RESTORE, 1234)
    assert button.custom_id == "cw:review:restore:1234"
    match = button.template.fullmatch(button.custom_id)
    assert match is not None
    again = await _views.ReviewButton.from_custom_id(MockInteraction(), button.item, match)
    assert (again.decision, again.flag_id) == (Decision.RESTORE, 1234)


async def test_non_moderator_press_is_refused_and_nothing_is_decided() -> None:
    host = CasewatchBotMock()
    interaction = interaction_for(host)
    button = _views.ReviewButton(Decision.CONFIRM, 7)
    assert not await button.interaction_check(interaction)
    interaction.response.send_message.assert_awaited_once_with(REFUSAL, ephemeral=True)
    host.services.decisions.decide.assert_not_awaited()


async def test_moderator_press_decides_replies_ephemerally_and_runs_actions() -> None:
    host = CasewatchBotMock()
    interaction = interaction_for(host, manage_messages=True)
    host.services.decisions.decide.return_value = DecisionResult(
        flag_row(), FlagState.OPEN, FlagState.CONFIRMED, [3, 4], "Removal confirmed.")
    button = _views.ReviewButton(Decision.CONFIRM, 99)
    assert await button.interaction_check(interaction)
    await button.callback(interaction)
    host.services.decisions.decide.assert_awaited_once_with(99, Decision.CONFIRM, actor_id=str(interaction.user.id),
                                                    guild_id=interaction.guild_id, content=None)
    interaction.response.defer.assert_awaited_once_with(ephemeral=True, thinking=True)
    interaction.followup.send.assert_awaited_once_with("Removal confirmed.", ephemeral=True)
    await host.spawned[0]
    host.actions.run_many.assert_awaited_once_with([3, 4])


async def test_decision_error_is_shown_to_the_moderator() -> None:
    host = CasewatchBotMock()
    interaction = interaction_for(host, manage_messages=True)
    host.services.decisions.decide.side_effect = DecisionError("only a held message can be restored, and only once")
    await _views.ReviewButton(Decision.RESTORE, 99).callback(interaction)
    interaction.followup.send.assert_awaited_once_with(
        "only a held message can be restored, and only once", ephemeral=True)


async def test_review_view_enables_buttons_by_state() -> None:
    def enabled(flag: FlagRow) -> set[str]:
        return {str(i.decision) for i in _views.review_view(flag).children if not i.item.disabled}  # type: ignore

    assert enabled(flag_row()) == {"confirm", "restore", "dismiss", "allow", "escalate", "timeout"}
    assert "restore" not in enabled(flag_row(action="review"))
    assert enabled(flag_row(state=FlagState.DISMISSED)) == {"timeout"}
    assert enabled(flag_row(state=FlagState.CONFIRMED)) == {"escalate", "timeout"}
    custom_ids = [i.custom_id for i in _views.review_view(flag_row()).children]  # type: ignore[attr-defined]
    assert len(custom_ids) == len(set(custom_ids)) and all(c.endswith(":99") for c in custom_ids)


def test_flag_embed_shows_label_reason_scores_link_and_history() -> None:
    audit = [AuditRow(1, 1, 99, "casewatch", "flagged:remove", None, "open", "", "t0"),
             AuditRow(2, 1, 99, "555", "confirm", "open", "confirmed", "", "t1")]
    embed = _embeds.flag_embed(flag_row(state=FlagState.CONFIRMED), recent_flags=3, audit=audit)
    fields = {f.name: f.value for f in embed.fields}
    assert embed.title == "Protected identity — confirmed"
    assert fields["Action"] == "removed" and fields["Author's recent flags"] == "3"
    assert "protected_party: 0.97 (the complainant)" in fields["Scores"]
    assert fields["Where"] == "[jump](https://discord.com/channels/1/10/20)"
    assert fields["Decision"].startswith("confirm by <@555>")
    assert embed.footer.text == "flag 99"


def test_title_flags_link_to_the_thread_and_long_text_is_clipped() -> None:
    embed = _embeds.flag_embed(flag_row(message_id="title-10", excerpt="x" * 3000), recent_flags=0)
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Where"] == "[jump](https://discord.com/channels/1/10)"
    assert len(fields["Excerpt (redacted)"]) == 1000


async def test_app_command_errors_become_one_ephemeral_line() -> None:
    tree = unittest.mock.MagicMock(spec=CasewatchTree)
    for error, expected in (
        (app_commands.CommandOnCooldown(app_commands.Cooldown(1, 60), 41.6), "You asked a moment ago; try "
                                                                             "again in 42 s."),
        (NotModerator(REFUSAL), REFUSAL),
        (app_commands.CheckFailure("x"), REFUSAL),
        (app_commands.CommandInvokeError(unittest.mock.MagicMock(), CasewatchError("no case here")), "no case here"),
        (app_commands.CommandInvokeError(unittest.mock.MagicMock(), RuntimeError("secret detail")),
         "Something went wrong; the error was logged for the bot's operator."),
    ):
        interaction = MockInteraction()
        await CasewatchTree.on_error(tree, interaction, error)
        interaction.response.send_message.assert_awaited_once_with(expected, ephemeral=True)


def test_every_public_module_in_cogs_is_an_extension() -> None:
    names = extension_names()
    assert {"cogs.watch", "cogs.cases", "cogs.flags", "cogs.settings"} <= set(names)
    assert not [n for n in names if n.split(".")[-1].startswith("_")]


def test_escalation_ladder_parses_and_rejects_nonsense() -> None:
    steps = parse_ladder("3:timeout:30, 2:warn")
    assert [(s.after, s.action, s.minutes) for s in steps] == [(2, "warn", 0), (3, "timeout", 30)]
    for bad in ("2:ban", "x:warn", "3:timeout"):
        try:
            parse_ladder(bad)
        except CasewatchError as exc:
            assert "cannot read ladder step" in str(exc)
        else:
            raise AssertionError(f"{bad!r} was accepted")


@pytest.mark.parametrize("bad", ["3:timeout:0", "3:timeout:-5", "3:timeout:40321", "0:warn", "2:warn, 2:timeout:5"])
async def test_the_ladder_transformer_refuses_steps_discord_or_sense_would_not_take(bad: str) -> None:
    from cogs.settings import LadderTransformer

    with pytest.raises(CasewatchError):
        await LadderTransformer().transform(MockInteraction(), bad)


async def test_the_ladder_transformer_returns_sorted_steps() -> None:
    from cogs.settings import LadderTransformer

    steps = await LadderTransformer().transform(MockInteraction(), "3:timeout:40320, 2:warn")
    assert [(s.after, s.action, s.minutes) for s in steps] == [(2, "warn", 0), (3, "timeout", 40320)]


async def test_a_transformer_refusal_is_one_line() -> None:
    from cogs.settings import LadderTransformer

    tree = unittest.mock.MagicMock(spec=CasewatchTree)
    interaction = MockInteraction()
    error = app_commands.TransformerError("3:timeout:0", discord.AppCommandOptionType.string, LadderTransformer())
    error.__cause__ = CasewatchError("ladder step '3:timeout:0': a timeout lasts 1 to 40320 minutes (28 days)")
    await CasewatchTree.on_error(tree, interaction, error)
    interaction.response.send_message.assert_awaited_once_with(str(error.__cause__), ephemeral=True)


def test_no_voice_library_warnings_at_start(caplog: pytest.LogCaptureFixture) -> None:
    """Casewatch never joins voice; discord.py's 'PyNaCl/davey is not installed' warnings are noise."""
    from bot.settings import Settings
    from cogs._client import CasewatchBot
    from tests.e2e.conftest import SECRET, TOKEN

    for flag in ("warn_nacl", "warn_dave"):  # as in a fresh process
        if hasattr(discord.VoiceClient, flag):
            setattr(discord.VoiceClient, flag, True)
    settings = Settings(_env_file=None, discord_token=TOKEN, casewatch_secret_key=SECRET,  # type: ignore[call-arg]
                        database_url="sqlite:///:memory:")
    with caplog.at_level("WARNING", logger="discord"):
        CasewatchBot(settings, sync_commands=False)
    assert "voice will NOT be supported" not in caplog.text
