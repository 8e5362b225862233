"""Relabel, don't drop: a party named by surname or first name alone becomes their label when the sentence
still checks; it is dropped only when no label can make it safe and true. All on the hashed registry."""

from __future__ import annotations

from bot.case import parse_case
from bot.source import WITHHELD_SITE, Citation, SourceDoc
from bot.summary import build_summary
from bot.summary.redaction import Redactor, identity_checker

CASE = parse_case('id = "x"\ntitle = "Inquest"\n[[protected]]\nlabel = "the witness"\nbasis = "child witness"\n'
                  'names = ["Connor Whitlow"]\nidentifiers = ["Tarnby Academy"]\n')


def red() -> Redactor:
    return Redactor(CASE, identity_checker(CASE))


def test_surname_alone_and_first_name_alone_become_the_label() -> None:
    assert red().sentence("Whitlow told the inquest that he had filmed the restraint.").text == (
        "The witness told the inquest that he had filmed the restraint.")
    assert red().sentence("Officers spoke to Connor after the restraint in August 2024.").text == (
        "Officers spoke to the witness after the restraint in August 2024.")
    assert red().sentence("The coroner thanked Whitlow's family.").text == "The coroner thanked the witness's family."


def test_a_relative_or_namesake_is_never_given_the_label() -> None:
    assert red().sentence("Mrs Whitlow told the inquest she was proud of her son.").text is None
    assert red().sentence("Kerry Whitlow, 41, told the inquest she was proud.").text is None
    namesake = "Connor Smith, a paramedic, gave evidence on the second day."
    assert red().sentence(namesake).text in (None, namesake)  # never "The witness Smith"


def test_identifiers_drop_and_a_town_inside_one_is_the_town() -> None:
    assert red().sentence("The boy who filmed it attends Tarnby Academy.").text is None
    assert red().sentence("Officers were called to Tarnby town centre on 28 August 2024.").text == (
        "Officers were called to Tarnby town centre on 28 August 2024.")
    assert red().plain("Tarnby man's death: coroner warns", fallback="x") == "Tarnby man's death: coroner warns"


def test_slugs_and_run_together_names_withhold_the_link() -> None:
    r = red()
    assert r.url("https://news.example/2024/connor-whitlow-inquest") == ""
    assert r.url("https://news.example/2024/connorwhitlow") == ""
    assert r.url("https://news.example/2024/whitlow-gives-evidence") == ""
    assert r.url("https://news.example/2024/tarnby-academy-pupil") == ""
    assert r.url("https://tarnbytalk.example/threads/tarnby-restraint-death.3391/") == (
        "https://tarnbytalk.example/threads/tarnby-restraint-death.3391/")


def test_in_a_summary_the_relabelled_sentence_is_kept_when_its_sources_support_it() -> None:
    doc = SourceDoc(title="Inquest", url="https://a.example/1", text=(
        "The jury concluded that the man died from positional asphyxia after police restrained him in 2024. "
        "Whitlow, a witness, told the inquest he saw officers kneel on the man's back for nine minutes. "
        "The coroner said she would write to the force about its training."))
    summary = build_summary(CASE, [doc], checker=identity_checker(CASE), min_words=10)
    texts = [s.text for s in summary.sentences]
    assert any(t.startswith("The witness") and "nine minutes" in t for t in texts), texts
    assert not any("Whitlow" in t for t in texts)


def test_a_withheld_link_keeps_its_site_and_says_why() -> None:
    r = red()
    assert r.withheld_site("https://news.example/2024/connor-whitlow-inquest") == "news.example"
    assert r.withheld_site("https://tarnbytalk.example/threads/tarnby-restraint-death.3391/") == ""  # shown
    assert r.withheld_site("https://connorwhitlow.blog.example/post/1") == WITHHELD_SITE  # the site names him
    assert r.withheld_site("") == ""


def test_the_sources_list_says_where_a_withheld_link_was_without_the_link() -> None:
    doc = SourceDoc(title="Inquest hears from witness", publisher="News", url="https://news.example/2024/"
                    "connor-whitlow-inquest", text="The inquest heard that the restraint lasted nine minutes.")
    summary = build_summary(CASE, [doc], redactor=red())
    (ref,) = summary.sources
    assert ref.url == ""
    assert ref.line.endswith("news.example (link withheld: it names a protected party)")
    assert "whitlow" not in (ref.line + ref.markdown).lower()
    assert "(" not in Citation(n=1, title="T", url="https://e.example/a").markdown.split("](")[0]
    hidden = Citation(n=2, title="T", withheld=WITHHELD_SITE)
    assert hidden.line == "[2] T, (link withheld: it names a protected party)"
    assert hidden.markdown == "[2] T, (link withheld: it names a protected party)"
