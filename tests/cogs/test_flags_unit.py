"""Unit tests of the /flags pager (specced mocks)."""

from __future__ import annotations

import unittest.mock

import discord

from cogs.flags import PAGE_SIZE, FlagPager, Flags
from tests.helpers import MockInteraction, MockMember


def pager(total: int, owner: int = 1) -> tuple[FlagPager, unittest.mock.MagicMock]:
    cog = unittest.mock.create_autospec(Flags, instance=True)
    cog.page_embed.return_value = discord.Embed(title="page")
    return FlagPager(cog, owner, 5, "open", None, total), cog


async def test_pages_turn_within_bounds() -> None:
    view, cog = pager(total=PAGE_SIZE * 2 + 1)
    assert view.pages == 3 and view.previous.disabled and not view.next.disabled
    interaction = MockInteraction()
    for _ in range(5):
        await view._turn(interaction, 1)
    assert view.page == 2 and view.next.disabled and not view.previous.disabled
    assert [c.args[3] for c in cog.page_embed.await_args_list] == [1, 2, 2, 2, 2]
    interaction.response.edit_message.assert_awaited_with(embed=cog.page_embed.return_value, view=view)


async def test_only_the_moderator_who_asked_turns_the_pages() -> None:
    view, _ = pager(total=30, owner=1)
    assert await view.interaction_check(MockInteraction(user=MockMember(id=1)))
    other = MockInteraction(user=MockMember(id=2))
    assert not await view.interaction_check(other)
    other.response.send_message.assert_awaited_once()
    assert other.response.send_message.await_args.kwargs == {"ephemeral": True}
