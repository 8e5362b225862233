"""Nothing protected stored or shown: what was stored before a party was registered is rewritten with its
label when it is, and display names pass the identity engine before they are stored."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.flags import Category, Flag
from bot.guild_settings import GuildSettings
from bot.moderation import Moderation, Post
from bot.storage import Store
from tests.conftest import SECRET_KEY

GUILD, FORUM, THREAD, QUEUE = 1, 10, 100, 20
NAME = "Rosalind Featherstonehaugh"
LABEL = "the complainant"
VARIANTS = (NAME, NAME.lower(), NAME.upper(), NAME.replace(" ", ""), NAME.replace(" ", "-").lower(),
            "Featherstonehaugh")


class Scorer:
    """Flags any text with 'idiot' in it, so that a flag is stored before any registration."""

    async def detect(self, text: str, thresholds: object = None) -> list[Flag]:
        return [Flag(Category.ABUSE, "abuse:test", 0.95, "insult", kind="insult")] if "idiot" in text else []


def post(content: str, message_id: int, *, author_name: str = "Poster", is_title: bool = False) -> Post:
    return Post(guild_id=GUILD, thread_id=THREAD, forum_id=FORUM, message_id=message_id, author_id=500,
                author_name=author_name, content=content, is_title=is_title)


def leaks(db_path: Path) -> list[str]:
    """Registered strings (and simple variants) anywhere in the database's text columns."""
    found = []
    with sqlite3.connect(db_path) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            for row in conn.execute(f"SELECT * FROM {table}"):
                for value in row:
                    if isinstance(value, str):
                        low = value.lower()
                        found += [f"{table}: {v!r}"[:60] for v in VARIANTS if v.lower() in low]
    return found


async def test_title_display_name_and_source_url_stored_before_registration_are_relabelled(
        store: Store, tmp_path: Path) -> None:
    m = Moderation(store, SECRET_KEY, abuse=Scorer())
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE))
    # before the party is registered: a title naming them, a poster named like them, a source URL slug
    case_id = await m.open_case(GUILD, FORUM, THREAD, f"Trial of the man who hurt {NAME}")
    out = await m.check_abuse(post("what an idiot", 1, author_name=NAME), None)
    assert out.flag_id is not None
    slug = NAME.replace(" ", "-").lower()
    await store.sources.add(case_id, body="The court heard evidence.", url=f"https://news.example/{slug}-trial",
                            title=f"{NAME} case: day one")
    assert leaks(tmp_path / "casewatch.db")  # the premise: they are stored in plain text

    await m.protect(case_id, LABEL, "Sexual Offences (Amendment) Act 1992", [NAME], [], actor_id="9")

    assert leaks(tmp_path / "casewatch.db") == []
    case = await store.cases.get(case_id)
    assert case is not None and f"[{LABEL}]" in case.title
    flag = await store.flags.get(out.flag_id)
    assert flag is not None and flag.author_name == f"[{LABEL}]"
    (source,) = await store.sources.for_case(case_id)
    assert source.url.startswith("https://news.example/") and f"[{LABEL}]" in source.url
    assert f"[{LABEL}]" in source.title


async def test_a_display_name_registered_already_is_stored_as_the_label(store: Store, tmp_path: Path) -> None:
    m = Moderation(store, SECRET_KEY, abuse=Scorer())
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE))
    case_id = await m.open_case(GUILD, FORUM, THREAD, "R v Example")
    await m.protect(case_id, LABEL, "SOA 1992", [NAME], [], actor_id="9")
    for i, shown in enumerate((NAME, NAME.upper(), NAME.replace(" ", "_"), "R o s a l i n d Featherstonehaugh"), 1):
        out = await m.check_abuse(post("what an idiot", 10 + i, author_name=shown), None)
        assert out.flag_id is not None
        flag = await store.flags.get(out.flag_id)
        assert flag is not None and LABEL in flag.author_name, i
    out = await m.check(post(f"It was {NAME}", 20, author_name=NAME))  # held/removed: its sealed copy too
    assert out.flag_id is not None
    assert leaks(tmp_path / "casewatch.db") == []


async def test_a_case_imported_for_a_post_relabels_what_the_post_stored_before(store: Store, tmp_path: Path) -> None:
    """``/case import`` in a post: the post keeps its first case (and its title) and its flags; they are
    rechecked with the imported parties too."""
    m = Moderation(store, SECRET_KEY, abuse=Scorer())
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE))
    await m.open_case(GUILD, FORUM, THREAD, f"What happened to {NAME}?")
    out = await m.check_abuse(post("what an idiot", 1, author_name=NAME.upper()), None)
    assert out.flag_id is not None and leaks(tmp_path / "casewatch.db")
    toml = (f'id = "r-v-imported"\ntitle = "R v Imported"\n\n[[protected]]\nlabel = "{LABEL}"\n'
            f'basis = "SOA 1992"\nnames = ["{NAME}"]\nidentifiers = []\n')
    await m.services.cases.import_case(GUILD, toml, thread_id=THREAD, forum_id=FORUM, actor_id="9")
    assert leaks(tmp_path / "casewatch.db") == []


async def test_linking_a_post_to_a_protected_case_relabels_what_the_post_stored(store: Store, tmp_path: Path) -> None:
    m = Moderation(store, SECRET_KEY, abuse=Scorer())
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE))
    main_case = await m.open_case(GUILD, FORUM, THREAD, "R v Example")
    await m.protect(main_case, LABEL, "SOA 1992", [NAME], [], actor_id="9")
    other = THREAD + 1
    await m.open_case(GUILD, FORUM, other, f"Day two: {NAME.lower()} gives evidence")
    out = await m.check_abuse(Post(guild_id=GUILD, thread_id=other, forum_id=FORUM, message_id=7, author_id=501,
                                   author_name=NAME, content="what an idiot"), None)
    assert out.flag_id is not None and leaks(tmp_path / "casewatch.db")  # its own new case had no parties
    case = await store.cases.get(main_case)
    assert case is not None
    await m.services.cases.link_thread(GUILD, other, FORUM, case.case_key)
    assert leaks(tmp_path / "casewatch.db") == []
