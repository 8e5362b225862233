"""The review buttons. Each is a :class:`discord.ui.DynamicItem` whose ``custom_id`` carries the decision
and the flag id (``cw:review:<decision>:<flag id>``), so buttons keep working after a restart."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any

import discord

from bot.decisions import Decision
from bot.errors import CasewatchError
from bot.flags import Action
from bot.storage import FlagState
from bot.storage.repositories.flags import FlagRow
from cogs._checks import member_is_moderator, refuse
from cogs._services import guild_id_of, services_of

if TYPE_CHECKING:
    from cogs._client import CasewatchBot

log = logging.getLogger(__name__)

LABELS = {
    Decision.CONFIRM: ("Confirm removal", discord.ButtonStyle.danger),
    Decision.RESTORE: ("Restore", discord.ButtonStyle.success),
    Decision.DISMISS: ("Dismiss (false positive)", discord.ButtonStyle.secondary),
    Decision.ALLOW: ("Dismiss + allow-list", discord.ButtonStyle.secondary),
    Decision.ESCALATE: ("Escalate", discord.ButtonStyle.primary),
    Decision.TIMEOUT: ("Timeout author", discord.ButtonStyle.danger),
}


def custom_id(decision: Decision, flag_id: int) -> str:
    return f"cw:review:{decision}:{flag_id}"


class ReviewButton(discord.ui.DynamicItem[discord.ui.Button[Any]],
                   template=re.compile(r"cw:review:(?P<decision>[a-z]+):(?P<flag_id>\d+)")):
    """One decision on one flag. Only moderators may press it; the decision is audited."""

    def __init__(self, decision: Decision, flag_id: int, *, disabled: bool = False) -> None:
        label, style = LABELS[decision]
        super().__init__(discord.ui.Button(label=label, style=style, custom_id=custom_id(decision, flag_id),
                                           disabled=disabled))
        self.decision = decision
        self.flag_id = flag_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any],
                             match: re.Match[str], /) -> ReviewButton:
        return cls(Decision(match["decision"]), int(match["flag_id"]))

    async def interaction_check(self, interaction: discord.Interaction[Any]) -> bool:
        if await member_is_moderator(interaction):
            return True
        await refuse(interaction)
        return False

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        bot: CasewatchBot = interaction.client
        # reading the live message (allow-list) and the decision's transaction can outlast Discord's 3 s
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            guild_id = guild_id_of(interaction)
            content = await self._live_content(interaction, guild_id) if self.decision is Decision.ALLOW else None
            result = await services_of(bot).decisions.decide(
                self.flag_id, self.decision, actor_id=str(interaction.user.id), guild_id=guild_id, content=content)
        except CasewatchError as exc:
            await refuse(interaction, str(exc))
            return
        await interaction.followup.send(result.summary, ephemeral=True)
        bot.spawn(bot.actions.run_many(result.actions), name=f"decision-{self.flag_id}")

    async def _live_content(self, interaction: discord.Interaction[Any], guild_id: int) -> str | None:
        """The flagged message's text if it is still up (a queued, not removed, flag)."""
        bot = interaction.client
        flag = await services_of(bot).decisions.get(self.flag_id, guild_id)
        if flag is None or flag.channel_id is None or not flag.message_id.isdigit():
            return None
        channel = bot.get_partial_messageable(flag.channel_id, guild_id=flag.guild_id)
        try:
            return (await channel.fetch_message(int(flag.message_id))).content
        except discord.HTTPException:
            return None


def review_view(flag: FlagRow) -> discord.ui.View:
    """The buttons for a queued flag, enabled according to its state and the action taken."""
    view = discord.ui.View(timeout=None)
    open_ = flag.state is FlagState.OPEN
    held = flag.action in (Action.HOLD, Action.REMOVE) and flag.message_id.isdigit()
    for decision in Decision:
        disabled = not open_
        if decision is Decision.RESTORE:
            disabled = not (open_ and held)
        if decision is Decision.TIMEOUT:
            disabled = False
        if decision is Decision.ESCALATE:
            disabled = flag.state not in (FlagState.OPEN, FlagState.CONFIRMED)
        view.add_item(ReviewButton(decision, flag.flag_id, disabled=disabled))
    return view


DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (ReviewButton,)
