"""Public organisations' contact details, which are not identifying details
(rules: bot/rules/identity/recognizers/public.toml).

A charity helpline, a police press office, a council switchboard or an official site are published so
that people use them; quoting one says nothing about a protected party.
"""

from __future__ import annotations

from bot.recognizers.base import near
from bot.rules.loader import shipped_rules

_R = shipped_rules()
_ORG = _R["public.org_words"]
ORG_WORDS = _ORG.regexes[0]  # words that, next to a detail, say it belongs to an organisation
ORG_MAILBOX = _R["public.mailbox"].regexes[0]  # local parts of an organisation's shared mailbox
OFFICIAL_DOMAIN = _R["public.official_domain"].regexes[0]  # domains of official bodies


def org_context(text: str, start: int, end: int) -> bool:
    """Whether an organisation is named right next to a detail."""
    return near(text, start, end, ORG_WORDS, _ORG.int_param("before", 60), _ORG.int_param("after", 40))


def is_official_domain(domain: str) -> bool:
    return OFFICIAL_DOMAIN.search(domain.strip(".").lower()) is not None


def is_public_mailbox(local_part: str, domain: str) -> bool:
    """An official domain, or a shared organisational mailbox at any domain."""
    return is_official_domain(domain) or ORG_MAILBOX.match(local_part) is not None
