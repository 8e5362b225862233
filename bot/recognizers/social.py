"""Social media profiles: a platform's domain or name followed by a handle."""

from __future__ import annotations

import re

from bot.recognizers.base import Detail, any_word, vocab

PLATFORM_DOMAINS = (
    r"instagram\.com|instagr\.am|tiktok\.com|snapchat\.com|facebook\.com|fb\.com|m\.me|x\.com|twitter\.com|"
    r"youtube\.com|youtu\.be|threads\.net|linkedin\.com|twitch\.tv|reddit\.com/u(?:ser)?|linktr\.ee|vsco\.co|"
    r"bsky\.app/profile|onlyfans\.com|pinterest\.(?:com|co\.uk)|tumblr\.com|soundcloud\.com|t\.me|wa\.me|"
    r"depop\.com|strava\.com/athletes|roblox\.com/users|github\.com|vinted\.co\.uk/member"
)
PROFILE_URL = re.compile(
    r"(?:https?://)?(?:(?:www|m|vm|mobile|uk)\.)?(?:" + PLATFORM_DOMAINS + r")/(?:add/|in/|@)?[\w.\-@%/?=&]+",
    re.IGNORECASE,
)
# Platform names as people write them. Bare "x" only in "on X" / "X account" forms (see below).
PLATFORM_NAME = re.compile(
    r"(?<![\w@])(insta(?:gram)?|ig|tik ?tok|tt|snap(?:chat)?|sc|facebook|fb|twitter|youtube|yt|threads|discord|"
    r"telegram|bluesky|bsky|linkedin|twitch|kik|vsco|onlyfans|pinterest|tumblr|roblox|fortnite|xbox|psn|steam|"
    r"gamertag|"
    r"(?:on|her|his|their) X|X (?=account|handle|profile))(?!\w)",
    re.IGNORECASE,
)
# What follows a platform name before the handle: "is", ":", "account", "handle", "name", ...
HANDLE_AFTER = re.compile(
    r"(?:'s)?(?:\s+(?:account|acc|handle|profile|page|name|username|user|id|is|was|are|as|at|under|called|"
    r"-|=))*\s*[:=\-]?\s*(@?[A-Za-z0-9_][A-Za-z0-9_.]{1,29}(?:#\d{4})?)",
    re.IGNORECASE,
)
HANDLE_BEFORE = re.compile(r"(@[A-Za-z0-9_][A-Za-z0-9_.]{1,29})\s+(?:on|from)\s+$", re.IGNORECASE)
# "posts on facebook as Tracey Lou Smith": a profile found by its display name
PROFILE_NAME = re.compile(
    r"\s*[,:]?\s*(?:(?:account|profile|page)\s+)?(?:(?:it|she|he)(?:'s|’s|\s+is)\s+|is\s+)?"
    r"(?:as|under|called|named|is)\s+"
    r"((?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){1,3})",
    re.IGNORECASE,
)
BARE_HANDLE = re.compile(r"(?<![\w@<])@([A-Za-z0-9_][A-Za-z0-9_.]{2,29})(?![\w@])")
# A handle without "@" must look like one: a digit, an underscore or a dot inside.
HANDLE_LIKE = re.compile(r"^@|[0-9_.]")
TIME = re.compile(r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)?|\d+(?:st|nd|rd|th|k|m)?", re.IGNORECASE)
COMMON = {"everyone", "here", "mods", "mod", "moderators", "admin", "admins"}


PLATFORM_WORDS = vocab("insta instagram ig tiktok tik tok tt snap snapchat sc facebook fb twitter youtube yt "
                       "threads x discord telegram bluesky bsky linkedin twitch kik vsco onlyfans pinterest tumblr "
                       "roblox fortnite xbox psn steam gamertag")
# Said before a handle, these make even a plain word one: "add her on snapchat - jessyfarrow", "username: kaiw"
EXPLICIT = re.compile(r"[:=\-]|\b(?:handle|username|user ?name|user|name|id|gamertag|tag|acc|account|called|named)\b",
                      re.IGNORECASE)
PLAIN_HANDLE = re.compile(r"[a-z][a-z0-9]{3,29}")
CAMEL_HANDLE = re.compile(r"[A-Za-z][a-z0-9]+(?:[A-Z][A-Za-z0-9]*){1,4}")  # "KaiPlaysFN"
# "find her on facebook, Jess Farrow-Bell": a display name after a verb of looking someone up
FIND_VERB = re.compile(r"\b(?:find|search|look\s+(?:\w+\s+)?up|add|follow|message|dm)\b[^.!?\n]{0,25}$",
                       re.IGNORECASE)
NAME_AFTER = re.compile(r"\s*[,:\-–]\s*((?-i:[A-Z])[\w'’-]+(?:\s+(?-i:[A-Z])[\w'’-]+){1,3})")


class SocialRecognizer:
    kind = "social"

    def find(self, text: str) -> list[Detail]:
        hits: list[Detail] = []
        taken: list[tuple[int, int]] = []

        def add(start: int, end: int, conf: float, reason: str) -> None:
            if any(s < end and start < e for s, e in taken):
                return
            taken.append((start, end))
            hits.append(Detail(self.kind, start, end, conf, reason))

        for m in PROFILE_URL.finditer(text) if "/" in text and "." in text else ():
            end = m.end()
            while end > m.start() and text[end - 1] in ".,;:!?)":
                end -= 1
            add(m.start(), end, 0.9, "a social media profile link")
        for m in PLATFORM_NAME.finditer(text) if any_word(text, PLATFORM_WORDS) else ():
            after = HANDLE_AFTER.match(text, m.end())
            if after and TIME.fullmatch(after.group(1)):
                after = None  # "on Snapchat at 2am"
            if after and after.group(1).lstrip("@").lower() not in COMMON and (
                    HANDLE_LIKE.search(after.group(1)) or _plain_handle(text, m.end(), after)):
                add(after.start(1), after.end(1), 0.85, "a social media handle")
                continue
            before = HANDLE_BEFORE.search(text, max(0, m.start() - 40), m.start())
            if before:
                add(before.start(1), before.end(1), 0.85, "a social media handle")
                continue
            named = PROFILE_NAME.match(text, m.end())
            if named is None and FIND_VERB.search(text, max(0, m.start() - 40), m.start()):
                named = NAME_AFTER.match(text, m.end())
            if named:
                add(named.start(1), named.end(1), 0.75, "a social media profile name")
        for m in BARE_HANDLE.finditer(text) if "@" in text else ():
            if m.group(1).lower() in COMMON:
                continue
            add(m.start(), m.end(), 0.6, "a social media handle")
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
