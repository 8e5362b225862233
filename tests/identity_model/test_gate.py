"""The gate: the model's reading counts only when its sentence is tied to a protected party."""

from __future__ import annotations

from collections.abc import Sequence

from bot.detectors.base import ScanContext
from bot.detectors.identifying import PUBLIC_KEY, IdentifyingDetailDetector
from bot.flags import Action, Flag, Message
from bot.identity_model.scorer import DetailScorer, SentenceDetail

PARTIES = [("the girl", "Sexual Offences (Amendment) Act 1992 s.1; child complainant")]


class SaysDetail(DetailScorer):
    """A scorer that reads a detail in every sentence holding ``word`` (the gate is what is tested)."""

    def __init__(self, word: str = "swans") -> None:
        self.word = word
        self.seen: list[str] = []

    def verdicts(self, sentences: Sequence[str]) -> list[SentenceDetail]:
        self.seen.extend(sentences)
        return [SentenceDetail(0.9 if self.word in s else 0.1, self.word in s, "home") for s in sentences]


def flags_for(detector: IdentifyingDetailDetector, text: str, extras: dict[str, object] | None = None) -> list[Flag]:
    return detector.triggered_on(ScanContext(Message("m", "author", text), extras=dict(extras or {})))


def learned(flags: list[Flag]) -> list[Flag]:
    return [f for f in flags if f.kind == "learned"]


def test_a_tied_detail_counts_for_review() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    flags = learned(flags_for(d, "the girl keeps swans in a pen behind the chapel"))
    assert len(flags) == 1
    assert flags[0].label == "the girl" and flags[0].suggested is Action.REVIEW
    assert "learned" in flags[0].reason and "swans" not in flags[0].reason  # never the detail itself


def test_an_untied_detail_does_not_count_and_is_not_even_scored() -> None:
    model = SaysDetail()
    d = IdentifyingDetailDetector(PARTIES, detail_model=model)
    assert learned(flags_for(d, "someone keeps swans in a pen behind the chapel")) == []
    assert model.seen == []  # WHO first: no one referred to, nothing for the model to read


def test_an_unresolved_pronoun_does_not_tie() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    assert learned(flags_for(d, "she keeps swans in a pen behind the chapel")) == []


def test_the_writer_themself_never_counts() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    assert learned(flags_for(d, "I keep swans in a pen behind the chapel myself")) == []


def test_a_public_party_never_counts() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    text = "Hendry keeps swans in a pen behind the chapel"
    assert learned(flags_for(d, text, {PUBLIC_KEY: [(0, 6, "the defendant")]})) == []


def test_the_detail_in_a_sentence_without_the_tie_does_not_count() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    assert learned(flags_for(d, "The girl was very brave. Someone keeps swans in a pen behind the chapel.")) == []


def test_a_rule_finding_is_not_repeated_by_the_model() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    flags = flags_for(d, "the girl keeps swans at 22 Wharfedale Crescent, LS12 3QP")
    assert flags and learned(flags) == []


def test_without_a_model_the_rules_decide_alone() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=None)
    assert learned(flags_for(d, "the girl keeps swans in a pen behind the chapel")) == []


def test_a_tied_learned_detail_joins_the_jigsaw() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    flags = flags_for(d, "the girl is 13 and keeps swans in a pen behind the chapel")
    assert "jigsaw" in {f.kind for f in flags}


def test_a_relative_of_no_one_in_the_case_does_not_tie() -> None:
    d = IdentifyingDetailDetector(PARTIES, detail_model=SaysDetail())
    assert learned(flags_for(d, "her mum keeps swans in a pen behind the chapel")) == []
    assert learned(flags_for(d, "the girl's mum keeps swans in a pen behind the chapel"))


# wave 8 (idcorpus8): the party's gender in the tie, and moderators' notices and requests never read

TWO = [("the girl", "Sexual Offences (Amendment) Act 1992 s.1; 14-year-old complainant"),
       ("the lad", "YJCEA 1999 s.45 direction; 15-year-old prosecution witness")]


def test_a_party_noun_of_the_other_gender_resolves_to_the_party_of_its_own() -> None:
    d = IdentifyingDetailDetector(TWO, detail_model=SaysDetail())
    flags = learned(flags_for(d, "the boy keeps swans in a pen behind the chapel"))
    assert [f.label for f in flags] == ["the lad"]


def test_a_pronoun_of_the_other_gender_is_tied_to_the_party_of_its_gender() -> None:
    d = IdentifyingDetailDetector(TWO, detail_model=SaysDetail())
    flags = learned(flags_for(d, "the girl was brave. his uncle keeps swans in a pen behind the chapel"))
    assert flags and {f.label for f in flags} == {"the lad"}
    # with one party only, the tie is kept (never dropped), to the party named
    one = IdentifyingDetailDetector(TWO[:1], detail_model=SaysDetail())
    kept = learned(flags_for(one, "the girl was brave. his uncle keeps swans in a pen behind the chapel"))
    assert kept and {f.label for f in kept} == {"the girl"}


def test_a_moderators_notice_or_a_request_to_them_is_never_read() -> None:
    model = SaysDetail()
    d = IdentifyingDetailDetector(PARTIES, detail_model=model)
    assert learned(flags_for(d, "Removed. The girl's swans and her nan's house are not for posting.")) == []
    assert learned(flags_for(d, "mods please delete the post about the girl's swans")) == []
    assert model.seen == []
    assert learned(flags_for(d, "the girl keeps swans. mods please delete the post above"))  # her sentence is read
