"""End to end: screenshots and photos in a watched thread, through the loopback Discord and its CDN.

A member posts a screenshot naming the complainant: the bot downloads it from the (fake) CDN, reads it in
its image worker, holds the message, tells the author, and queues an entry that shows neither the name
nor the image. A photo with GPS data is held, its author is asked to strip the location, and a restore
re-posts a copy without the EXIF, never the original file.
"""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from PIL import ExifTags, Image

from tests.e2e.conftest import BotRunner, settle
from tests.e2e.fake_discord import FakeDiscord, wait_until
from tests.e2e.test_moderation_flow import (
    LABEL,
    MODERATOR,
    NAME,
    POSTER,
    assert_no_secret,
    button_ids,
    queue_message,
    queue_posts,
    start_watching,
)
from tests.images.render import DARK, photo_with_exif, png, text_card

pytestmark = pytest.mark.e2e


@pytest.fixture
def images_runner(runner: BotRunner) -> BotRunner:
    runner.overrides.update(fetch_allow_private=True, image_cdn_hosts="127.0.0.1")  # the fake's CDN is loopback
    return runner


def _dm_texts(fake: FakeDiscord) -> list[str]:
    dms = [c for c, v in fake.channels.items() if v["type"] == 1]
    return [r.body["content"] for c in dms for r in fake.find("POST", rf"^/channels/{c}/messages$")]


async def test_screenshot_naming_the_child_is_held_and_queued_without_name_or_image(
        fake: FakeDiscord, images_runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, images_runner, default_settings)
    shot = png(text_card([f"Everyone knows it's {NAME}", "her mum posted it last night"], theme=DARK,
                         face="DejaVuSans", size=28))
    attachment = fake.cdn_attachment("screenshot.png", shot, "image/png", channel_id=int(thread["id"]))
    msg = await fake.send_message(POSTER, "this is going round facebook", channel_id=int(thread["id"]),
                                  attachments=[attachment])
    await fake.wait_for_request("DELETE", rf"/channels/{thread['id']}/messages/{msg['id']}$", timeout=120)
    await settle(bot, lambda: bool(queue_posts(fake)), timeout=30)
    assert fake.cdn_hits, "the image was downloaded from the CDN"

    flag = await bot.store.flags.latest_for_message(msg["id"])
    assert flag is not None and flag.action == "hold"
    assert flag.reason.startswith("an image in the message shows a name")
    notices = _dm_texts(fake)
    assert notices and LABEL in notices[-1] and "image" in notices[-1]

    entry = queue_posts(fake)[-1]
    embed = entry.body["embeds"][0]
    fields = {f["name"]: f["value"] for f in embed["fields"]}
    assert fields["Action"] == "held for review"
    assert fields["Excerpt (redacted)"] == "this is going round facebook"
    assert "image" not in embed and "thumbnail" not in embed and not entry.uploads
    assert attachment["url"] not in json.dumps(entry.body) and "screenshot.png" not in json.dumps(entry.body)
    assert "her mum posted" not in json.dumps(entry.body)  # no text read from the image either
    assert_no_secret(fake.all_request_text())


async def test_photo_with_gps_is_held_and_restored_without_exif(
        fake: FakeDiscord, images_runner: BotRunner, default_settings: dict[str, Any]) -> None:
    bot, thread = await start_watching(fake, images_runner, default_settings)
    photo = photo_with_exif(owner="J. Walker")
    attachment = fake.cdn_attachment("IMG_2041.jpg", photo, "image/jpeg", channel_id=int(thread["id"]))
    msg = await fake.send_message(POSTER, "outside the house this morning", channel_id=int(thread["id"]),
                                  attachments=[attachment])
    await fake.wait_for_request("DELETE", rf"/channels/{thread['id']}/messages/{msg['id']}$", timeout=120)
    await settle(bot, lambda: bool(queue_posts(fake)), timeout=30)
    assert any("location data" in text for text in _dm_texts(fake))

    queued = queue_message(fake)
    await fake.press_button(queued, button_ids(queued)["restore"], user_id=MODERATOR)

    def reposts() -> list[Any]:  # executions of the restore webhook (not interaction follow-ups)
        return [r for r in fake.find("POST", r"^/webhooks/\d+/[^/]+$") if int(r.path.split("/")[2]) in fake.webhooks]

    await wait_until(lambda: bool(reposts()), timeout=30)
    [repost] = reposts()
    assert len(repost.uploads) == 1
    name, data = repost.uploads[0]
    assert data != photo and "IMG_2041" not in name
    copy = Image.open(io.BytesIO(data))
    assert not copy.getexif().get_ifd(ExifTags.IFD.GPSInfo) and b"J. Walker" not in data
    await wait_until(lambda: any(m.get("webhook_id") for m in fake.messages.values()))
