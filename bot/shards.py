"""Which Discord shards this process runs: ``SHARD_COUNT`` and ``SHARD_IDS`` (``"0-3"``, ``"0,2,4-5"``).

* Neither set: one process, ``commands.AutoShardedBot`` asks Discord how many shards to run and runs all.
* ``SHARD_COUNT`` only: one process runs every shard of that many.
* Both: this process runs the listed shards of ``SHARD_COUNT``; start one process per range (e.g. two
  processes with ``SHARD_IDS=0-1`` and ``SHARD_IDS=2-3`` of ``SHARD_COUNT=4``), all on one PostgreSQL.

Discord sends a guild's events to shard ``(guild_id >> 22) % SHARD_COUNT`` (:func:`shard_of`).
"""

from __future__ import annotations

from typing import Any

from bot.errors import ConfigError


def parse_ids(text: str, count: int) -> list[int]:
    """``"0-3"`` / ``"0,2,5-7"`` as a sorted list of shard ids, each below ``count``."""
    ids: set[int] = set()
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        low, sep, high = part.partition("-")
        try:
            first, last = int(low), int(high) if sep else int(low)
        except ValueError:
            raise ConfigError(f"SHARD_IDS must be ids or ranges like 0-3 or 0,2,5-7 (got {text!r})") from None
        if first > last or first < 0:
            raise ConfigError(f"SHARD_IDS range {part!r} is empty or negative")
        ids.update(range(first, last + 1))
    if not ids:
        raise ConfigError("SHARD_IDS names no shard")
    if max(ids) >= count:
        raise ConfigError(f"SHARD_IDS lists shard {max(ids)}, but SHARD_COUNT is {count} (ids run 0-{count - 1})")
    return sorted(ids)


def shard_options(shard_count: int | None, shard_ids: str | None) -> dict[str, Any]:
    """Keyword arguments for ``commands.AutoShardedBot``: ``shard_count`` and ``shard_ids`` when set."""
    if shard_count is not None and shard_count < 1:
        raise ConfigError("SHARD_COUNT must be at least 1")
    if shard_ids:
        if shard_count is None:
            raise ConfigError("SHARD_IDS needs SHARD_COUNT (the total number of shards across all processes)")
        return {"shard_count": shard_count, "shard_ids": parse_ids(shard_ids, shard_count)}
    return {"shard_count": shard_count} if shard_count is not None else {}


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard Discord routes ``guild_id``'s events to."""
    return (guild_id >> 22) % shard_count
