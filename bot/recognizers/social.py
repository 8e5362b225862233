"""Social media profiles: a profile link, a platform's name then a handle, a bare @handle
(rules: bot/rules/identity/recognizers/social.toml)."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, detail
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
PROFILE_URL, PLATFORM, BARE_HANDLE = _R["social.profile_url"], _R["social.platform"], _R["social.bare_handle"]
HANDLE_AFTER, HANDLE_BEFORE = _R["social.handle_after"].regexes[0], _R["social.handle_before"].regexes[0]
PROFILE_NAME_RULE = _R["social.profile_name"]
PROFILE_NAME = PROFILE_NAME_RULE.regexes[0]
COMMON = _R["social.not_handles"].word_set
TIME = _R["social.time"].regexes[0]
EXPLICIT = _R["social.explicit"].regexes[0]
PLAIN_HANDLE, CAMEL_HANDLE = _R["social.handle_shapes"].regexes
FIND_VERB, NAME_AFTER = _R["social.find_verb"].regexes[0], _R["social.name_after"].regexes[0]
# A handle without "@" must look like one: "@", a digit, an underscore or a dot inside.
HANDLE_LIKE = re.compile(r"^@|[0-9_.]")


class SocialRecognizer:
    kind = "social"
    rules = (PROFILE_URL, PLATFORM, BARE_HANDLE)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        opened, on = shipped_gate().open(text), shipped_gate().bit
        hits: list[Detail] = []
        taken: list[tuple[int, int]] = []

        def add(d: Detail) -> None:
            if any(s < d.end and d.start < e for s, e in taken):
                return
            taken.append((d.start, d.end))
            hits.append(d)

        for m in shipped_gate().finditer(text, PROFILE_URL) if opened & on[PROFILE_URL.id] else ():
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)":
                end -= 1
            add(detail(PROFILE_URL, m.start(), end))
        for m in shipped_gate().finditer(text, PLATFORM) if opened & on[PLATFORM.id] else ():
            after = HANDLE_AFTER.match(text, m.end())
            if after and TIME.fullmatch(after.group(1)):
                after = None  # "on Snapchat at 2am"
            if after and after.group(1).lstrip("@").lower() not in COMMON and (
                    HANDLE_LIKE.search(after.group(1)) or _plain_handle(text, m.end(), after)):
                add(detail(PLATFORM, after.start(1), after.end(1)))
                continue
            before = HANDLE_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if before:
                add(detail(PLATFORM, before.start(1), before.end(1)))
                continue
            named = PROFILE_NAME.match(text, m.end())
            if named is None and FIND_VERB.search(text, max(0, m.start() - 40), m.start()):
                named = NAME_AFTER.match(text, m.end())
            if named:
                add(detail(PLATFORM, named.start(1), named.end(1), PROFILE_NAME_RULE.strength,
                           reason="a social media profile name"))
        for m in shipped_gate().finditer(text, BARE_HANDLE) if opened & on[BARE_HANDLE.id] else ():
            if m.group(1).lower() in COMMON:
                continue
            add(detail(BARE_HANDLE, m.start(), m.end()))
        return hits


def _plain_handle(text: str, platform_end: int, after: re.Match[str]) -> bool:
    """A handle without digits or "@" counts when it is introduced as one and is not an English word."""
    handle = after.group(1)
    if not EXPLICIT.search(text, platform_end, after.start(1)):
        return False
    if CAMEL_HANDLE.fullmatch(handle):
        return True
    if not PLAIN_HANDLE.fullmatch(handle):
        return False
    from bot.registry import is_common_word

    return not is_common_word(handle)
