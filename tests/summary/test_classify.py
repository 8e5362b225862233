"""The facts-first classifier: positives and negatives for each class (the cues' own examples run in
tests/rules/test_rule_examples.py)."""

from __future__ import annotations

import pytest

from bot.summary.classify import classify


@pytest.mark.parametrize(("text", "kind"), [
    ("A Metropolitan Police constable has been dismissed without notice after a misconduct panel found he "
     "sexually assaulted a woman.", "outcome"),
    ("A jury at Chelmsworth Crown Court returned not guilty verdicts on both counts.", "outcome"),
    ("Tamsett will also remain subject to a sexual harm prevention order for ten years.", "outcome"),
    ("The Independent Office for Police Conduct found that officers treated a woman who reported domestic abuse "
     "as an unreliable witness rather than as a victim.", "finding"),
    ("Investigators found that a detective sergeant had described her in case notes as attention seeking.",
     "finding"),
    ("Leanne Dorsey, 44, is due to appear at Harrowdene Magistrates' Court on 20 November.", "process"),
    ("The trust said an inquest into the patient's death will be resumed next year.", "process"),
    ("The court heard that CCTV showed her lifting the toddler off the floor in February.", "event"),
    ("The messages continued for four months until the girl's teacher raised concerns.", "event"),
    ("Communities across the country are asking whether the police can be trusted.", "context"),
    ("In a typical year the court increases only a minority of the sentences it is asked to review.", "context"),
    ("Anyone may ask the Attorney General's Office to review a sentence.", "context"),
    ("Whether the scheme should be widened is a question for Parliament, not the courts.", "opinion"),
    ("Make of that what you will.", "opinion"),
    ("Here is the gist of the IOPC report published this morning.", "opinion"),
    ("Somebody needs to lose their job over this.", "opinion"),
])
def test_classes(text: str, kind: str) -> None:
    assert classify(text) == kind


def test_a_quoted_opinion_is_reporting_not_the_writers_view() -> None:
    assert classify('The judge said the footage was "disgraceful" and jailed her for 16 months.') == "outcome"
    assert classify("The footage was disgraceful.") == "opinion"
