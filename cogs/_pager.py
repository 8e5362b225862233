"""A page-turner for long ephemeral lists (``/case show``, ``/flags list``): Previous/Next buttons that only
the member who asked can press, rendering each page on demand, and going quiet after a timeout."""

from __future__ import annotations

import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import discord

#: Rows per page: ten one-line entries keep a page well inside an embed description (4,096).
PAGE_SIZE = 10
#: Seconds without a press after which the buttons are disabled.
PAGER_TIMEOUT_S = 300.0

Render = Callable[[int], Awaitable[discord.Embed]]


def page_count(total: int, size: int = PAGE_SIZE) -> int:
    return max(1, -(-total // size))


class Paginator(discord.ui.View):
    """Previous/Next over ``pages`` pages drawn by ``render(page)``; owner-only; times out."""

    def __init__(self, render: Render, *, pages: int, owner_id: int, timeout: float = PAGER_TIMEOUT_S) -> None:
        super().__init__(timeout=timeout)
        self.render, self.pages, self.owner_id = render, max(1, pages), owner_id
        self.page = 0
        self.origin: discord.Interaction[Any] | None = None  # the reply to edit when the pager times out
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page <= 0
        self.next.disabled = self.page >= self.pages - 1

    async def send(self, interaction: discord.Interaction[Any]) -> None:
        """Answer ``interaction`` (deferred or not) with the first page, and buttons if there is more."""
        embed = await self.render(0)
        self.origin = interaction
        kwargs: dict[str, Any] = {"embed": embed, "ephemeral": True}
        if self.pages > 1:
            kwargs["view"] = self
        else:
            self.stop()
        if interaction.response.is_done():
            await interaction.followup.send(**kwargs)
        else:
            await interaction.response.send_message(**kwargs)

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message("These pages belong to the moderator who asked for them.",
                                                ephemeral=True)
        return False

    async def turn(self, interaction: discord.Interaction[Any], delta: int) -> None:
        self.page = min(max(0, self.page + delta), self.pages - 1)
        self._sync_buttons()
        await interaction.response.edit_message(embed=await self.render(self.page), view=self)

    async def on_timeout(self) -> None:
        for item in self.children:
            if isinstance(item, discord.ui.Button):
                item.disabled = True
        if self.origin is not None:
            with contextlib.suppress(discord.HTTPException):
                await self.origin.edit_original_response(view=self)

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self.turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction[Any], _: discord.ui.Button[Any]) -> None:
        await self.turn(interaction, 1)
