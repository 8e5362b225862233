"""Each identifying-detail recognizer on text that has the detail, and on text that only looks like it."""

from __future__ import annotations

import pytest

from bot.flags import Attachment, Message
from bot.recognizers import (
    AddressRecognizer,
    DateOfBirthRecognizer,
    Detail,
    EmailRecognizer,
    MediaRecognizer,
    PhoneRecognizer,
    SchoolRecognizer,
    SocialRecognizer,
    TraitRecognizer,
    VehicleRecognizer,
    WorkplaceRecognizer,
    default_recognizers,
)
from bot.recognizers.media import media_kind
from bot.recognizers.text import fold


def found(recognizer: object, text: str, kind: str | None = None) -> list[str]:
    """The matched texts (for the test's eyes only) of hits of ``kind`` that are not public."""
    hits: list[Detail] = recognizer.find(text)  # type: ignore[attr-defined]
    return [text[d.start : d.end] for d in hits if (kind is None or d.kind == kind) and not d.public]


def public(recognizer: object, text: str) -> list[str]:
    return [text[d.start : d.end] for d in recognizer.find(text) if d.public]  # type: ignore[attr-defined]


# -- phone -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("her number is 07123 456789", "07123 456789"),
        ("ring +44 7911 123456 after six", "+44 7911 123456"),
        ("landline 0117 496 0123", "0117 496 0123"),
        ("text the lad's dad on 07700 900456", "07700 900456"),  # unallocated drama range, still a number
        ("mobile: 07911123456.", "07911123456"),
    ],
)
def test_phone_found(text: str, number: str) -> None:
    assert found(PhoneRecognizer(), text) == [number]


@pytest.mark.parametrize(
    "text",
    ["It was PC 2290", "the hearing in 2024 lasted 3 days", "case ref 1234/56", "section 39 order", "ring 999"],
)
def test_phone_not_found(text: str) -> None:
    assert found(PhoneRecognizer(), text) == []


@pytest.mark.parametrize(
    "text",
    [
        "the NSPCC helpline is 0808 800 5000",  # freephone
        "West Yorkshire Police press office is on 0113 285 9000",  # a person-like number, but an org's
        "call 0300 123 1234 for the council",  # UAN
    ],
)
def test_phone_public_numbers_are_marked(text: str) -> None:
    assert found(PhoneRecognizer(), text) == []
    assert public(PhoneRecognizer(), text)


def test_phone_confidence_rises_with_context() -> None:
    (plain,) = PhoneRecognizer().find("07911 123456")
    (context,) = PhoneRecognizer().find("her mobile is 07911 123456")
    assert context.confidence > plain.confidence


# -- e-mail ------------------------------------------------------------------------------------------

def test_email_found() -> None:
    assert found(EmailRecognizer(), "his email is r.bap1980@yahoo.co.uk ok") == ["r.bap1980@yahoo.co.uk"]
    assert found(EmailRecognizer(), "write to jo.k [at] gmail.com") == ["jo.k [at] gmail.com"]


@pytest.mark.parametrize(
    "text",
    [
        "email complaints@leeds.gov.uk",
        "the press office: press@avonandsomerset.police.uk",
        "contact info@somecharity.org",
        "write to enquiries@example-school.co.uk",
    ],
)
def test_email_public_mailboxes(text: str) -> None:
    assert found(EmailRecognizer(), text) == []
    assert public(EmailRecognizer(), text)


def test_email_not_found_in_handles() -> None:
    assert found(EmailRecognizer(), "her tiktok is @clo_09 and nothing else") == []


# -- postcode and address ----------------------------------------------------------------------------

def test_postcode_and_numbered_address() -> None:
    text = "the family live at 7 Cotham Vale, Bristol BS6 6HR"
    assert found(AddressRecognizer(), text, "address") == ["7 Cotham Vale"]
    assert found(AddressRecognizer(), text, "postcode") == ["BS6 6HR"]


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("she lives at 14a church street", "14a church street"),
        ("Flat 2, 14 St Mary's Road", "Flat 2, 14 St Mary's Road"),
        ("moved to 9 Elm Grove last year", "9 Elm Grove"),
    ],
)
def test_numbered_addresses(text: str, address: str) -> None:
    assert found(AddressRecognizer(), text, "address") == [address]


def test_lowercase_postcode() -> None:
    assert found(AddressRecognizer(), "it's ls12 3qp", "postcode") == ["ls12 3qp"]


@pytest.mark.parametrize(
    "text",
    [
        "it was 3 days later",
        "Redland Green School should have reported it",
        "in 2024 Trent Park closed",
        "Downing Street said nothing",
        "The Trent and Mersey Canal runs nowhere near Bristol",
        "she got 10 GCSEs",
    ],
)
def test_not_an_address(text: str) -> None:
    assert found(AddressRecognizer(), text, "address") == []
    assert found(AddressRecognizer(), text, "postcode") == []


def test_named_street_without_number_is_a_street() -> None:
    assert found(AddressRecognizer(), "the pharmacy on Gloucester Road", "street") == ["Gloucester Road"]


def test_address_next_to_an_organisation_is_public() -> None:
    text = "The IOPC's office is at 10 South Colonnade, London E14 4PU"
    assert found(AddressRecognizer(), text, "address") == []
    assert public(AddressRecognizer(), text)


# -- social ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("her tiktok is @clobap_09", "@clobap_09"),
        ("his insta: jay.k_2008", "jay.k_2008"),
        ("her snap is bella2009", "bella2009"),
        ("add her on snapchat sarahm_x", "sarahm_x"),
        ("find her at https://www.instagram.com/some.girl_1/ now", "https://www.instagram.com/some.girl_1/"),
        ("the kid's facebook is facebook.com/kayla.roberts.77", "facebook.com/kayla.roberts.77"),
        ("his channel youtube.com/@someChannel", "youtube.com/@someChannel"),
        ("she's on X as @kk_22", "@kk_22"),
        ("x.com/someone_99 posted it", "x.com/someone_99"),
        ("add her on snapchat - jessyfarrow", "jessyfarrow"),
        ("her snapchat name is jessyfarrow", "jessyfarrow"),
        ("her linktree is linktr.ee/jessyf", "linktr.ee/jessyf"),
        ("her discord is jessyf#1234", "jessyf#1234"),
        ("his roblox username is kaiwplays", "kaiwplays"),
        ("find her on facebook, Jess Farrow-Bell", "Jess Farrow-Bell"),
    ],
)
def test_social_found(text: str, handle: str) -> None:
    assert found(SocialRecognizer(), text) == [handle]


@pytest.mark.parametrize(
    "text",
    [
        "I saw it on twitter",
        "her instagram account is private",
        "@everyone read the rules",
        "email me at a@b.com",
        "the tiktok video was taken down",
        "his instagram account is: private",
        "I saw it on tiktok - hilarious",
        "On Facebook, Greater Manchester Police said the boy was safe",
        "He sent her a message on Snapchat at 2am",
        "it was on tiktok at 10.30pm",
    ],
)
def test_social_not_found(text: str) -> None:
    assert found(SocialRecognizer(), text) == []


def test_bare_handle_is_less_certain_than_platform_handle() -> None:
    (bare,) = SocialRecognizer().find("message @kk_22 about it")
    (named,) = SocialRecognizer().find("her insta is @kk_22")
    assert named.confidence > bare.confidence


# -- school ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "school"),
    [
        ("she's the year 10 girl at Cotham School, red hair", "Cotham School"),
        ("St Mary's Catholic Primary School Bristol", "St Mary's Catholic Primary School"),
        ("he goes to st bede's college", "st bede's college"),
        ("He went to Bristol Grammar", "Bristol Grammar"),
        ("Bramley Park Academy sent a letter", "Bramley Park Academy"),
        ("the girl is in P7 at St Aidan's, wee blonde thing", "St Aidan's"),
    ],
)
def test_school_found(text: str, school: str) -> None:
    assert found(SchoolRecognizer(), text) == [school]


@pytest.mark.parametrize(
    "text",
    [
        "The school should have acted",
        "she attends the local school",
        "the College of Policing guidance",
        "Secondary School is hard",
        "a school safety talk",
        "my old primary school",
    ],
)
def test_school_not_found(text: str) -> None:
    assert found(SchoolRecognizer(), text) == []


# -- workplace ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("the pupil's mother works at the pharmacy on Gloucester Road", "the pharmacy on Gloucester Road"),
        ("her dad is a nurse at the BRI", "the BRI"),
        ("she works at Tesco in Kingswood and she is nice", "Tesco in Kingswood"),
        ("the care worker is employed at the Co-op on Tong Road these days", "the Co-op on Tong Road"),
        ("her mum runs the hair salon on the high street in Keynsham", "the hair salon on the high street in Keynsham"),
        ("the victim's uncle owns the chippy in Hanham", "the chippy in Hanham"),
    ],
)
def test_workplace_found(text: str, place: str) -> None:
    assert found(WorkplaceRecognizer(), text, "workplace") == [place]


@pytest.mark.parametrize(
    "text",
    ["I know where you work, keep talking", "he works there now", "it works at least", "that works for me"],
)
def test_workplace_not_found(text: str) -> None:
    assert found(WorkplaceRecognizer(), text, "workplace") == []


def test_public_employer_is_public() -> None:
    text = "the officer works for Avon and Somerset Police"
    assert found(WorkplaceRecognizer(), text, "workplace") == []
    assert public(WorkplaceRecognizer(), text) == ["Avon and Somerset Police"]


def test_occupation_without_place() -> None:
    assert found(WorkplaceRecognizer(), "his mum's a teacher", "occupation") == ["teacher"]


# -- vehicle -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("the copper drives a black Golf, AB19 XYZ", "AB19 XYZ"),
        ("reg YG19KHT", "YG19KHT"),
        ("his car is a blue Fiesta, reg ab19xyz", "ab19xyz"),
        ("an old Land Rover plate R123 ABC", "R123 ABC"),
        ("drives a white Transit, reg NIZ 4471", "NIZ 4471"),
        ("his car is 191-D-12345", "191-D-12345"),
        ("a red Dacia Logan, reg B 123 XYZ, Romanian plates", "B 123 XYZ"),
    ],
)
def test_vehicle_found(text: str, mark: str) -> None:
    assert found(VehicleRecognizer(), text) == [mark]


@pytest.mark.parametrize("text", ["the M25 was shut", "A380 ABC", "password ab19xyz", "BS6 6HR",
                                  "the car was found in 2004", "his car is 33 now", "the van left at 10 am 5"])
def test_vehicle_not_found(text: str) -> None:
    assert found(VehicleRecognizer(), text) == []


# -- date of birth -----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("the victim was born 3rd June 2011", "3rd June 2011"),
        ("DOB 14/02/2013", "14/02/2013"),
        ("her birthday is March 3rd", "March 3rd"),
        ("date of birth: 2011-06-03", "2011-06-03"),
    ],
)
def test_dob_found(text: str, date: str) -> None:
    assert found(DateOfBirthRecognizer(), text, "dob") == [date]


@pytest.mark.parametrize(
    "text", ["The hearing is on 3 March at 10am", "published 02/03/2025", "sentencing on 9 October"]
)
def test_dob_not_found(text: str) -> None:
    assert found(DateOfBirthRecognizer(), text, "dob") == []


def test_birth_year_is_an_age_trait() -> None:
    assert found(DateOfBirthRecognizer(), "he was born in 2011", "age") == ["2011"]


# -- media -------------------------------------------------------------------------------------------

def test_media_attachments() -> None:
    message = Message("1", "a", "look", attachments=(
        Attachment("gates.png", "image/png"), Attachment("clip.MOV"), Attachment("notes.txt", "text/plain"),
    ))
    hits = MediaRecognizer().find_attachments(message)
    assert [d.reason for d in hits] == ["an attached image", "an attached video"]
    assert all(d.start == d.end == 0 for d in hits)


def test_media_kind() -> None:
    assert media_kind("x.bin", "video/mp4") == "video"
    assert media_kind("photo.JPEG") == "image"
    assert media_kind("statement.pdf", "application/pdf") is None


def test_media_links() -> None:
    text = "see https://i.imgur.com/abc123.jpg and https://example.com/page"
    assert found(MediaRecognizer(), text) == ["https://i.imgur.com/abc123.jpg"]
    assert found(MediaRecognizer(), "no links here") == []


# -- traits ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("she's the year 10 girl", "age", "year 10"),
        ("the 14-year-old pupil", "age", "14-year-old"),
        ("red hair and freckles", "appearance", "red hair"),
        ("plays hockey on Saturdays", "hobby", "plays hockey"),
        ("plays rugby for Portmere Colts", "hobby", "plays rugby for Portmere Colts"),
        ("he lives up in Gullhaven", "area", "Gullhaven"),
        ("they live round the Hartcliffe estate", "area", "Hartcliffe estate"),
        ("the wean's fae Hyndland", "area", "Hyndland"),
        ("she's in P7 now", "age", "P7"),
        ("plays for Partick Thistle girls under 12s", "age", "under 12s"),
        ("plays for Partick Thistle girls under 12s", "hobby", "plays for Partick Thistle"),
        ("the first complainant is 33 now", "age", "complainant is 33"),
        ("the younger lad is 19", "age", "lad is 19"),
        ("he's from a village near Iasi", "area", "Iasi"),
        ("a man in his forties", "age", "in his forties"),
    ],
)
def test_traits_found(text: str, kind: str, value: str) -> None:
    assert value in found(TraitRecognizer(), text, kind)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jailed for 3 years", "age"),
        ("the year 2024 was hard", "age"),
        ("I grew up near there", "area"),
        ("she lives in fear", "area"),
        ("the long hearing", "appearance"),
        ("the panel played down the messages", "hobby"),
        ("S4C showed the documentary", "age"),
        ("the case is 33 pages long", "age"),
        ("he played for time", "hobby"),
    ],
)
def test_traits_not_found(text: str, kind: str) -> None:
    assert found(TraitRecognizer(), text, kind) == []


# -- shared ------------------------------------------------------------------------------------------

def test_reasons_never_repeat_the_detail() -> None:
    text = ("her number is 07123 456789, email r.bap1980@yahoo.co.uk, 7 Cotham Vale BS6 6HR, insta @clo_09, "
            "Cotham School, works at the pharmacy on Gloucester Road, reg AB19 XYZ, born 3rd June 2011")
    hits = [d for r in default_recognizers() for d in r.find(text)]
    assert len({d.kind for d in hits}) >= 9
    for d in hits:
        detail = text[d.start : d.end]
        assert detail.lower() not in d.reason.lower()
        assert 0.0 <= d.confidence <= 1.0


def test_fold_maps_zalgo_back_to_original_offsets() -> None:
    text = "h̷e̴r̸ n̶u̷m̵b̸e̵r̷ is ０７７００ ９００４５６ ok"
    folded = fold(text)
    assert folded.text == "her number is 07700 900456 ok"
    (hit,) = PhoneRecognizer().find(folded.text)
    start, end = folded.span(hit.start, hit.end)
    assert text[start:end] == "０７７００ ９００４５６"


def test_recognizers_survive_a_100kb_message() -> None:
    text = ("ordinary words about the hearing, 2024, year 10, Road. " * 2000)[:100_000] + " call 07911 123456"
    hits = [d for r in default_recognizers() for d in r.find(text)]
    assert any(d.kind == "phone" for d in hits)


@pytest.mark.parametrize(
    ("text", "link"),
    [
        ("her house is here https://maps.app.goo.gl/AbC123xyz", "https://maps.app.goo.gl/AbC123xyz"),
        ("the flat is at ///filled.count.soap", "///filled.count.soap"),
        ("google.com/maps/place/51.45,-2.59 is where", "google.com/maps/place/51.45,-2.59"),
    ],
)
def test_map_links_are_addresses(text: str, link: str) -> None:
    assert found(AddressRecognizer(), text, "address") == [link]


def test_file_paths_are_not_what3words() -> None:
    assert found(AddressRecognizer(), "see https://example.com///a.b.c", "address") == []


def test_school_named_after_a_school_year() -> None:
    assert found(SchoolRecognizer(), "her brother is in year 11 at Broadlands, plays rugby") == ["Broadlands"]
    assert found(SchoolRecognizer(), "she was in year 11 at the time") == []


def test_profile_found_by_display_name() -> None:
    text = "the kid's mum posts on facebook as Tracey Lou Smith, look her up"
    assert found(SocialRecognizer(), text) == ["Tracey Lou Smith"]
    assert found(SocialRecognizer(), "I read it on facebook as well") == []


@pytest.mark.parametrize("text", ["jailed at Kesworth Crown Court", "Leeds Magistrates' Court heard", "the High Court"])
def test_courts_are_not_streets(text: str) -> None:
    assert found(AddressRecognizer(), text, "street") == []


@pytest.mark.parametrize("text", ["a night shift in August 2023", "she worked there in 2019", "works at the weekend"])
def test_times_are_not_workplaces(text: str) -> None:
    assert found(WorkplaceRecognizer(), text, "workplace") == []


@pytest.mark.parametrize("text", ["a Year 11 at Castle Hill", "he was 3 miles from Park Lane", "all 12 of the Green"])
def test_numbers_before_words_are_not_house_numbers(text: str) -> None:
    assert found(AddressRecognizer(), text, "address") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("her email is r.bap1980 at yahoo dot co dot uk ok", "r.bap1980 at yahoo dot co dot uk"),
        ("jo at gmail dot com", "jo at gmail dot com"),
    ],
)
def test_spelled_out_email(text: str, address: str) -> None:
    assert found(EmailRecognizer(), text) == [address]


@pytest.mark.parametrize("text", ["meet at noon dot com", "we met at the park. dot was there", "see you at 5"])
def test_not_a_spelled_out_email(text: str) -> None:
    assert found(EmailRecognizer(), text) == []
