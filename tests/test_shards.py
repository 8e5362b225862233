"""SHARD_COUNT / SHARD_IDS: parsing, one-line errors, and the options the bot is built with."""

import pytest

from bot.errors import ConfigError
from bot.settings import Settings
from bot.shards import parse_ids, shard_of, shard_options


def test_ranges_and_lists() -> None:
    assert parse_ids("0-3", 4) == [0, 1, 2, 3]
    assert parse_ids("0, 2,5-6", 8) == [0, 2, 5, 6]
    assert shard_options(None, None) == {}
    assert shard_options(4, None) == {"shard_count": 4}
    assert shard_options(4, "2-3") == {"shard_count": 4, "shard_ids": [2, 3]}


@pytest.mark.parametrize(("count", "ids", "message"), [
    (None, "0-1", "needs SHARD_COUNT"),
    (2, "0-2", "SHARD_COUNT is 2"),
    (4, "3-1", "empty"),
    (4, "a-b", "ranges like"),
    (0, None, "at least 1"),
])
def test_bad_settings_are_one_line(count: int | None, ids: str | None, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as exc:
        shard_options(count, ids)
    assert "\n" not in str(exc.value)


def test_every_guild_belongs_to_exactly_one_process() -> None:
    halves = [parse_ids("0-1", 4), parse_ids("2-3", 4)]
    for guild_id in range(900_000_000_000_000_000, 900_000_000_000_000_000 + (64 << 22), 1 << 22):
        assert sum(shard_of(guild_id, 4) in ids for ids in halves) == 1


def test_the_bot_is_auto_sharded_with_the_settings_shards() -> None:
    from cogs._client import CasewatchBot

    bot = CasewatchBot(Settings(_env_file=None, shard_count=4, shard_ids="2-3",  # type: ignore[call-arg]
                                casewatch_secret_key="x" * 32), sync_commands=False)
    assert bot.shard_count == 4 and bot.shard_ids == [2, 3]
