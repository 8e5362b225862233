"""Reading messages to scan: JSONL (one object a line) or a DiscordChatExporter JSON export.

:func:`read_messages` yields ``(line_number, Message | InputError)`` in input order, so a bad line becomes
one error naming the line and the rest are still read. Errors never quote the line's content.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from bot.errors import InputError
from bot.flags import Attachment, Message
from bot.text import clean_text, decode_bytes

Item = tuple[int, Message | InputError]


def _text(value: object, field: str, where: str) -> str:
    if isinstance(value, str):
        # JSON may spell an unpaired surrogate ("\\ud800"): not text, and unprintable; keep the rest
        return clean_text(value)
    if isinstance(value, int | float) and not isinstance(value, bool) and field in {"id", "author", "reply_to"}:
        return str(value)
    raise InputError(f"{where}: field {field!r} must be a string")


def _attachments(value: object, where: str) -> tuple[Attachment, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InputError(f"{where}: field 'attachments' must be a list")
    out = []
    for item in value:
        if not isinstance(item, Mapping):
            raise InputError(f"{where}: each attachment must be an object")
        filename = item.get("filename", item.get("fileName", item.get("url", "")))
        ctype = item.get("content_type", item.get("contentType", ""))
        size = item.get("size", item.get("fileSizeBytes", 0))
        url, path = str(item.get("url") or ""), str(item.get("path") or "")
        if url and not path and not url.startswith(("http://", "https://")):
            path, url = url, ""  # DiscordChatExporter with media download: a path relative to the export
        out.append(Attachment(str(filename or ""), str(ctype or ""), int(size) if isinstance(size, int) else 0,
                              url=url, path=path))
    return tuple(out)


def message_from_json(row: object, where: str, thread_id: str = "") -> Message:
    """A :class:`Message` from one JSONL object; raises :class:`InputError` naming ``where``."""
    if not isinstance(row, Mapping):
        raise InputError(f"{where}: expected a JSON object")
    missing = [k for k in ("id", "author", "content") if k not in row]
    if missing:
        raise InputError(f"{where}: missing field {missing[0]!r}")
    reply_to = row.get("reply_to")
    return Message(
        id=_text(row["id"], "id", where),
        author=_text(row["author"], "author", where),
        content=_text(row["content"], "content", where),
        timestamp=_text(row.get("timestamp") or "", "timestamp", where),
        attachments=_attachments(row.get("attachments"), where),
        reply_to=_text(reply_to, "reply_to", where) if reply_to is not None else None,
        thread_id=_text(row.get("thread_id") or row.get("thread") or thread_id, "thread_id", where),
    )


def _exported(row: object, where: str, thread_id: str) -> Message:
    """A message of a DiscordChatExporter export (``author`` and ``reference`` are objects there)."""
    if not isinstance(row, Mapping):
        raise InputError(f"{where}: expected a JSON object")
    author = row.get("author")
    author_id = (author.get("id") or author.get("name")) if isinstance(author, Mapping) else author
    reference = row.get("reference")
    reply_to = reference.get("messageId") if isinstance(reference, Mapping) else None
    flat = {
        "id": row.get("id"),
        "author": author_id,
        "content": row.get("content", ""),
        "timestamp": row.get("timestamp") or "",
        "attachments": row.get("attachments") or [],
        "reply_to": reply_to,
    }
    if flat["id"] is None:
        raise InputError(f"{where}: missing field 'id'")
    if flat["author"] is None:
        raise InputError(f"{where}: missing field 'author'")
    return message_from_json(flat, where, thread_id)


def _each(rows: list[object], convert: Callable[[object, str, str], Message], thread_id: str) -> Iterator[Item]:
    """Convert each row of a JSON array; a bad row becomes an error item naming it, the rest go on."""
    for index, row in enumerate(rows, start=1):
        try:
            yield index, convert(row, f"message {index}", thread_id)
        except InputError as exc:
            yield index, exc


def _from_export(data: Mapping[str, object], thread_default: str) -> Iterator[Item]:
    channel = data.get("channel")
    thread_id = str(channel.get("id", thread_default)) if isinstance(channel, Mapping) else thread_default
    messages = data.get("messages")
    if not isinstance(messages, list):
        yield 1, InputError("export has no 'messages' list")
        return
    yield from _each(messages, _exported, thread_id)


def parse_lines(raw: bytes, thread_id: str = "") -> Iterator[Item]:
    """JSONL bytes -> messages; blank lines are skipped, bad lines become errors."""
    for number, line in enumerate(raw.split(b"\n"), start=1):
        where = f"line {number}"
        if not line.strip():
            continue
        text, replaced = decode_bytes(line)
        if replaced:  # reported, and still read: the name beside a bad byte is checked all the same
            yield number, RepairedInput(f"{where}: {replaced} byte(s) not valid UTF-8, replaced with U+FFFD "
                                        "and the line scanned")
        try:
            row = json.loads(text)
        except json.JSONDecodeError as exc:
            yield number, InputError(f"{where}: not valid JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield number, InputError(f"{where}: JSON nested too deeply")
            continue
        try:
            yield number, message_from_json(row, where, thread_id)
        except InputError as exc:
            yield number, exc


class RepairedInput(InputError):
    """Input that was read with repairs (invalid bytes replaced): reported, and still scanned."""


def _salvage_array(text: str, start: int, convert: Callable[[object, str, str], Message], thread_id: str,
                   what: str) -> Iterator[Item]:
    """Read the objects of the JSON array opening at ``text[start]`` one by one, up to where it breaks.

    A truncated export still yields every complete message before the cut, then one error that says how
    many were read and that the rest of the file was not.
    """
    decoder = json.JSONDecoder()
    pos, index = start + 1, 0
    while True:
        while pos < len(text) and text[pos] in " \t\r\n,":
            pos += 1
        if pos < len(text) and text[pos] == "]":
            return
        try:
            row, pos = decoder.raw_decode(text, pos)
        except (json.JSONDecodeError, RecursionError):
            line = text.count("\n", 0, pos) + 1
            yield index + 1, InputError(
                f"{what} is truncated or malformed at line {line}: {index} message(s) before it were read, "
                "nothing after it was"
            )
            return
        index += 1
        try:
            yield index, convert(row, f"message {index}", thread_id)
        except InputError as exc:
            yield index, exc


_EXPORT_CHANNEL = re.compile(r'"channel"\s*:\s*\{[^{}]*?"id"\s*:\s*"?(\d+)')
_MESSAGES_KEY = re.compile(r'"messages"\s*:\s*\[')


def parse_messages(raw: bytes, thread_id: str = "") -> Iterator[Item]:
    """JSONL, a JSON array of messages, or a DiscordChatExporter export, whichever ``raw`` is."""
    stripped = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    is_export = stripped.startswith(b"{") and b'"messages"' in stripped[:1_000_000]
    if is_export or stripped.startswith(b"["):  # one JSON document, pretty-printed or not
        text, replaced = decode_bytes(stripped)
        if replaced:
            yield 0, RepairedInput(f"{replaced} byte(s) not valid UTF-8, replaced with U+FFFD and read")
        try:
            data = json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            data = None
        if is_export:
            if isinstance(data, Mapping) and isinstance(data.get("messages"), list):
                yield from _from_export(data, thread_id)
                return
            found = _MESSAGES_KEY.search(text)
            if found:  # broken or cut short: read each complete message up to the break
                channel = _EXPORT_CHANNEL.search(text[: found.start()])
                yield from _salvage_array(text, found.end() - 1, _exported,
                                          channel.group(1) if channel else thread_id, "the export")
                return
        else:
            if isinstance(data, list):
                yield from _each(data, message_from_json, thread_id)
                return
            if "\n{" not in text.lstrip()[1:200]:  # not JSONL that happens to start with "[" on line 1
                yield from _salvage_array(text, 0, message_from_json, thread_id, "the JSON array")
                return
    yield from parse_lines(raw.removeprefix(b"\xef\xbb\xbf"), thread_id)


def read_messages(path: str | Path, thread_id: str | None = None) -> Iterator[Item]:
    """Read a JSONL file or an export; raises :class:`InputError` if the file cannot be read at all."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read messages file {p}: {exc.strerror or exc}") from None
    yield from parse_messages(raw, thread_id if thread_id is not None else p.stem)
