"""``split_content``: a member's own text sent again in parts within Discord's 2,000 characters."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.discord_limits import CONTENT, split_content


def test_short_text_is_one_part() -> None:
    assert split_content("hello") == ["hello"] and split_content("") == [""]


def test_parts_break_after_a_line_or_a_space() -> None:
    text = "a" * 1_500 + "\n" + "b" * 1_000 + " " + "c" * 800
    parts = split_content(text)
    assert parts == ["a" * 1_500 + "\n", "b" * 1_000 + " " + "c" * 800]


def test_a_run_without_spaces_is_cut_at_the_limit() -> None:
    assert [len(p) for p in split_content("x" * 4_500)] == [2_000, 2_000, 500]


@given(st.text(alphabet=st.sampled_from("ab \n"), max_size=9_000), st.integers(min_value=1, max_value=CONTENT.value))
def test_parts_fit_and_join_back_exactly(text: str, limit: int) -> None:
    parts = split_content(text, limit)
    assert "".join(parts) == text and all(len(p) <= limit for p in parts)
    assert all(parts) or parts == [""]
