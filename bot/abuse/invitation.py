"""Doxxing with an invitation: a protected party named or located, and the readers invited to contact them.

Neither half is abuse on its own: the identity engine flags the name or the detail, and "if anyone wants a
word" under a helpline number is ordinary talk. Together, in one message, they are doxxing with intent, and
the message gets an abuse flag beside its identity flag. The invitations are rule data
(``bot/rules/abuse/invitation.toml``, kind ``abuse_invitation``); this module only joins the two halves.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from bot.abuse.patterns import SCORES  # what one invitation beside an identity finding says: as a pattern hit
from bot.flags import Action, Category, Flag
from bot.rules import Rule, RuleError
from bot.rules.loader import shipped_rules

KIND = "abuse_invitation"
DETECTOR = "abuse:invitation"
_IDENTITY = (Category.PROTECTED_IDENTITY, Category.IDENTIFYING_DETAIL)


@cache
def invitation_rules() -> tuple[Rule, ...]:
    rules = tuple(shipped_rules().of_kind(KIND))
    for rule in rules:
        if rule.strength not in SCORES:
            raise RuleError(f"rule {rule.id}: strength must be one of {', '.join(SCORES)}")
    return rules


def invitation_flag(text: str, identity: Iterable[Flag]) -> Flag | None:
    """An abuse flag when ``text`` invites its readers to contact or confront the protected party that
    ``identity`` (the message's own identity flags) names or locates; else None."""
    party = next((f.label for f in identity if f.category in _IDENTITY and f.label), None)
    if party is None:
        return None
    hit = next((r for r in invitation_rules() if next(r.hits(text), None) is not None), None)
    if hit is None:
        return None
    return Flag(
        category=Category.ABUSE,
        detector=DETECTOR,
        score=SCORES[hit.strength],
        reason=f"doxxing: names or locates {party} and invites readers to contact them; target: {party}",
        kind="doxxing",
        label=party,
        suggested=Action.HOLD,
    )


def with_invitation(text: str, identity: Iterable[Flag], abuse: list[Flag]) -> list[Flag]:
    """``abuse`` plus the invitation flag, when the abuse scorers found nothing of their own."""
    if any(f.category == Category.ABUSE for f in abuse):
        return abuse
    flag = invitation_flag(text, identity)
    return [*abuse, flag] if flag is not None else abuse
