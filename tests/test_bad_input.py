"""Bad input loses nothing: a lone surrogate or a deeply nested case file is one clear outcome, never a
skipped check or a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.case import parse_case
from bot.errors import CaseFileError
from bot.guild_settings import GuildSettings
from bot.moderation import Moderation, Post
from bot.storage import Store
from tests.conftest import REPO_ROOT, SECRET_KEY

GUILD, FORUM, THREAD, QUEUE = 1, 10, 100, 20
NAME = "Maisie Thornbury"


@pytest.mark.parametrize("content", [f"{NAME} \ud800 lives nearby", f"\udfff{NAME}\ud83d", f"{NAME[:6]}\ud800"
                                     f"{NAME[6:]} again"])
async def test_a_lone_surrogate_is_still_flagged_and_sealed(store: Store, content: str) -> None:
    m = Moderation(store, SECRET_KEY)
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE))
    case_id = await m.open_case(GUILD, FORUM, THREAD, "R v Example")
    await m.protect(case_id, "the complainant", "SOA 1992", [NAME], [], actor_id="9")
    out = await m.check(Post(guild_id=GUILD, thread_id=THREAD, forum_id=FORUM, message_id=5, author_id=500,
                             author_name="Poster\udc00", content=content))
    assert out.verdict is not None and out.verdict.flags and out.flag_id is not None
    assert [i.kind for i in await store.outbox.for_flag(out.flag_id)][:1] == ["delete"]
    flag = await store.flags.get(out.flag_id)
    assert flag is not None and "\ufffd" in flag.author_name  # stored, encodable
    flag.excerpt.encode("utf-8")


async def test_a_held_message_with_a_lone_surrogate_is_sealed_and_opens(store: Store) -> None:
    sealed = store.sealer.seal("held \ud800 text")
    assert store.sealer.open(sealed) == "held \ufffd text"


@pytest.mark.parametrize("nested", ["v = " + "[" * 5000 + "]" * 5000, "v = " + "{a = " * 3000 + "1" + "}" * 3000])
def test_a_deeply_nested_case_file_is_one_line(nested: str) -> None:
    with pytest.raises(CaseFileError) as exc:
        parse_case(nested)
    assert "\n" not in str(exc.value)


def test_a_deeply_nested_case_file_on_the_command_line(tmp_path: Path) -> None:
    case = tmp_path / "nested.toml"
    case.write_text("v = " + "[" * 5000 + "]" * 5000 + "\n")
    messages = tmp_path / "m.jsonl"
    messages.write_text('{"id": "1", "author": "a", "content": "hello"}\n')
    proc = subprocess.run([sys.executable, "-m", "bot", "scan", "--case", str(case), str(messages), "--no-abuse"],
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                          timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "nested too deeply" in proc.stderr and "Traceback" not in proc.stderr


async def test_a_lone_surrogate_in_a_title_or_name_outside_any_case_is_stored(store: Store) -> None:
    m = Moderation(store, SECRET_KEY)
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE))
    post = Post(guild_id=GUILD, thread_id=THREAD, forum_id=FORUM, message_id=THREAD, author_id=500,
                author_name="x\ud800", content="Trial \udbff day one", is_title=True)
    assert post.content == "Trial \ufffd day one" and post.author_name == "x\ufffd"
    await m.check(post)
    case = await store.cases.for_thread(THREAD)
    assert case is not None and case.title == "Trial \ufffd day one"
