"""Wave 12 (iddetail12): referents with no age or label word, tied through what the case file says.

- tie.group_member: "one of them", "one of the women", "the one from/who ..." in a case that protects two or more
  people (not "the one who did it", not "the one who died", not "them" after people who are not protected);
- tie.former_partner: "the ex", "his ex's new fella", "the lass he used to be with" go to the one party whose label
  or basis names a relationship;
- tie.offender_clause: "the one who did it" is the accused (the party only when the case protects its defendant);
- tie.court_report: what the court or the press heard is a public fact, unless it says where someone is now;
- a workplace as wide as a town or a public body no longer keeps the learned scorer out, and a relative's staff
  job at a named school counts as a workplace.
"""

from __future__ import annotations

import pytest

from bot.flags import Category
from bot.recognizers.ties import GROUP_PARTY, TieFinder, reported
from tests.identity_helpers import case_engine, flags_of

TWO_WOMEN = """
id = "wave12-two"
title = "Warehouse manager, 50, denies sexually assaulting a temp and raping his estranged wife"
[[protected]]
label = "the temp"
basis = "Sexual Offences (Amendment) Act 1992; adult complainant"
names = ["Odalys Penhallow"]
[[protected]]
label = "the second complainant, his estranged wife"
basis = "Sexual Offences (Amendment) Act 1992; adult complainant"
names = ["Tamsin Quarrendon"]
[[public]]
label = "the accused"
names = ["Lionel Farthingale"]
"""

YOUTHS = """
id = "wave12-youth"
title = "Boy, 15, admits wounding a shopkeeper"
[[protected]]
label = "the defendant"
basis = "Children and Young Persons Act 1933 s.49; youth defendant aged 15"
names = ["Caspian Wetherall"]
"""

ONE_ADULT = """
id = "wave12-one"
title = "Taxi driver, 44, denies raping a passenger"
[[protected]]
label = "the complainant"
basis = "Sexual Offences (Amendment) Act 1992; adult complainant"
names = ["Philippa Stonehouse"]
[[public]]
label = "the accused"
names = ["Gordon Pellow"]
"""

PARTIES = [("the temp", "adult complainant"), ("the second complainant, his estranged wife", "adult complainant")]


def identity(case: str, text: str) -> bool:
    cats = {f.category for f in flags_of(case_engine(case), text)}
    return bool(cats & {Category.IDENTIFYING_DETAIL, Category.PROTECTED_IDENTITY})


@pytest.mark.parametrize("text", [
    "one of the two is a receptionist at the dentist on Fore Street",
    "one of them's on the checkouts at the big Morrisons, early shift",
    "the one from the warehouse does the school run in a yellow Jazz at half eight",
    "the ex keeps her blue Yaris on the double yellows behind the bank every morning",
    "his ex's new partner drives for the ambulance service out of the Penryn station",
    "the woman he used to be with works the bar at the Seven Stars on a Friday",
])
def test_referents_without_a_label_word_tie_details(text: str) -> None:
    assert identity(TWO_WOMEN, text)


@pytest.mark.parametrize("text", [
    "One of the jurors was taken ill so they finished early",
    "one of them is a liar and the jury will see it",
    "Farthingale and his drivers were all there, one of them works at the Tesco on Fore Street now",
    "the one who died worked at the Tesco on Fore Street for years",
    "The court heard the pair first spoke at a christening at the Seven Stars on Fore Street.",
    "Prosecutors said he drove her to the lay-by on the Helston road in his grey van.",
    "his barrister told the jury he had parked on Fore Street that night",
    "the ex gave evidence on the third day",
])
def test_group_and_report_talk_stays_unflagged(text: str) -> None:
    assert not identity(TWO_WOMEN, text)


def test_the_one_who_did_it_is_a_protected_defendant() -> None:
    assert identity(YOUTHS, "whoever did it keeps a black moped chained to the railings outside the Costa every night")
    assert identity(YOUTHS, "the lad that done it works Saturdays at the hand car wash by the big roundabout")
    assert not identity(YOUTHS, "the one who did it needs locking up")


def test_the_one_who_did_it_is_not_the_complainant() -> None:
    assert not identity(ONE_ADULT, "the one who did it drives a silver Octavia for Castle Cars")


def test_group_member_needs_two_parties() -> None:
    one = TieFinder([("the complainant", "adult complainant")])
    assert not [t for t in one.find("one of them works at the bakery") if t.who == GROUP_PARTY]
    two = TieFinder(PARTIES)
    assert [t for t in two.find("one of them works at the bakery") if t.who == GROUP_PARTY]


def test_former_partner_resolves_to_the_party_that_names_a_relationship() -> None:
    finder = TieFinder(PARTIES)
    ties = finder.find("his ex's new fella is a postie")
    assert any(t.label == PARTIES[1][0] and t.relative for t in ties)
    assert any(t.label == PARTIES[1][0] for t in finder.find("the one he was married to"))
    # no party names a relationship: "the ex" stays a third party's relative, as before
    plain = TieFinder([("the complainant", "adult complainant"), ("the witness", "s.46 direction")])
    assert not any(t.label for t in plain.find("the ex drives a Corsa"))


@pytest.mark.parametrize(("text", "public"), [
    ("The court heard they met at the gym on Mill Lane.", True),
    ("he parked behind the chip shop, the jury was told", True),
    ("His sister told the Evening Post he was a gentle lad", True),
    ("the court heard she still lives on Mill Lane with her nan", False),
    ("the jury was told she works at the bakery on Mill Lane", False),
    ("she works at the bakery on Mill Lane", False),
])
def test_court_reports(text: str, public: bool) -> None:
    assert bool(reported(text)) is public


def test_relative_staff_job_at_a_named_school() -> None:
    assert identity(ONE_ADULT, "the lass's stepdad teaches science at Penair School")
    assert not identity(ONE_ADULT, "the accused's wife is a teacher at Penair School")


def test_her_ex_is_not_his_former_partner() -> None:
    finder = TieFinder(PARTIES)
    assert not any(t.label == PARTIES[1][0] for t in finder.find("her ex drives a taxi for Castle Cars"))
    assert any(t.label == PARTIES[1][0] for t in finder.find("his ex drives a taxi for Castle Cars"))
