"""Wave 8 (idcorpus8): a child's age ties to the party whose basis states it; gender picks the party."""

from __future__ import annotations

from bot.recognizers.ties import TieFinder

TWO = [("the girl", "Sexual Offences (Amendment) Act 1992 s.1; 14-year-old complainant"),
       ("the lad", "YJCEA 1999 s.45 direction; 15-year-old prosecution witness")]


def labels(finder: TieFinder, text: str) -> list[str | None]:
    return [t.label for t in finder.find(text)]


def test_a_bare_age_opening_a_clause_ties_to_the_party_of_that_age() -> None:
    f = TieFinder(TWO)
    assert labels(f, "14, red hair, lives near the park") == ["the girl"]
    assert labels(f, "not hard. 15, year 10, boxes at the club") == ["the lad"]
    assert labels(f, "the 15yo from the flats who plays in goal") == ["the lad"]
    assert labels(f, "16, lives on the estate") == []  # no party of that age
    assert labels(f, "at 14, I was at school") == []  # not a description opening a clause


def test_with_no_age_stated_a_bare_age_is_the_child_party() -> None:
    assert labels(TieFinder([("the boy", "child witness")]), "13, ginger, plays in the band") == ["the boy"]
    assert labels(TieFinder([("the complainant", "adult complainant")]), "13, ginger, plays in the band") == []


def test_a_party_noun_resolves_by_gender_before_falling_back() -> None:
    f = TieFinder(TWO)
    assert f.resolve("boy") == "the lad" and f.resolve("girl") == "the girl"
    assert f.of_gender("m") == "the lad" and f.of_gender(None) is None
    # one party: the noun of the other gender still ties (kept, not dropped)
    assert TieFinder(TWO[:1]).resolve("boy") == "the girl"
