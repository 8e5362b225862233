"""The rule loader: validation at load, one clear error line, literals derived from patterns."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.rules import RuleError, Strength, load_rule_file, load_rules
from bot.rules.literals import WORD, literal_clauses, literal_prefixes, required_literals
from bot.rules.runners import fires, register_runner, runner_for

GOOD = """
kind = "demo"
[[rule]]
id = "demo.party"
strength = "strong"
patterns = ['\\bthe (?:girl|boy)s?\\b']
context = ["school"]
examples = ["the girl from school"]
counterexamples = ["the girl from the shop"]
"""


def write(tmp_path: Path, text: str, name: str = "r.toml") -> Path:
    p = tmp_path / name
    p.write_text(text)
    return p


def test_loads_and_defaults_kind(tmp_path: Path) -> None:
    rules, runner = load_rule_file(write(tmp_path, GOOD))
    assert runner is None
    (rule,) = rules
    assert rule.kind == "demo" and rule.strength is Strength.STRONG
    assert rule.precheck == {"the girl", "the boy"}
    assert fires(rule, "the girl from school") and not fires(rule, "the girl from the shop")


@pytest.mark.parametrize(("bad", "needle"), [
    (GOOD.replace('strength = "strong"', 'strength = 0.8'), "strength"),
    (GOOD.replace("examples = [\"the girl from school\"]", "examples = []"), "examples"),
    (GOOD.replace("counterexamples", "counter"), "counter"),
    (GOOD.replace("(?:girl", "(?:girl("), "does not compile"),
    ("[[rule]\n", "not valid TOML"),
])
def test_bad_file_is_one_clear_line(tmp_path: Path, bad: str, needle: str) -> None:
    with pytest.raises(RuleError) as err:
        load_rule_file(write(tmp_path, bad))
    msg = str(err.value)
    assert "\n" not in msg and "r.toml" in msg and needle in msg


def test_duplicate_ids_across_files(tmp_path: Path) -> None:
    write(tmp_path, GOOD, "a.toml")
    write(tmp_path, GOOD, "b.toml")
    with pytest.raises(RuleError, match=r"duplicate rule id 'demo\.party'"):
        load_rules(tmp_path)


def test_strength_is_ordered_by_name() -> None:
    assert Strength.HINT < Strength.WEAK < Strength.MEDIUM < Strength.STRONG < Strength.DECISIVE
    assert max(Strength.WEAK, Strength.STRONG) is Strength.STRONG


@pytest.mark.parametrize(("pattern", "want"), [
    (r"\bcollar\s*(?:no|number)\b", {"collar"}),
    (r"(?:mum|dad) works at", {"mum works at", "dad works at"}),
    (r"\d{5}\s?\d{6}", set("0123456789")),  # a digit is selective enough in chat
    (r"[A-Z]{2}\s?[A-Z]{3}", None),
    (r"[a-z]+@[a-z]+\.com", {".com"}),
    (r"\b(?:Mr|Mrs|Ms)\.? [A-Z]\b", {"mr ", "mr. ", "mrs ", "mrs. ", "ms ", "ms. "}),
])
def test_required_literals(pattern: str, want: set[str] | None) -> None:
    got = required_literals(pattern)
    assert (got if got is None else set(got)) == want


def test_literal_clauses_mark_whole_words_and_split_alternatives() -> None:
    # one clause per alternative; a literal bounded by \b, look-arounds or white space is a whole word
    assert literal_clauses(r"(?<![\w@])(?:insta|ig)(?!\w)") == [[frozenset({WORD + "insta" + WORD})],
                                                               [frozenset({WORD + "ig" + WORD})]]
    assert literal_clauses(r"\bworks\s+at\b") == [[frozenset({WORD + "works" + WORD}),
                                                       frozenset({WORD + "at" + WORD})]]
    assert literal_clauses(r"\d+\s?[a-z]+") == [[frozenset("0123456789")]]
    assert literal_clauses(r"[a-z]+") == [[]]  # nothing to test: the rule always runs


def test_literal_clauses_keep_every_needed_set_reading_through_groups() -> None:
    # every set a match needs, groups read through; a word between white space, signs or boundaries is whole
    (clause,) = literal_clauses(r"\b(?:plays?|is)\s+for\s+the\s+(?:under[- ]?|u)1[0-9]s?\s+(?:at|for)\b")
    assert frozenset({WORD + "for" + WORD}) in clause and frozenset({WORD + "the" + WORD}) in clause
    assert any(WORD + "u12" + WORD in group for group in clause)
    # a word followed by an optional part that starts with white space, then white space: still whole
    assert literal_clauses(r"\bworks(?:\s+(?:there|now))*\s+at\b") == [[frozenset({WORD + "works" + WORD}),
                                                                         frozenset({WORD + "at" + WORD})]]
    # " road" after a sign or white space and before \b holds the whole word "road" (one clause per choice)
    assert literal_clauses(r"(?:[A-Z][a-z]+[ -]){1,3}(?:Road|Rd)\b") == [[frozenset({WORD + "road" + WORD})],
                                                                        [frozenset({WORD + "rd" + WORD})]]
    # a word that ends in a letter outside ASCII is not the ASCII word before it
    (clause, _) = literal_clauses(r"\bhas\s+(?:caf[eé]|shop)\b")
    assert WORD + "caf" + WORD not in set().union(*clause)


@pytest.mark.parametrize(("pattern", "want"), [
    (r"\b(?:lives?|from)\s+[A-Z]", {WORD + "live", WORD + "lives", WORD + "from" + WORD}),
    (r"(?<![\w@])(?:insta|ig)(?!\w)", {WORD + "insta" + WORD, WORD + "ig" + WORD}),
    (r"(?:foo|bar\d)x", {"foox"} | {f"bar{d}x" for d in range(10)}),
    (r"(?:foo)?bar", {"foobar", "bar"}),  # an optional start: either
    (r"\d+ years", set("0123456789")),
    (r"[a-z]+ing", None),  # a match may start with any letter
    (r"(?:\w+ )?at", None),
])
def test_literal_prefixes(pattern: str, want: set[str] | None) -> None:
    got = literal_prefixes(pattern)
    assert (None if got is None else {lit.replace(WORD, "") for lit in got}) == (
        None if want is None else {w.replace(WORD, "") for w in want})


def test_every_match_starts_with_a_prefix() -> None:
    import re

    for pattern, text in [(r"\b(?:lives?|from)\s+[A-Z]\w+", "she LIVES Leeds, from York"),
                          (r"(?:foo|bar\d)x", "bar9x foox"), (r"\bthe\s+(?:girl|boy)", "The  Boy")]:
        prefixes = literal_prefixes(pattern)
        assert prefixes is not None
        for m in re.finditer(pattern, text, re.IGNORECASE):
            assert any(text.lower().startswith(p.replace(WORD, ""), m.start()) for p in prefixes), (pattern, m)


def test_required_literals_are_sound() -> None:
    import re

    for pattern, text in [(r"\bthe (?:girl|boy)s?\b", "THE Boys are back"), (r"(?:ab|cd)ef", "xxCDEFxx")]:
        lits = required_literals(pattern)
        assert re.search(pattern, text, re.IGNORECASE)
        assert lits is not None and any(lit in text.casefold() for lit in lits)


def test_register_runner() -> None:
    @register_runner("test-kind")
    def run(rule, text):  # type: ignore[no-untyped-def]
        return "yes" in text

    assert runner_for("test-kind") is run
    assert runner_for("no-such-kind") is fires
