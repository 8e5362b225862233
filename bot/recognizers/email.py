"""E-mail addresses."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail
from bot.recognizers.public import is_public_mailbox, org_context

EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})\s?(?:@|\[at\]|\(at\))\s?"
    r"((?:[A-Za-z0-9-]{1,63}\.){1,6}[A-Za-z]{2,24})(?![\w-])"
)


# "r.bap1980 at yahoo dot co dot uk": spelled out to dodge filters (only with "dot", or "at" is too common)
SPELLED = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]{0,63})\s+(?:at|\[at\]|\(at\))\s+"
    r"([A-Za-z0-9-]{1,63}(?:\s*(?:dot|\[dot\]|\(dot\)|\.)\s*[A-Za-z0-9-]{1,63}){1,5})(?![\w-])",
    re.IGNORECASE,
)
PROVIDERS = re.compile(r"(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|icloud|me|aol|btinternet|"
                       r"sky|virginmedia|talktalk|protonmail|proton|gmx|mail|tiscali|ntlworld|blueyonder)\.",
                       re.IGNORECASE)
TLD = re.compile(r"(?:com|net|org|co|uk|ie|io|me|info|biz|edu|gov|ac|de|fr|es|it|nl|eu|us|ca|au)$", re.IGNORECASE)


class EmailRecognizer:
    kind = "email"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        lowered = text.lower()
        if "dot" in lowered:
            for m in SPELLED.finditer(text):
                domain = re.sub(r"\s*(?:dot|\[dot\]|\(dot\)|\.)\s*", ".", m.group(2), flags=re.IGNORECASE)
                looks_like = re.search(r"[0-9._]", m.group(1)) or PROVIDERS.match(domain)
                if "dot" not in m.group(2).lower() or not TLD.search(domain) or not looks_like:
                    continue
                public = is_public_mailbox(m.group(1), domain) or org_context(text, m.start(), m.end())
                reason = "an organisation's public e-mail address" if public else "an e-mail address"
                hits.append(Detail(self.kind, m.start(), m.end(), 0.85, reason, public))
        if "@" not in text and "[at]" not in text and "(at)" not in text:
            return hits
        for m in EMAIL.finditer(text):
            local, domain = m.group(1), m.group(2)
            public = is_public_mailbox(local, domain) or (
                org_context(text, m.start(), m.end()) and not re.search(r"\d", local)
            )
            reason = "an organisation's public e-mail address" if public else "an e-mail address"
            hits.append(Detail(self.kind, m.start(), m.end(), 0.9, reason, public))
        return hits
