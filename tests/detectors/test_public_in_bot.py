"""Public parties in the bot: ``/case import`` stores ``[[public]]`` hashed, apart from protected parties."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.guild_settings import GuildSettings
from bot.moderation import Moderation, Post
from bot.storage import Store
from tests.conftest import SECRET_KEY

GUILD, FORUM = 1, 10
CASE = '''id = "r-v-coach"
title = "R v the coach"
[[protected]]
label = "the boy"
basis = "child complainant"
names = ["Alfie Quennell"]

[[public]]
label = "the defendant"
names = ["Desmond Pryor"]

[[public]]
label = "the club"
names = ["Hartcliffe Boxing Club"]
'''
TEXT = "Mr P who coaches the Tuesday juniors at Hartcliffe Boxing Club, he is 52 and lives in Hartcliffe"


async def test_import_stores_public_parties_apart_and_the_engine_uses_them(store: Store, tmp_path: Path) -> None:
    moderation = Moderation(store, SECRET_KEY)
    await moderation.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=20))
    case, _ = await moderation.import_case(GUILD, CASE, thread_id=200, forum_id=FORUM, actor_id="9")
    assert [p.label for p in await moderation.services.cases.parties(case.case_id)] == ["the boy"]
    assert [p.label for p in await moderation.services.cases.public_parties(case.case_id)] == [
        "the defendant", "the club"]
    out = await moderation.check(Post(GUILD, 200, FORUM, 5, 6, "P", TEXT))
    assert out.verdict is None or not out.verdict.flags  # details about a public party are not evidence
    out = await moderation.check(Post(GUILD, 200, FORUM, 7, 6, "P", "Alfie Quennell trains there"))
    assert out.verdict is not None and out.verdict.flags[0].label == "the boy"
    with sqlite3.connect(tmp_path / "casewatch.db") as conn:
        dump = "\n".join(conn.iterdump()).lower()
    assert "desmond" not in dump and "hartcliffe" not in dump and "quennell" not in dump
