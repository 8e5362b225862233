"""Redaction and excerpts: every flagged span replaced, overlaps merged, nothing cut in half."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.flags import Category, Flag, Span
from bot.redact import WITHHELD, excerpt, merged_spans, redact


def f(category: Category, *spans: tuple[int, int, str]) -> Flag:
    return Flag(category, "d", 0.9, "r", tuple(Span(a, b, r) for a, b, r in spans))


def test_redact_replaces_each_span() -> None:
    text = "pretty sure it's Jane Doe from the news, she lives at 4 Oak Road"
    flags = [f(Category.PROTECTED_IDENTITY, (17, 25, "[the child]")),
             f(Category.IDENTIFYING_DETAIL, (54, 64, "[address]"))]
    assert redact(text, flags) == "pretty sure it's [the child] from the news, she lives at [address]"


def test_overlapping_spans_merge_and_the_label_wins() -> None:
    text = "her tiktok is @some_handle ok"
    flags = [f(Category.IDENTIFYING_DETAIL, (14, 26, "[social profile]")),
             f(Category.PROTECTED_IDENTITY, (14, 26, "[the pupil]"))]
    assert redact(text, flags) == "her tiktok is [the pupil] ok"
    spans = merged_spans(text, flags)
    assert len(spans) == 1


def test_partly_overlapping_spans_cover_their_union() -> None:
    text = "abcdefghij"
    flags = [f(Category.IDENTIFYING_DETAIL, (2, 6, "[x]")), f(Category.IDENTIFYING_DETAIL, (4, 9, "[y]"))]
    assert merged_spans(text, flags)[0].start == 2
    assert merged_spans(text, flags)[0].end == 9
    assert redact(text, flags) in {"ab[x]j", "ab[y]j"}


def test_article_before_a_label_is_dropped() -> None:
    text = "The Smith family are devastated"
    assert redact(text, [f(Category.PROTECTED_IDENTITY, (4, 9, "[the pupil]"))]) == "[the pupil] family are devastated"


def test_spans_outside_the_text_are_clipped() -> None:
    assert redact("short", [f(Category.IDENTIFYING_DETAIL, (3, 99, "[x]"))]) == "sho[x]"
    assert redact("short", [f(Category.IDENTIFYING_DETAIL, (50, 60, "[x]"))]) == "short"


def test_excerpt_is_short_single_line_and_around_the_first_span() -> None:
    secret_at = 5000
    text = ("filler words here.\n" * 400)[:secret_at] + "SECRET" + (" more filler" * 400)
    flags = [f(Category.IDENTIFYING_DETAIL, (secret_at, secret_at + 6, "[phone number]"))]
    out = excerpt(text, flags)
    assert "[phone number]" in out
    assert "SECRET" not in out
    assert "\n" not in out
    assert len(out) <= 220
    assert out.startswith("…") and out.endswith("…")


def test_excerpt_keeps_replacements_whole() -> None:
    text = "x" * 190 + " NAME " + "y" * 100
    out = excerpt(text, [f(Category.PROTECTED_IDENTITY, (191, 195, "[the complainant]"))])
    assert "[the complainant]" in out


def test_protected_flag_without_spans_withholds_the_text() -> None:
    assert excerpt("it is NAME", [f(Category.PROTECTED_IDENTITY)]) == WITHHELD
    # other flags without spans (an attached photo, abuse) leave the text readable
    assert excerpt("look at this", [f(Category.IDENTIFYING_DETAIL)]) == "look at this"


@given(
    st.text(st.characters(blacklist_characters="\x00"), min_size=1, max_size=300),
    st.lists(st.tuples(st.integers(0, 299), st.integers(1, 40)), max_size=6),
)
def test_no_flagged_character_survives(text: str, raw: list[tuple[int, int]]) -> None:
    spans = [(a % len(text), min(len(text), a % len(text) + n)) for a, n in raw]
    marked = list(text)
    for a, b in spans:
        for i in range(a, b):
            marked[i] = "\x00"
    source = "".join(marked)  # every flagged character is NUL; nothing else is
    flags = [f(Category.IDENTIFYING_DETAIL, *[(a, b, "[x]") for a, b in spans])]
    assert "\x00" not in redact(source, flags)
    assert "\x00" not in excerpt(source, flags, limit=50)
