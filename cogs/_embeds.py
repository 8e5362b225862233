"""Embeds for the review queue and the moderator commands. Labels, reasons and redacted excerpts only:
a flag row never holds a registered name or identifier, and nothing else is shown."""

from __future__ import annotations

from collections.abc import Sequence

import discord

from bot import discord_limits as limits
from bot.storage import FlagState
from bot.storage.repositories.audit import AuditRow
from bot.storage.repositories.cases import CaseRow, PartyRow
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


def fit_lines(lines: Sequence[str], limit: int = limits.FIELD_VALUE.value, *, empty: str = "none") -> str:
    """As many whole ``lines`` as fit in ``limit`` characters, then "… and N more"."""
    out: list[str] = []
    used = 0
    for i, line in enumerate(lines):
        line = _clip(line, limit // 2)
        more = f"… and {len(lines) - i} more"
        if used + len(line) + 1 + (len(more) + 1 if i < len(lines) - 1 else 0) > limit:
            out.append(more)
            break
        out.append(line)
        used += len(line) + 1
    return "\n".join(out) or empty


def jump_url(flag: FlagRow) -> str:
    base = f"https://discord.com/channels/{flag.guild_id}/{flag.channel_id}"
    return base if not flag.message_id.isdigit() else f"{base}/{flag.message_id}"


def flag_embed(flag: FlagRow, *, recent_flags: int, audit: Sequence[AuditRow] = ()) -> discord.Embed:
    """The queue entry for one flag: category, reason, scores, redacted excerpt, author, link, history."""
    embed = discord.Embed(
        title=_clip(f"{flag.category.replace('_', ' ').capitalize()} — {flag.state}", limits.EMBED_TITLE.value),
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


def flag_page_embed(rows: Sequence[FlagRow], *, what: str, page: int, pages: int, total: int) -> discord.Embed:
    """One page of ``/flags list``."""
    embed = discord.Embed(title=_clip(f"Flags: {what}", limits.EMBED_TITLE.value), colour=discord.Colour.orange())
    embed.description = fit_lines([flag_line(r) for r in rows], limits.EMBED_DESCRIPTION.value,
                                  empty="No flags match.")
    embed.set_footer(text=f"page {page + 1} of {pages} · {total} flag(s)")
    return embed


def case_page_embed(cases: Sequence[CaseRow], *, page: int, pages: int, total: int) -> discord.Embed:
    """One page of the server's cases (``/case show`` without a key)."""
    embed = discord.Embed(title="Cases", colour=discord.Colour.blurple())
    embed.description = fit_lines([f"`{c.case_key}` — {_clip(c.title or '(untitled)', 100)}" for c in cases],
                                  limits.EMBED_DESCRIPTION.value, empty="No cases.")
    embed.set_footer(text=f"page {page + 1} of {pages} · {total} case(s) · /case show key:<key> for one")
    return embed


def case_embed(case: CaseRow, parties: Sequence[PartyRow], *, threads: int, allowlist: int) -> discord.Embed:
    """One case: key, jurisdiction, counts, and its protected parties by label only."""
    embed = discord.Embed(title=_clip(case.title or case.case_key, limits.EMBED_TITLE.value),
                          colour=discord.Colour.blurple())
    embed.add_field(name="Key", value=f"`{_clip(case.case_key, 200)}`")
    embed.add_field(name="Jurisdiction", value=_clip(case.jurisdiction or "?", 200))
    embed.add_field(name="Linked posts", value=str(threads))
    embed.add_field(
        name="Protected parties",
        value=fit_lines([f"**{p.label}** — {p.name_count} name(s), {p.ident_count} identifier(s)"
                         + (f"; {_clip(p.basis, 60)}" if p.basis else "") for p in parties]),
        inline=False)
    embed.add_field(name="Allow-list entries", value=str(allowlist))
    return embed


def stats_embed(stats: Sequence[DetectorStats]) -> discord.Embed:
    embed = discord.Embed(title="Flags per detector", colour=discord.Colour.blurple())
    if not stats:
        embed.description = "No flags yet."
    shown = stats[: limits.EMBED_FIELDS.value - 1]
    for s in shown:
        precision = "n/a" if s.precision is None else f"{s.precision:.0%}"
        embed.add_field(name=s.detector, value=f"flags {s.flags} · confirmed {s.confirmed} · dismissed "
                        f"{s.dismissed} · precision {precision}", inline=False)
    if len(stats) > len(shown):
        embed.add_field(name="More", value=f"… and {len(stats) - len(shown)} more detector(s)", inline=False)
    return embed
