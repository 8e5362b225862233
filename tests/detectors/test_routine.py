"""Regular places and described vehicles: found, weighed, and not counted when said of nobody."""

from __future__ import annotations

from bot.case import parse_case
from bot.detectors.base import ScanContext
from bot.detectors.identifying import IdentifyingDetailDetector
from bot.flags import Message
from bot.recognizers.routine import RoutineRecognizer
from bot.rules.model import Strength

CASE = parse_case('''
id = "t"
title = "t"
jurisdiction = "GB"
[[protected]]
label = "the complainant"
basis = "Sexual Offences (Amendment) Act 1992; adult complainant"
names = ["Nobody Registered"]
''')


def kinds(text: str) -> list[tuple[str, str, Strength]]:
    return [(d.kind, text[d.start:d.end], d.strength) for d in RoutineRecognizer().find(text)]


def scan(*texts: str) -> list[str]:
    det = IdentifyingDetailDetector.from_case(CASE)
    msgs = [Message(id=f"m{i}", author="a", content=t) for i, t in enumerate(texts)]
    flags = det.triggered_on(ScanContext(message=msgs[-1], history=msgs[:-1]))
    return [f.kind or "" for f in flags]


def test_named_or_regular_place_is_sure_and_a_bare_one_is_not() -> None:
    assert kinds("she does the 6am spin class at Pure Fitness every weekday")[0][2] is Strength.MEDIUM
    assert kinds("uses the nursery on Trafford Road")[0][1] == "uses the nursery on Trafford Road"
    assert kinds("I go to that gym too")[0][2] is Strength.WEAK
    assert kinds("we went to the library on Monday")[0][2] is Strength.WEAK  # a day is not a place


def test_described_car_without_a_plate() -> None:
    assert ("car", "red Fiat 500", Strength.HINT) in kinds("drives a little red Fiat 500")
    assert [k for k, *_ in kinds("the red carpet at the premiere")] == []


def test_a_partys_regular_place_is_flagged_and_the_writers_own_is_not() -> None:
    assert "routine" in scan("the complainant goes to the Baptist church on Mill Street every Sunday")
    assert scan("I go to the Baptist church on Mill Street every Sunday") == []


def test_car_and_regular_place_add_up_to_jigsaw() -> None:
    assert "jigsaw" in scan("the complainant drives a silver Corsa, always parked outside the gym")
    assert scan("the complainant drives a silver Corsa") == []


def test_a_street_in_passing_does_not_carry_on_an_earlier_story() -> None:
    assert scan("the complainant drives a silver Corsa, her mum has one too",
                "the trial is at the Crown Court on Minshull Street") == []


def test_a_named_club_narrows_like_a_workplace() -> None:
    assert "jigsaw" in scan("the complainant's brother plays for Ordsall Hall FC")
    assert scan("the complainant's brother plays football") == []
    assert scan("my brother plays for Ordsall Hall FC") == []


def test_informant_slang_is_the_witness_only_in_a_witness_case() -> None:
    from bot.recognizers.ties import TieFinder
    witness = TieFinder([("Witness X", "Coroners and Justice Act 2009 s.88 witness anonymity order")])
    (tie,) = [t for t in witness.find("the grass goes to the church on Mill Street") if t.label]
    assert tie.label == "Witness X" and tie.strength is Strength.STRONG
    assert next(t for t in witness.find("the grass's boyfriend") if t.relative).who == "Witness X's boyfriend"
    assert not [t for t in witness.find("kids play on the grass by Mill Street") if t.label]
    assert not [t for t in TieFinder([("the complainant", "adult complainant")]).find("the grass") if t.label]
