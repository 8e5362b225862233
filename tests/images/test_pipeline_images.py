"""The pipeline's image pass (``check_images``) with a stand-in image step: no OCR, real store and engine."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

import pytest
from PIL import ExifTags, Image

from bot.flags import Attachment
from bot.guild_settings import GuildSettings
from bot.images import ExifDetails, ImageInput, ImageReading, ImageResult
from bot.images.formats import strip_metadata
from bot.images.restore import restored_files
from bot.moderation import Decision, Moderation, Post
from bot.services import Services
from bot.storage import Store
from tests.conftest import SECRET_KEY
from tests.images.render import photo_with_exif

GUILD, FORUM, THREAD, QUEUE, EXEMPT = 1, 10, 100, 20, 31
NAME = "Maisie Thornbury"
PHOTO = photo_with_exif(owner="J. Walker")


class Reader:
    async def strip(self, data: bytes) -> tuple[bytes, str] | None:
        return strip_metadata(data)


class Step:
    """Reads attachments as the readings given (by file name), as the real step would after OCR."""

    def __init__(self, readings: dict[str, ImageReading]) -> None:
        self.readings = readings
        self.reader = Reader()
        self.calls = 0

    @staticmethod
    def wants(attachments: Sequence[Any]) -> bool:
        return bool(attachments)

    async def read(self, attachments: Sequence[Any]) -> list[ImageResult]:
        self.calls += 1
        return [ImageResult(ImageInput(i, a.filename, a.content_type, PHOTO), self.readings[a.filename])
                for i, a in enumerate(attachments, start=1)]

    async def close(self) -> None:
        return None


@pytest.fixture
async def setup(store: Store) -> tuple[Moderation, Step]:
    step = Step({"shot.png": ImageReading(lines=(f"everyone says it was {NAME}",)),
                 "photo.jpg": ImageReading(exif=ExifDetails(gps=True, owner=True)),
                 "plain.png": ImageReading(lines=("a sunny day at the seaside",))})
    moderation = Moderation(store, SECRET_KEY, services=Services.build(store, SECRET_KEY, images=step))  # type: ignore[arg-type]
    await moderation.save_settings(GUILD, GuildSettings(watched_forum_ids=[FORUM], queue_channel_id=QUEUE,
                                                        exempt_role_ids=[EXEMPT]))
    case_id = await moderation.open_case(GUILD, FORUM, THREAD, "R v Example")
    await moderation.protect(case_id, "the complainant", "SOA 1992 s.1", [NAME], [], actor_id="9")
    return moderation, step


def _post(content: str, *files: str, message_id: int = 5000, **kw: Any) -> Post:
    return Post(guild_id=GUILD, thread_id=THREAD, forum_id=FORUM, message_id=message_id, author_id=500,
                author_name="Poster", content=content,
                attachments=tuple(Attachment(f, "image/png", 10, url=f"https://cdn.discordapp.com/a/{f}")
                                  for f in files), **kw)


async def _run(moderation: Moderation, post: Post) -> Any:
    identity = await moderation.check(post)
    return await moderation.check_images(post, identity.verdict)


async def test_a_name_in_an_image_holds_with_notice_and_queue(setup: tuple[Moderation, Step], store: Store) -> None:
    moderation, _ = setup
    outcome = await _run(moderation, _post("look at this", "shot.png"))
    assert outcome.verdict.action.value == "hold"
    kinds = [item.kind for item in await store.outbox.for_flag(outcome.flag_id)]
    assert kinds == ["delete", "notify", "queue"]
    notice = (await store.outbox.for_flag(outcome.flag_id))[1].payload["text"]
    assert "an image showing a name" in notice and "thornbury" not in notice.lower()
    flag = await store.flags.get(outcome.flag_id)
    assert flag is not None and flag.excerpt == "look at this" and "thornbury" not in flag.reason.lower()


async def test_the_image_flags_excerpt_keeps_the_texts_own_match_hidden(setup: tuple[Moderation, Step],
                                                                       store: Store) -> None:
    moderation, _ = setup
    outcome = await _run(moderation, _post(f"{NAME} again", "photo.jpg"))
    flag = await store.flags.get(outcome.flag_id)
    assert flag is not None and "thornbury" not in flag.excerpt.lower()


async def test_gps_photo_is_held_and_a_restore_reposts_only_the_stripped_copy(setup: tuple[Moderation, Step],
                                                                             store: Store) -> None:
    moderation, _ = setup
    outcome = await _run(moderation, _post("outside the house", "photo.jpg"))
    notice = (await store.outbox.for_flag(outcome.flag_id))[1].payload["text"]
    assert "location data" in notice
    result = await moderation.decide(outcome.flag_id, Decision.RESTORE, actor_id="9", guild_id=GUILD)
    repost = next(i for i in await store.outbox.for_flag(outcome.flag_id) if i.action_id in result.actions
                  and i.kind == "repost")
    files = restored_files(repost.payload["files"], store.sealer.open)
    assert len(files) == 1 and files[0][0] == "image-1.jpg"
    copy = files[0][1]
    assert copy != PHOTO and b"J. Walker" not in copy
    assert not Image.open(io.BytesIO(copy)).getexif().get_ifd(ExifTags.IFD.GPSInfo)


async def test_clean_images_switched_off_and_exempt_roles_raise_nothing(setup: tuple[Moderation, Step]) -> None:
    moderation, step = setup
    assert (await _run(moderation, _post("holiday", "plain.png", message_id=5001))).flag_id is None
    assert (await _run(moderation, _post("hi", "shot.png", message_id=5002, role_ids=(EXEMPT,)))).skipped
    settings = await moderation.settings_for(GUILD)
    await moderation.save_settings(GUILD, settings.model_copy(update={"images": False}))
    calls = step.calls
    outcome = await _run(moderation, _post("look", "shot.png", message_id=5003))
    assert outcome.skipped and outcome.flag_id is None and step.calls == calls
