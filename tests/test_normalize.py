"""The skeleton normaliser: every folding, offsets back into the original, and bad input."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.normalize import has_symbols, normalize, obfuscations, skeleton, tokenize, word_strings


def words(text: str) -> list[str]:
    return [t.text for t in tokenize(normalize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ELOWEN", "eiowen"),  # case; l and i share a class
        ("Ｅｌｏｗｅｎ", "eiowen"),  # NFKC full-width
        ("Éłöwèn", "eiowen"),  # diacritics (ł has no decomposition: via the lookalike table)
        ("E̸̢l̷o̶w̵e̴n̸", "eiowen"),  # zalgo: stacked combining marks
        ("Еlоwеn", "eiowen"),  # Cyrillic Е, о, е
        ("Εlοwεn", "eiowen"),  # Greek Ε, ο, ε
        ("3low3n", "eiowen"),  # 3 -> e
        ("E1owen", "eiowen"),  # 1 -> i/l class
        ("El0wen", "eiowen"),  # 0 -> o
        ("4ndy", "andy"),  # 4 -> a
        ("5am", "sam"),  # 5 -> s
        ("7om", "tom"),  # 7 -> t
        ("E\u200blo\u200dwe\ufeffn", "eiowen"),  # zero-width characters
        ("E\u00adlowen", "eiowen"),  # soft hyphen
        ("||Elowen||", "eiowen"),  # spoiler
        ("**Elo**wen", "eiowen"),  # bold, even mid-word
        ("`Elowen`", "eiowen"),  # code
        ("~~Elo~~wen", "eiowen"),  # strikethrough
        ("", ""),
    ],
)
def test_skeleton_folds(text: str, expected: str) -> None:
    assert skeleton(text) == expected
    assert normalize(text).text == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("B@rnaby", ["barnaby"]),  # @ inside a word -> a
        ("J!ll", ["jiii"]),  # ! inside a word -> i
        ("$amson", ["samson"]),  # leading $ -> s
        ("Ph|l", ["phii"]),  # | inside a word -> i
        ("@barnaby_99", ["barnaby", "99"]),  # a leading @ is a mention, not a letter
        ("Barnaby! Go", ["barnaby", "go"]),  # a trailing ! is punctuation
        ("Barnaby's dog", ["barnaby", "s", "dog"]),  # possessive
        ("Barnaby’s", ["barnaby", "s"]),  # curly apostrophe
        ("instagram.com/barnaby.quill.04", ["instagram", "com", "barnaby", "quiii", "oa"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    "text",
    ["b a r n a b y", "b.a.r.n.a.b.y", "b-a-r-n-a-b-y", "b_a_r_n_a_b_y", "b. a. r. n. a. b. y", "b  a  r  n  a  b  y"],
)
def test_spaced_letters_join(text: str) -> None:
    toks = tokenize(normalize(f"it is {text} again"))
    joined = [t for t in toks if t.spaced]
    assert [t.text for t in joined] == ["barnaby"]
    original = f"it is {text} again"
    assert original[joined[0].start : joined[0].end] == text


def test_short_single_letter_runs_do_not_join() -> None:
    assert words("I am a b") == ["i", "am", "a", "b"]  # a run of two separated by a space stays apart
    assert words("P.C. 12") == ["pc", "i2"]  # two letters joined by dots do join


def test_interior_symbols_both_readings() -> None:
    skel = skeleton("mail barnaby_99@example.com")
    assert has_symbols(skel)
    assert "99aexampie" in word_strings(skel, symbols_as_letters=True)
    assert word_strings(skel, symbols_as_letters=False) == ["maii", "barnaby", "99", "exampie", "com"]
    assert not has_symbols(skeleton("hello! there $ 5"))


def test_offsets_map_back_to_original() -> None:
    text = "Hi ||Б@rn\u200bäbу|| and ＱＵＩＬＬ!"
    norm = normalize(text)
    toks = tokenize(norm)
    spans = [text[t.start : t.end] for t in toks]
    assert spans == ["Hi", "Б@rn\u200bäbу", "and", "ＱＵＩＬＬ"]
    assert [t.text for t in toks] == ["hi", "barnaby", "and", "quiii"]


def test_invalid_utf8_and_surrogates() -> None:
    text = b"Barnaby \xff\xfe Quill".decode("utf-8", "surrogateescape")
    assert words(text) == ["barnaby", "quiii"]
    norm = normalize("\udcff")
    assert norm.text == " "


def test_large_message_is_linear_and_mapped() -> None:
    text = "word " * 20_000 + "Barnaby"
    toks = tokenize(normalize(text))
    assert len(toks) == 20_001
    last = toks[-1]
    assert text[last.start : last.end] == "Barnaby"


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ("Barnaby", []),
        ("B4rn@by", ["leetspeak"]),
        ("Вarnaby", ["lookalike characters"]),
        ("Bärnaby", ["accents or unusual letter forms"]),
        ("B\u200barnaby", ["invisible characters"]),
        ("**Barnaby**", ["markdown"]),
        ("4471", []),  # digits alone are not leetspeak
        ("@barnaby_99", []),  # a handle's @ and digits are not leetspeak
    ],
)
def test_obfuscations(span: str, expected: list[str]) -> None:
    assert obfuscations(span) == expected


# ---------------------------------------------------------------- properties

_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list("abc ABC 0134@!$|*_.-\u200b\u0301ЕеΟο")),
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_fast_skeleton_equals_mapped_skeleton(text: str) -> None:
    assert skeleton(text) == normalize(text).text


@settings(max_examples=300, deadline=None)
@given(_text)
def test_offsets_are_in_bounds_and_ordered(text: str) -> None:
    norm = normalize(text)
    starts = list(norm.starts)
    assert len(starts) == len(norm.text)
    assert all(0 <= s < len(text) for s in starts)
    assert starts == sorted(starts)


@settings(max_examples=300, deadline=None)
@given(_text)
def test_skeleton_is_idempotent(text: str) -> None:
    once = skeleton(text)
    assert skeleton(once) == once


@settings(max_examples=300, deadline=None)
@given(_text)
def test_tokens_are_the_skeleton_of_their_span(text: str) -> None:
    for tok in tokenize(normalize(text), symbols_as_letters=False):
        assert 0 <= tok.start < tok.end <= len(text)
        if not tok.spaced:
            # (one original character may expand to several tokens: "¼" is "1⁄4")
            assert tok.text in word_strings(skeleton(text[tok.start : tok.end]), symbols_as_letters=False)


# ---------------------------------------------------------------- digits read out as words

@pytest.mark.parametrize(("said", "digits"), [
    ("his number was DC two two nine one, I think", "his number was DC 2291, I think"),
    ("ring oh seven double seven nine", "ring 07779"),
    ("Seven-three-one treble two", "731222"),
])
def test_digits_read_out_become_digits(said: str, digits: str) -> None:
    from bot.normalize import digits_said

    variant = digits_said(said)
    assert variant is not None and variant.text == digits
    start = variant.text.index(next(c for c in variant.text if c.isdigit()))
    assert said[variant.span(start, start + 1)[0]].isalpha()  # offsets point back at the words


@pytest.mark.parametrize("plain", ["one or two of them were there", "twenty one witnesses", "no one, two days later",
                                   "oh well, one more day", "the one I saw"])
def test_ordinary_counting_is_not_a_number_read_out(plain: str) -> None:
    from bot.normalize import digits_said

    assert digits_said(plain) is None


def test_a_collar_number_read_out_matches_the_registered_number() -> None:
    from bot.case import CaseFile, ProtectedParty
    from bot.matcher import ProtectedMatcher
    from bot.registry import ProtectedRegistry

    case = CaseFile(id="t", protected=[ProtectedParty(label="the officer", basis="witness anonymity order",
                                                      names=["Officer 9"], identifiers=["PC 4417"])])
    matcher = ProtectedMatcher(ProtectedRegistry.from_case(case, b"normalize-test-key-0123456789abcd"))
    assert [m.label for m in matcher.find("it was PC four four one seven in the box")] == ["the officer"]
    assert matcher.find("four or five officers gave evidence") == []


def test_a_number_read_out_spans_its_last_word_whole() -> None:
    """Redacting a number read out in words leaves no letters of its last word ("...[label]wo" was left of "two")."""
    from bot.normalize import digits_said

    text = "ring her on oh seven seven double two, thanks"
    variant = digits_said(text)
    assert variant is not None
    start = variant.text.index("07722")
    lo, hi = variant.span(start, start + 5)
    assert text[lo:hi] == "oh seven seven double two"
    assert variant.span(0, 4) == (0, 4)  # characters outside the number stand for themselves
