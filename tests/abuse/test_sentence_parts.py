"""A long post's sentences read alone keep what they refer back to: criticism of an institution stays criticism."""

from __future__ import annotations

from bot.abuse.detector import refers_to_institution, sentences

POST = ("Judges in this country are a joke, he'll get a suspended sentence because he's old, you watch. "
        "And the prosecutors sat on a complaint about him for years and did nothing at all. "
        "Absolutely spineless bunch of cowards, the lot of them.")


def test_a_sentence_that_refers_back_to_an_institution_is_not_read_alone() -> None:
    last = sentences(POST)[-1]
    assert last.startswith("Absolutely") and refers_to_institution(last, POST)


def test_a_group_named_without_an_institution_before_it_is_still_read_alone() -> None:
    post = ("The family from the caravan site were in the gallery again today, shouting at the witnesses "
            "all morning until the usher finally asked them to leave the building. "
            "Absolutely spineless bunch of cowards, the lot of them.")
    assert not refers_to_institution(sentences(post)[-1], post)
    assert not refers_to_institution("You lot are cowards, the lot of them", POST), "'you' is a target of its own"
