"""The identifying-detail detector: ties to a protected party, self-reference, public bodies, jigsaw."""

from __future__ import annotations

import pytest

from bot.detectors.base import ScanContext
from bot.detectors.identifying import IdentifyingDetailDetector
from bot.flags import Action, Attachment, Category, Flag, Message, Span

PARTIES = [
    ("the boy", "Children and Young Persons Act 1933 s.45 direction; child complainant"),
    ("the care worker", "anonymity granted to a whistleblowing witness"),
]


@pytest.fixture
def detector() -> IdentifyingDetailDetector:
    return IdentifyingDetailDetector(PARTIES)


def flags_for(detector: IdentifyingDetailDetector, text: str, *, history: tuple[Message, ...] = (),
              attachments: tuple[Attachment, ...] = (), prior: list[Flag] | None = None,
              extras: dict[str, object] | None = None) -> list[Flag]:
    message = Message("m", "author", text, attachments=attachments)
    ctx = ScanContext(message, history=history, flags=list(prior or []), extras=dict(extras or {}))
    return detector.triggered_on(ctx)


def kinds(flags: list[Flag]) -> set[str]:
    return {f.kind for f in flags}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the boy's nan lives at 22 Wharfedale Crescent, LS12 3QP", "address"),
        ("you can ring the lad's stepdad on 07911 204 887", "phone"),
        ("the whistleblower's husband drives a silver Astra, reg YG19 KHT", "vehicle"),
        ("the victim's sister is on snapchat as maddie.w2009", "social"),
        ("the complainant was born on 14/02/2013", "dob"),
        ("his mum's email is kwrenf.home@gmail.com", "email"),
        ("the care worker is employed at the Co-op on Tong Road", "workplace"),
        ("the boy goes to Bramley Park Academy", "school"),
        ("the woman's flat is at 3 Ropewalk Terrace", "address"),
    ],
)
def test_tied_details_are_flagged(detector: IdentifyingDetailDetector, text: str, kind: str) -> None:
    flags = flags_for(detector, text)
    assert kind in kinds(flags)
    flag = next(f for f in flags if f.kind == kind)
    assert flag.category is Category.IDENTIFYING_DETAIL
    assert flag.detector == "identifying_detail"
    assert 0.6 <= flag.score <= 1.0
    assert flag.suggested is Action.HOLD


def test_spans_point_at_the_detail_and_reason_names_the_tie(detector: IdentifyingDetailDetector) -> None:
    text = "text the girl's mum on 07700 900456 to say we support her"
    (flag,) = flags_for(IdentifyingDetailDetector([("the pupil", "child complainant")]), text)
    (span,) = flag.spans
    assert text[span.start : span.end] == "07700 900456"
    assert span.replacement == "[phone number]"
    assert flag.reason == "A phone number tied to the pupil's mother"
    assert flag.label == "the pupil"
    assert "07700" not in flag.reason


def test_case_labels_are_ties(detector: IdentifyingDetailDetector) -> None:
    (flag,) = flags_for(detector, "the care worker lives at 4 Moor Lane")
    assert flag.label == "the care worker"
    assert "the care worker" in flag.reason


def test_protected_flags_from_earlier_detectors_are_ties(detector: IdentifyingDetailDetector) -> None:
    text = "NAME lives at 4 Moor Lane"
    prior = [Flag(Category.PROTECTED_IDENTITY, "protected_party", 0.95, "names the boy",
                  (Span(0, 4, "[the boy]"),), kind="full_name", label="the boy")]
    flags = flags_for(detector, text, prior=prior)
    assert [f.kind for f in flags] == ["address"]
    assert flags[0].label == "the boy"
    assert flags[0].score >= 0.8


@pytest.mark.parametrize(
    "text",
    [
        "If you're worried about a child, Childline is 0800 1111.",
        "If anyone needs to talk, the NSPCC helpline is 0808 800 5000.",
        "West Yorkshire Police press office is on 0113 285 9000 if the family want to complain",
        "Email the council's complaints team at complaints@leeds.gov.uk about the boy's placement.",
        "the officer works for Avon and Somerset Police",
        "Samaritans are on 116 123, day or night, for the family too.",
    ],
)
def test_public_contact_details_are_not_flagged(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "I'm a teacher in Bristol and our safeguarding training covers exactly this.",
        "I worked in a care home in Leeds for ten years.",
        "My daughter is 12 too, this makes me sick.",
        "I live near Armley myself and nobody I know has heard anything.",
        "My son goes to scouts in Bramley and plays rugby for Bramley Colts, we're all shocked.",
        "my number is 07911 123456 if anyone wants to talk",
        "I grew up near there",
    ],
)
def test_people_speaking_about_themselves(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The IOPC directed the hearing, so the force can't say it wasn't warned.",
        "The judge at Leeds Crown Court set a trial date for next spring.",
        "The panel chair said the messages were not sexual.",
        "Good luck to the family with the judicial review.",
        "someone should give that officer a beating he won't forget",
        "The hearing is on 3 March at 10am, it's open to the public.",
        "07911 123456",  # a number tied to nobody
        "Cotham School should have acted sooner",  # a school tied to nobody
    ],
)
def test_untied_or_official_text_is_not_flagged(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


def test_pronoun_tie_is_weaker_than_a_named_tie(detector: IdentifyingDetailDetector) -> None:
    (weak,) = flags_for(detector, "her number is 07911 123456")
    (strong,) = flags_for(detector, "the boy's number is 07911 123456")
    assert weak.score < strong.score
    assert weak.reason == "A mobile phone number tied to a third party"


def test_jigsaw_within_one_message(detector: IdentifyingDetailDetector) -> None:
    text = "he's in year 7 at Bramley Park Academy, small for his age, does karate"
    flags = flags_for(detector, text)
    jigsaw = next(f for f in flags if f.kind == "jigsaw")
    assert jigsaw.reason.startswith("Jigsaw identification: school")
    replaced = {text[s.start : s.end]: s.replacement for s in jigsaw.spans}
    assert replaced["Bramley Park Academy"] == "[school]"
    assert replaced["year 7"] == "[age]"
    assert jigsaw.score >= 0.6


def test_relative_plus_workplace(detector: IdentifyingDetailDetector) -> None:
    flags = flags_for(detector, "the victim's dad works at the Ford garage on Mill Lane")
    assert {"workplace", "jigsaw"} <= kinds(flags)
    assert all("father" in f.reason for f in flags)


def test_two_weak_traits_are_not_a_jigsaw(detector: IdentifyingDetailDetector) -> None:
    assert flags_for(detector, "the boy is in year 8 and has red hair") == []


def test_jigsaw_across_the_authors_recent_messages(detector: IdentifyingDetailDetector) -> None:
    earlier = Message("e1", "author", "the lad who gave evidence is in year 12, curly red hair")
    assert flags_for(detector, earlier.content) == []
    text = "he lives up in Gullhaven and plays rugby for Portmere Colts"
    alone = [f for f in flags_for(detector, text) if f.kind == "jigsaw"]
    together = [f for f in flags_for(detector, text, history=(earlier,)) if f.kind == "jigsaw"]
    assert together and together[0].score >= 0.6
    assert "earlier messages" in together[0].reason
    assert not alone or alone[0].score < together[0].score


def test_history_tie_makes_a_bare_detail_reviewable(detector: IdentifyingDetailDetector) -> None:
    earlier = Message("e1", "author", "I know the boy's family well")
    (flag,) = flags_for(detector, "07911 123456", history=(earlier,))
    assert flag.kind == "phone"
    assert flag.score < 0.6  # review, not hold: the tie is only in an earlier message
    assert "earlier messages" in flag.reason


def test_history_labels_from_the_engine_are_ties(detector: IdentifyingDetailDetector) -> None:
    earlier = Message("e1", "author", "it's NAME")
    (flag,) = flags_for(detector, "07911 123456", history=(earlier,), extras={"history_labels": ["the boy"]})
    assert flag.label == "the boy"


def test_attached_photo_with_a_tie(detector: IdentifyingDetailDetector) -> None:
    photo = (Attachment("IMG_2231.jpg", "image/jpeg"),)
    (flag,) = flags_for(detector, "photo of the boy leaving court", attachments=photo)
    assert flag.kind == "media"
    assert flag.spans == ()
    assert flag.score >= 0.6
    assert flags_for(detector, "here's the court artist's sketch from the BBC", attachments=photo) == []
    assert flags_for(detector, "the view from the public gallery", attachments=photo) == []
    assert flags_for(detector, "photo of the boy leaving court",
                     attachments=(Attachment("notes.pdf", "application/pdf"),)) == []


def test_zalgo_text_is_read_and_spans_map_to_the_original(detector: IdentifyingDetailDetector) -> None:
    text = "t\u0337h\u0334e\u0338 boy's mum: 0\u03367\u0337911 123456"
    flags = flags_for(detector, text)
    (flag,) = [f for f in flags if f.kind == "phone"]
    (span,) = flag.spans
    assert "".join(ch for ch in text[span.start : span.end] if ch.isdigit() or ch == " ") == "07911 123456"


def test_empty_and_huge_messages(detector: IdentifyingDetailDetector) -> None:
    assert flags_for(detector, "") == []
    huge = "the hearing went on and on. " * 3600 + "the boy's mum is on 07911 123456"
    flags = flags_for(detector, huge)
    assert [f.kind for f in flags] == ["phone"]
    assert flags[0].spans[0].start > 100_000


def test_no_parties_still_uses_generic_ties() -> None:
    flags = flags_for(IdentifyingDetailDetector(), "the girl lives at 12 Oak Road")
    assert [f.kind for f in flags] == ["address"]
    assert flags[0].label is None
    assert "the girl" in flags[0].reason


def test_a_generic_workplace_is_not_a_jigsaw(detector: IdentifyingDetailDetector) -> None:
    assert flags_for(detector, "His wife works at the hospital") == []
    assert flags_for(detector, "He kept his job at the same station.") == []


def test_home_street_tied_to_a_party_is_reviewed(detector: IdentifyingDetailDetector) -> None:
    (flag,) = flags_for(detector, "the boy lives on Mill Street")
    assert flag.kind == "street" and flag.score < 0.6
    assert flags_for(detector, "I live on Mill Street") == []
    assert flags_for(detector, "Mill Street is closed for roadworks") == []


def test_relative_and_home_street_make_a_jigsaw(detector: IdentifyingDetailDetector) -> None:
    flags = flags_for(detector, "the boy's grandparents live next door to the Londis on Church Road")
    assert "jigsaw" in kinds(flags)
    assert any("grandparents" in f.reason for f in flags)


@pytest.mark.parametrize(
    "text",
    [
        "the girl's on snap as kaylaa.x so message her there",
        "her birthday's on the 5th of May, she turns 15",
        "the lad's dad is a taxi driver for Streamline Cars",
        "his sister works at the Boots in Cribbs Causeway",
        "the family's landline is 0117 496 0777",
        "the complainant lives at number 14, Station Road, Yate",
        "the child's school is St Anne's Primary in Oldland",
        "her brother is in year 11 at Broadlands, plays rugby for Keynsham",
        "the woman lives in the flats above the Co-op on Gloucester Road",
        "the kid's mum posts on facebook as Tracey Lou Smith, look her up",
    ],
)
def test_other_phrasings_are_flagged(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text)


@pytest.mark.parametrize(
    "text",
    [
        "The boy's mother gave a statement outside court saying she was relieved.",
        "He'll be sentenced at Bristol Crown Court on 14 November.",
        "Report anything to Crimestoppers anonymously on 0800 555 111.",
        "The defendant, 42, of Hartcliffe, denies the charges.",
        "I've emailed my MP at jane.smith.mp@parliament.uk about this.",
        "My sister works at a school in Leeds and they've had new training.",
        "The home is run by Sunrise Care Ltd, which runs 14 other homes.",
        "My dad was a copper in Leeds for 30 years, he's disgusted.",
        "The victim was 15 at the time and is now 17.",
        "The officer lives in the area and still patrols there, which is wrong.",
        "I work in a pharmacy too and this sort of thing worries me.",
    ],
)
def test_other_discussion_is_not_flagged(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


def test_labels_used_as_names_and_their_relatives() -> None:
    det = IdentifyingDetailDetector([("Child A", "child complainant"), ("the care worker", "whistleblower")])
    (flag,) = flags_for(det, "Child A's mum lives at 4 Moor Lane")
    assert flag.label == "Child A" and "Child A's mother" in flag.reason
    flags = flags_for(det, "the care worker's husband works at the Spar on Mill Lane")
    assert all(f.label == "the care worker" for f in flags)
    assert any("the care worker's husband" in f.reason for f in flags)


def test_officer_is_only_a_strong_tie_when_the_case_protects_one() -> None:
    with_officer = IdentifyingDetailDetector([("the officer", "anonymity order")])
    without = IdentifyingDetailDetector([("the boy", "child complainant")])
    text = "the officer works at Trinity Road station"
    assert [f.kind for f in flags_for(with_officer, text)] == ["workplace"]
    assert flags_for(without, text) == []


def test_long_messages_are_read_in_windows_without_losing_details(detector: IdentifyingDetailDetector) -> None:
    filler = "nothing to see here, just words about the hearing. " * 400  # ~20 kB
    text = filler + "the boy's nan lives at 22 Wharfedale Crescent. " + filler + "his mum: 07911 123456. " + filler
    flags = flags_for(detector, text)
    spans = {f.kind: [text[s.start : s.end] for s in f.spans] for f in flags}
    assert spans["address"] == ["22 Wharfedale Crescent"]
    assert spans["phone"] == ["07911 123456"]


def test_spam_is_capped(detector: IdentifyingDetailDetector) -> None:
    text = "the boy's number " + ", ".join(f"07911 {100000 + i}" for i in range(300))
    (flag,) = flags_for(detector, text)
    assert flag.kind == "phone" and 0 < len(flag.spans) <= 50


@pytest.mark.parametrize(
    "text",
    [
        "A care worker who left an 89-year-old resident lying on the floor of her room for eleven hours has "
        "been jailed for two years at Kesworth Crown Court.",
        "The court heard that the boy fell during a night shift in August 2023 and was not found until morning.",
        "She worked there in 2019 and left in the spring.",
    ],
)
def test_news_report_sentences_are_not_flagged(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("That kid's dad is a bus driver on the number 9 route", "workplace"),
        ("the complainant's sister goes to Ysgol Gyfun Cwm Rhondda", "school"),
        ("She's a Year 11 at Castle Hill, plays netball for the county", "jigsaw"),
        ("found her Facebook, it's under Amy Jones-Price", "social"),
        ("Her mam's on 07723 456 789, ring her", "phone"),
    ],
)
def test_more_phrasings(detector: IdentifyingDetailDetector, text: str, kind: str) -> None:
    assert kind in kinds(flags_for(detector, text))


def test_a_whole_town_is_not_a_workplace_detail() -> None:
    det = IdentifyingDetailDetector([("the officer", "anonymity order")])
    assert flags_for(det, "Dyfed-Powys Police said the officer has been moved to a desk job in Carmarthen") == []
    assert flags_for(det, "the officer works in Cardiff now") == []
    assert [f.kind for f in flags_for(det, "the officer works at Trinity Road station")] == ["workplace"]


def test_a_detail_that_is_a_registered_identifier_is_left_to_the_protected_flag(
        detector: IdentifyingDetailDetector) -> None:
    text = "her tiktok is @some_handle1 and she lives at 4 Moor Lane"
    prior = [Flag(Category.PROTECTED_IDENTITY, "protected_party", 0.95, "names the boy (social media handle)",
                  (Span(14, 27, "[the boy]"),), kind="handle", label="the boy")]
    assert [f.kind for f in flags_for(detector, text, prior=prior)] == ["address"]
    unlocated = [Flag(Category.PROTECTED_IDENTITY, "protected_party", 0.5, "detector failed", kind="x")]
    assert {"social", "address"} <= kinds(flags_for(detector, text, prior=unlocated))


def test_a_school_that_is_a_workplace_counts_once(detector: IdentifyingDetailDetector) -> None:
    assert flags_for(detector, "She was a teacher at Cotham School for twenty years") == []
    flags = flags_for(detector, "the boy's mum is a dinner lady at Henleaze Junior School")
    assert "school" in kinds(flags) and "workplace" not in kinds(flags)


@pytest.mark.parametrize(
    "text",
    [
        "my son is in year 10 at Cotham School with the boy",  # says where the boy goes to school
        "I think the boy lives at 4 Oak Road",
        "I heard the boy's dad works at the Tesco on Fishponds Road",
    ],
)
def test_writer_mentioning_themselves_does_not_hide_a_party(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text)


# -- red-team round: regional words, ciphers, people who are not protected, pupils' schools ------------


@pytest.mark.parametrize(
    "text",
    [
        "the wean lives at 14 Kelvinbrae Road, G12 9YD",
        "the lassie's da drives a black Corsa, SK19 HVD",
        "her maw's number is +44 7700 900417",
        "the bairn's granda lives at 3 Mill Wynd Road",
    ],
)
def test_scots_and_irish_words_for_children_and_relatives_are_ties(
        detector: IdentifyingDetailDetector, text: str) -> None:
    flags = flags_for(detector, text)
    assert flags and max(f.score for f in flags) >= 0.6


def test_a_cipher_in_a_label_is_a_tie_on_its_own() -> None:
    det = IdentifyingDetailDetector([("Officer Q71", "anonymity direction; firearms officer")])
    (flag,) = [f for f in flags_for(det, "Q71's wife runs a nail bar on Kestrel Road, Sidcup") if f.kind != "jigsaw"]
    assert flag.label == "Officer Q71" and flag.kind == "workplace"
    assert flags_for(det, "Q71 told the inquest he feared for his life") == []


@pytest.mark.parametrize(
    "text",
    [
        "the teacher's wife still works at the library in Canton",
        "the defendant lives at 9 Ty Mawr Road",
        "his barrister's office is at 12 Park Place, CF10 3DQ",
    ],
)
def test_details_of_people_who_are_not_protected_are_not_flagged(
        detector: IdentifyingDetailDetector, text: str) -> None:
    history = (Message("e1", "author", "the boy's dad is a paramedic at the Heath"),)
    assert flags_for(detector, text, history=history) == []


def test_a_pupils_named_school_with_a_pronoun_is_held(detector: IdentifyingDetailDetector) -> None:
    (flag,) = flags_for(detector, "she goes to Ladybarn Primary School")
    assert flag.kind == "school" and flag.suggested is Action.HOLD


@pytest.mark.parametrize(
    "text",
    [
        "My daughter is 9. She goes to Ladybarn Primary School and loves it.",
        "he taught at Parrs Wood High for years",
    ],
)
def test_a_school_that_is_the_writers_childs_or_someones_workplace_is_not(
        detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


def test_tieless_follow_ups_add_to_a_jigsaw() -> None:
    det = IdentifyingDetailDetector([("the complainant", "adult male complainant")])
    history = (Message("e1", "author", "the first complainant is 33 now"),
               Message("e2", "author", "grew up in Ardoyne, went to the boys' school on the Crumlin Road"))
    flags = flags_for(det, "he's a postman in north Belfast these days", history=history)
    (jigsaw,) = [f for f in flags if f.kind == "jigsaw"]
    assert jigsaw.label == "the complainant"
    # round 9: the place itself, tied only by "he" resolved to the party this author named, is for review
    assert all(f.suggested is Action.REVIEW and f.label == "the complainant" for f in flags if f is not jigsaw)
    assert flags_for(det, "he's a postman in north Belfast these days") == []


def test_an_organisation_that_supports_survivors_publishes_its_number(detector: IdentifyingDetailDetector) -> None:
    history = (Message("e1", "author", "the boy's family deserve better"),)
    assert flags_for(detector, "Nexus NI supports survivors of sexual abuse on 028 9032 6803",
                     history=history) == []


def test_the_mum_is_the_cases_mother() -> None:
    det = IdentifyingDetailDetector([("Child A", "s.45 direction; child victim"),
                                     ("the mother", "naming her would identify the child")])
    flags = flags_for(det, "the mum lives in flat 4, 22 Beech Street, M14 6GH")
    assert {f.kind for f in flags} == {"address", "postcode"}
    assert {f.label for f in flags} == {"the mother"}
    assert flags_for(det, "My mum lives at 4 Beech Street") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("the defendant lives on the Kings Farm estate", "area"),
        ("the accused's mum works at the Co-op in Northfleet", "workplace"),
        ("the 15-year-old goes to Northfleet Technology College", "school"),
        ("the suspect's dad drives a black Audi A3, GJ19 PXO", "vehicle"),
        ("the killer's address is 31 Waterdales, DA11 8JN", "address"),
    ],
)
def test_a_protected_youth_defendant_is_the_defendant(text: str, kind: str) -> None:
    det = IdentifyingDetailDetector([("the defendant", "Children and Young Persons Act 1933 s.49; youth defendant")])
    flags = flags_for(det, text)
    assert kind in kinds(flags) and {f.label for f in flags} == {"the defendant"}


def test_a_sibling_and_a_condition_add_to_a_jigsaw(detector: IdentifyingDetailDetector) -> None:
    history = (Message("e1", "author", "one of the girls is 15 now"),
               Message("e2", "author", "she's got a little brother with autism"))
    flags = flags_for(detector, "they live near the Metro at Four Lane Ends", history=history)
    assert "jigsaw" in kinds(flags)  # "they live" in a child case also ties the street itself (tie.family_home)
    assert kinds(flags) <= {"jigsaw", "street"}


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("she lives opposite the Co-op on Albert Road", "street"),
        ("she's a student at Leeds Uni, third year law", "school"),
        ("the boy's YouTube is called KaiPlaysFN", "social"),
        ("the girl was born on Christmas Day 2011", "dob"),
        ("the girl's mum works Saturdays at the Boots in Trinity", "workplace"),
    ],
)
def test_round_three_phrasings(detector: IdentifyingDetailDetector, text: str, kind: str) -> None:
    assert kind in kinds(flags_for(detector, text))


@pytest.mark.parametrize(
    "text",
    ["he said the meeting was on Albert Road", "Leeds University said it was cooperating",
     "her mum's account is called Private", "I live on Albert Road myself"],
)
def test_round_three_negatives(detector: IdentifyingDetailDetector, text: str) -> None:
    assert flags_for(detector, text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The deceased's mother said he was studying at Goldsmiths University",
        "He went to Kingsdale School, his family said, and wanted to be an engineer",
        "His partner said he had two kids at St Dunstan's College",
    ],
)
def test_adult_cases_quoting_relatives_about_schools(text: str) -> None:
    det = IdentifyingDetailDetector([("Officer W80", "anonymity direction; firearms officer")])
    assert flags_for(det, text) == []
    (flag,) = [f for f in flags_for(det, "W80's kids go to Hurstmere School") if f.kind == "school"]
    assert flag.label == "Officer W80"


def test_round_three_nursery_little_un_hedges_and_estates() -> None:
    det = IdentifyingDetailDetector([("the child", "s.39 order; child victim aged 4")])
    assert "school" in kinds(flags_for(det, "the little un goes to Stockland Green nursery, the one by the park"))
    assert "address" in kinds(flags_for(det, "I think she lives at 4 Beech Street"))  # "I think" only hedges
    assert flags_for(det, "I live at 4 Beech Street") == []
    history = (Message("e1", "author", "the girl trained at 5am every day"),
               Message("e2", "author", "red hair, really tall, always wore a pink cap"))
    # with no subject, the sentence is about whoever the thread is about (tie.zero_subject): the estate itself is
    # also raised for review
    assert kinds(flags_for(det, "lives on the Rossmore estate I think", history=history)) in ({"jigsaw"},
                                                                                              {"jigsaw", "area"})


def test_round_four_home_town_role_words_and_adult_jigsaws() -> None:
    det = IdentifyingDetailDetector([("Officer B", "anonymity direction; custody officer"),
                                     ("Sergeant C", "anonymity direction; custody sergeant")])
    (flag,) = flags_for(det, "Officer B lives in Maghull, near the station")
    assert flag.kind == "area" and flag.suggested is Action.REVIEW
    (flag,) = [f for f in flags_for(det, "the sergeant drives a silver Kuga, reg CX19 HBN") if f.kind == "vehicle"]
    assert flag.label == "Sergeant C"
    history = (Message("e1", "author", "the officer is mid-30s"),
               Message("e2", "author", "plays five-a-side every Tuesday at Goals in Aintree"))
    assert kinds(flags_for(det, "and lives off Northway", history=history)) == {"jigsaw"}
    assert flags_for(det, "Officer B told the inquest he lives in fear of being named") == []
    assert flags_for(det, "Callum lived in Walton with his mum") == []


def test_round_five_farms_foreign_plates_and_ages() -> None:
    det = IdentifyingDetailDetector([("Worker A", "Modern Slavery Act 2015 victim; anonymity order")])
    # a home described by what it is next to (roles.toml place.home_by_landmark) holds the farm's name
    assert kinds(flags_for(det, "Worker A lives in a caravan at the back of Lowfield Farm near Wigton")) & {
        "street", "address"}
    assert "vehicle" in kinds(flags_for(det, "the older worker drives a red Dacia Logan, reg B 123 XYZ"))
    history = (Message("e1", "author", "the younger lad is 19"),
               Message("e2", "author", "he's from a village near Iasi"))
    assert kinds(flags_for(det, "works at the car wash on Warwick Road in Carlisle now", history=history)) == {
        "jigsaw"}
    assert flags_for(det, "the older worker gave evidence through an interpreter") == []


def test_a_named_unprotected_subject_takes_the_pronouns_with_it(detector: IdentifyingDetailDetector) -> None:
    assert flags_for(detector, "Dunlop lived at 22 Kelvin Drive until his arrest, it was in the paper") == []
    assert flags_for(detector, "Gareth Pugh lives at 9 Ty Mawr Road, everyone knows") == []
    assert kinds(flags_for(detector, "She lives at 9 Ty Mawr Road")) == {"address"}
    # a protected name found by the protected detector is a stronger tie than the named subject
    prior = [Flag(Category.PROTECTED_IDENTITY, "protected_party", 0.6, "names the boy",
                  spans=(Span(0, 9, "[the boy]"),), kind="surname", label="the boy")]
    assert kinds(flags_for(detector, "Lindqvist lives at 4 Kelvin Drive", prior=prior)) == {"address"}


def test_round_six_plurals_teaching_and_teams() -> None:
    det = IdentifyingDetailDetector([("Child X", "s.45; child victim aged 8"), ("Witness 1", "whistleblowing teacher")])
    photo = (Attachment("IMG_1.jpg", "image/jpeg"),)
    assert kinds(flags_for(det, "this is the two kids at sports day", attachments=photo)) == {"media"}
    assert "workplace" in kinds(flags_for(det, "Witness 1 teaches year 3 now at a school in Dronfield"))
    assert flags_for(det, "The boys play football for Norton Juniors, the court was told") == []


def test_a_findings_confidence_comes_from_its_evidence(detector: IdentifyingDetailDetector) -> None:
    """The same detail is surer tied to a named party than to a pronoun, and surer beside its tie than in an
    earlier message; no number in the code says which kind of evidence it is."""
    number = "07911 204 887"
    named = flags_for(detector, f"the boy's stepdad's number is {number}")
    pronoun = flags_for(detector, f"his number is {number}")
    earlier = flags_for(detector, f"the number is {number}",
                        history=(Message("h", "author", "the boy's stepdad is a cabbie"),))
    scores = [next(f.score for f in found if f.kind == "phone") for found in (named, pronoun, earlier)]
    assert scores[0] > scores[1] and scores[0] > scores[2]


def test_details_carry_named_strengths_and_the_rule_that_found_them() -> None:
    from bot.recognizers import PhoneRecognizer
    from bot.rules.model import Strength

    (plain,) = PhoneRecognizer().find("07911 123456")
    (context,) = PhoneRecognizer().find("her mobile is 07911 123456")
    assert plain.rule == context.rule == "phone.number"
    assert plain.strength is Strength.STRONG and context.strength is Strength.DECISIVE
    assert "context" in context.evidence and not plain.evidence


# -- wave 8: the writer's own words after a party's pronoun are a comparison ---------------------------


def _thread_verdict(text: str) -> list[Flag]:
    from bot.case import parse_case
    from bot.engine import IdentityEngine

    case = parse_case('id = "t"\n[[protected]]\nlabel = "the girl"\nbasis = "child complainant, 13"\n'
                      'names = ["Wilhelmina Quarrendon"]\n')
    engine = IdentityEngine.from_case(case, b"k" * 32)
    engine.check(Message(id="1", author="a", content="the girl is only 13, leave her be", thread_id="t"))
    return engine.check(Message(id="2", author="a", content=text, thread_id="t")).flags


def test_party_pronoun_before_the_writers_own_relative_is_still_the_party() -> None:
    flags = _thread_verdict("she's in year 8 at Hollinsbrook Academy, same form as my niece")
    assert any(f.category is Category.IDENTIFYING_DETAIL for f in flags)


def test_the_writers_own_relative_before_the_pronoun_is_whom_it_stands_for() -> None:
    flags = _thread_verdict("my niece is in year 8 at Hollinsbrook Academy, she loves it")
    assert not any(f.category is Category.IDENTIFYING_DETAIL for f in flags)
