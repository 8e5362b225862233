"""Wave 11 (idprot11): bare, addressed and described names, obligation verbs, trunk-less and 'hundred' phone
numbers, abbreviation initials. Fictional names only; the matcher is asked directly."""

from __future__ import annotations

import pytest

from bot.flags import Action
from bot.matcher import ProtectedMatcher
from bot.registry import ProtectedRegistry

KEY = b"wave11-idprot11-test-key-000000000"


@pytest.fixture(scope="module")
def matcher() -> ProtectedMatcher:
    reg = ProtectedRegistry(KEY)
    reg.add_party("the girl", names=["Kestrel Ashworth-Beane", "Kes Ashworth-Beane"],
                  identifiers=["@kes_ab09", "07700 900512"])
    reg.add_party("the boy", names=["Robin Fairclough"], identifiers=[])
    reg.add_party("the lad", names=["Tobias Vennor"], identifiers=[])
    return ProtectedMatcher(reg)


@pytest.mark.parametrize("text", [
    "KESTREL",
    "kestrel.",
    "K e s t r e l",
    "kestrel with the purple coat and the scooter",
    "Kes if you're reading this, we're all behind you",
    "Kes, stay strong",
    "love you Kes, you're braver than any of us",
    "robin needs to stop posting about it",
    "honestly robin should keep his head down",
    "T.V. is the lad, everyone knows",
])
def test_reviewed(matcher: ProtectedMatcher, text: str) -> None:
    found = matcher.find(text)
    assert found and all(m.suggested is Action.REVIEW for m in found)


@pytest.mark.parametrize("text", [
    "ring her on 7700 900512",
    "her mobile's oh seven seven hundred, nine hundred, five one two",
])
def test_phone_forms(matcher: ProtectedMatcher, text: str) -> None:
    assert {m.kind for m in matcher.find(text)} == {"identifier"}


@pytest.mark.parametrize("text", [
    "ROBIN",  # a common word alone: no name
    "the robin on my bird table is back",
    "robin needs to be fed",
    "a kestrel with a mouse in its claws",
    "Kestrel Cove with the sun going down",
    "it cost 7700 900512 pounds",
    "saw it on the T.V. last night",
    "Will you stop posting",
    "Kes and the rest of the film crew, you should see it",
])
def test_not_found(matcher: ProtectedMatcher, text: str) -> None:
    assert matcher.find(text) == []


def test_a_member_named_like_the_party_is_the_member(matcher: ProtectedMatcher) -> None:
    from bot.detectors.forum import member_key

    members = frozenset({member_key("kestrel")})
    assert matcher.find("Kestrel, you're spot on", members=members) == []
    assert matcher.find("Kestrel, you're spot on")
