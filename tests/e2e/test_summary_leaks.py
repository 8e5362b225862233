"""Summary leak test (issue #13): ``/case source add`` with a URL whose slug holds the protected name, a page
whose text names the party (by full name, surname alone and first name alone), and an opening post naming
the party; the public summary embed, every request body the bot sent and the database hold no registered
string, and the summary still reads (the party relabelled, the link withheld)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import pytest

from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord, wait_until
from tests.e2e.test_commands import sub
from tests.e2e.test_leaks import found_in, variants
from tests.e2e.test_moderation_flow import BASIS, LABEL, MODERATOR, NAME, POSTER, SCHOOL

pytestmark = pytest.mark.e2e

FIRST, SURNAME = NAME.split()
PAGE = f"""<html><head><title>Teacher charged after complaint by {NAME}</title></head><body><article>
<h1>Teacher charged after complaint by {NAME}</h1>
<p>A teacher at a primary school has been charged with three offences following a complaint by a pupil,
{NAME}, police said on Tuesday.</p>
<p>The 41-year-old man appeared at Northgate Magistrates' Court on Wednesday and was remanded on bail.</p>
<p>{SURNAME} told her mother about the messages in March 2023, the court heard.</p>
<p>{FIRST} was 12 at the time, prosecutors said.</p>
<p>The case was sent to the Crown Court, where a trial is expected to begin next spring.</p>
<p>A spokesperson for {SCHOOL} said it was cooperating fully with the police investigation.</p>
</article></body></html>"""


async def test_source_with_a_named_slug_text_and_opening_post_leaks_nothing(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    needles = variants(NAME, SCHOOL)
    runner.overrides["fetch_allow_private"] = True  # the fake serves the page on loopback
    fake.add_user(POSTER, "poster")
    fake.add_user(MODERATOR, "mod", roles=[fake.mod_role_id])
    bot = await runner.start()
    await runner.configure(**default_settings)
    before = len(fake.requests)
    thread, _ = await fake.create_thread(
        "R v Example: trial", f"{NAME} gave evidence today. The teacher denies three offences at Northgate "
        f"Magistrates' Court, and {SURNAME} is said to be doing well.", author_id=fake.owner_id)
    tid = int(thread["id"])
    await wait_until(lambda: bot.get_channel(tid) is not None)
    await settle(bot)
    case = await bot.store.cases.for_thread(tid)
    assert case is not None
    await bot.moderation.protect(case.case_id, LABEL, BASIS, [NAME], [SCHOOL], actor_id=str(MODERATOR))
    await settle(bot)

    slug = NAME.lower().replace(" ", "-") + "-teacher-charged"
    fake.pages[slug] = PAGE
    added = await fake.slash("case", [{"type": 2, "name": "source",
                                       "options": sub("add", url=f"{fake.base_url}/pages/{slug}")}],
                             user_id=MODERATOR, channel_id=tid)
    [reply] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{added['token']}$")
    assert "Added" in reply.body["content"], reply.body

    asked = await fake.slash("case", sub("summary"), user_id=POSTER, channel_id=tid)
    [followup] = await fake.wait_for_request("POST", rf"^/webhooks/{fake.app_id}/{asked['token']}$")
    embed = followup.body["embeds"][0]
    shown = json.dumps(embed)
    assert f"{LABEL.capitalize()} told her mother" in embed["description"]  # relabelled, not dropped
    assert "/pages/" not in shown, "a link whose slug names the party is withheld"
    assert "Magistrates' Court" in embed["description"]
    await settle(bot)

    bodies = "\n".join(r.raw for r in fake.requests[before:] if r.method != "GET")
    assert found_in(shown, needles) == []
    assert found_in(bodies, needles) == [], "a registered string in a request body"
    with sqlite3.connect(runner.db_path) as conn:
        dump = "\n".join(conn.iterdump())
    assert found_in(dump, needles) == [], "a registered string in the database"
    await runner.stop()
    files = [p for p in (runner.db_path, runner.db_path.with_name(runner.db_path.name + "-wal")) if p.exists()]
    assert all(found_in(p.read_bytes(), needles) == [] for p in files)
