"""The rule model: one pydantic class validated at load, with a named strength and its own examples."""

from __future__ import annotations

import re
from collections.abc import Iterator
from enum import StrEnum
from functools import cached_property

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot.rules.gates import LiteralGate, PatternGate
from bot.rules.literals import literal_clauses, required_literals, split_alternatives

_ID = r"^[a-z0-9][a-z0-9_.-]*$"


class RuleError(ValueError):
    """A rule file that does not load: one line naming the file, the rule and the problem."""


class Strength(StrEnum):
    """How much one hit of a rule says on its own; ordered from weakest to strongest.

    Code compares strengths by name or rank (``s >= Strength.STRONG``), never by a bare score.
    """

    HINT = "hint"  # says something only together with other evidence
    WEAK = "weak"  # worth a review
    MEDIUM = "medium"  # worth a hold when something else agrees
    STRONG = "strong"  # a hold on its own
    DECISIVE = "decisive"  # a removal on its own

    @property
    def rank(self) -> int:
        return _RANK[self]

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank >= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank <= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Strength):
            return NotImplemented
        return self.rank < other.rank


_RANK = {s: i for i, s in enumerate(Strength)}


class Rule(BaseModel):
    """One rule: what to look for, how much it says, and texts that prove it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID)
    kind: str = Field(min_length=1)
    description: str = ""
    strength: Strength = Strength.MEDIUM
    patterns: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    mapping: dict[str, str] = Field(default_factory=dict)  # words with a canonical reading ("mam" -> "mother")
    context: tuple[str, ...] = ()
    weight: float | None = None
    ignore_case: bool = True
    params: dict[str, str | int | float | bool | list[str]] = Field(default_factory=dict)
    examples: tuple[str, ...] = Field(min_length=1)
    counterexamples: tuple[str, ...] = Field(min_length=1)


    @field_validator("words", "context")
    @classmethod
    def _clean_words(cls, words: tuple[str, ...]) -> tuple[str, ...]:
        out = tuple(" ".join(w.split()) for w in words)
        if any(not w for w in out):
            raise ValueError("an empty word in a word list")
        return out

    @model_validator(mode="after")
    def _has_something(self) -> Rule:
        if not self.patterns and not self.words and not self.mapping:
            raise ValueError("a rule needs patterns, words or a mapping")
        return self

    @model_validator(mode="after")
    def _compiles(self) -> Rule:
        """Every pattern compiles, with the rule's own flags: the compiled patterns are kept
        (:attr:`regexes`), so a rule's patterns are compiled once, not once to check and again to use."""
        flags = re.IGNORECASE if self.ignore_case else 0
        compiled = []
        for p in self.patterns:
            try:
                compiled.append(re.compile(p, flags))
            except re.error as exc:
                raise ValueError(f"pattern {p!r} does not compile: {exc}") from None
        self.__dict__["regexes"] = tuple(compiled)  # the cached_property's slot, filled at validation
        return self

    def int_param(self, key: str, default: int) -> int:
        """A whole-number parameter (e.g. a context window), ``default`` when the rule does not set it."""
        value = self.params.get(key, default)
        if isinstance(value, list):
            raise RuleError(f"rule {self.id!r}: params.{key} must be a number")
        return int(value)

    def float_param(self, key: str, default: float) -> float:
        """A number parameter (e.g. a score cap), ``default`` when the rule does not set it."""
        value = self.params.get(key, default)
        if isinstance(value, list):
            raise RuleError(f"rule {self.id!r}: params.{key} must be a number")
        return float(value)

    def words_param(self, key: str) -> tuple[str, ...]:
        """A word-list parameter, empty when the rule does not set it."""
        value = self.params.get(key, [])
        if not isinstance(value, list):
            raise RuleError(f"rule {self.id!r}: params.{key} must be a list of words")
        return tuple(str(w) for w in value)

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """The rule's words and the keys of its mapping."""
        return self.words + tuple(k for k in self.mapping if k not in self.words)

    # ------------------------------------------------------------ derived, once

    @cached_property
    def regexes(self) -> tuple[re.Pattern[str], ...]:
        flags = re.IGNORECASE if self.ignore_case else 0
        return tuple(re.compile(p, flags) for p in self.patterns)

    @cached_property
    def word_set(self) -> frozenset[str]:
        """The word list, folded to lower case when the rule ignores case."""
        return frozenset(w.casefold() if self.ignore_case else w for w in self.vocabulary)

    @cached_property
    def context_set(self) -> frozenset[str]:
        return frozenset(w.casefold() for w in self.context)

    @cached_property
    def word_regex(self) -> re.Pattern[str] | None:
        """One regex matching any word-list entry as whole words (longest first)."""
        if not self.vocabulary:
            return None
        alts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in self.vocabulary}, key=len, reverse=True)
        return re.compile(r"(?<!\w)(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE if self.ignore_case else 0)

    @cached_property
    def context_regex(self) -> re.Pattern[str] | None:
        """One case-insensitive regex matching any context word as a whole word (longest first)."""
        if not self.context:
            return None
        alts = sorted({re.escape(w).replace(r"\ ", r"\s+") for w in self.context}, key=len, reverse=True)
        return re.compile(r"(?<![\w@])(?:" + "|".join(alts) + r")(?!\w)", re.IGNORECASE)

    @cached_property
    def alternatives(self) -> tuple[str, ...] | None:
        """The alternatives of a rule that is one pattern of top-level choices (a gate may run only those whose
        literals occur); None for other rules."""
        if len(self.patterns) != 1 or self.vocabulary:
            return None
        alts = split_alternatives(self.patterns[0])
        return tuple(alts) if alts else None

    @cached_property
    def alternative_clauses(self) -> tuple[tuple[tuple[frozenset[str], ...], ...], ...]:
        """:attr:`precheck_clauses` of each alternative (see :attr:`alternatives`)."""
        return tuple(tuple(tuple(c) for c in literal_clauses(a)) for a in self.alternatives or ())

    def with_alternatives(self, live: tuple[bool, ...]) -> re.Pattern[str]:
        """The rule's pattern with only the ``live`` alternative kept when one is (the others made never to match;
        groups keep their numbers): the same hits, found sooner. Several live: the whole pattern."""
        if sum(live) != 1:
            return self.regexes[0]
        i = live.index(True)
        return self._single_alternative[i]

    @cached_property
    def _single_alternative(self) -> tuple[re.Pattern[str], ...]:
        alts = self.alternatives or ()
        flags = re.IGNORECASE if self.ignore_case else 0
        return tuple(re.compile("(?:" + "|".join(a if j == i else "(?!)" + a for j, a in enumerate(alts)) + ")", flags)
                     for i in range(len(alts)))

    @cached_property
    def precheck_clauses(self) -> tuple[tuple[frozenset[str], ...], ...]:
        """Ways a hit can hold literals: a hit holds one literal of every set of at least one clause (a clause
        per alternative of each pattern, one for the word list); an empty clause means the rule always runs."""
        if self.alternatives:
            return tuple(c for clauses in self.alternative_clauses for c in clauses)
        clauses = [tuple(c) for p in self.patterns for c in literal_clauses(p)]
        if self.vocabulary:
            clauses.append((frozenset(w.casefold() for w in self.vocabulary),))
        return tuple(clauses)

    @cached_property
    def precheck(self) -> frozenset[str] | None:
        """Lower-case literals one of which every hit contains; None when a hit needs no literal."""
        out: set[str] = set()
        for p in self.patterns:
            lits = required_literals(p, ignore_case=self.ignore_case)
            if lits is None:
                return None
            out |= lits
        out |= {w.casefold() for w in self.vocabulary}
        return frozenset(out)

    @cached_property
    def _precheck_regex(self) -> re.Pattern[str] | None:
        pre = self.precheck
        return re.compile("|".join(re.escape(x) for x in sorted(pre, key=len, reverse=True))) if pre else None

    def may_fire(self, folded: str) -> bool:
        """Cheap test on casefolded text: False means no pattern or word of this rule can match."""
        if self.precheck is None:
            return True
        rx = self._precheck_regex
        return rx is not None and rx.search(folded) is not None

    def hits(self, text: str) -> Iterator[re.Match[str]]:
        """Every pattern and word-list match in ``text`` (after the pre-checks: a pattern runs only when the
        literals of one of its top-level alternatives occur in the text)."""
        folded = text.casefold()
        if not self.may_fire(folded):
            return
        present = self._literal_gate.present(folded)
        for gate in self.pattern_gates:
            rx = gate.regex_for(present)
            if rx is not None:
                yield from rx.finditer(text)
        if self.word_regex is not None:
            yield from self.word_regex.finditer(text)

    def fires(self, text: str) -> bool:
        """Whether :meth:`hits` finds anything in ``text`` (each live alternative tried alone, first hit wins)."""
        folded = text.casefold()
        return self.fires_given(text, folded, self._literal_gate.present(folded))

    def fires_given(self, text: str, folded: str, present: frozenset[str]) -> bool:
        """:meth:`fires` for a caller that has casefolded ``text`` and found the literals it holds (``present``
        may hold other rules' literals too)."""
        if not self._gated_by_alternatives and not self.may_fire(folded):
            return False
        if any(gate.matches(text, present) for gate in self.pattern_gates):
            return True
        return self.word_regex is not None and self.word_regex.search(text) is not None

    @cached_property
    def pattern_gates(self) -> tuple[PatternGate, ...]:
        """Each pattern with the literals its top-level alternatives need (:class:`bot.rules.gates.PatternGate`)."""
        return tuple(PatternGate.of(p, rx, ignore_case=self.ignore_case) for p, rx in zip(
            self.patterns, self.regexes, strict=True))

    @cached_property
    def _gated_by_alternatives(self) -> bool:
        """Every alternative of every pattern needs a literal and there is no word list: the literals present
        decide what may run, and the whole-rule pre-check adds nothing."""
        return self.word_regex is None and all(need is not None for gate in self.pattern_gates
                                               for need in gate.alternatives)

    @cached_property
    def _literal_gate(self) -> LiteralGate:
        return LiteralGate(lit for gate in self.pattern_gates for alt in gate.alternatives if alt is not None
                           for lit in alt)

    def __hash__(self) -> int:
        return hash(self.id)


_FRAGMENT = re.compile(r"\{\{([a-z0-9_]+)\}\}")


def expand(pattern: str, fragments: dict[str, str]) -> str:
    """``pattern`` with every ``{{name}}`` replaced by the file's fragment of that name (which may use others)."""
    for _ in range(4):
        if "{{" not in pattern:
            return pattern
        pattern = _FRAGMENT.sub(lambda m: "(?:" + fragments[m.group(1)] + ")" if m.group(1) in fragments
                                else m.group(0), pattern)
    missing = _FRAGMENT.search(pattern)
    if missing:
        raise ValueError(f"no fragment {missing.group(1)!r}")
    return pattern


class RuleFile(BaseModel):
    """One TOML file: a default kind, an optional runner module, shared pattern fragments, and its rules.

    ``[fragments]`` names regex pieces several patterns share (a string, or a list joined as alternatives);
    a pattern uses one as ``{{name}}``.
    """

    model_config = ConfigDict(extra="forbid")

    kind: str | None = None
    runner: str | None = None
    description: str = ""
    fragments: dict[str, str | list[str]] = Field(default_factory=dict)
    rule: list[Rule] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _default_kind(cls, data: object) -> object:
        if isinstance(data, dict) and isinstance(data.get("rule"), list):
            data = dict(data)
            frags = {k: "|".join(v) if isinstance(v, list) else str(v)
                     for k, v in (data.get("fragments") or {}).items()}
            rules = []
            for r in data["rule"]:
                if isinstance(r, dict):
                    if data.get("kind") and "kind" not in r:
                        r = {"kind": data["kind"], **r}
                    if frags and isinstance(r.get("patterns"), list):
                        r = {**r, "patterns": [expand(p, frags) if isinstance(p, str) else p for p in r["patterns"]]}
                rules.append(r)
            data["rule"] = rules
        return data


class RuleSet:
    """Rules from one or more files, by id and by kind."""

    def __init__(self, rules: list[Rule] | None = None, runners: tuple[str, ...] = ()) -> None:
        self._by_id: dict[str, Rule] = {}
        self.runner_modules: tuple[str, ...] = runners
        for r in rules or ():
            self.add(r)

    def add(self, rule: Rule) -> None:
        if rule.id in self._by_id:
            raise RuleError(f"duplicate rule id {rule.id!r}")
        self._by_id[rule.id] = rule

    def __getitem__(self, rule_id: str) -> Rule:
        try:
            return self._by_id[rule_id]
        except KeyError:
            raise RuleError(f"no rule {rule_id!r}") from None

    def __contains__(self, rule_id: object) -> bool:
        return rule_id in self._by_id

    def __iter__(self) -> Iterator[Rule]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def of_kind(self, kind: str) -> list[Rule]:
        return [r for r in self._by_id.values() if r.kind == kind]

    def words(self, *rule_ids: str) -> frozenset[str]:
        """The union of some rules' word lists (folded)."""
        out: set[str] = set()
        for rid in rule_ids:
            out |= self[rid].word_set
        return frozenset(out)
