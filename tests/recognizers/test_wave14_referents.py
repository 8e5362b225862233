"""Wave 14: public parties of unknown gender as referents (salient, named_gender, plural_tie)."""

from __future__ import annotations

from bot.recognizers.ties import Referent, Tie, named_gender, plural_tie, salient
from bot.rules.model import Strength


def test_a_public_party_of_unknown_gender_claims_no_pronoun_one_protected_party_fits() -> None:
    accused = Referent(None, None, tentative=True)
    sole = {"f": "the girl", "m": "the boy"}
    assert salient([[accused]], sole) == {"f": "the girl", "m": "the boy", None: None}
    # without a sole party of the gender, or once their gender is said, the public party keeps the pronoun
    assert salient([[accused]], {"f": "the girl"})["m"] is None
    assert salient([[Referent(None, "m")]], sole)["m"] is None
    # a judge or the writer's own relative (not tentative) still claims it
    assert salient([[Referent(None, None)]], sole) == {"f": None, "m": None, None: None}


def test_the_threads_own_pronouns_settle_a_public_partys_gender() -> None:
    accused = Referent(None, None, tentative=True)
    said_he = Referent(None, "m", pronoun=True)
    found = salient([[accused, said_he]], {"m": "the boy", "f": "the girl"})
    assert found["m"] is None and "f" not in found  # he: the accused; no she in the thread yet


def test_named_gender_reads_a_title_a_relative_or_the_label() -> None:
    text = "Mr Alcock said his sister would speak. Alcock's sister did."
    assert named_gender(text, 3, 9) == (9, "m")
    start = text.index("Alcock's")
    end, gender = named_gender(text, start, start + 6)
    assert gender == "f" and text[start:end] == "Alcock's sister"
    assert named_gender("Pryor was there", 0, 5) == (5, None)
    assert named_gender("Jan Everitt spoke", 0, 11, "the cyclist's widow") == (11, "f")


def test_plural_party_nouns() -> None:
    def tie(text: str) -> Tie:
        return Tie(0, len(text), "x", Strength.STRONG, "the girl")

    assert plural_tie("the older girls", tie("the older girls"))
    assert plural_tie("the kids", tie("the kids"))
    assert not plural_tie("the girl's", tie("the girl's"))
    assert not plural_tie("the lass", tie("the lass"))
