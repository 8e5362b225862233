"""Embeds for the review queue and the moderator commands. Labels, reasons and redacted excerpts only:
a flag row never holds a registered name or identifier, and nothing else is shown."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot.storage import FlagState
from bot.storage.repositories.audit import AuditRow
from bot.storage.repositories.flags import DetectorStats, FlagRow

STATE_COLOURS = {
    FlagState.OPEN: discord.Colour.orange(),
    FlagState.CONFIRMED: discord.Colour.red(),
    FlagState.RESTORED: discord.Colour.green(),
    FlagState.DISMISSED: discord.Colour.light_grey(),
    FlagState.ESCALATED: discord.Colour.purple(),
}
ACTION_WORDS = {"remove": "removed", "hold": "held for review", "review": "left up for review", "none": "none"}


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def jump_url(flag: FlagRow) -> str:
    base = f"https://discord.com/channels/{flag.guild_id}/{flag.channel_id}"
    return base if not flag.message_id.isdigit() else f"{base}/{flag.message_id}"


def flag_embed(flag: FlagRow, *, recent_flags: int, audit: Sequence[AuditRow] = ()) -> discord.Embed:
    """The queue entry for one flag: category, reason, scores, redacted excerpt, author, link, history."""
    embed = discord.Embed(
        title=f"{flag.category.replace('_', ' ').capitalize()} — {flag.state}",
        description=_clip(flag.reason, 1000),
        colour=STATE_COLOURS.get(flag.state, discord.Colour.orange()),
    )
    embed.add_field(name="Action", value=ACTION_WORDS.get(flag.action, flag.action))
    scores = "\n".join(f"{f.detector}: {f.score:.2f}" + (f" ({f.label})" if f.label else "")
                       for f in flag.findings[:8]) or f"{flag.score:.2f}"
    embed.add_field(name="Scores", value=_clip(scores, 1000))
    embed.add_field(name="Author", value=f"<@{flag.author_id}> ({_clip(flag.author_name, 80)})")
    embed.add_field(name="Excerpt (redacted)", value=_clip(flag.excerpt, 1000) or "(empty)", inline=False)
    embed.add_field(name="Where", value=f"[jump]({jump_url(flag)})")
    embed.add_field(name="Author's recent flags", value=str(recent_flags))
    decisions = [a for a in audit if a.actor_id != "casewatch"]
    if decisions:
        last = decisions[-1]
        embed.add_field(name="Decision", value=f"{last.decision} by <@{last.actor_id}> at {last.created_at}",
                        inline=False)
    embed.set_footer(text=f"flag {flag.flag_id}")
    return embed


def flag_line(flag: FlagRow) -> str:
    """One line for ``/flags list``."""
    return (f"`{flag.flag_id}` {flag.category} · {flag.state} · {ACTION_WORDS.get(flag.action, flag.action)} · "
            f"<@{flag.author_id}> · [jump]({jump_url(flag)}) — {_clip(flag.reason, 80)}")


def stats_embed(stats: Sequence[DetectorStats]) -> discord.Embed:
    embed = discord.Embed(title="Flags per detector", colour=discord.Colour.blurple())
    if not stats:
        embed.description = "No flags yet."
    for s in stats[:25]:
        precision = "n/a" if s.precision is None else f"{s.precision:.0%}"
        embed.add_field(name=s.detector, value=f"flags {s.flags} · confirmed {s.confirmed} · dismissed "
                        f"{s.dismissed} · precision {precision}", inline=False)
    return embed
