"""The comment-section detector: where unheaded reader comments begin, with positives and negatives."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.case import load_case
from bot.sources import local_case_sources
from bot.sources.comments import comments_start, has_sign_off, is_reaction, reads_as_comment
from tests.conftest import SHARED_EVAL

CASES = Path(__file__).resolve().parents[1] / "summary" / "cases"
ARTICLE = [
    "A police officer has been dismissed without notice after a misconduct panel found he assaulted a woman "
    "he met while responding to a call in March 2023.",
    "The panel found that the officer touched the woman without consent and sent her messages from his "
    "personal phone in the weeks after the visit, and that his account was not credible.",
    "The force referred the complaint to the Independent Office for Police Conduct, which investigated.",
]


@pytest.mark.parametrize("text", [
    "This post sheds light on something that has been brushed under the carpet for far too long.",
    "Thank you for writing this, I had no idea.",
    "Thanks so much for the clear write-up.",
    "As a resident of Lewisham I find this terrifying.",
    "As a parent of a sixth-former this makes my blood run cold.",
    "Great piece as always - keep it up!",
    "Well written and sobering.",
    "Totally agree with every word.",
    "What an important article.",
])
def test_reactions_to_the_post(text: str) -> None:
    assert is_reaction(text)


@pytest.mark.parametrize("text", [
    "Thanks to the work of volunteers, the charity reopened in May.",
    "The article was published after the hearing.",
    "As a result, the panel adjourned until June.",
    "Great Yarmouth magistrates heard the case on Tuesday.",
    "This report has been updated to correct the officer's rank.",
    "Thanksgiving fell on the day of the verdict.",
    "The post office in the village was closed.",
])
def test_article_sentences_are_not_reactions(text: str) -> None:
    assert not is_reaction(text)


@pytest.mark.parametrize("text", ["Regards, Tom", "Excellent as always. Best wishes, Maureen",
                                  "Thanks - sharing with our team. Cheers, Raj", "- Sam"])
def test_sign_offs(text: str) -> None:
    assert has_sign_off(text)


@pytest.mark.parametrize("text", ["The hearing ended on Friday.", "Best practice was not followed, the panel said.",
                                  "He was given a final written warning by the chair, Judge Regan."])
def test_not_sign_offs(text: str) -> None:
    assert not has_sign_off(text)


def test_comments_without_a_heading_are_found_where_they_begin() -> None:
    paras = [*ARTICLE, "Reform of police vetting should be a priority for every force.",
             "This post sheds light on something that has been brushed under the carpet.",
             "Thank you for writing this, I had no idea.", "As a resident I find this terrifying. Who do we call?",
             "Great piece as always - keep it up!", "Regards, Tom"]
    assert comments_start(paras) == 4


def test_a_single_sign_off_closing_the_page_is_a_comment() -> None:
    assert comments_start([*ARTICLE, "Thanks for covering this. Cheers, Raj"]) == 3


@pytest.mark.parametrize("tail", [
    # the article quotes a thank-you, then carries on reporting
    ['"Thank you for everything you did," she told the officers.',
     "The panel chair said the force had accepted the findings and would review its training of new recruits "
     "across every district, with a report due to the police and crime commissioner next year."],
    # an author's own first-person close is not a reader's comment
    ["I think the panel got this right. We should all read the full decision."],
    # a press release's own statement in the first person
    ['Chief Superintendent Rhys Mallory said: "We let the victim down badly, and I apologise."'],
    # reporting that mentions thanks and parents in the third person
    ["Thanks to a colleague's report, the manager called police the same day.",
     "As a parent, she said, she had trusted the school; the council said it would review its procedures "
     "for checking staff and would publish the findings of that review later in the year."],
])
def test_articles_without_comments_are_not_cut(tail: list[str]) -> None:
    assert comments_start([*ARTICLE, *tail]) is None


def test_too_little_article_before_a_reaction_is_no_cut() -> None:
    assert comments_start(["Thank you for this.", "Great piece as always!"]) is None


def test_a_reader_comment_reads_as_one_and_a_report_sentence_does_not() -> None:
    assert reads_as_comment("Only one sacked? The sergeant should have gone too.")
    assert not reads_as_comment("The woman's former partner was later jailed for three years for stalking.")


# marks that open the writer's own commentary, not comments or furniture: the sentence classifier's work
VOICE = {"fresh_legal_blog", "seed_iopc_forum"}


def _cases_with_marks() -> list[tuple[Path, int, str]]:
    out = []
    dirs = [*sorted(CASES.iterdir()), SHARED_EVAL / "dev"]
    for d in dirs:
        if not (d / "facts.json").exists() or d.name in VOICE:
            continue
        marks = json.loads((d / "facts.json").read_text()).get("not_article") or []
        marks = [marks] if isinstance(marks, str) else marks
        out += [(d, i, m) for i, m in enumerate(marks) if m]
    return out


@pytest.mark.parametrize(("case_dir", "index", "mark"), _cases_with_marks(),
                         ids=lambda v: v.name if isinstance(v, Path) else str(v)[:20])
def test_no_cleaned_source_keeps_its_comments_or_trailing_furniture(case_dir: Path, index: int, mark: str) -> None:
    """Every bundled page (and the shared dev case): nothing from where comments begin survives cleaning."""
    case = load_case(case_dir / "case.toml")
    case.sources[index].not_article = None  # the detector's own work: the case file's marker is not used here
    doc = local_case_sources(case)[index]
    raw = (case_dir / str(case.sources[index].path)).read_text(errors="replace")
    tail = raw[raw.find(mark):]
    lines = [ln.strip() for ln in tail.splitlines() if len(ln.strip()) > 25 and ln.strip() not in raw[:raw.find(mark)]]
    assert doc.text.strip()
    assert not [ln for ln in lines if ln in doc.text]


def test_a_case_files_not_article_marker_cuts_the_source_there(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("\n\n".join([*ARTICLE, "Readers write", "Only one sacked? A disgrace, if you ask me."]))
    (tmp_path / "case.toml").write_text(
        'id = "x"\n[[sources]]\ntitle = "T"\npath = "page.txt"\nnot_article = "Readers write"\n')
    doc = local_case_sources(load_case(tmp_path / "case.toml"))[0]
    assert "disgrace" not in doc.text and "Independent Office for Police Conduct" in doc.text
    assert doc.not_article == "Readers write" and "not_article" in " ".join(doc.notes)
    (tmp_path / "case.toml").write_text('id = "x"\n[[sources]]\ntitle = "T"\npath = "page.txt"\n')
    assert "disgrace" in local_case_sources(load_case(tmp_path / "case.toml"))[0].text  # without it: kept
