"""Public organisations' contact details, which are not identifying details.

A charity helpline, a police press office, a council switchboard or an official site are published so
that people use them; quoting one says nothing about a protected party.
"""

from __future__ import annotations

import re

from bot.recognizers.base import near, words

# Words that, next to a number, address or site, say it belongs to an organisation.
ORG_WORDS = words(
    r"child ?line",
    "nspcc",
    "samaritans",
    "crimestoppers",
    r"crime ?stoppers",
    r"victim ?support",
    "refuge",
    "mind",
    "shelter",
    "barnardo'?s",
    "ofsted",
    "iopc",
    "cps",
    "helplines?",
    "hotlines?",
    r"advice ?lines?",
    "switchboard",
    r"press ?office",
    "press desk",
    r"media ?(?:office|team|desk|enquiries)",
    "charity",
    "charities",
    "council",
    "police",
    "constabulary",
    "force",
    "nhs",
    "gp surgery",
    "solicitors?",
    "citizens advice",
    "ombudsman",
    "tribunal",
    "court",
    "mp'?s office",
    "the bbc",
    "newsdesk",
    "news desk",
    # a service described by what it does: "supports survivors of abuse on 028 ...", "the advice line"
    r"supports?\s+(?:survivors|victims|families|people|men|women|children|young people|anyone)",
    r"support (?:line|service|services|group|centre|center|worker)",
    r"(?:free(?:phone)?|confidential|24/7|24-hour)\s+(?:line|number|service|helpline)",
    "lines? (?:is|are) open",
)

# Local parts of an organisation's shared mailbox.
ORG_MAILBOX = re.compile(
    r"^(?:press|media|news|newsdesk|info|information|enquiries|enquiry|contact|help|helpline|support|office|"
    r"admin|communications|comms|foi|complaints|feedback|hello|reception|safeguarding|editor|letters)\b",
    re.IGNORECASE,
)

# Domains of official bodies (UK government, police, NHS, parliament, courts).
OFFICIAL_DOMAIN = re.compile(
    r"(?:^|\.)(?:gov\.uk|police\.uk|nhs\.uk|nhs\.net|parliament\.uk|judiciary\.uk|cps\.gov\.uk|"
    r"policeconduct\.gov\.uk|nspcc\.org\.uk|childline\.org\.uk|samaritans\.org|mind\.org\.uk|"
    r"crimestoppers-uk\.org|victimsupport\.org\.uk|bbc\.co\.uk)$",
    re.IGNORECASE,
)

# Short codes and helpline blocks: emergency and non-emergency lines, 116 xxx helplines.
SHORT_PUBLIC = re.compile(r"(?<!\d)(?:999|112|101|111|116\s?\d{3}|105)(?!\d)")


def org_context(text: str, start: int, end: int) -> bool:
    """Whether an organisation is named right next to a detail."""
    return near(text, start, end, ORG_WORDS, before=60, after=40)


def is_official_domain(domain: str) -> bool:
    return OFFICIAL_DOMAIN.search(domain.strip(".").lower()) is not None


def is_public_mailbox(local_part: str, domain: str) -> bool:
    """An official domain, or a shared organisational mailbox at any domain."""
    return is_official_domain(domain) or ORG_MAILBOX.match(local_part) is not None
