"""Dialect readings (bot.abuse.dialect) and long posts scored a sentence at a time (bot.abuse.detector)."""

from __future__ import annotations

import pytest

from bot.abuse.detector import LONG_POST_CHARS, sentences
from bot.abuse.dialect import normalise


@pytest.mark.parametrize(("text", "reading"), [
    ("naebody wid miss ye if ye went aff the bridge", "nobody would miss you if you went off the bridge"),
    ("shut yer geggie", "shut your mouth"),
    ("Somebody should gie his missus a wee visit", "Somebody should give his missus a wee visit"),
    ("keep 'is 'ead down walkin' 'ome", "keep his head down walking home"),
    ("grasses doe last long round 'ere", "grasses don't last long round here"),
    ("them two ay human, they'm vermin", "them two ain't human, they are vermin"),
    ("nobody asked yer, yo'm a saft muppet", "nobody asked you, you are a stupid idiot"),
    ("divvent gan hyem the neet, marra", "do not go home the night, mate"),
    ("me mam says the bizzies know", "my mum says the police know"),
    ("u know wot u did innit", "you know wot you did isn't it"),
])
def test_dialect_reading(text: str, reading: str) -> None:
    assert normalise(text) == reading


@pytest.mark.parametrize("text", [
    "Ken Barlow gave evidence on Monday and the jury went out at four.",
    "The Gan family spoke outside court; a doe crossed the road at dusk.",
    "It was a long day for the jury. O'Neill said the hearing was at ten o'clock.",
    "He said 'it was fine' and left; the ice began to melt; Yo-yo dieting came up.",
    "The Cor Anglais solo was lovely and the U-turn by the CPS was not.",
])
def test_standard_english_unchanged(text: str) -> None:
    assert normalise(text) == text


def test_curly_apostrophes_read_too() -> None:
    assert normalise("see \u2019ow \u2019e likes it") == "see how he likes it"


def test_short_post_is_not_split() -> None:
    assert sentences("Short one. Two sentences here.") == []


def test_long_post_split_with_short_sentences_joined() -> None:
    text = ("Thanks for the updates everyone, really useful. Ok. " * 3
            + "The raffle is next Friday at the Swan, tickets behind the bar.")
    assert len(text) >= LONG_POST_CHARS
    parts = sentences(text)
    assert len(parts) >= 2
    assert all(len(p.split()) >= 5 for p in parts)
    assert " ".join(parts).split() == text.split()


@pytest.fixture(scope="module")
def detector():
    from bot.abuse.factory import build_detector
    from bot.settings import Settings

    return build_detector(Settings())


@pytest.mark.parametrize("text", [
    "@kerry yous are a pair of saft muppets, shut yer geggie an' goo away",
    "@dan naebody wid miss ye if ye went aff the top o' the multi-storey",
])
def test_dialect_abuse_flags(detector, text: str) -> None:
    assert detector.detect(text)


@pytest.mark.parametrize("text", [
    "Ah'm no sure the polis did their job, the weans were left wi' naebody for hours.",
    "Divvent gan hyem yet, the verdict's due after dinner, marra.",
])
def test_dialect_ordinary_talk_does_not_flag(detector, text: str) -> None:
    assert not detector.detect(text)


def test_person_view_reads_names_as_pronouns() -> None:
    from bot.abuse.detector import person_view

    assert person_view("I hope someone torches Marsden's van, honestly") == "I hope someone torches his van, honestly"
    assert person_view("the lads will sort Marsden out") == "the lads will sort him out"
    assert person_view("The Crown's case closed on Monday") == "The Crown's case closed on Monday"
    assert person_view("Marsden's barrister spoke first") == "Marsden's barrister spoke first"  # opens the text


def test_long_post_flags_on_its_one_bad_sentence(detector) -> None:
    post = ("Thanks to everyone doing the court updates, I can't get there with work and it really helps. "
            "The forensic evidence sounded solid to me and the jury looked like they were paying attention. "
            "I hope somebody puts a brick through Marsden's front window while he's asleep in bed. "
            "Anyway, closing speeches are on Tuesday and the judge said she'd sum up on Wednesday.")
    assert detector.detect(post)
    assert not detector.detect(post.replace(
        "I hope somebody puts a brick through Marsden's front window while he's asleep in bed. ", ""))


@pytest.mark.parametrize("text", [
    "If he's found guilty he should get life, and life should mean life.",
    "Fair trial my arse, the jury were out for forty minutes.",
    "Remorseful my arse, he smirked through the whole victim statement.",
    "Removed and banned. For the log, the post said 'gan an' jump off the Tyne Bridge ye fat cow' to another member.",
    "Screenshot before it went: 'yer a lying wee slag' at the complainant. Reported to the police as well.",
])
def test_legal_sentence_idiom_and_moderation_log_do_not_flag(detector, text: str) -> None:
    assert not detector.detect(text)


@pytest.mark.parametrize("text", [
    "Pemberton wants stringing up by his ankles off the pier",
    "someone should put that lot down like the dogs they are",
    "@mo yer a wee grass an' aw, watch yer back gaun hame",
])
def test_wished_violence_and_dialect_intimidation_flag(detector, text: str) -> None:
    assert detector.detect(text)
