"""Doxxing with an invitation: an identity finding and an invitation to contact, in one message, are abuse."""

from __future__ import annotations

import secrets

from bot.abuse.detector import AbuseDetector
from bot.abuse.fallback import ProfanityScorer
from bot.abuse.invitation import invitation_flag, with_invitation
from bot.case import parse_case
from bot.commands import scan as scan_command
from bot.engine import IdentityEngine
from bot.flags import Category, Flag, Message

NAME, PHONE = "Tamsin Orchardley", "07700 900735"
CASE = f'''id = "t"\ntitle = "R v Example"\n[[protected]]\nlabel = "the complainant"\nbasis = "s.1"
names = ["{NAME}"]\nidentifiers = ["{PHONE}"]\n'''
NAMED = Flag(Category.PROTECTED_IDENTITY, "protected_party", 0.9, "names the complainant", label="the complainant")


def test_an_invitation_beside_a_named_party_is_doxxing() -> None:
    flag = invitation_flag("her number if anybody wants a word", [NAMED])
    assert flag is not None and flag.category is Category.ABUSE and flag.kind == "doxxing"
    assert flag.label == "the complainant" and "the complainant" in flag.reason


def test_neither_half_alone_is_abuse() -> None:
    assert invitation_flag("her number if anybody wants a word", []) is None
    assert invitation_flag("if anyone wants a lift to court, DM me", [NAMED]) is None
    unlabelled = Flag(Category.IDENTIFYING_DETAIL, "identifying_detail", 0.7, "a detail")
    assert invitation_flag("go say hi, he's online", [unlabelled]) is None, "a detail tied to no party"


def test_the_scorers_own_abuse_flag_is_kept_alone() -> None:
    own = Flag(Category.ABUSE, "abuse:test", 0.95, "threat", kind="threat")
    assert with_invitation("give her a bell, all of you", [NAMED], [own]) == [own]
    added = with_invitation("give her a bell, all of you", [NAMED], [])
    assert [f.detector for f in added] == ["abuse:invitation"]


def test_scan_adds_the_flag_and_never_shows_the_number() -> None:
    engine = IdentityEngine.from_case(parse_case(CASE), secrets.token_bytes(32))
    texts = [f"her number's {PHONE}, if anybody fancies a word", "if anybody fancies a word, the pub's open",
             f"{PHONE} is the number the court heard about"]
    messages = [Message(id=f"m{i}", author=f"u{i}", content=t, thread_id="t1") for i, t in enumerate(texts)]
    verdicts = scan_command.scan(engine, messages, AbuseDetector(ProfanityScorer()), identity_workers=1)
    abuse = [[f for f in v.flags if f.category is Category.ABUSE] for v in verdicts]
    assert [f.kind for f in abuse[0]] == ["doxxing"] and not abuse[1] and not abuse[2]
    assert PHONE not in abuse[0][0].reason and PHONE not in verdicts[0].excerpt
