"""The contract test: every command, modal, embed and view the bot can send, at its largest realistic
size, checked against Discord's documented limits (:mod:`bot.discord_limits`). Independent of the fake:
payloads are built with discord.py's own serialisers, exactly as they would go over the wire."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import discord
import pytest

from bot import discord_limits as limits
from bot.storage import FlagState
from bot.storage.repositories.audit import AuditRow
from bot.storage.repositories.cases import CaseRow, PartyRow
from bot.storage.repositories.flags import DetectorStats, FindingRow, FlagRow
from tests.e2e.conftest import SECRET, TOKEN
from tests.helpers import services_mock

SNOWFLAKE = 1_234_567_890_123_456_789  # 19 digits, as real ids are
THREAD_TITLE = "T" * 100  # Discord's thread-name maximum
LABEL = "L" * 80  # ProtectModal's label max_length
BASIS = "B" * 200  # ProtectModal's basis max_length


def assert_fits(problems: list[limits.Problem], what: str) -> None:
    assert not problems, f"{what} breaks Discord's limits: {problems}"


@pytest.fixture
async def bot() -> AsyncIterator[Any]:
    """The bot with every extension loaded (no connection, no database)."""
    from bot.settings import Settings
    from cogs._client import CasewatchBot, extension_names

    settings = Settings(_env_file=None, discord_token=TOKEN, database_url="sqlite:///:memory:",  # type: ignore[call-arg]
                        casewatch_secret_key=SECRET)
    client = CasewatchBot(settings, sync_commands=False)
    client.services = services_mock()  # what setup_hook builds; the tree does not depend on it
    for name in extension_names():
        await client.load_extension(name)
    try:
        yield client
    finally:
        client.services = None
        await client.close()


def big_flag(flag_id: int = 2**31, state: FlagState = FlagState.OPEN, action: str = "hold") -> FlagRow:
    findings = tuple(FindingRow("abuse", "d" * 40, "k" * 30, "l" * 40, 0.99, "r" * 500) for _ in range(12))
    return FlagRow(flag_id, SNOWFLAKE, 10**6, SNOWFLAKE, str(SNOWFLAKE), str(SNOWFLAKE), "N" * 100,
                   "protected_identity", action, state, 0.99, "R" * 3000, "E" * 4000, "s" * 200,
                   SNOWFLAKE, SNOWFLAKE, "2026-01-01T00:00:00+00:00", "2026-01-01T00:00:00+00:00", findings)


def big_audit() -> list[AuditRow]:
    return [AuditRow(i, SNOWFLAKE, 1, str(SNOWFLAKE), "confirm", "open", "confirmed", "n" * 500,
                     "2026-01-01T00:00:00+00:00") for i in range(50)]


def message(content: str | None = None, embeds: list[discord.Embed] = (), view: discord.ui.View | None = None,  # type: ignore[assignment]
            ) -> dict[str, Any]:
    return {"content": content, "embeds": [e.to_dict() for e in embeds],
            "components": view.to_components() if view is not None else None}


# -- commands ------------------------------------------------------------------------------------

async def test_every_command_fits(bot: Any) -> None:
    from cogs._client import command_payloads

    payloads = command_payloads(bot.tree)
    assert {p["name"] for p in payloads} >= {"case", "flags", "settings"}
    assert_fits(limits.check_commands(payloads), "the command tree")


async def test_settings_group_needs_manage_server_in_the_payload(bot: Any) -> None:
    from cogs._client import command_payloads

    [settings] = [p for p in command_payloads(bot.tree) if p["name"] == "settings"]
    assert str(settings["default_member_permissions"]) == str(discord.Permissions(manage_guild=True).value)


# -- modals --------------------------------------------------------------------------------------

async def test_protect_modal_fits(bot: Any) -> None:
    from cogs.cases import ProtectModal

    case = CaseRow(10**6, SNOWFLAKE, "k" * 64, THREAD_TITLE, "england-wales", "2026-01-01")
    assert_fits(limits.check_modal(ProtectModal(bot.services, case).to_dict()), "the /case protect form")


# -- embeds and views ----------------------------------------------------------------------------

async def test_queue_entry_fits_at_its_largest() -> None:
    from cogs import _embeds, _views

    for state in FlagState:
        flag = big_flag(state=state)
        payload = message(embeds=[_embeds.flag_embed(flag, recent_flags=10**6, audit=big_audit())],
                          view=_views.review_view(flag))
        assert_fits(limits.check_message(payload), f"a {state} queue entry")


def test_stats_embed_fits_with_many_detectors() -> None:
    from cogs import _embeds

    stats = [DetectorStats("d" * 60, 10**6, 10**6, 10**6) for _ in range(80)]
    assert_fits(limits.check_message(message(embeds=[_embeds.stats_embed(stats)])), "/flags stats")


def test_settings_embed_fits_when_everything_is_set() -> None:
    from bot.guild_settings import EscalationStep, GuildSettings
    from cogs.settings import describe

    settings = GuildSettings(
        watched_forum_ids=[SNOWFLAKE + i for i in range(60)], queue_channel_id=SNOWFLAKE,
        moderator_role_id=SNOWFLAKE, exempt_role_ids=[SNOWFLAKE + i for i in range(60)],
        policy={f"category_{i}:kind_{i}": "hold" for i in range(80)},
        abuse_thresholds={f"label_{i}": 0.5 for i in range(30)},
        escalation=[EscalationStep(after=i + 1, action="timeout", minutes=40320) for i in range(40)],
        rules_url="https://example.org/" + "r" * 500)
    payload = message("Exempt roles updated.", embeds=[describe(settings)])
    assert_fits(limits.check_message(payload), "/settings show")


def test_case_show_fits_with_many_parties() -> None:
    from cogs._embeds import case_embed

    case = CaseRow(10**6, SNOWFLAKE, "k" * 64, THREAD_TITLE, "england-wales", "2026-01-01")
    parties = [PartyRow(i, case.case_id, LABEL, BASIS, [], 50, 50) for i in range(30)]
    embed = case_embed(case, parties, threads=10**4, allowlist=10**4)
    assert_fits(limits.check_message(message(embeds=[embed])), "/case show <key>")


async def test_case_list_pages_fit_with_many_long_titles() -> None:
    from cogs._embeds import case_page_embed
    from cogs._pager import PAGE_SIZE, Paginator, page_count

    cases = [CaseRow(i, SNOWFLAKE, "k" * 64, THREAD_TITLE, "england-wales", "2026-01-01") for i in range(500)]
    pages = page_count(len(cases))

    async def render(page: int) -> discord.Embed:
        return case_page_embed(cases[page * PAGE_SIZE:(page + 1) * PAGE_SIZE], page=page, pages=pages,
                               total=len(cases))

    view = Paginator(render, pages=pages, owner_id=SNOWFLAKE)
    for page in (0, pages - 1):
        payload = message(embeds=[await render(page)], view=view)
        assert_fits(limits.check_message(payload), f"page {page} of /case show")


def test_flag_list_page_fits_at_its_largest() -> None:
    from cogs import _embeds
    from cogs._pager import PAGE_SIZE

    rows = [big_flag(flag_id=2**31 - i) for i in range(PAGE_SIZE)]
    embed = _embeds.flag_page_embed(rows, what="open protected identity", page=10**4, pages=10**4,
                                    total=10**6)
    assert_fits(limits.check_message(message(embeds=[embed])), "a /flags list page")


def test_summary_embed_fits_at_its_largest() -> None:
    from bot.source import Citation
    from bot.summary.build import Summary, SummarySentence
    from cogs.cases import summary_embed

    sentences = [SummarySentence("S" * 400, [1, 2, 3]) for _ in range(40)]  # type: ignore[call-arg]
    sources = [Citation(n=n, title="t" * 300, publisher="p" * 100, published="2026-01-01",
                        url="https://example.org/" + "u" * 300)
               for n in range(1, 30)]
    summary = Summary("1", "T" * 400, sentences, sources, "2026-01-01T00:00:00+00:00", "f" * 64)
    assert_fits(limits.check_message(message(embeds=[summary_embed(summary)])), "/case summary")


def test_review_custom_ids_fit_for_any_flag_id() -> None:
    from bot.decisions import Decision
    from cogs._views import custom_id

    for decision in Decision:
        assert len(custom_id(decision, 2**63 - 1)) <= limits.CUSTOM_ID.value


def test_every_limit_cites_discord_docs() -> None:
    assert len(limits.ALL) >= 25
    for name, row in limits.ALL.items():
        assert row.source.startswith("https://discord.com/developers/docs/"), name
        assert row.value > 0 and row.what, name


def test_error_body_has_discords_shape() -> None:
    body = limits.error_body([("embeds.0.fields.3.value", "Must be 1024 or fewer in length.")])
    assert body["code"] == 50035 and body["message"] == "Invalid Form Body"
    assert body["errors"]["embeds"]["0"]["fields"]["3"]["value"]["_errors"][0]["message"].startswith("Must be")


def test_author_notices_fit_a_message() -> None:
    """The DM an author gets: the thread's name, each named party's legal basis, the rules link."""
    from bot.notices import notice_text, warning_text

    labels = [f"{i}" + LABEL[1:] for i in range(4)]
    findings = tuple(FindingRow("protected_identity", "protected_party", "full_name", label, 0.99, "r")
                     for label in labels)
    flag = big_flag()
    flag = FlagRow(**{**flag.__dict__, "findings": findings})
    rules = "https://example.org/" + "r" * 490  # /settings rules takes at most 512 characters
    for held in (True, False):
        for title in (True, False):
            text = notice_text(flag, thread_name=THREAD_TITLE, basis=dict.fromkeys(labels, BASIS), rules_url=rules,
                               held=held, title=title)
            assert_fits(limits.check_message({"content": text}), "an author's notice")
    assert_fits(limits.check_message({"content": warning_text(rules)}), "the escalation warning")
