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


def test_a_posters_framing_is_not_reporting_and_a_framing_clause_is_trimmed() -> None:
    from bot.summary.rank import trim_frame

    for text in ("From today's Chronicle, posting the text as their site keeps crashing.",
                 "Write-up from Schools Week, worth a read for anyone in a pastoral role.",
                 "Wenlow Mercury has this today, pasting it here for the people without a login.",
                 "Summary of what the review says below."):
        assert not is_candidate(Sentence(text, 0, 0, 0)), text
    assert trim_frame("For those who haven't seen it, the partnership has published its review.") == (
        "The partnership has published its review.")
    assert is_candidate(Sentence("The report from the watchdog found that officers missed three chances.", 0, 0, 0))


def test_selection_covers_kinds_of_fact_not_yet_stated() -> None:
    from bot.summary.rank import fact_slots

    lead = "A swimming coach has been jailed for six years at the Crown Court for sexually assaulting a girl."
    again = "The coach, who sexually assaulted the girl he trained, was jailed for six years by the Crown Court."
    order = "He was also given a sexual harm prevention order and must sign the sex offenders register."
    colour = "The club had been a popular part of the town for many years and trained dozens of swimmers."
    assert {"outcome", "penalty", "offence", "body"} <= fact_slots(lead)
    sents = [Sentence(lead, 0, 0, 0), Sentence(colour, 0, 1, 1), Sentence(again, 1, 0, 0),
             Sentence(order, 1, 1, 1)]
    chosen = select(score_candidates(sents, {0: 5, 1: 5}), max_words=36, min_words=10)
    texts = [p.sentence.text for p in chosen.picked]
    assert (lead in texts) != (again in texts)  # said once (the other source is cited with it)
    assert order in texts and colour not in texts


def test_a_vague_pronoun_opening_needs_the_sentence_before_it() -> None:
    a = "The safeguarding partnership published its review of the case on Tuesday in Calderbrook."
    b = "It found that social workers and police missed three opportunities to intervene in 2023."
    c = "The stepfather was jailed for nine years at the Crown Court after admitting grievous bodily harm."
    alone = select(score_candidates([Sentence(b, 0, 5, 5), Sentence(c, 0, 0, 0)], {0: 8}), max_words=60,
                   min_words=5)
    assert [p.sentence.text for p in alone.picked] == [c]
    both = select(score_candidates([Sentence(a, 0, 4, 4), Sentence(b, 0, 5, 5), Sentence(c, 0, 0, 0)], {0: 8}),
                  max_words=80, min_words=5)
    assert b in [p.sentence.text for p in both.picked]


def test_thin_sources_relax_selection_and_forum_asides_are_trimmed() -> None:
    from bot.summary.rank import trim_frame

    assert trim_frame("Just seen on the local news that the constable has been sacked by a panel.") == (
        "The constable has been sacked by a panel.")
    assert not is_candidate(Sentence("Apologies if this has already been posted by someone else.", 0, 0, 0))
    vague = "It found that the force had failed to record the complaint for eight months."
    c = "The officer was dismissed without notice by a misconduct panel in Leeds."
    sents = [Sentence(c, 0, 0, 0), Sentence(vague, 0, 3, 3)]
    assert vague not in [p.sentence.text for p in select(score_candidates(sents, {0: 4}), min_words=20).picked]
    loose = select(score_candidates(sents, {0: 4}), min_words=20, strict=False)
    assert vague in [p.sentence.text for p in loose.picked]


def test_furniture_run_into_the_text_is_not_a_candidate() -> None:
    for text in ("Last edited by kingfisher_77; Today at 10:02 AM.", "This post was edited by a moderator today.",
                 "Share this article on Facebook and Twitter with friends."):
        assert not is_candidate(Sentence(text, 0, 0, 0)), text
    assert is_candidate(Sentence("By March 2024, the council had received forty complaints about the home.", 0, 0, 0))


def test_framing_rules_leave_ordinary_reporting_alone() -> None:
    for text in ("The charity offers support for people who have been abused by officers.",
                 "The figure is below the national average for the region.",
                 "The officer admitted sharing the report with a friend in 2023.",
                 "The video had already been shared thousands of times by then."):
        assert is_candidate(Sentence(text, 0, 0, 0)), text


def test_bare_or_broken_quotations_are_not_candidates() -> None:
    for text in ('"He trusted that man, and so did I," she said.',
                 'The law exists to protect children and it was not followed."',
                 "\u201cWe will appeal the decision to the High Court in the new year, she said."):
        assert not is_candidate(Sentence(text, 0, 0, 0)), text
    assert is_candidate(Sentence('The judge said the harm "would last for years" and jailed him.', 0, 0, 0))


def test_a_sentence_naming_a_new_court_is_not_a_duplicate_of_its_scattered_words() -> None:
    texts = [
        "Gareth Lomond, 41, was found guilty of assaulting a 12-year-old boy he coached.",
        "The jury returned a unanimous guilty verdict after deliberating for about five hours.",
        "Detective Constable Harriet Vance of Kestrel Valley Police said the boy had been brave in court.",
        "Jury at Kestrel Crown Court deliberated for five hours.",
    ]
    sents = [Sentence(t, 0, i, i) for i, t in enumerate(texts)]
    cands = score_candidates(sents, {0: len(sents)})
    picked = [c.sentence.text for c in select(cands, max_words=200, min_words=10, strict=False).picked]
    assert texts[3] in picked
