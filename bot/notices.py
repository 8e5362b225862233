"""What the bot tells an author: which kind of detail, the legal reason, the rules link; never the detail."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.flags import Category

#: Plain words for what kind of detail a flag is about (used in the author's notice).
KIND_WORDS = {
    "full_name": "a name", "name": "a name", "surname": "a surname", "forename": "a first name",
    "nickname": "a nickname", "identifier": "an identifying detail", "phone": "a phone number",
    "email": "an email address", "address": "a home address", "postcode": "a postcode",
    "school": "a school", "workplace": "a workplace", "social": "a social-media handle",
    "photo": "a photo", "jigsaw": "details that together identify someone",
    "photo_location": "a photo's GPS location", "photo_owner": "a photo's owner details",
    "camera_serial": "a camera's serial number", "unreadable_image": "an image that could not be checked",
}


class Finding(Protocol):
    """A detector finding as stored (``FindingRow``) or just made (``bot.flags.Flag``)."""

    @property
    def kind(self) -> str: ...
    @property
    def label(self) -> str | None: ...


class Noticed(Protocol):
    """What a notice needs to know about a flag: its category and findings (strongest first)."""

    @property
    def category(self) -> str: ...
    @property
    def findings(self) -> Sequence[Finding]: ...


def notice_text(flag: Noticed, *, thread_name: str, basis: dict[str, str], rules_url: str, held: bool,
                title: bool = False) -> str:
    """The author's DM: which kind of detail, the legal reason, the rules link; never the detail itself."""
    kinds = [f.kind for f in flag.findings if f.kind]
    what = KIND_WORDS.get(kinds[0], "a detail") if kinds else "a detail"
    if any(str(getattr(f, "detector", "")).startswith("image_text") for f in flag.findings[:1]):
        what = f"an image showing {what}"  # bot.images: found in the text of an attached image
    labels = [f.label for f in flag.findings if f.label]
    where = f" in **{thread_name}**" if thread_name else ""
    verb = "held for review" if held else "removed"
    what_was = "The title of your post" if title else f"Your message{where}"
    if title:
        verb = "changed"
    if flag.category == Category.ABUSE:
        lines = [f"{what_was} was {verb} by the moderators' bot: it looked abusive "
                 f"({flag.findings[0].kind or 'abuse'} ) and breaks the server's rules on how to treat people."]
    else:
        lines = [f"{what_was} was {verb} by the moderators' bot."]
        who = labels[0] if labels else "a person the law protects"
        lines.append(f"It contained {what} that could identify {who}.")
        reasons = [basis[label] for label in dict.fromkeys(labels) if basis.get(label)]
        if reasons:
            lines.append(f"The law gives them anonymity ({'; '.join(reasons)}), so the forum may not publish "
                         "anything that identifies them, even indirectly.")
        else:
            lines.append("The law protects their anonymity, so the forum may not publish anything that "
                         "identifies them, even indirectly.")
    if "photo_location" in kinds:
        lines.append("Your photo carries the place where it was taken (GPS location data). Remove the location "
                     "data before posting it again: most phones can share a photo without it.")
    if held:
        lines.append("A moderator will review it and may restore it.")
    lines.append("Please don't post it again." + (f" Server rules: {rules_url}" if rules_url else ""))
    return "\n".join(lines).replace(" )", ")")


def warning_text(rules_url: str) -> str:
    """The escalation ladder's warning DM."""
    return ("This is a warning from the moderators' bot: several of your recent messages were "
            "flagged as abusive. Further abuse will lead to a timeout."
            + (f" Server rules: {rules_url}" if rules_url else ""))
