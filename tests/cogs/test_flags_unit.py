"""Unit tests of the pager behind /flags list and /case show (specced mocks)."""

from __future__ import annotations

import unittest.mock

import discord

from cogs._pager import PAGE_SIZE, Paginator, page_count
from tests.helpers import MockInteraction, MockMember


def pager(total: int, owner: int = 1) -> tuple[Paginator, unittest.mock.AsyncMock]:
    render = unittest.mock.AsyncMock(return_value=discord.Embed(title="page"))
    return Paginator(render, pages=page_count(total), owner_id=owner), render


async def test_pages_turn_within_bounds() -> None:
    view, render = pager(total=PAGE_SIZE * 2 + 1)
    assert view.pages == 3 and view.previous.disabled and not view.next.disabled
    interaction = MockInteraction()
    for _ in range(5):
        await view.turn(interaction, 1)
    assert view.page == 2 and view.next.disabled and not view.previous.disabled
    assert [c.args[0] for c in render.await_args_list] == [1, 2, 2, 2, 2]
    interaction.response.edit_message.assert_awaited_with(embed=render.return_value, view=view)


async def test_only_the_moderator_who_asked_turns_the_pages() -> None:
    view, _ = pager(total=30, owner=1)
    assert await view.interaction_check(MockInteraction(user=MockMember(id=1)))
    other = MockInteraction(user=MockMember(id=2))
    assert not await view.interaction_check(other)
    other.response.send_message.assert_awaited_once()
    assert other.response.send_message.await_args.kwargs == {"ephemeral": True}


async def test_a_single_page_is_sent_without_buttons() -> None:
    view, _ = pager(total=PAGE_SIZE)
    interaction = MockInteraction()
    interaction.response.is_done = unittest.mock.Mock(return_value=False)
    await view.send(interaction)
    assert "view" not in interaction.response.send_message.await_args.kwargs


async def test_the_pager_times_out_and_disables_its_buttons() -> None:
    view, _ = pager(total=PAGE_SIZE * 3)
    assert view.timeout is not None and view.timeout > 0
    interaction = MockInteraction()
    interaction.response.is_done = unittest.mock.Mock(return_value=False)
    await view.send(interaction)
    await view.on_timeout()
    assert view.previous.disabled and view.next.disabled
    interaction.edit_original_response.assert_awaited_once_with(view=view)
