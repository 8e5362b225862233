"""E-mail addresses, plain or spelled out (rules: bot/rules/identity/recognizers/email.toml)."""

from __future__ import annotations

from bot.recognizers.base import Detail, detail
from bot.recognizers.gate import shipped_gate
from bot.recognizers.public import is_public_mailbox, org_context
from bot.rules.loader import shipped_rules

_R = shipped_rules()
EMAIL, SPELLED = _R["email.address"], _R["email.spelled"]
DOT, PROVIDERS, TLD = _R["email.spelled_dot"].regexes[0], _R["email.providers"].regexes[0], _R["email.tlds"].regexes[0]
_PUBLIC_REASON = "an organisation's public e-mail address"


def _looks_like_local_part(local: str) -> bool:
    return any(c.isdigit() or c in "._" for c in local)


class EmailRecognizer:
    kind = "email"
    rules = (EMAIL, SPELLED)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        for m in shipped_gate().finditer(text, SPELLED) if opened & on[SPELLED.id] and "dot" in text.lower() else ():
            domain = DOT.sub(".", m.group(2))
            looks_like = _looks_like_local_part(m.group(1)) or PROVIDERS.match(domain)
            if "dot" not in m.group(2).lower() or not TLD.search(domain) or not looks_like:
                continue
            public = is_public_mailbox(m.group(1), domain) or org_context(text, m.start(), m.end())
            hits.append(detail(SPELLED, m.start(), m.end(), public=public, reason=_PUBLIC_REASON if public else None))
        for m in shipped_gate().finditer(text, EMAIL) if opened & on[EMAIL.id] else ():
            local, domain = m.group(1), m.group(2)
            public = is_public_mailbox(local, domain) or (
                org_context(text, m.start(), m.end()) and not any(c.isdigit() for c in local))
            hits.append(detail(EMAIL, m.start(), m.end(), public=public, reason=_PUBLIC_REASON if public else None))
        return hits
