"""Ranking prefers reported facts over commentary; candidates exclude opinion, questions and fragments."""

from __future__ import annotations

from bot.summary.rank import is_candidate, lexrank, score_candidates, select, trim_reaction
from bot.summary.sentences import Sentence, source_sentences, split_sentences


def _sents(*texts: str) -> list[Sentence]:
    return [Sentence(t, 0, i, i) for i, t in enumerate(texts)]


def test_facts_outrank_commentary_at_the_same_position() -> None:
    fact = "The panel found the officer guilty of gross misconduct and he was dismissed without notice in May."
    view = "Campaigners said the outcome was shocking and that the whole force should be ashamed of itself."
    for order in ((fact, view), (view, fact)):
        cands = score_candidates(_sents(*order), {0: 2})
        by_text = {c.sentence.text: c.score for c in cands}
        assert by_text[fact] > by_text[view]


def test_candidates_exclude_first_person_questions_fragments_and_meta() -> None:
    ok, *bad = _sents(
        "The Crown Prosecution Service decided not to bring a criminal charge in 2024.",
        "I think he should have been sacked on the spot by the panel.",
        "Why did the force take two years to refer the case to the watchdog?",
        "Officer cleared over messages to pupil",
        "Copying the Echo report here for anyone without a subscription.",
        "Absolutely disgraceful decision by the panel tbh, nobody learns anything.",
    )
    assert is_candidate(ok)
    assert not any(is_candidate(s) for s in bad)
    # first person inside a quotation is reported speech, not the poster's view
    assert is_candidate(Sentence('The chair said: "I am satisfied the conduct was proved."', 0, 0, 0))


def test_selection_skips_near_duplicates_and_keeps_to_the_word_budget() -> None:
    a = "The coroner recorded a conclusion of unlawful killing at the inquest in Leeds on Monday."
    b = "A coroner recorded a conclusion of unlawful killing at the Leeds inquest on Monday."
    c = "The Independent Office for Police Conduct said its investigation into two officers was continuing."
    sents = [Sentence(a, 0, 0, 0), Sentence(c, 0, 1, 1), Sentence(b, 1, 0, 0)]
    chosen = select(score_candidates(sents, {0: 2, 1: 1}), max_words=60, min_words=10)
    texts = [p.sentence.text for p in chosen.picked]
    assert c in texts and (a in texts) != (b in texts)
    assert sum(p.words for p in chosen.picked) <= 60
    assert any(chosen.duplicates.values())


def test_lexrank_favours_the_sentence_most_like_the_others() -> None:
    import numpy as np

    sim = np.array([[1.0, 0.6, 0.5], [0.6, 1.0, 0.05], [0.5, 0.05, 1.0]])
    scores = lexrank(sim)
    assert scores.argmax() == 0


def test_splitter_keeps_abbreviations_and_reaction_tails_are_trimmed() -> None:
    text = "Det. Supt. Reed said the inquiry was over. The panel met on 3 March. It ruled on J. K. Moss."
    assert split_sentences(text) == ["Det. Supt. Reed said the inquiry was over.", "The panel met on 3 March.",
                                     "It ruled on J. K. Moss."]
    assert [s.index for s in source_sentences(text + "\n\nA second paragraph follows here.", 0)] == [0, 1, 2, 3]
    assert trim_reaction("The council closed the library, prompting anger from residents.") == (
        "The council closed the library.")
