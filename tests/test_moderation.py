"""The discord-free moderation service: checks, stored actions, decisions, allow-list, escalation."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from bot.errors import CaseFileError, CasewatchError
from bot.flags import Action, Category, Flag
from bot.guild_settings import EscalationStep, GuildSettings
from bot.moderation import Decision, DecisionError, Moderation, Post, notice_text, policy_for
from bot.policy import Policy
from bot.storage import FlagState, Store
from tests.conftest import SECRET_KEY

GUILD, FORUM, THREAD, QUEUE, MOD_ROLE, EXEMPT = 1, 10, 100, 20, 30, 31
NAME, SCHOOL = "Maisie Thornbury", "Larkhill Primary School"
_ids = iter(range(1000, 100000))


def post(content: str, *, author: int = 500, message_id: int | None = None, **kw: object) -> Post:
    fields: dict[str, object] = {"guild_id": GUILD, "thread_id": THREAD, "forum_id": FORUM,
                                 "message_id": message_id or next(_ids), "author_id": author,
                                 "author_name": "Poster", "content": content}
    return Post(**(fields | kw))  # type: ignore[arg-type]


class Scorer:
    """An abuse scorer for these tests: flags any text with 'idiot' in it."""

    async def detect(self, text: str, thresholds: object = None) -> list[Flag]:
        if "idiot" not in text:
            return []
        return [Flag(Category.ABUSE, "abuse:test", 0.95, "insult", kind="insult")]


@pytest.fixture
async def moderation(store: Store) -> Moderation:
    m = Moderation(store, SECRET_KEY, abuse=Scorer())
    await m.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE,
                                               moderator_role_id=MOD_ROLE, exempt_role_ids=[EXEMPT],
                                               rules_url="https://example.org/rules"))
    case_id = await m.open_case(GUILD, FORUM, THREAD, "R v Example")
    await m.protect(case_id, "the complainant", "Sexual Offences (Amendment) Act 1992", [NAME], [SCHOOL],
                    actor_id="9")
    return m


async def kinds(store: Store, flag_id: int) -> list[str]:
    return [i.kind for i in await store.outbox.for_flag(flag_id)]


async def test_protected_name_is_removed_with_notice_and_queue(moderation: Moderation, store: Store) -> None:
    out = await moderation.check(post(f"It was {NAME} all along"))
    assert out.verdict is not None and out.verdict.action is Action.REMOVE and out.flag_id
    assert await kinds(store, out.flag_id) == ["delete", "notify", "queue"]
    notify = (await store.outbox.for_flag(out.flag_id))[1].payload
    assert notify["user_id"] == 500 and "the complainant" in notify["text"]
    assert "Sexual Offences" in notify["text"] and "https://example.org/rules" in notify["text"]
    assert "maisie" not in notify["text"].lower() and "thornbury" not in notify["text"].lower()
    held = await store.flags.held(out.flag_id)
    assert held is not None and "Thornbury" not in held.original_sealed
    assert store.sealer.open(held.original_sealed) == f"It was {NAME} all along"


async def test_clean_unwatched_and_exempt_posts(moderation: Moderation, store: Store) -> None:
    clean = await moderation.check(post("The jury retires tomorrow."))
    assert clean.verdict is not None and not clean.verdict.flags and not clean.actions
    unwatched = await moderation.check(post(NAME, forum_id=999))
    assert unwatched.skipped == "not in a watched forum" and unwatched.verdict is None
    exempt = await moderation.check(post(NAME, role_ids=(EXEMPT,)))
    assert exempt.skipped == "exempt role"
    assert await store.flags.count(GUILD, state=None) == 0


async def test_edit_repeating_a_flag_raises_no_second_alert(moderation: Moderation, store: Store) -> None:
    await moderation.save_settings(GUILD, (await moderation.settings_for(GUILD)).model_copy(
        update={"policy": {"protected_identity": "review"}}))
    first = await moderation.check(post(f"{NAME} was there", message_id=77))
    assert first.flag_id and first.verdict.action is Action.REVIEW  # type: ignore[union-attr]
    again = await moderation.check(post(f"{NAME} was there, I saw it", message_id=77, is_edit=True))
    assert again.skipped == "repeats an earlier flag" and again.flag_id == first.flag_id and not again.actions
    more = await moderation.check(post(f"{NAME} was there, from {SCHOOL}", message_id=77, is_edit=True))
    assert more.flag_id != first.flag_id, "an edit that adds an identifier is a new alert"


async def test_title_flag_retitles_instead_of_deleting(moderation: Moderation, store: Store) -> None:
    out = await moderation.check(post(f"Is it {NAME}?", message_id=THREAD, is_title=True, is_edit=True))
    assert out.flag_id and await kinds(store, out.flag_id) == ["retitle", "notify", "queue"]
    retitle = (await store.outbox.for_flag(out.flag_id))[0].payload
    assert retitle["thread_id"] == THREAD and "the complainant" in retitle["name"]
    notice = (await store.outbox.for_flag(out.flag_id))[1].payload["text"]
    assert notice.startswith("The title of your post was changed") and "Thornbury" not in notice
    assert (await store.flags.get(out.flag_id)).message_id == f"title-{THREAD}"  # type: ignore[union-attr]


async def test_decisions_change_state_audit_and_store_actions(moderation: Moderation, store: Store) -> None:
    out = await moderation.check(post(f"It's {NAME}"))
    assert out.flag_id
    await store.flags.set_queue_message(out.flag_id, QUEUE, 4444)
    result = await moderation.decide(out.flag_id, Decision.ESCALATE, actor_id="42", guild_id=GUILD)
    assert (result.before, result.after) == (FlagState.OPEN, FlagState.ESCALATED)
    assert (await store.outbox.get(result.actions[-1])).kind == "queue_update"  # type: ignore[union-attr]
    timeout = await moderation.decide(out.flag_id, Decision.TIMEOUT, actor_id="42", guild_id=GUILD)
    assert timeout.after is FlagState.ESCALATED
    item = await store.outbox.get(timeout.actions[0])
    assert item is not None and item.kind == "timeout" and item.payload["minutes"] == 60
    audit = [(a.actor_id, a.decision, a.state_before, a.state_after) for a in await store.audit.for_flag(out.flag_id)]
    assert audit[1:] == [("42", "escalate", "open", "escalated"), ("42", "timeout", "escalated", "escalated")]
    with pytest.raises(DecisionError):
        await moderation.decide(out.flag_id, Decision.CONFIRM, actor_id="42", guild_id=GUILD + 1)


async def test_restore_reposts_the_sealed_original_once(moderation: Moderation, store: Store) -> None:
    out = await moderation.check(post(f"It's {NAME}"))
    assert out.flag_id
    result = await moderation.decide(out.flag_id, Decision.RESTORE, actor_id="42", guild_id=GUILD)
    repost = await store.outbox.get(result.actions[0])
    assert repost is not None and repost.kind == "repost" and repost.payload["username"] == "Poster"
    assert store.sealer.open(repost.payload["sealed"]) == f"It's {NAME}"
    assert await store.flags.held(out.flag_id) is None
    with pytest.raises(DecisionError):
        await moderation.decide(out.flag_id, Decision.RESTORE, actor_id="42", guild_id=GUILD)


async def test_confirming_a_reviewed_message_deletes_it(moderation: Moderation, store: Store) -> None:
    await moderation.save_settings(GUILD, (await moderation.settings_for(GUILD)).model_copy(
        update={"policy": {"protected_identity": "review"}}))
    out = await moderation.check(post(f"It's {NAME}", message_id=321))
    assert out.flag_id and await kinds(store, out.flag_id) == ["queue"]
    result = await moderation.decide(out.flag_id, Decision.CONFIRM, actor_id="42", guild_id=GUILD)
    item = await store.outbox.get(result.actions[0])
    assert item is not None and item.kind == "delete" and item.payload == {"channel_id": THREAD, "message_id": 321}


async def test_allow_list_suppresses_the_same_match_in_the_same_context(moderation: Moderation,
                                                                         store: Store) -> None:
    text = f"Our new caretaker {NAME} starts Monday"
    out = await moderation.check(post(text))
    assert out.flag_id
    result = await moderation.decide(out.flag_id, Decision.ALLOW, actor_id="42", guild_id=GUILD)
    assert result.after is FlagState.DISMISSED and "allow-list entr" in result.summary
    assert [i for i in await store.outbox.for_flag(out.flag_id) if i.kind == "repost"], "wrongly removed: put back"
    again = await moderation.check(post(text))
    assert again.verdict is not None and not [f for f in again.verdict.flags if f.category is
                                              Category.PROTECTED_IDENTITY]
    elsewhere = await moderation.check(post(f"Everyone knows the girl is {NAME}"))
    assert elsewhere.flag_id, "the allow-list entry is for that context only"


async def test_abuse_ladder_warns_then_times_out(moderation: Moderation, store: Store) -> None:
    await moderation.save_settings(GUILD, (await moderation.settings_for(GUILD)).model_copy(update={
        "escalation": [EscalationStep(after=2, action="warn"), EscalationStep(after=3, action="timeout",
                                                                              minutes=15)]}))
    seen = []
    for i in range(3):
        p = post(f"you idiot number {i}")
        identity = await moderation.check(p)
        out = await moderation.check_abuse(p, identity.verdict)
        assert out.flag_id
        seen.append(await kinds(store, out.flag_id))
    assert seen == [["queue"], ["queue", "notify"], ["queue", "timeout"]]
    timeout = next(i for i in await store.outbox.for_flag(out.flag_id) if i.kind == "timeout")
    assert timeout.payload["minutes"] == 15 and timeout.payload["user_id"] == 500


async def test_protect_keeps_no_plain_value_and_rejects_empty_input(moderation: Moderation, store: Store,
                                                                    tmp_path: Path) -> None:
    case = await store.cases.for_thread(THREAD)
    assert case is not None
    with pytest.raises(CasewatchError):
        await moderation.protect(case.case_id, "the officer", "", [" "], [], actor_id="9")
    with pytest.raises(CasewatchError):
        await moderation.protect(case.case_id, "  ", "", ["Someone Else"], [], actor_id="9")
    await moderation.protect(case.case_id, "the officer", "s.11 order", ["Dominic Ashgrove"], ["PC 4471"],
                             actor_id="9")
    with sqlite3.connect(tmp_path / "casewatch.db") as conn:
        dump = "\n".join(conn.iterdump()).lower()
    for secret in ("maisie", "thornbury", "larkhill", "ashgrove"):
        assert secret not in dump
    # the collar number as a value of its own, not four digits that a random hex digest or timestamp may hold
    assert "pc4471" not in dump and "pc 4471" not in dump
    assert not re.search(r"(?<![0-9a-f])4471(?![0-9a-f])", dump)
    assert "the officer" in dump


async def test_import_case_hashes_parties_and_links_the_thread(moderation: Moderation, store: Store) -> None:
    toml = '''id = "r-v-smith"\ntitle = "R v Smith"\n[[protected]]\nlabel = "the pupil"\nbasis = "s.45"\n''' \
           '''names = ["Tobias Wrenfield"]\n'''
    case, case_file = await moderation.import_case(GUILD, toml, thread_id=200, forum_id=FORUM, actor_id="9")
    assert case.case_key == "r-v-smith" and case_file.labels == ["the pupil"]
    assert (await store.cases.for_thread(200)).case_key == "r-v-smith"  # type: ignore[union-attr]
    out = await moderation.check(Post(GUILD, 200, FORUM, 5, 6, "P", "Tobias Wrenfield is the pupil"))
    assert out.flag_id and out.verdict is not None and out.verdict.flags[0].label == "the pupil"
    with pytest.raises(CaseFileError):
        await moderation.import_case(GUILD, "id = ", thread_id=None, forum_id=None, actor_id="9")


def test_guild_policy_overrides_come_first() -> None:
    policy = policy_for(GuildSettings(policy={"abuse": "hold", "protected_identity:surname": "remove",
                                              "nonsense": "remove"}))
    assert policy.action_for(Flag(Category.ABUSE, "abuse:x", 0.1, "r")) is Action.HOLD
    assert policy.action_for(Flag(Category.PROTECTED_IDENTITY, "p", 0.5, "r", kind="surname")) is Action.REMOVE
    untouched = Flag(Category.PROTECTED_IDENTITY, "p", 0.5, "r", kind="first_name")
    assert policy.action_for(untouched) is Policy().action_for(untouched), "no override: the defaults apply"


async def test_notice_for_abuse_and_holds(moderation: Moderation, store: Store) -> None:
    p = post("you idiot")
    out = await moderation.check_abuse(p, None)
    flag = await store.flags.get(out.flag_id)  # type: ignore[arg-type]
    assert flag is not None
    text = notice_text(flag, thread_name="R v Example", basis={}, rules_url="", held=True)
    assert "abusive" in text and "may restore it" in text and "R v Example" in text


async def test_cursor_is_kept_in_memory_and_written_in_one_batch(moderation: Moderation, store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    writes: list[dict[int, int]] = []
    real = store.cases.advance_cursors

    async def counted(cursors: dict[int, int]) -> None:
        writes.append(dict(cursors))
        await real(cursors)

    monkeypatch.setattr(store.cases, "advance_cursors", counted)
    ids = [next(_ids) for _ in range(30)]
    for message_id in ids:
        await moderation.check(post("The jury retires tomorrow.", message_id=message_id))
    await moderation.check(post("An old message, edited.", message_id=ids[0], is_edit=True))
    await moderation.check(post(NAME, message_id=next(_ids), forum_id=999))  # unwatched: no cursor
    assert writes == [], "checking clean messages writes no cursor"
    assert (await store.cases.cursors(GUILD))[THREAD] is None
    assert (await moderation.thread_cursors(GUILD))[THREAD] == ids[-1], "pending cursors are visible"

    assert await moderation.flush_cursors() == 1
    assert writes == [{THREAD: ids[-1]}]
    assert (await store.cases.cursors(GUILD))[THREAD] == ids[-1]
    assert await moderation.flush_cursors() == 0 and len(writes) == 1, "nothing new, nothing written"
    exempt_id = next(_ids)
    await moderation.check(post(NAME, message_id=exempt_id, role_ids=(EXEMPT,)))
    await moderation.close()  # close writes what is pending
    assert (await store.cases.cursors(GUILD))[THREAD] == exempt_id


async def test_failed_cursor_write_is_kept_for_the_next_flush(moderation: Moderation, store: Store,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    message_id = next(_ids)
    await moderation.check(post("Nothing to see.", message_id=message_id))
    real = store.cases.advance_cursors

    async def broken(cursors: dict[int, int]) -> None:
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(store.cases, "advance_cursors", broken)
    with pytest.raises(sqlite3.OperationalError):
        await moderation.flush_cursors()
    monkeypatch.setattr(store.cases, "advance_cursors", real)
    assert await moderation.flush_cursors() == 1
    assert (await store.cases.cursors(GUILD))[THREAD] == message_id


async def test_replayed_message_flagged_before_raises_no_second_alert(moderation: Moderation,
                                                                      store: Store) -> None:
    await moderation.save_settings(GUILD, (await moderation.settings_for(GUILD)).model_copy(
        update={"policy": {"protected_identity": "review"}}))
    first = await moderation.check(post(f"It was {NAME}", message_id=4242))
    assert first.flag_id and await kinds(store, first.flag_id) == ["queue"]
    again = await moderation.check(post(f"It was {NAME}", message_id=4242, replay=True))
    assert again.skipped == "repeats an earlier flag" and again.flag_id == first.flag_id and not again.actions
    fresh = await moderation.check(post(f"Yes, {NAME}", message_id=4243, replay=True))
    assert fresh.flag_id and fresh.flag_id != first.flag_id and fresh.actions, "a new message is flagged"


async def test_flag_and_all_its_actions_are_stored_in_one_transaction(moderation: Moderation, store: Store,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A failure while the actions are stored leaves no flag behind, so the message is checked again."""
    from bot import crashpoints

    def fail(point: str) -> None:
        if point == "actions.inserted":
            raise RuntimeError("crash before commit")

    crashpoints.install(fail)
    try:
        with pytest.raises(RuntimeError):
            await moderation.check(post(f"It was {NAME}", message_id=5151))
    finally:
        crashpoints.install(None)
    assert await store.flags.count(GUILD, state=None) == 0 and await store.outbox.pending() == []
    again = await moderation.check(post(f"It was {NAME}", message_id=5151, replay=True))
    assert again.flag_id and await kinds(store, again.flag_id) == ["delete", "notify", "queue"]


async def test_replay_recreates_the_actions_of_a_flag_stored_without_them(moderation: Moderation,
                                                                           store: Store) -> None:
    """Catch-up does not skip a message whose flag exists but whose actions are missing (an older crash)."""
    first = await moderation.check(post(f"It was {NAME}", message_id=6161))
    assert first.flag_id
    await store.db.conn.execute("DELETE FROM outbox WHERE flag_id = ?", (first.flag_id,))  # as an old crash left it
    again = await moderation.check(post(f"It was {NAME}", message_id=6161, replay=True))
    assert again.skipped == "repeats an earlier flag" and again.flag_id == first.flag_id
    assert await kinds(store, first.flag_id) == ["delete", "notify", "queue"] and len(again.actions) == 3
    notify = (await store.outbox.for_flag(first.flag_id))[1].payload["text"]
    assert "the complainant" in notify and "Sexual Offences" in notify, "the notice is planned from the stored flag"
    third = await moderation.check(post(f"It was {NAME}", message_id=6161, replay=True))
    assert third.actions == [], "recreated once only"


async def test_the_cursor_never_passes_a_message_still_being_checked(store: Store) -> None:
    from bot.cursors import ThreadCursors

    cursors = ThreadCursors(store)
    await store.guilds.ensure(GUILD)
    case_id = await store.cases.create(GUILD, "k")
    await store.cases.link_thread(THREAD, GUILD, case_id, FORUM)
    cursors.start(THREAD, 10)  # an earlier message still being checked (or scored for abuse)...
    cursors.start(THREAD, 11)
    cursors.advance(THREAD, 11)
    cursors.finish(THREAD, 11)  # ...while a later one is done
    assert (await cursors.for_guild(GUILD))[THREAD] == 9
    assert await cursors.flush() == 1 and (await store.cases.cursors(GUILD))[THREAD] == 9
    cursors.advance(THREAD, 10)
    cursors.finish(THREAD, 10)
    assert await cursors.flush() == 1 and (await store.cases.cursors(GUILD))[THREAD] == 11
    assert await cursors.flush() == 0


async def test_a_named_party_with_an_invitation_is_also_abuse(moderation: Moderation, store: Store) -> None:
    p = post(f"{NAME} lives above the bakery, if anybody wants a word")
    identity = await moderation.check(p)
    assert identity.verdict is not None and identity.flag_id
    out = await moderation.check_abuse(p, identity.verdict)  # the test scorer finds nothing of its own here
    flag = await store.flags.get(out.flag_id)  # type: ignore[arg-type]
    assert flag is not None and flag.category == "abuse" and "doxxing" in flag.reason
    assert NAME.split()[0].lower() not in flag.reason.lower()
    plain = post("if anybody wants a word with the mods, the queue is open")
    assert (await moderation.check_abuse(plain, (await moderation.check(plain)).verdict)).flag_id is None
