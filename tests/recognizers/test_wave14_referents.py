"""Wave 14: public parties of unknown gender as referents (salient, named_gender, plural_tie)."""

from __future__ import annotations

from bot.recognizers.ties import Referent, Tie, named_gender, plural_tie, said_genders
from bot.rules.model import Strength


def test_said_genders_learns_from_a_title_or_agreeing_pronouns_about_one_public_person() -> None:
    tutor = Referent(None, None, tentative=True, who="the defendant")
    he = Referent(None, "m", pronoun=True)
    assert said_genders([[tutor, he]]) == {"the defendant": "m"}
    assert said_genders([[Referent(None, "f", who="the defendant")]]) == {"the defendant": "f"}  # "Mrs ..."
    # a protected party the pronoun may stand for, or two public people, leave it unsaid
    assert said_genders([[tutor, he, Referent("the boy", "m")]]) == {}
    assert said_genders([[tutor, he, Referent("the complainant", None)]]) == {}
    assert said_genders([[tutor, he, Referent(None, None, tentative=True, who="the club")]]) == {}
    # several children ("the kids") are never "he"; a girl is not
    assert said_genders([[tutor, he, Referent("the girl", None, plural=True), Referent("the girl", "f")]]) == {
        "the defendant": "m"}
    # the newest word wins
    assert said_genders([[tutor, he], [tutor, Referent(None, "f", pronoun=True)]]) == {"the defendant": "f"}


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
