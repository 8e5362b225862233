"""Extraction from saved pages: a news article with comments, Markdown, plain text, local-file dispatch."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.errors import InputError
from bot.sources import load_local_source, opening_post_source
from bot.sources.extract import extract_html, extract_markdown, looks_like_html

CASES = Path(__file__).parents[1] / "summary" / "cases"


def test_news_page_metadata_and_main_text_without_comments_or_furniture() -> None:
    html = (CASES / "news_comments" / "article.html").read_text()
    ex = extract_html(html, "https://gazette.example.org/news/detective-dismissed")
    assert ex.title == "Detective dismissed after leaking complainant's details"
    assert ex.publisher == "Wexmoor Gazette"
    assert ex.published == "2025-06-11"
    assert "sentenced to 14 months in prison" in ex.text
    assert "College of Policing barred list" in ex.text
    for bad in ("never see daylight", "decent bloke", "must resign", "Comments (4)", "We use cookies",
                "Accept cookies", "Share on Facebook", "Share this article", "Related stories", "Tags:",
                "Previous article", "Getty", "By Ruth Okafor", "All rights reserved"):
        assert bad not in ex.text, bad


def test_markdown_article_drops_share_links_and_comments() -> None:
    ex = extract_markdown((CASES / "multi_source" / "courier.md").read_text())
    assert ex.title == "Headteacher suspended as council investigates abuse claims"
    assert "Ofsted will carry out an emergency inspection" in ex.text
    assert "](" not in ex.text and "**" not in ex.text
    for bad in ("Share:", "locked up himself", "too slow to act", "Comments (2)", "School closes after flooding",
                "By Sam Whitlock"):
        assert bad not in ex.text, bad


def test_plain_text_article_drops_byline_ads_and_promos(tmp_path: Path) -> None:
    doc = load_local_source(CASES / "multi_source" / "herald.txt", url="https://herald.example/x")
    assert "no arrests had been made" in doc.text
    for bad in ("Advertisement", "Council tax", "Northfold bypass", "Published:", "By Anika Desai",
                "Share this article", "Northfold Herald | News"):
        assert bad not in doc.text, bad
    assert doc.title == "Head suspended over storeroom claims"
    assert len(doc.raw_sha256) == 64


def test_local_source_dispatches_on_content_when_the_suffix_says_nothing(tmp_path: Path) -> None:
    page = tmp_path / "saved_page"
    page.write_text((CASES / "news_comments" / "article.html").read_text())
    doc = load_local_source(page)
    assert "misconduct in public office" in doc.text and "<p>" not in doc.text
    assert looks_like_html(page.read_text())


def test_unreadable_or_empty_source_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"cannot read source missing\.txt"):
        load_local_source(tmp_path / "missing.txt")
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav>Home</nav></body></html>")
    with pytest.raises(InputError, match="no article text"):
        load_local_source(empty)


def test_opening_post_source_keeps_text_not_furniture() -> None:
    post = ("Posted by caseworker on 2 March 2025 at 9:00\n"
            "The tribunal found that the care home unfairly dismissed the whistleblower in 2024.\n"
            "Share on Facebook\n")
    doc = opening_post_source(post, title="Tribunal thread", url="https://discord.example/channels/1/2/3")
    assert doc.kind == "opening_post"
    assert doc.text == "The tribunal found that the care home unfairly dismissed the whistleblower in 2024."
    assert doc.title == "Tribunal thread"


def test_comments_in_unlabelled_containers_are_cut_from_the_extracted_article() -> None:
    ex = extract_html((Path(__file__).parent / "fixtures" / "news_unlabelled_comments.html").read_text())
    assert ex.title == "Ferry operator fined after passenger fell overboard"
    assert "spent a week in hospital" in ex.text and "Maritime and Coastguard Agency" in ex.text
    for bad in ("Shocking", "brother works", "Loading the discussion", "Mandy_R", "Lena Hurst"):
        assert bad not in ex.text, bad


def test_discord_json_export_keeps_the_opening_authors_messages() -> None:
    doc = load_local_source(Path(__file__).parent / "fixtures" / "discord_export.json")
    assert doc.title == "Quarry death inquest"
    assert "killed unlawfully" in doc.text and "consider a prosecution" in doc.text
    assert "widow" not in doc.text and doc.kind == "forum"


def test_windows_1252_file_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("The court heard the officer\u2019s account of the stop was untrue, and he was "
                     "dismissed for gross misconduct in 2024.".encode("cp1252"))
    assert "officer\u2019s account" in load_local_source(path).text


def test_a_case_source_with_no_text_is_listed_not_fatal(tmp_path: Path) -> None:
    from bot.case import load_case
    from bot.sources import local_case_sources

    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>")
    (tmp_path / "good.txt").write_text((CASES / "phpbb_thread" / "thread.txt").read_text())
    (tmp_path / "case.toml").write_text(
        'id = "x"\ntitle = "t"\n[[sources]]\ntitle = "Gone"\nurl = "https://a.example/1"\npath = "empty.html"\n'
        '[[sources]]\ntitle = "Thread"\nurl = "https://b.example/2"\npath = "good.txt"\n')
    docs = local_case_sources(load_case(tmp_path / "case.toml"))
    assert [d.url for d in docs] == ["https://a.example/1", "https://b.example/2"]
    assert docs[0].text == "" and "no article text" in docs[0].notes[0] and "coroner" in docs[1].text
    (tmp_path / "good.txt").write_text("Home\n")
    with pytest.raises(InputError, match="no article text"):
        local_case_sources(load_case(tmp_path / "case.toml"))


def test_chat_export_skips_an_opening_message_without_text() -> None:
    import json

    from bot.sources.extract import extract_json_export

    export = {"messages": [
        {"author": {"name": "a"}, "content": "https://cdn.example/photo.jpg"},
        {"author": {"name": "b"}, "content": "The officer was dismissed without notice by a misconduct panel."},
        {"author": {"name": "c"}, "content": "Good riddance to him, what a disgrace."},
    ]}
    found = extract_json_export(json.dumps(export))
    assert found is not None and found.text == "The officer was dismissed without notice by a misconduct panel."


def test_xhtml_with_an_encoding_declaration_is_read() -> None:
    page = ('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
            "<head><title>T</title></head><body><article><h1>T</h1><p>A police officer has been dismissed without "
            "notice after a misconduct hearing found he had lied to investigators about a crash in 2024.</p>"
            "</article></body></html>")
    assert "dismissed without notice" in extract_html(page).text


def test_markdown_front_matter_is_metadata_not_text() -> None:
    md = ('---\ntitle: "Officer dismissed"\ndate: 2025-03-02\nlayout: post\n---\n\nA police officer has been '
          "dismissed without notice after a misconduct hearing found he lied to investigators.\n")
    out = extract_markdown(md)
    assert out.title == "Officer dismissed"
    assert out.text.startswith("A police officer") and "layout" not in out.text


def test_live_blog_keeps_its_key_points_box_but_not_timestamps_shares_or_comments() -> None:
    html = (CASES / "liveblog_html" / "live.html").read_text()
    ex = extract_html(html, "https://kestrelgazette.example/news/live-harrowgate-coach-trial-verdict")
    assert ex.text.startswith("Gareth Lomond, 41, found guilty of assaulting a 12-year-old boy.")
    assert "Jury at Kestrel Crown Court deliberated for five hours." in ex.text
    assert "Judge Miranda Oakeshott adjourned sentencing until 17 October" in ex.text
    for bad in ("Key points", "10:42 BST", "Share this article", "Sign up to our daily newsletter", "Most read",
                "Larkfield Juniors", "locked up", "Live: verdict in Harrowgate", "Accept all cookies"):
        assert bad not in ex.text, bad


def test_only_a_key_points_box_yields_items() -> None:
    from lxml import html as lxml_html

    from bot.sources.extract import _key_points

    page = ("<html><body><aside><h2>Latest</h2><ul><li>Bypass roadworks to run into November</li></ul></aside>"
            "<aside><h2>Key facts</h2><ul><li>Sentencing set for 17 October</li><li><a href='/x'>Read the "
            "full story here now</a></li><li>10:42 Welcome to our coverage today</li><li>Guilty</li></ul>"
            "</aside></body></html>")
    assert _key_points(lxml_html.fromstring(page)) == ["Sentencing set for 17 October."]
    # a heading straight in the article titles only the list that follows it
    page = ("<html><body><article><p>Text.</p><h3>At a glance</h3><ol><li>Coach guilty of assaulting a boy</li>"
            "</ol><p>More text.</p><ul><li>Another list about something else entirely</li></ul>"
            "</article></body></html>")
    assert _key_points(lxml_html.fromstring(page)) == ["Coach guilty of assaulting a boy."]
