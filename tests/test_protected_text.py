"""Short outputs (display names, titles, URLs) with registered strings replaced by the party's label."""

from __future__ import annotations

from bot.case import CaseFile, ProtectedParty
from bot.matcher import ProtectedMatcher
from bot.protected_text import label_protected, names_protected, registered_matches
from bot.registry import ProtectedRegistry

KEY = b"protected-text-test-key-0123456789"


def registry() -> ProtectedRegistry:
    case = CaseFile(id="t", protected=[
        ProtectedParty(label="the pupil", basis="s.45 order", names=["Tamsin Orrell"],
                       identifiers=["Brackwater Academy"]),
        ProtectedParty(label="the officer", basis="anonymity order", names=["PC Ivo Danvers"]),
    ])
    return ProtectedRegistry.from_case(case, KEY)


def test_a_display_name_gets_the_label_not_the_name() -> None:
    out = label_protected("tamsin_orrell fan account", registry())
    assert "orrell" not in out.lower() and "[the pupil]" in out


def test_a_first_name_counts_untied_in_an_output() -> None:
    assert label_protected("Thread: what Tamsin said", registry()) == "Thread: what [the pupil] said"


def test_a_ranked_name_is_labelled_whole() -> None:
    assert label_protected("PC on scene said little", registry()) == "PC on scene said little"
    assert label_protected("PC Ivo Danvers gave evidence", registry()) == "[the officer] gave evidence"


def test_a_public_word_inside_a_registered_identifier_is_left_as_written() -> None:
    reg = registry()
    kinds = {m.kind for m in registered_matches("Brackwater town centre", ProtectedMatcher(reg))}
    assert "identifier_part" not in kinds
    assert names_protected("pupils at Brackwater Academy", reg)
    assert "Brackwater Academy" not in label_protected("pupils at Brackwater Academy", reg)


def test_text_without_a_registered_string_is_unchanged() -> None:
    assert not names_protected("the jury retired at noon", registry())


def test_a_nickname_that_is_also_a_word_is_labelled_where_it_is_written_as_a_name() -> None:
    case = CaseFile(id="t", protected=[
        ProtectedParty(label="the boy", basis="s.45 order", names=["Maxwell Tudor Price", "Max"]),
    ])
    reg = ProtectedRegistry.from_case(case, KEY)
    assert label_protected("lovely boy isn't it. Max. Everyone up the club knows", reg) == (
        "lovely boy isn't it. [the boy]. Everyone up the club knows")
    assert label_protected("MAX and the others", reg) == "[the boy] and the others"
    assert label_protected("turn it up to the max, the max speed is 30", reg) == (
        "turn it up to the max, the max speed is 30")  # the word, not the name
    assert label_protected("On the Isle of Wight", reg) == "On the Isle of Wight"
