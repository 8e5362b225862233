"""Wave 13 forms of registered names: a contraction after a name, a double-barrelled surname's dotted initials."""

from __future__ import annotations

import pytest

from bot.matcher import ProtectedMatcher
from bot.registry import INITIALS, NICKNAME, ProtectedRegistry


@pytest.fixture(scope="module")
def matcher() -> ProtectedMatcher:
    registry = ProtectedRegistry(b"wave13-test-key")
    registry.add_party("the girl", names=["Tamsin Orchardley", "Tamzy"])
    registry.add_party("the witness", names=["Kofi Appiah-Danquah"])
    return ProtectedMatcher(registry)


@pytest.mark.parametrize("text", ["Tamzy'll be wanting her picture in the paper", "Tamzy’ll be there"])
def test_a_contraction_after_a_name_leaves_the_name(matcher: ProtectedMatcher, text: str) -> None:
    assert [(m.label, m.kind) for m in matcher.find(text)] == [("the girl", NICKNAME)]


def test_an_apostrophe_inside_a_name_still_joins_it() -> None:
    registry = ProtectedRegistry(b"wave13-test-key")
    registry.add_party("the lad", names=["Declan O'Lleary"])
    assert [m.kind for m in ProtectedMatcher(registry).find("saw O'Lleary at the match")] == ["surname"]


def test_dotted_initials_of_a_double_barrelled_surname(matcher: ProtectedMatcher) -> None:
    found = matcher.find("K.A.D. from the Crescent, three letters")
    assert [(m.label, m.kind) for m in found] == [("the witness", INITIALS)]
    assert not matcher.find("K.A.D. and the rest of the band played"), "initials need a tie"


def test_a_nickname_with_the_surname_initial(matcher: ProtectedMatcher) -> None:
    found = matcher.find("tamzy o did the right thing filming it")
    assert [(m.label, m.kind) for m in found] == [("the girl", "name_initial")]
