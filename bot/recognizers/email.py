"""E-mail addresses."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail
from bot.recognizers.public import is_public_mailbox, org_context

EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})\s?(?:@|\[at\]|\(at\))\s?"
    r"((?:[A-Za-z0-9-]{1,63}\.){1,6}[A-Za-z]{2,24})(?![\w-])"
)


class EmailRecognizer:
    kind = "email"

    def find(self, text: str) -> list[Detail]:
        if "@" not in text and "[at]" not in text and "(at)" not in text:
            return []
        hits = []
        for m in EMAIL.finditer(text):
            local, domain = m.group(1), m.group(2)
            public = is_public_mailbox(local, domain) or (
                org_context(text, m.start(), m.end()) and not re.search(r"\d", local)
            )
            reason = "an organisation's public e-mail address" if public else "an e-mail address"
            hits.append(Detail(self.kind, m.start(), m.end(), 0.9, reason, public))
        return hits
