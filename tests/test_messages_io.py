"""Reading JSONL and DiscordChatExporter exports; bad lines become one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.errors import InputError
from bot.flags import Message
from bot.messages_io import RepairedInput, parse_messages, read_messages


def test_jsonl_with_attachments_and_reply() -> None:
    raw = (json.dumps({"id": "1", "author": "a", "content": "hi", "timestamp": "t",
                       "attachments": [{"filename": "a.png", "content_type": "image/png"}], "reply_to": "0"})
           + "\n\n" + json.dumps({"id": 2, "author": "b", "content": ""}) + "\n").encode()
    items = list(parse_messages(raw, "thread"))
    assert [n for n, _ in items] == [1, 3]
    first, second = (m for _, m in items)
    assert isinstance(first, Message) and isinstance(second, Message)
    assert first.attachments[0].content_type == "image/png" and first.reply_to == "0"
    assert first.thread_id == "thread"
    assert second.id == "2" and second.content == ""


@pytest.mark.parametrize(
    ("line", "error"),
    [
        (b"{not json", "line 2: not valid JSON"),
        (b'{"id": "2", "author": "a"}', "line 2: missing field 'content'"),
        (b'["a", "b"]', "line 2: expected a JSON object"),
        (b'{"id": "2", "author": "a", "content": 5}', "line 2: field 'content' must be a string"),
        (b'{"id": "2", "author": "a", "content": "x", "attachments": "nope"}', "line 2: field 'attachments'"),
    ],
)
def test_bad_lines_become_errors_and_the_rest_are_read(line: bytes, error: str) -> None:
    good = json.dumps({"id": "1", "author": "a", "content": "ok"}).encode()
    items = list(parse_messages(good + b"\n" + line + b"\n" + good.replace(b'"1"', b'"3"')))
    assert isinstance(items[0][1], Message) and isinstance(items[2][1], Message)
    err = items[1][1]
    assert isinstance(err, InputError)
    assert str(err).startswith(error)
    assert "Secret" not in str(err) and "\n" not in str(err)


def test_an_invalid_byte_is_replaced_reported_and_the_line_still_read() -> None:
    """Fail closed: the name beside a bad byte must still reach the checks."""
    good = json.dumps({"id": "1", "author": "a", "content": "ok"}).encode()
    bad = b'{"id": "2", "author": "a", "content": "caf\xe9 Secret Name"}'
    items = list(parse_messages(good + b"\n" + bad + b"\n"))
    kinds = [type(item).__name__ for _, item in items]
    assert kinds == ["Message", "RepairedInput", "Message"]
    warning, message = items[1][1], items[2][1]
    assert isinstance(warning, RepairedInput) and str(warning).startswith("line 2: 1 byte(s) not valid UTF-8")
    assert "Secret" not in str(warning)
    assert isinstance(message, Message) and message.content == "caf\ufffd Secret Name"


def test_a_lone_surrogate_never_reaches_the_engine() -> None:
    message = Message(id="1", author="a\udc00", content="Secret \ud800Name \ud83d\ude00")
    assert message.content == "Secret \ufffdName \U0001f600" and message.author == "a\ufffd"
    message.content.encode("utf-8")  # encodable everywhere: sealing, storage, Discord


def _export(n: int) -> bytes:
    return json.dumps({
        "channel": {"id": "555", "name": "case thread"},
        "messages": [{"id": str(i), "content": f"message {i}", "author": {"id": "7"}} for i in range(n)],
    }, indent=2).encode()


def test_a_truncated_export_reads_every_complete_message_and_says_where_it_stopped() -> None:
    whole = _export(10)
    cut = whole[: whole.index(b'"message 7"')]  # cut inside message 7
    items = list(parse_messages(cut, "t"))
    messages = [m for _, m in items if isinstance(m, Message)]
    errors = [e for _, e in items if isinstance(e, InputError)]
    assert [m.id for m in messages] == [str(i) for i in range(7)]
    assert {m.thread_id for m in messages} == {"555"}
    (error,) = errors
    assert "truncated" in str(error) and "7 message(s) before it were read" in str(error)


def test_an_export_with_a_bad_byte_is_read_whole() -> None:
    raw = _export(3).replace(b"message 1", b"message \xff1")
    items = list(parse_messages(raw, "t"))
    assert [m.content for _, m in items if isinstance(m, Message)] == ["message 0", "message \ufffd1", "message 2"]
    assert sum(isinstance(e, RepairedInput) for _, e in items) == 1


def test_discord_chat_exporter_json() -> None:
    export = {
        "guild": {"id": "1", "name": "g"},
        "channel": {"id": "555", "name": "case thread"},
        "messages": [
            {"id": "10", "type": "Default", "timestamp": "2025-01-01T10:00:00+00:00", "content": "hello",
             "author": {"id": "77", "name": "someone", "nickname": "Someone"},
             "attachments": [{"id": "1", "url": "https://cdn/x.jpg", "fileName": "x.jpg", "fileSizeBytes": 10}]},
            {"id": "11", "type": "Reply", "timestamp": "", "content": "reply",
             "author": {"id": "78", "name": "other"}, "reference": {"messageId": "10"}},
            {"type": "Default", "content": "no id", "author": {"id": "1"}},
        ],
    }
    items = list(parse_messages(json.dumps(export, indent=2).encode()))
    a, b, c = (m for _, m in items)
    assert isinstance(a, Message) and a.author == "77" and a.thread_id == "555"
    assert a.attachments[0].filename == "x.jpg" and a.attachments[0].size == 10
    assert isinstance(b, Message) and b.reply_to == "10"
    assert isinstance(c, InputError) and str(c) == "message 3: missing field 'id'"


def test_single_line_jsonl_that_mentions_messages_is_still_jsonl() -> None:
    raw = json.dumps({"id": "1", "author": "a", "content": 'the "messages" were vile'}).encode()
    ((_, m),) = list(parse_messages(raw))
    assert isinstance(m, Message) and m.id == "1"


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read messages file"):
        list(read_messages(tmp_path / "missing.jsonl"))


def test_unpaired_surrogates_are_replaced_not_fatal() -> None:
    raw = b'{"id": "1", "author": "a", "content": "bad \\ud800 text \\ud83d\\ude00"}'
    ((_, m),) = list(parse_messages(raw))
    assert isinstance(m, Message)
    assert m.content == "bad \ufffd text \U0001f600"
    m.content.encode("utf-8")  # printable


def test_json_array_of_messages() -> None:
    raw = json.dumps([{"id": "1", "author": "a", "content": "x"}, {"id": "2", "author": "a"}], indent=2).encode()
    (_, first), (_, second) = list(parse_messages(raw))
    assert isinstance(first, Message) and first.id == "1"
    assert isinstance(second, InputError) and str(second) == "message 2: missing field 'content'"
