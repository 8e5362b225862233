"""The pattern layer as rule data: files load and validate, word lists expand, mistakes are one clear line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.abuse.bench_scan import distinct_messages
from bot.abuse.labels import AbuseThresholds
from bot.abuse.patterns import PATTERN_FILES, RULE_DIR, PatternLayer, pattern_layer, rule_paths
from bot.rules import RuleError, load_rules


def test_every_label_file_ships_rules_with_labels_reasons_and_prechecks() -> None:
    layer = pattern_layer()
    labels = {c.hit.label for c in layer.compiled}
    assert labels == {"threat", "incitement", "identity_attack", "insult", "intimidation", "self_harm"}
    assert all(AbuseThresholds().for_label(label) is not None for label in labels)  # every label can flag
    assert len(layer.compiled) >= 60
    assert all(c.literals for c in layer.compiled)  # every rule has pre-check literals derived from it
    assert not [rx.pattern for c in layer.compiled for rx in c.regexes
                if re.search(r"\{[a-z][a-z0-9_]*\}", rx.pattern)]  # every word-list reference expanded
    assert all((RULE_DIR / name).is_file() for name in PATTERN_FILES)


def _broken(tmp_path: Path, pattern: str) -> list[Path]:
    paths = []
    for path in rule_paths():
        target = tmp_path / path.name
        text = path.read_text(encoding="utf-8")
        if path.name == "patterns-threat.toml":
            text = text.replace("'\\b(?:come|step|meet\\s+me)", "'" + pattern + "|\\b(?:come|step|meet\\s+me)", 1)
        target.write_text(text, encoding="utf-8")
        paths.append(target)
    return paths


def test_an_unknown_word_list_is_one_clear_error(tmp_path: Path) -> None:
    paths = _broken(tmp_path, "{no_such_list}")
    with pytest.raises(RuleError, match=r"no word list abuse\.vocab\.no_such_list"):
        PatternLayer(load_rules(paths))


def test_a_hit_names_the_kind_of_pattern_never_the_words() -> None:
    hits = pattern_layer().hits("Marcus, you absolute bellend, I know where you live")
    assert {h.label for h in hits} == {"threat", "insult"}
    assert all("Marcus" not in h.reason and "bellend" not in h.reason for h in hits)


def test_reported_speech_guard_and_negation_guard_come_from_the_rules() -> None:
    layer = pattern_layer()
    assert [h.label for h in layer.hits("They should all go back to their own country")] == ["identity_attack"]
    assert layer.hits("He was convicted after telling a neighbour to go back to their own country") == []
    assert [h.label for h in layer.hits("he deserves a good kicking")] == ["incitement"]
    assert layer.hits("nobody deserves a beating like that") == []


def test_the_scan_benchmark_corpus_is_distinct_and_repeatable() -> None:
    pool = ["You absolute melt", "The hearing is on Monday", "hope he gets life"]
    first = distinct_messages(200, seed=3, pool=pool)
    assert len(first) == len(set(first)) == 200
    assert first == distinct_messages(200, seed=3, pool=pool)
