"""The pattern layer: hand-written phrasings that the statistical scorers miss, as rules in data files.

* Threats and incitement without profanity ("someone ought to smash his windows in", "wait till I catch
  you outside"), second-person and third-person insults, dismissals, dehumanising words for people and
  identity attacks without slurs. They flag on their own, as a precision-checked second opinion beside
  the model, and cover the labels the learned scorer is weak on (veiled threats, prison-violence wishes).
* Factual discussion of sexual offences trips scorers on the vocabulary alone; :func:`neutralise` swaps that
  vocabulary for a neutral word before scoring, and masks quotations that the message attributes to
  someone else ("he texted her 'you're a stupid girl'"), so reporting what was said is not itself abuse.

The phrasings are rules (``bot/rules/abuse/patterns-*.toml``, one file per label, loaded and validated when the
detector starts); this module is the mechanism. A pattern may name a shared word list as ``{name}`` (rule
``abuse.vocab.name`` in ``patterns-vocabulary.toml``, itself a list of alternatives); each rule's pre-check
literals are derived from its expanded patterns, and one Aho-Corasick pass over a text finds which literals
occur, so a rule none of whose literals occurs is skipped without a regex. Rule ``params``: ``label`` and
``reason`` (the flag's words, never the matched text: a message may contain a protected name), ``text =
"about_others"`` (first-person "I was an idiot" set aside), ``guard`` (the id of a window rule that, matching
just before a hit, sets it aside: reported speech, negation), ``last`` (tried only after every other rule, when
its label has no hit yet). A rule's named strength gives its score.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import ahocorasick

from bot.rules import Rule, RuleError, RuleSet, Strength, load_rules
from bot.rules.literals import WORD, closing_paren, literal_groups, required_from_groups, required_literals
from bot.rules.loader import RULES_DIR
from bot.rules.runners import register_runner

RULE_DIR = RULES_DIR / "abuse"
#: The label files in the order their hits are reported (a flag's kind is the first of equal scores).
PATTERN_FILES = ("patterns-threat.toml", "patterns-incitement.toml", "patterns-identity.toml",
                 "patterns-insult.toml", "patterns-veiled.toml")
SHARED_FILES = ("patterns-vocabulary.toml", "patterns-text.toml")
SCORES = {Strength.STRONG: 0.9, Strength.MEDIUM: 0.8}
_REF = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"})


@dataclass(frozen=True, slots=True)
class PatternHit:
    label: str  # "threat", "incitement", "identity_attack" or "insult"
    reason: str  # what kind of pattern, for a moderator; never the matched text
    score: float


@dataclass(frozen=True, slots=True)
class _Guard:
    regex: re.Pattern[str]
    window: int
    split_nt: bool  # "didn't" read as "did n't" before the test


@dataclass(frozen=True, slots=True)
class _Compiled:
    rule: Rule
    hit: PatternHit
    regexes: tuple[re.Pattern[str], ...]
    literals: frozenset[str] | None  # one of these is in every match (casefolded); None: no pre-check
    about_others: bool
    guard: _Guard | None
    last: bool
    #: per regex, every literal set its matches need (one literal of each; :func:`literal_groups`): a rule whose
    #: literals occur runs only the regexes all of whose sets occur (the same hits, fewer searches)
    prechecks: tuple[tuple[frozenset[str], ...], ...] = ()
    #: per regex, None or a cheaper regex that matches wherever it matches (:func:`_necessary`): a body the
    #: cheaper one finds nothing in is not searched with the whole regex (the same hits, fewer searches)
    necessary: tuple[re.Pattern[str] | None, ...] = ()

    def matches(self, body: str, present: frozenset[str] | None) -> bool:
        """Whether the rule fires on ``body``; ``present`` holds the pre-check literals found in it."""
        if self.literals is not None and present is not None and self.literals.isdisjoint(present):
            return False
        regexes = self.regexes if present is None or not self.prechecks else [
            rx for rx, groups in zip(self.regexes, self.prechecks, strict=True)
            if all(not group.isdisjoint(present) for group in groups)]
        if self.necessary:
            needs = dict(zip(self.regexes, self.necessary, strict=True))
            regexes = [rx for rx in regexes if (need := needs[rx]) is None or need.search(body) is not None]
        if self.guard is None:
            return any(rx.search(body) for rx in regexes)
        return any(_unguarded(m, body, self.guard) for rx in regexes for m in rx.finditer(body))


def _literal_sets(groups: list[frozenset[str]]) -> tuple[frozenset[str], ...]:
    """Every literal set a match needs (``literal_groups``: one literal of each, casefolded) as plain substrings;
    a set with a literal that is only a word boundary tests nothing and is left out."""
    out = []
    for group in groups:
        plain = frozenset(s.replace(WORD, "") for s in group)
        if plain and all(plain):
            out.append(plain)
    return tuple(out)


def _necessary(regex: re.Pattern[str]) -> re.Pattern[str] | None:
    """For a pattern that opens with a lookahead (``(?=[^.!?]*\\b(?:...))\\b(?:i'll|we'll...)...``, which Python's
    engine tries at every position, reading on to the sentence's end each time), the pattern without it: wherever
    the pattern matches, the rest matches at the same place (a lookahead only removes matches; under a top-level
    ``|`` it guards the first alternative alone, and the rest still holds every alternative), so a text the rest
    does not match cannot match the pattern. None for any other pattern, or one with groups (numbers would shift)."""
    pattern = regex.pattern
    if not pattern.startswith("(?=") or regex.groups:
        return None
    end = closing_paren(pattern, 0)
    rest = pattern[end + 1:] if end > 0 else ""
    if not rest:
        return None
    try:
        return re.compile(rest, regex.flags)
    except re.error:
        return None


def _unguarded(m: re.Match[str], body: str, guard: _Guard) -> bool:
    before = body[max(0, m.start() - guard.window):m.start()]
    if guard.split_nt:
        before = before.replace("n't", " n't")
    return guard.regex.search(before) is None


def _param(rule: Rule, key: str, default: str = "") -> str:
    value = rule.params.get(key, default)
    if not isinstance(value, str):
        raise RuleError(f"rule {rule.id}: param {key!r} must be a string")
    return value


def expand(pattern: str, vocab: dict[str, str], rule_id: str = "?") -> str:
    """``pattern`` with every ``{name}`` replaced by the word list ``abuse.vocab.name`` (recursively)."""
    for _ in range(10):
        def sub(m: re.Match[str]) -> str:
            try:
                return vocab[m.group(1)]
            except KeyError:
                raise RuleError(f"rule {rule_id}: no word list abuse.vocab.{m.group(1)}") from None

        new = _REF.sub(sub, pattern)
        if new == pattern:
            return pattern
        pattern = new
    raise RuleError(f"rule {rule_id}: word lists refer to each other in a loop")


class PatternLayer:
    """The compiled pattern rules, the text rewrites and the guards; built once from the rule files."""

    def __init__(self, rules: RuleSet):
        self.rules = rules
        raw = {r.id.removeprefix("abuse.vocab."): "(?:" + "|".join(r.patterns) + ")"
               for r in rules.of_kind("abuse_vocab")}
        self.vocab = {name: expand(body, raw, f"abuse.vocab.{name}") for name, body in raw.items()}
        self._offence = self._text_rule("abuse.text.offence_vocabulary")
        self._mild = self._text_rule("abuse.text.mild_vocabulary")
        self._self_deprecation = self._text_rule("abuse.text.self_deprecation")
        self._emphatic_self = self._text_rule("abuse.text.emphatic_yourself")
        self._first_person = self._text_rule("abuse.text.first_person_copula")
        self._quote = self._text_rule("abuse.text.quote")[0]
        self._reporting = self._text_rule("abuse.text.reporting")[0]
        #: per vocabulary rewrite, the literals one of which every match holds (casefolded), or absent when it
        #: cannot be told: most texts hold none, and are not searched (the rewrite would leave them as they are)
        self._rewrite_literals: dict[re.Pattern[str], frozenset[str]] = {}
        for regex, _ in (self._offence, self._self_deprecation, self._emphatic_self, self._mild):
            need = required_literals(regex.pattern, ignore_case=bool(regex.flags & re.IGNORECASE))
            if need and all(need):
                self._rewrite_literals[regex] = need
        self.compiled = [self._compile(r) for r in rules.of_kind("abuse_pattern")]
        self._ordered = [c for c in self.compiled if not c.last] + [c for c in self.compiled if c.last]
        # which rules (by place in _ordered) each pre-check literal lets through, for the body and for the
        # "about others" reading; rules with no pre-check always run
        self._unchecked: list[int] = []
        self._by_literal: tuple[dict[str, list[int]], dict[str, list[int]]] = ({}, {})
        for i, c in enumerate(self._ordered):
            if c.literals is None:
                self._unchecked.append(i)
            for literal in c.literals or ():
                self._by_literal[c.about_others].setdefault(literal, []).append(i)
        self._automaton = ahocorasick.Automaton()  # every pre-check literal, found in one pass over a text
        every = set().union(*(c.literals or () for c in self.compiled))
        every |= {literal for c in self.compiled for groups in c.prechecks for group in groups for literal in group}
        for literal in every:
            self._automaton.add_word(literal, literal)
        self._automaton.make_automaton()

    def present(self, text: str) -> frozenset[str]:
        """The pre-check literals that occur in ``text`` (casefolded here)."""
        return frozenset(literal for _, literal in self._automaton.iter(text.casefold()))

    def _text_rule(self, rule_id: str) -> tuple[re.Pattern[str], str]:
        rule = self.rules[rule_id]
        return re.compile("|".join(rule.patterns), re.IGNORECASE if rule.ignore_case else 0), _param(
            rule, "replacement")

    def _compile(self, rule: Rule) -> _Compiled:
        label, reason = _param(rule, "label"), _param(rule, "reason")
        if not label or not reason.startswith(label.replace("_", " ") + ":"):
            raise RuleError(f"rule {rule.id}: needs a label and a reason that starts with it")
        if rule.strength not in SCORES:
            raise RuleError(f"rule {rule.id}: strength must be one of {', '.join(SCORES)}")
        expanded = [expand(p, self.vocab, rule.id) for p in rule.patterns]
        flags = re.IGNORECASE if rule.ignore_case else 0
        literals: set[str] | None = set()
        prechecks: list[tuple[frozenset[str], ...]] = []
        for p in expanded:
            groups = literal_groups(p)  # parsed once for both pre-checks
            found = required_from_groups(groups)
            literals = None if found is None or literals is None else literals | found
            prechecks.append(_literal_sets(groups))
        guard = None
        if _param(rule, "guard"):
            g = self.rules[_param(rule, "guard")]
            window = g.params.get("window")
            if not isinstance(window, int):
                raise RuleError(f"rule {g.id}: a guard needs an integer window")
            guard = _Guard(re.compile("|".join(g.patterns), re.IGNORECASE), window,
                           bool(g.params.get("split_nt", False)))
        regexes = tuple(re.compile(p, flags) for p in expanded)
        necessary = tuple(_necessary(rx) for rx in regexes)
        return _Compiled(rule, PatternHit(label, reason, SCORES[rule.strength]),
                         regexes, frozenset(literals) if literals else None,
                         _param(rule, "text") == "about_others", guard, bool(rule.params.get("last", False)),
                         tuple(prechecks), necessary if any(n is not None for n in necessary) else ())

    # ------------------------------------------------------------------ texts

    def mask_attributed_quotes(self, text: str) -> str:
        """Replace quotations with ``"quote"`` when the message attributes them to someone (said, texted...)."""
        if self._quote.search(text) is None:
            return text
        if self._reporting.search(self._quote.sub(" ", text)) is None:
            return text
        return self._quote.sub('"quote"', text)

    def body(self, text: str) -> str:
        """What patterns and scorers read: apostrophes and spaces normalised, attributed quotes masked."""
        return self.mask_attributed_quotes(normalise(text))

    def neutralise(self, text: str, *, mild: bool = False, body: str | None = None) -> str:
        """See :func:`neutralise`; ``body`` is ``self.body(text)`` when the caller has it already."""
        out = self.body(text) if body is None else body
        folded = out.casefold()
        for regex, replacement in (self._offence, self._self_deprecation, self._emphatic_self,
                                   *((self._mild,) if mild else ())):
            need = self._rewrite_literals.get(regex)
            if need is not None and not any(literal in folded for literal in need):
                continue  # no match can be in it (one of these is in every match): nothing to replace
            new = regex.sub(replacement, out)
            if new != out:
                out, folded = new, new.casefold()
        return out

    def _bodies(self, text: str, body: str | None = None) -> tuple[str, str]:
        body = self.body(text) if body is None else body
        return body, self._first_person[0].sub(self._first_person[1], body)  # "I was an idiot" names nobody

    def hits(self, text: str, *, body: str | None = None) -> list[PatternHit]:
        """See :func:`pattern_hits`; ``body`` is ``self.body(text)`` when the caller has it already."""
        body, about_others = self._bodies(text, body)
        present = self.present(body)
        present_others = present if about_others == body else self.present(about_others)
        found: dict[str, PatternHit] = {}
        # the rules whose pre-check passes (one of their literals is present), in order: the others would stop at
        # the pre-check of c.matches (most rules, for most texts)
        live = set(self._unchecked)
        for seen, rules in ((present, self._by_literal[False]), (present_others, self._by_literal[True])):
            for literal in seen:
                live.update(rules.get(literal, ()))
        ordered = self._ordered
        for i in sorted(live):
            c = ordered[i]
            if c.hit.label in found:
                continue
            target, seen = (about_others, present_others) if c.about_others else (body, present)
            if c.matches(target, seen):
                found[c.hit.label] = c.hit
        return list(found.values())

    def rule_fires(self, rule_id: str, text: str) -> bool:
        """One pattern rule on ``text`` as :meth:`hits` runs it (quotes masked, guards applied)."""
        c = next(c for c in self.compiled if c.rule.id == rule_id)
        body, about_others = self._bodies(text)
        target = about_others if c.about_others else body
        return c.matches(target, self.present(target))


def rule_paths() -> list:
    return [RULE_DIR / name for name in (*SHARED_FILES, *PATTERN_FILES)]


@cache
def pattern_layer() -> PatternLayer:
    """The shipped pattern layer, loaded and validated once per process (RuleError: one line)."""
    return PatternLayer(load_rules(rule_paths()))


def normalise(text: str) -> str:
    """Straight apostrophes and single spaces; case is kept (patterns ignore it)."""
    return re.sub(r"[ \t]+", " ", text.translate(_APOSTROPHES))


def mask_attributed_quotes(text: str) -> str:
    """Replace quotations with ``"quote"`` when the message attributes them to someone (said, texted...)."""
    return pattern_layer().mask_attributed_quotes(text)


def neutralise(text: str, *, mild: bool = False) -> str:
    """The text a statistical scorer should see: attributed quotes masked, offence vocabulary neutral.

    ``mild`` also neutralises mild criticism words, for the bag-of-words fallback scorer.
    """
    return pattern_layer().neutralise(text, mild=mild)


def pattern_hits(text: str) -> list[PatternHit]:
    """Threat, incitement, identity-attack and insult patterns found in ``text`` (one hit per label)."""
    return pattern_layer().hits(text)


def pattern_hits_many(texts: Iterable[str]) -> list[list[PatternHit]]:
    layer = pattern_layer()
    return [layer.hits(t) for t in texts]


@register_runner("abuse_pattern")
def run_pattern(rule: Rule, text: str) -> bool:
    """A pattern rule fires as the detector runs it: on the masked text, through its guard."""
    return pattern_layer().rule_fires(rule.id, text)


@register_runner("abuse_vocab")
def run_vocab(rule: Rule, text: str) -> bool:
    """A word list fires when one of its alternatives occurs as whole words."""
    body = pattern_layer().vocab[rule.id.removeprefix("abuse.vocab.")]
    return re.search(rf"(?<!\w){body}(?!\w)", normalise(text), re.IGNORECASE) is not None
