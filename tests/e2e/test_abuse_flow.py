"""End to end: abuse scoring beside the identity path, and the escalation ladder."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.abuse import BatchingScorer, build_detector
from bot.flags import Category, Flag
from bot.settings import Settings
from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.test_moderation_flow import NAME, POSTER, queue_posts, start_watching

pytestmark = pytest.mark.e2e


class GatedScorer:
    """An abuse scorer that answers only when the test opens the gate (a slow model, made explicit)."""

    def __init__(self) -> None:
        self.gate = asyncio.Event()
        self.seen: list[str] = []

    async def detect(self, text: str, thresholds: Any = None) -> list[Flag]:
        if "idiot" not in text:
            return []
        self.seen.append(text)
        await self.gate.wait()
        return [Flag(Category.ABUSE, "abuse:gated", 0.97, "insult: calls someone names", kind="insult")]


async def test_identity_action_does_not_wait_for_abuse_scoring(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any]) -> None:
    scorer = GatedScorer()
    bot, thread = await start_watching(fake, runner, default_settings, abuse=scorer)
    msg = await fake.send_message(POSTER, f"{NAME} is a liar and an idiot", channel_id=int(thread["id"]))
    await fake.wait_for_request("DELETE", rf"/messages/{msg['id']}$")
    assert scorer.seen and not scorer.gate.is_set(), "removed while the abuse scorer was still busy"
    scorer.gate.set()
    await settle(bot, lambda: len(queue_posts(fake)) == 2)
    categories = sorted(p.body["embeds"][0]["title"].split(" — ")[0] for p in queue_posts(fake))
    assert categories == ["Abuse", "Protected identity"]
    assert len(fake.find("DELETE", rf"/messages/{msg['id']}$")) == 1, "the message is deleted once"


async def test_repeated_abuse_warns_then_times_out(
        fake: FakeDiscord, runner: BotRunner, default_settings: dict[str, Any], tmp_path: Any) -> None:
    settings = Settings(_env_file=None)  # type: ignore[call-arg]  # the offline default (auto)
    scorer = BatchingScorer.from_settings(build_detector(settings), settings)
    bot, thread = await start_watching(fake, runner, default_settings, abuse=scorer)
    dm_posts = lambda: [r for r in fake.find("POST", r"^/channels/8\d+/messages$") if r.status < 300]  # noqa: E731

    for n, text in enumerate(["you are a fucking idiot", "shut up you stupid bitch",
                              "go to hell you worthless piece of shit"], start=1):
        msg = await fake.send_message(POSTER, text, channel_id=int(thread["id"]))
        await settle(bot, lambda n=n: len(queue_posts(fake)) == n)
        flag = await bot.store.flags.latest_for_message(msg["id"])
        assert flag is not None and flag.category == "abuse" and flag.action == "review"
        assert "abuse:static" in {f.detector for f in flag.findings}, "the offline default is the static scorer"
        assert int(msg["id"]) in fake.messages, "abuse is reviewed, not removed, by default"
        if n == 1:
            assert not dm_posts()
        if n == 2:
            await settle(bot, lambda: len(dm_posts()) == 1)
            assert "warning" in dm_posts()[-1].body["content"].lower()
    [timeout] = await fake.wait_for_request("PATCH", rf"^/guilds/{fake.guild_id}/members/{POSTER}$")
    assert timeout.body["communication_disabled_until"]
    assert fake.members[POSTER]["communication_disabled_until"]
