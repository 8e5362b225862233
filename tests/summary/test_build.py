"""Building summaries: checks pass on bundled cases, citations map across sources, redaction holds."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from bot.case import parse_case
from bot.errors import InputError
from bot.sources import SourceDoc
from bot.summary import build_summary, render_json, render_markdown, summary_fingerprint, to_embed
from bot.summary.build import Summary
from bot.summary.redaction import Redactor, identity_checker
from bot.summary.support import word_support

from .checks import problems
from .conftest import CASES, FakeEngine, load


@pytest.mark.parametrize("name", ["news_comments", "multi_source", "smf_thread", "phpbb_thread", "vbulletin_thread",
                                  "discourse_thread", "discourse_text_named", "discord_export", "xenforo_mybb",
                                  "long_feature", "fb_comments_three_sources", "reddit_discord_copy",
                                  "liveblog_html", "mumsnet_thread", "wire_court_rewrite", "phpbb_html_export",
                                  "seed_met_blog", "seed_iopc_forum", "fresh_blog_teacher", "fresh_news_release",
                                  "fresh_forum_carehome", "fresh_reddit_coach", "fresh_mumsnet_ta",
                                  "fresh_press_releases", "fresh_legal_blog", "fresh_coroner_forum",
                                  "fresh_slug_news", "fresh_verdict_two_papers"])
def test_bundled_cases_pass_the_summary_checks(name: str) -> None:
    case, docs = load(name)
    spec = json.loads((CASES / name / "facts.json").read_text())
    # the identity engine on the case's hashed registry: the same redaction path as the bot
    summary = build_summary(case, docs, checker=identity_checker(case))
    secrets = [x for p in case.protected for x in p.names + p.identifiers]
    found = problems(summary, docs, forbidden=spec["forbidden"] + secrets, facts=spec["facts"],
                     min_words=spec["min_words"], max_words=200)
    assert found == []


def test_poster_meta_sentences_and_replies_are_left_out() -> None:
    case, docs = load("phpbb_thread")
    summary = build_summary(case, docs, checker=identity_checker(case))
    body = " ".join(s.text for s in summary.sentences)
    assert "Copying" not in body and "Heartbreaking" not in body
    assert summary.sources[0].url == "https://forum.kestwick.example/viewtopic.php?t=4410"


def test_sentences_are_verbatim_from_the_cleaned_sources_or_label_redacted() -> None:
    case, docs = load("news_comments")
    summary = build_summary(case, docs, checker=identity_checker(case))
    for s in summary.sentences:
        assert s.text[:-1] in docs[0].text  # verbatim, or a verbatim prefix when a reaction clause was cut


def test_a_trailing_reaction_clause_is_cut_and_the_rest_still_checks() -> None:
    case = parse_case('id = "x"\ntitle = "Panel"\n')
    doc = SourceDoc(title="A", url="https://a.example/1", text=(
        "A police officer has been cleared of gross misconduct by a panel in Leeds, in a decision that "
        "campaigners described as baffling. The panel found that the officer had not known the woman's age. "
        "The Independent Office for Police Conduct said it would review the decision next month."))
    summary = build_summary(case, [doc], checker=identity_checker(case), min_words=10)
    assert summary.sentences[0].text == "A police officer has been cleared of gross misconduct by a panel in Leeds."


def test_citation_mapping_across_several_sources() -> None:
    case, docs = load("multi_source")
    summary = build_summary(case, docs, checker=identity_checker(case))
    by_text = {s.text: s.sources for s in summary.sentences}
    lead = ("A primary school headteacher in Northfold has been suspended while the county council investigates "
            "allegations that a pupil was restrained and locked in a storeroom.")
    assert by_text[lead] == [1, 2]  # both papers carry it: cited to both, said once
    for s in summary.sentences:
        # verbatim, relabelled, or with a name in apposition dropped (every word still from the source)
        assert (s.text in docs[s.sources[0] - 1].text or "the pupil" in s.text
                or word_support(s.text, docs[s.sources[0] - 1].text) == 1.0)
        if "false imprisonment" in s.text:
            assert s.sources == [2]
    assert [r.n for r in summary.sources] == [1, 2]
    assert summary.sources[1].url == "https://herald.example/education/head-suspended"
    assert sum(1 for s in summary.sentences if "primary school headteacher" in s.text) == 1


def test_near_duplicate_with_different_wording_is_cited_not_repeated() -> None:
    case = parse_case('id = "x"\ntitle = "Inquest"\n')
    a = SourceDoc(title="A", url="https://a.example/1", text=(
        "The coroner recorded a conclusion of unlawful killing at the inquest in Leeds on Monday. "
        "The jury found that the restraint lasted nine minutes.\n\n"
        "The family's solicitor said they would now ask the Crown Prosecution Service to review the case. "
        "The force said two officers remained on restricted duties while the watchdog finished its inquiry."))
    b = SourceDoc(title="B", url="https://b.example/2", text=(
        "A coroner recorded a conclusion of unlawful killing at the Leeds inquest on Monday. "
        "The Independent Office for Police Conduct said its investigation into the officers was continuing "
        "and that it expected to report to prosecutors in the summer."))
    summary = build_summary(case, [a, b], checker=identity_checker(case), min_words=10)
    unlawful = [s for s in summary.sentences if "unlawful killing" in s.text]
    assert len(unlawful) == 1 and unlawful[0].sources == [1, 2]


def test_source_naming_a_protected_party_is_redacted_to_the_label() -> None:
    case, docs = load("multi_source")
    summary = build_summary(case, docs)  # the identity engine on a throwaway-keyed registry
    md = render_markdown(summary)
    assert "Marchetti" not in md and "Leo" not in md and "Brackenfield" not in md
    parents = [s for s in summary.sentences if "storeroom for more than an hour" in s.text]
    # "the parents of the boy, [name], said": the name in apposition goes, as "the boy" already says who
    assert parents and parents[0].text.startswith("The parents of the boy said he had been left")


def test_engine_spans_become_labels_and_identifying_details_drop_the_sentence() -> None:
    case = parse_case('id = "x"\ntitle = "Care home case"\n[[protected]]\nlabel = "the resident"\n')
    doc = SourceDoc(title="Report", url="https://r.example/1", text=(
        "A care worker has been jailed for two years after Mrs Quill was left on the floor for eleven hours. "
        "The court heard that the resident had lived on Tannery Row for forty years before moving into the home. "
        "The Care Quality Commission rated the home inadequate after an inspection in October 2023. "
        "The owner said it had dismissed the worker in September 2023 and changed its night staffing."))
    engine = FakeEngine({"Quill": "the resident"}, {"Tannery Row": "the resident"})
    summary = build_summary(case, [doc], checker=engine, min_words=10)
    body = " ".join(s.text for s in summary.sentences)
    assert "Quill" not in body and "Tannery" not in body
    assert "jailed for two years after Mrs the resident" not in body
    assert any("the resident was left on the floor" in s.text for s in summary.sentences)
    assert not any("forty years" in s.text for s in summary.sentences)
    assert engine.calls > 0


def test_partial_name_matches_drop_the_sentence_rather_than_mislabel_someone() -> None:
    case = parse_case('id = "x"\n[[protected]]\nlabel = "the child"\n')

    class SurnameEngine(FakeEngine):
        def check(self, message):  # type: ignore[no-untyped-def]
            verdict = super().check(message)
            verdict.flags = [replace(f, kind="surname") for f in verdict.flags]
            return verdict

    red = Redactor(case, SurnameEngine({"Abbott": "the child"}))
    assert red.sentence("Kerry Abbott, 29, admitted misconduct in public office in February.").text is None
    assert red.sentence("The court heard she was paid more than £9,000 over eight months.").text is not None


def test_redactor_drops_what_it_cannot_make_safe() -> None:
    case = parse_case('id = "x"\n[[protected]]\nlabel = "the pupil"\nnames = ["Ada Quince"]\n'
                      'identifiers = ["@adaq_07"]\n')
    red = Redactor(case, identity_checker(case))
    assert red.sentence("Her account @adaq_07 was reported to the school.").text is None
    out = red.sentence("ada   QUINCE told her teacher about the messages in May.").text
    assert out == "The pupil told her teacher about the messages in May."
    assert red.plain("Ada Quince case: officer cleared", fallback="Case summary") == "The pupil case: officer cleared"
    stored = red.source_text("Ada Quince, 14, was contacted.\n\nHer handle @adaq_07 was public.")
    assert "Quince" not in stored and "adaq" not in stored and "[the pupil]" in stored


def test_fingerprint_changes_when_a_source_is_added_or_edited() -> None:
    case, docs = load("multi_source")
    fp = summary_fingerprint(docs)
    assert fp == summary_fingerprint(list(docs))
    assert fp != summary_fingerprint(docs[:1])
    assert fp != summary_fingerprint([docs[0], replace(docs[1], text=docs[1].text + " More.")])
    summary = build_summary(case, docs, checker=identity_checker(case))
    assert summary.fingerprint == fp


def test_no_sources_and_no_usable_sentences_are_clear_errors() -> None:
    case = parse_case('id = "empty-case"\n')
    with pytest.raises(InputError, match="has no sources"):
        build_summary(case, [])
    with pytest.raises(InputError, match="no sentence"):
        build_summary(case, [SourceDoc(title="t", text="Home\n\nNews\n\nShare")], checker=identity_checker(case))


def test_renderings_markdown_json_embed_and_round_trip() -> None:
    case, docs = load("multi_source")
    summary = build_summary(case, docs, checker=identity_checker(case))
    md = render_markdown(summary)
    lines = md.splitlines()
    assert lines[0] == f"# {case.title}"
    assert "## Sources" in lines
    assert lines[-1].startswith("- [2] Head suspended over storeroom claims, Northfold Herald, 2025-09-04, https://")
    for sentence in summary.sentences:
        assert re.search(re.escape(sentence.text) + r" (\[\d+\])+", md)
    data = render_json(summary)
    assert set(data) >= {"sentences", "sources"}
    first = summary.sentences[0]
    assert data["sentences"][0] == {"text": first.text, "sources": first.sources, "kind": "headline",
                                    "support": first.support}
    assert all(0.7 <= s["support"] <= 1.0 for s in data["sentences"])
    assert md.split("\n")[2].startswith("**What happened:** " + first.text)
    labels = [s["label"] for s in data["sections"]]
    assert labels[0] == "What happened" and labels == sorted(labels, key=[
        "What happened", "Details", "Outcome", "Findings", "What's next", "Background"].index)
    embed = to_embed(summary)
    assert embed.n_sources == 2 and embed.footer.startswith("generated from 2 sources, last updated ")
    assert embed.sources[0].url == "https://courier.example/news/headteacher-suspended"
    assert "[1] [Headteacher suspended" in embed.sources_text
    assert len(embed.body) <= 4096
    assert Summary.from_dict(json.loads(json.dumps(summary.to_dict()))) == summary


def test_footnote_markers_in_a_source_do_not_become_citations() -> None:
    case = parse_case('id = "x"\ntitle = "Ruling"\n')
    doc = SourceDoc(title="Wiki", url="https://w.example/1", text=(
        "The Court of Appeal quashed the conviction in 2024.[3] The Criminal Cases Review Commission had referred "
        "the case after new forensic evidence emerged.[4][5] A retrial was ruled out by the prosecution service."))
    summary = build_summary(case, [doc], checker=identity_checker(case), min_words=10)
    md = render_markdown(summary)
    assert "[3]" not in md and "[4]" not in md and "[5]" not in md
    assert summary.sentences[0].text == "The Court of Appeal quashed the conviction in 2024."


def test_apposed_names_go_and_names_run_into_words_drop_the_sentence() -> None:
    case = parse_case('id = "x"\ntitle = "t"\n[[protected]]\nlabel = "the patient"\nnames = ["Megan Thorley"]\n')
    red = Redactor(case, identity_checker(case))
    assert red.sentence("The nurse had a relationship with a patient, Megan Thorley, who was detained.").text == (
        "The nurse had a relationship with a patient who was detained.")
    assert red.sentence("Megan Thorley was 23 when the contact began.").text == (
        "The patient was 23 when the contact began.")
    # not a person noun before the comma: the label stands in
    assert red.sentence("Yesterday, Megan Thorley, 23, gave evidence.").text == (
        "Yesterday, the patient, 23, gave evidence.")
    # a registered name inside a longer word or name cannot be relabelled safely
    assert red.sentence("She lived on Megan Thorleyson Way at the time.").text is None
    assert red.sentence("Pell wrote to Megan Thorley-Smith in 2023.").text is None


def test_summary_reads_most_important_first_across_sources() -> None:
    case = parse_case('id = "x"\ntitle = "Hearing"\n')
    a = SourceDoc(title="A", url="https://a.example/1", text=(
        "The force said it had apologised to the family and changed its guidance on searches. "
        "The hearing lasted three days at the force headquarters in the town centre.\n\n"
        "A police constable was given a final written warning by a misconduct panel in March 2025."))
    b = SourceDoc(title="B", url="https://b.example/2", text=(
        "A misconduct panel has given a constable a final written warning for strip-searching a boy aged 15. "
        "The Independent Office for Police Conduct investigated after the boy's mother complained in 2023."))
    summary = build_summary(case, [a, b], checker=identity_checker(case), min_words=10)
    assert "final written warning" in summary.sentences[0].text


def test_a_label_its_source_never_uses_is_supported_by_citing_a_source_that_does() -> None:
    case = parse_case('id = "x"\ntitle = "Hearing"\n[[protected]]\nlabel = "the complainant"\n'
                      'names = ["Tamsin Rook"]\n')
    a = SourceDoc(title="A", url="https://a.example/1", text=(
        "A detective was dismissed for gross misconduct by a panel in Wexmoor on Monday. "
        "Tamsin Rook gave evidence on that day."))
    b = SourceDoc(title="B", url="https://b.example/2", text=(
        "The complainant had reported an assault to the force in 2023, a hearing was told. "
        "The officer sent her new address to the suspect in a text message."))
    summary = build_summary(case, [a, b], checker=identity_checker(case), min_words=10)
    video = [s for s in summary.sentences if "gave evidence" in s.text]
    assert video and video[0].text == "The complainant gave evidence on that day."
    assert video[0].sources == [1, 2]  # "complainant" is source 2's word; together they support it
    assert "Tamsin" not in render_markdown(summary)
