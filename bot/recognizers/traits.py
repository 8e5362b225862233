"""Traits that narrow someone down in combination: age or school year, appearance, hobbies, home area
(rules: bot/rules/identity/recognizers/traits.toml).

None of these identifies anyone alone; the identifying-detail detector counts them towards jigsaw
identification when they accumulate about the same third party.
"""

from __future__ import annotations

import re

from bot.recognizers.base import ESTATE, HOME, NAMED, POSITION, Detail, detail, stronger
from bot.recognizers.gate import shipped_gate
from bot.rules.loader import shipped_rules

_R = shipped_rules()
AGE, APPEARANCE, HOBBY, AREA = _R["trait.age"], _R["trait.appearance"], _R["trait.hobby"], _R["trait.area"]
RECORD = _R["trait.record"]  # "is in Preston prison", "was in the Mail for ...": a record that names someone
HOME_NOW, ESTATE_AFTER = _R["trait.home_now"].regexes[0], _R["trait.estate"].regexes[0]
NOT_PLACE = _R["trait.not_place"].word_set
TEAM_PLACE = _R["trait.team_place"].regexes[0]  # "plays for Fulwood youth, number 9": one player of a squad
_CAPITALISED = re.compile(r"[A-Z][\w'’-]")  # a capital inside a hobby hit: a named club or team
_FIRST_WORD = re.compile(r"\w+")


def _not_place(name: str) -> bool:
    first = _FIRST_WORD.match(name)
    return first is not None and first.group() in NOT_PLACE


class TraitRecognizer:
    """``age`` (age or school year), ``appearance``, ``hobby``, ``area`` (where someone lives) and ``record`` (a
    conviction, prison term or news story)."""

    kind = "trait"
    rules = (AGE, APPEARANCE, HOBBY, AREA, RECORD)  # the finding rules it runs

    def find(self, text: str) -> list[Detail]:
        gate = shipped_gate()
        opened, on = gate.open(text), gate.bit
        hits: list[Detail] = []
        for rule in (AGE, APPEARANCE, RECORD):
            if opened & on[rule.id]:
                hits.extend(detail(rule, m.start(), m.end()) for m in gate.finditer(text, rule))
        if opened & on[HOBBY.id]:
            for m in gate.finditer(text, HOBBY):
                # "plays for Standish Juniors": a named club or team is a few dozen people at a known ground
                if _CAPITALISED.search(m.group(0), 1) is not None:
                    if TEAM_PLACE.match(text, m.end()):  # a squad number or position: one player of a squad
                        hits.append(detail(HOBBY, m.start(), m.end(), stronger(HOBBY.strength, 3),
                                           evidence=frozenset({NAMED, POSITION}),
                                           reason="a player's team and place in it"))
                    else:
                        hits.append(detail(HOBBY, m.start(), m.end(), stronger(HOBBY.strength, 2),
                                           evidence=frozenset({NAMED}), reason="a club or team"))
                else:
                    hits.append(detail(HOBBY, m.start(), m.end()))
        for m in gate.finditer(text, AREA) if opened & on[AREA.id] else ():
            group = next(g for g in (1, 2, 3, 4) if m.group(g))
            if _not_place(m.group(group)):
                continue
            if group == 4:  # "from the same estate in Harraby": an estate placed by its district, a few streets
                hits.append(detail(AREA, m.start(), m.end(group), stronger(AREA.strength),
                                   evidence=frozenset({ESTATE}), reason="a housing estate"))
                continue
            estate = ESTATE_AFTER.match(text, m.end(group))
            if estate:  # "lives on the Kings Farm estate": a few streets, as narrow as a street
                hits.append(detail(AREA, m.start(group), estate.end(), stronger(AREA.strength),
                                   evidence=frozenset({ESTATE}), reason="a housing estate"))
            elif HOME_NOW.match(m.group(0)):  # "lives in Maghull": where someone lives now
                hits.append(detail(AREA, m.start(group), m.end(group), stronger(AREA.strength),
                                   evidence=frozenset({HOME})))
            else:  # "grew up in", "is from": where someone has been
                hits.append(detail(AREA, m.start(group), m.end(group)))
        return hits
