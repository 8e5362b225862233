"""Per-guild settings, stored as JSON in the ``guilds`` table and edited with ``/settings``."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class EscalationStep(BaseModel):
    """After ``after`` confirmed abuse flags in ``window_days``, do ``action`` (warn or timeout)."""

    after: int = Field(ge=1)
    action: str = Field(pattern="^(warn|timeout)$")
    minutes: int = Field(default=0, ge=0, le=40320)


def _default_ladder() -> list[EscalationStep]:
    return [EscalationStep(after=2, action="warn"), EscalationStep(after=3, action="timeout", minutes=60)]


class GuildSettings(BaseModel):
    """What a guild's moderators have configured. Opaque ``policy`` and ``abuse_thresholds`` dicts are
    owned by :mod:`bot.policy` and :mod:`bot.abuse` respectively."""

    model_config = ConfigDict(extra="ignore")

    watched_forum_ids: list[int] = Field(default_factory=list)
    queue_channel_id: int | None = None
    moderator_role_id: int | None = None
    exempt_role_ids: list[int] = Field(default_factory=list)
    rules_url: str = ""
    policy: dict[str, str] = Field(default_factory=dict)  # "category" or "category:kind" -> action
    abuse_thresholds: dict[str, float] = Field(default_factory=dict)
    escalation: list[EscalationStep] = Field(default_factory=_default_ladder)
    escalation_window_days: int = Field(default=30, ge=1)
    recent_flag_days: int = Field(default=30, ge=1)
    summary_cooldown_s: int = Field(default=60, ge=0)
    images: bool = True  # read the text in attached images and the location in photos (/settings images)
