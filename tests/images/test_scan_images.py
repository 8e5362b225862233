"""``python -m bot scan`` reads images with a local path: JSONL ``path`` and DiscordChatExporter media."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cli import main
from tests.images.render import photo_with_exif
from tests.images.samples import PARTIES, positive_samples

CASE = "\n".join(['id = "img-case"', 'title = "Image case"'] + [
    f'[[protected]]\nlabel = "{label}"\nbasis = "{basis}"\nnames = {json.dumps(names)}'
    for label, basis, names, _ in PARTIES])


@pytest.fixture(scope="module")
def screenshot() -> bytes:
    return next(s.data for s in positive_samples() if s.key == "dark-bold-34")


def _scan(tmp_path: Path, messages: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, dict]]:
    case = tmp_path / "case.toml"
    case.write_text(CASE)
    status = main(["scan", "--no-abuse", "--case", str(case), str(messages)])
    out = capsys.readouterr().out
    return status, {row["message_id"]: row for row in map(json.loads, out.splitlines())}


def test_jsonl_attachments_with_paths(tmp_path: Path, screenshot: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "shot.png").write_bytes(screenshot)
    (tmp_path / "photo.jpg").write_bytes(photo_with_exif())
    rows = [
        {"id": "1", "author": "a", "content": "look", "attachments": [
            {"filename": "shot.png", "content_type": "image/png", "path": "shot.png"}]},
        {"id": "2", "author": "b", "content": "outside", "attachments": [
            {"filename": "photo.jpg", "content_type": "image/jpeg", "path": str(tmp_path / "photo.jpg")}]},
        {"id": "3", "author": "c", "content": "gone", "attachments": [
            {"filename": "gone.png", "content_type": "image/png", "path": "nowhere/gone.png"}]},
        {"id": "4", "author": "d", "content": "a pdf", "attachments": [
            {"filename": "a.pdf", "content_type": "application/pdf", "path": "a.pdf"}]},
    ]
    messages = tmp_path / "messages.jsonl"
    messages.write_text("\n".join(json.dumps(r) for r in rows))
    status, flagged = _scan(tmp_path, messages, capsys)
    assert status == 0
    assert flagged["1"]["action"] == "hold" and flagged["1"]["excerpt"] == "look"
    assert flagged["1"]["flags"][0]["reason"].startswith("an image in the message shows a name")
    assert flagged["2"]["action"] == "hold" and "GPS" in flagged["2"]["flags"][0]["reason"]
    assert flagged["3"]["action"] == "review" and "cannot be read" in flagged["3"]["flags"][0]["reason"]
    assert "4" not in flagged
    assert "brackenbury" not in json.dumps(flagged).lower()


def test_discord_chat_exporter_media_relative_to_the_export(tmp_path: Path, screenshot: bytes,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    media = tmp_path / "export.json_Files"
    media.mkdir()
    (media / "IMG-4F2A.png").write_bytes(screenshot)
    export = {"guild": {"id": "1"}, "channel": {"id": "55", "name": "case-thread"}, "messages": [
        {"id": "900", "author": {"id": "7", "name": "poster"}, "content": "", "timestamp": "2026-01-02T10:00:00Z",
         "attachments": [{"id": "1", "url": "export.json_Files/IMG-4F2A.png", "fileName": "IMG.png",
                          "fileSizeBytes": len(screenshot)}]},
        {"id": "901", "author": {"id": "8", "name": "other"}, "content": "ok", "timestamp": "2026-01-02T10:01:00Z",
         "attachments": [{"id": "2", "url": "https://cdn.discordapp.com/attachments/1/2/x.png", "fileName": "x.png",
                          "fileSizeBytes": 10}]},
    ]}
    path = tmp_path / "export.json"
    path.write_text(json.dumps(export))
    _, flagged = _scan(tmp_path, path, capsys)
    assert flagged["900"]["action"] == "hold"
    assert flagged["901"]["action"] == "review"  # exported without its media: not passed unread
