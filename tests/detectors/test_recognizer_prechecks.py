"""The recognizers' gate (pre-check literals derived from every rule) only skips rules that could not match.

A gate that said "no" for a text one of a rule's patterns matches would silently drop a detail, so it is
checked against the evaluation messages and against generated texts made of the patterns' own words.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.recognizers.base import word_set
from bot.recognizers.gate import shipped_gate
from bot.rules.model import Rule

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "eval" / "dev" / "messages.jsonl"
GATE = shipped_gate()
NAMES = {"age": "trait.age", "appearance": "trait.appearance", "hobby": "trait.hobby", "area": "trait.area",
         "street": "address.street", "named school": "school.named", "school after a verb": "school.after_verb",
         "type-first school": "school.type_first"}


def _matches(rule: Rule, text: str) -> bool:
    return any(rx.search(text) for rx in rule.regexes) or (
        rule.word_regex is not None and rule.word_regex.search(text) is not None)


_PIECES = [
    "she's", "he is", "only", "the", "her", "his", "in", "at", "for", "with", "plays", "played", "rows",
    "Year", "yrs", "years", "old", "aged", "ten", "twelve", "P", "S", "under", "mid", "late", "early",
    "twenties", "30s", "teens", "sixth form", "reception class", "girl", "is", "was", "turned", "now",
    "red hair", "blonde", "Glasses", "wears a", "red coat", "tall", "autistic", "a stammer", "Down's syndrome",
    "football", "the violin", "Ballet", "Dance", "dancing", "Sea Cadets", "ju-jitsu", "Cheer", "swims",
    "runs", "cycling", "Norton", "Rovers", "FC", "Juniors", "Stage School", "club", "Mill", "Lane",
    "1", "7", "11", "15", "42", "-", ",", ".", "'s", "gold", "told", "band", "husband", "Road", "Meadows",
    "St", "Saint", "School", "school", "Uni", "Academy", "Prep", "goes to", "Ysgol", "lives", "from", "area",
]


# one text for each alternative of each pattern (each must match it)
EXAMPLES = [
    ("age", "she is ten years old"), ("age", "aged 9"), ("age", "in year 6"), ("age", "in sixth form"),
    ("age", "reception class"), ("age", "in her 3rd year"), ("age", "he's only 12"), ("age", "she's in P5"),
    ("age", "plays for the under-12s"), ("age", "he is 33 now"), ("age", "the girl was just 14"),
    ("age", "in his mid-twenties"), ("age", "late 30s"), ("age", "in her teens"), ("age", "ten-yrs-old"),
    ("appearance", "long red hair"), ("appearance", "a redhead"), ("appearance", "she has freckles"),
    ("appearance", "wears glasses"), ("appearance", "a nose ring"), ("appearance", "in a wheelchair"),
    ("appearance", "she is autistic"), ("appearance", "has Down's syndrome"), ("appearance", "type 1 diabetes"),
    ("appearance", "cochlear implants"), ("appearance", "a stutter"), ("appearance", "partially sighted"),
    ("appearance", "she's really tall"), ("appearance", "he is small for"), ("appearance", "wore a red coat"),
    ("appearance", "a scar on"), ("appearance", "a birthmark"), ("appearance", "hearing aid"),
    ("hobby", "she plays football"), ("hobby", "played the violin"), ("hobby", "goes to dance"),
    ("hobby", "loves dancing"), ("hobby", "member of the sea cadets"), ("hobby", "does ju-jitsu"),
    ("hobby", "at kickboxing"), ("hobby", "into cheerleading"), ("hobby", "at chess club"),
    ("hobby", "rows for the college"), ("hobby", "swims with Otters"), ("hobby", "runs at Hallam"),
    ("hobby", "cycling for Team"), ("hobby", "plays up front for Norton Town"), ("hobby", "Norton Juniors"),
    ("hobby", "Kings Rovers"), ("hobby", "Dale FC"), ("hobby", "Ashby Stage School"),
    ("hobby", "Ashby Netball Club"), ("hobby", "Ashby Dance Academy"), ("hobby", "at horse riding"),
    ("hobby", "goes to atdance"), ("hobby", "a member of the orchestra"), ("hobby", "Kings Hockey Club"),
    ("hobby", "swimming with Otters"), ("hobby", "cycles for Team"), ("hobby", "Ash Youth"),
    ("area", "she lives in Maghull"), ("area", "grew up near Leeds"), ("area", "moved to the Wirral"),
    ("area", "her home is in Kirkby"), ("area", "comes from Hull"), ("area", "she stays round Ely"),
    ("area", "round the Kings Farm estate"), ("area", "in the Hulme area"), ("area", "he lives near LS6"),
    ("area", "fae Govan"), ("area", "based in Derby"), ("area", "house is on Anglesey"),
    ("street", "on Gloucester Road"), ("street", "St Mary's Meadows"), ("street", "Ivy Cottages"),
    ("street", "Saint Ann's Wynd"), ("street", "Cotham Vale"),
    ("named school", "Cotham School"), ("named school", "St Bede's Catholic College"),
    ("named school", "Oasis Academy John"), ("named school", "Ladybarn nursery"), ("named school", "Kings Uni"),
    ("named school", "Hull University"), ("named school", "Kings Sixth Form"), ("named school", "Ash Prep"),
    ("named school", "Ash pre-school"), ("named school", "Ash Comprehensive"), ("named school", "Ash Infants"),
    ("school after a verb", "goes to cotham school"), ("school after a verb", "at the local comp"),
    ("type-first school", "Ysgol Gyfun Cwm Rhondda"), ("type-first school", "Gaelscoil Eoin"),
    ("type-first school", "Coleg Gwent"),
]


def test_every_example_matches_its_pattern_and_passes_the_gate() -> None:
    for name, text in EXAMPLES:
        rule = GATE.rules[[r.id for r in GATE.rules].index(NAMES[name])]
        for variant in (text, text.upper(), text.title()):
            if _matches(rule, variant):
                assert GATE.allows(variant, rule), f"the gate skipped {rule.id} on {variant!r}"
        assert _matches(rule, text), f"{text!r} no longer matches {rule.id}: update EXAMPLES"


def _corpus() -> list[str]:
    texts = []
    for path in [SHARED, DATA / "heldout" / "messages.jsonl", *sorted(DATA.glob("redteam/*/messages.jsonl"))]:
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                try:
                    row = json.loads(line)
                except ValueError:
                    continue
                if isinstance(row, dict) and isinstance(row.get("content"), str):
                    texts.append(row["content"])
    return texts


def _check(text: str) -> None:
    for rule in GATE.rules:
        if _matches(rule, text):
            assert GATE.allows(text, rule), f"the gate skipped {rule.id} on a text it matches: {text!r}"
        if rule.alternatives and GATE.allows(text, rule):  # only the live alternatives: the same hits
            full = [(m.span(), m.groups()) for m in rule.regexes[0].finditer(text)]
            assert [(m.span(), m.groups()) for m in GATE.regex(text, rule).finditer(text)] == full, rule.id
        if GATE.allows(text, rule):  # tried only where a match can start: the same hits
            for i, rx in enumerate(rule.regexes):
                full = [(m.span(), m.groups()) for m in rx.finditer(text)]
                assert [(m.span(), m.groups()) for m in GATE.finditer(text, rule, i)] == full, rule.id


def test_prechecks_hold_on_the_evaluation_messages() -> None:
    texts = _corpus()
    assert texts
    matched = 0
    for text in texts:
        _check(text)
        matched += any(_matches(r, text) for r in GATE.rules)
    assert matched > 0  # the corpus does exercise the patterns


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES + [text for _, text in EXAMPLES]), min_size=1, max_size=12),
       st.sampled_from([" ", "-", ""]), st.booleans())
def test_prechecks_hold_on_texts_made_of_the_patterns_words(pieces: list[str], sep: str, upper: bool) -> None:
    text = sep.join(pieces)
    _check(text.upper() if upper else text)


def test_non_ascii_text_is_never_ruled_out() -> None:
    # under re.IGNORECASE the long s matches "s": "ſcouts" must not be skipped
    hobby = GATE.rules[[r.id for r in GATE.rules].index("trait.hobby")]
    assert GATE.allows("goes to ſcouts", hobby)
    assert not GATE.allows("nothing here", hobby)


@given(st.text(alphabet=st.characters(max_codepoint=300), max_size=60))
def test_word_set_is_the_patterns_words(text: str) -> None:
    assert word_set(text) == frozenset(re.findall(r"[a-z0-9]+", text.lower()))
