"""``/case public add|remove``: a public party registered from Discord, hashed, never echoed, never a protected one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import BotRunner
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_commands import answer, sub
from tests.e2e.test_moderation_flow import LABEL, MODERATOR, start_watching

pytestmark = pytest.mark.e2e

DEFENDANT = "Gareth Pennywhistle"  # invented: named in open court


def public(name: str, **options: Any) -> list[dict[str, Any]]:
    return [{"type": 2, "name": "public", "options": sub(name, **options)}]


async def test_public_party_added_and_removed_from_discord(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, runner, default_settings)
    tid = int(thread["id"])
    case = await bot.store.cases.for_thread(tid)

    added = await answer(fake, await fake.slash(
        "case", public("add", label="the defendant", names=f"{DEFENDANT}, Gaz"), user_id=MODERATOR, channel_id=tid))
    assert "the defendant" in added["content"] and "2 names" in added["content"] and added["flags"] & 64
    assert DEFENDANT not in str(added) and "Gaz" not in added["content"]
    services = bot.services
    assert [p.label for p in await services.cases.public_parties(case.case_id)] == ["the defendant"]
    assert [p.label for p in await services.cases.parties(case.case_id)] == [LABEL], "not a protected party"
    async with bot.store.db.transaction() as conn:
        rows = await conn.fetchall("SELECT records_json FROM protected_parties WHERE case_id = ?", (case.case_id,))
    assert rows and not any(DEFENDANT.lower() in str(r).lower() for r in rows), "hashed, never stored plain"

    clash = await answer(fake, await fake.slash(
        "case", public("add", label=LABEL, names="Someone Else"), user_id=MODERATOR, channel_id=tid))
    assert "protected party has that label" in clash["content"]
    assert [p.label for p in await services.cases.parties(case.case_id)] == [LABEL], "protection kept"

    gone = await answer(fake, await fake.slash(
        "case", public("remove", label="the defendant"), user_id=MODERATOR, channel_id=tid))
    assert "Removed the public party" in gone["content"]
    assert await services.cases.public_parties(case.case_id) == []
    not_public = await answer(fake, await fake.slash(
        "case", public("remove", label=LABEL), user_id=MODERATOR, channel_id=tid))
    assert "No public party" in not_public["content"]
    assert [p.label for p in await services.cases.parties(case.case_id)] == [LABEL], "remove never unprotects"
