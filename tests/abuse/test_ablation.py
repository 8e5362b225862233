"""Detail ablation: a flag that only a detail raised is set aside; abuse that survives masking is kept."""

from __future__ import annotations

import numpy as np
import pytest

from bot.abuse.ablation import DetailMasker, ablate, confirm, mask_details, use_case, use_engine


@pytest.mark.parametrize(("text", "gone"), [
    ("the witness lives at 12 Orchard Close, LS6 2AB", ["12", "Orchard Close", "LS6 2AB"]),
    ("ring the dad on 07700 900 321", ["07700"]),
    ("email her at j.marsh1988@gmail.com", ["marsh1988", "gmail"]),
    ("his email is t.bell at hotmail dot co dot uk", ["t.bell", "hotmail"]),
    ("her insta is @tilly.x and his is kaydz_77", ["@tilly.x", "kaydz_77"]),
    ("the van is a white Transit, KP19 XWD", ["KP19"]),
    ("dob 02/11/2009", ["02/11/2009"]),
    ("it's D3clan O'Neill", ["D3clan"]),
    ("Gwenllian Pryce-Roberts is the girl", ["Gwenllian", "Pryce"]),
])
def test_details_are_masked(text: str, gone: list[str]) -> None:
    masked = mask_details(text)
    assert masked != text
    for piece in gone:
        assert piece not in masked


@pytest.mark.parametrize(("text", "gone", "kept"), [
    # disguises the identity recognizers read: look-alike letters in a phone number, "at" and "dot" spelt out
    ("if you want to help, her mobile is O77OO 9OO 6l3", ["O77OO", "6l3"], ["if you want to help"]),
    ("write to him, it's m.raikes at yahoo dot co dot uk", ["raikes", "yahoo"], ["write to him"]),
    # an address span that opens with its verb keeps the verb: the sentence still says someone lives somewhere
    ("he lives in the maisonette over the launderette on Quarry Lane", ["Quarry"], ["he lives in"]),
    ("she's at 18 Pennine View if anyone fancies a visit", ["18", "Pennine View"], ["if anyone fancies a visit"]),
])
def test_details_are_masked_as_the_identity_recognizers_find_them(text: str, gone: list[str], kept: list[str]) -> None:
    masked = mask_details(text)
    for piece in gone:
        assert piece not in masked
    for piece in kept:
        assert piece in masked


def test_the_masker_uses_the_identity_recognizers_spans() -> None:
    text = "her mobile is O77OO 9OO 6l3 and she lives at 18 Pennine View"
    spans = DetailMasker().spans(text)
    assert [text[a:b] for a, b, _ in spans] == ["O77OO 9OO 6l3", "18 Pennine View"]
    assert [w.strip() for _, _, w in spans] == ["a phone number", "the high street"]


CASE = """
id = "ablation-test"
title = "An invented case for the ablation tests"
[[protected]]
label = "the complainant"
basis = "Sexual Offences (Amendment) Act 1992 s.1"
names = ["Ffion Ellery"]
identifiers = ["@ffi.ellery"]
[[public]]
label = "the defendant"
names = ["Royston Quayle"]
"""


def _engine():  # type: ignore[no-untyped-def]
    from bot.case import parse_case
    from bot.engine import IdentityEngine

    return IdentityEngine.from_case(parse_case(CASE), b"k" * 32)


def test_with_a_case_registered_names_are_masked_through_their_disguises() -> None:
    text = "everyone knows it's ffion e11ery from the riding club"  # lower case, digits for letters
    try:
        assert "ffion" in mask_details(text)  # no case: a lower-case name is no capitalised word to guess at
        use_engine(_engine())
        masked = mask_details(text)
        assert "ffion" not in masked and "e11ery" not in masked
        assert "from the riding club" in masked
    finally:
        use_case(())


def test_a_case_matcher_finds_registered_handles_spelt_out() -> None:
    engine = _engine()
    masker = DetailMasker([engine.detectors[0].matcher])  # type: ignore[attr-defined]
    masked = masker("her account is ffi dot ellery, have a look")
    assert "ellery" not in masked


@pytest.mark.parametrize("text", [
    "Bloody hell, what a shambles of a trial",
    "you know what to do, plenty of us with free evenings",
    "I hope the jury sees through every word of it",
])
def test_text_without_details_is_unchanged(text: str) -> None:
    assert mask_details(text) == text


LABELS = ("abuse", "threat", "doxxing")


def test_ablate_lowers_only_flags_that_a_detail_alone_raised() -> None:
    texts = ["he lives at 4 Elm Road", "he lives at 4 Elm Road, go and burn it", "go and burn it"]
    probs = np.array([[0.9, 0.1, 0.95], [0.9, 0.9, 0.95], [0.9, 0.9, 0.1]])
    seen: list[str] = []

    def rescore(masked: list[str]) -> np.ndarray:
        seen.extend(masked)
        return np.array([[0.6, 0.2, 0.3] if "burn" not in t else [0.9, 0.8, 0.2] for t in masked])

    out = ablate(probs, texts, LABELS, [0.8, 0.7, 0.8], rescore)
    # row 3 has no detail, so it is not scored again
    assert seen == ["he lives at the high street", "he lives at the high street , go and burn it"]
    assert out[0].tolist() == pytest.approx([0.6, 0.1, 0.3])  # nothing hostile left: no label over its bar
    assert out[1].tolist() == pytest.approx(probs[1].tolist())  # the threat survives masking: kept as scored
    assert out[2].tolist() == pytest.approx(probs[2].tolist())


def test_ablate_never_rescores_rows_under_every_threshold() -> None:
    def rescore(masked: list[str]) -> np.ndarray:
        raise AssertionError("no row was over a threshold")

    probs = np.array([[0.1, 0.1, 0.1]])
    assert ablate(probs, ["he lives at 4 Elm Road"], LABELS, [0.8, 0.7, 0.8], rescore).tolist() == probs.tolist()


def test_confirm_needs_the_generic_head_and_a_specific_label_over_their_confirm_thresholds() -> None:
    thresholds, low = [0.9, 0.9, 0.9], [0.7, 0.6, 0.6]
    probs = np.array([
        [0.75, 0.65, 0.1],  # both agree: threat and abuse are raised to their thresholds
        [0.65, 0.8, 0.1],  # generic under its confirm threshold: unchanged
        [0.95, 0.5, 0.5],  # no specific label over its confirm threshold: unchanged
    ])
    out = confirm(probs, LABELS, thresholds, low)
    assert out[0].tolist() == pytest.approx([0.9, 0.9, 0.1])
    assert np.array_equal(out[1:], probs[1:])


def test_scan_hands_its_case_matchers_to_the_ablation() -> None:
    """``python -m bot scan`` reads one case: its abuse scoring masks that case's names (set before forking)."""
    from bot.abuse import ablation
    from bot.commands.scan import scan

    class NoAbuse:
        scorer = None

        def detect_many(self, texts: list[str]) -> list[list[object]]:
            return [[] for _ in texts]

    try:
        scan(_engine(), [], NoAbuse())
        assert len(ablation._MASKER.matchers) == 2  # the protected-party matcher and the public one
        assert "ffion" not in mask_details("everyone knows it's ffion e11ery from the riding club")
    finally:
        use_case(())
