"""One pass over a message decides which recognizer rules may fire, and where their regexes may match.

Every rule's pre-check literals are derived from its patterns (:attr:`bot.rules.model.Rule.precheck_clauses`:
every literal set a match needs, words between boundaries or white space marked whole). Each clause is
looked for by its rarest set; the triggers are found by one look-up in the message's word set and one
Aho-Corasick pass, and a clause's other sets are tested only when its trigger is there. A rule runs only
when one of its clauses holds, a rule of alternatives only the live ones, and :meth:`Gate.finditer` tries a
regex only where a match can start (the strings every match starts with, derived from the pattern:
:func:`bot.rules.literals.literal_prefixes`). Nothing is hand-listed: a new rule joins by being loaded.
``tests/detectors/test_gate_soundness.py`` checks that results are the same with every gate off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache, lru_cache
from typing import Any

import ahocorasick

from bot.message_view import MessageView, view_of
from bot.rules.literals import WORD, first_characters, implied_words, literal_prefixes, whole_word
from bot.rules.loader import shipped_rules
from bot.rules.model import Rule

#: the kinds of rule that find details (the others are guards and word lists used on a hit)
FINDING_KINDS = ("pattern", "recognizer")


class Gate:
    """Which of ``rules`` may fire on a text.

    Each literal set of a rule's clauses (:attr:`Rule.precheck_clauses`) has a number; a rule may fire when
    one of its clauses has a literal of every one of its sets in the text. Each clause is looked for by its
    rarest set (its *trigger*, ranked by English word frequencies): one Aho-Corasick pass and one look-up
    in the message's word set find the triggers; a clause's other sets are tested only when its trigger is
    found, each at most once per message.
    """

    def __init__(self, rules: Iterable[Rule]) -> None:
        self.rules = list(rules)
        self.bit = {r.id: 1 << i for i, r in enumerate(self.rules)}
        self.everything = (1 << len(self.rules)) - 1
        groups: dict[frozenset[str], int] = {}
        self._always = 0
        self._direct: dict[int, int] = {}  # trigger group id -> bits of the rules a clause of which is that set alone
        # trigger group id -> (rule bit, the clause's other groups, rarest first) of clauses of several sets
        self._clauses: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        self._alternatives: dict[str, tuple[tuple[tuple[int, ...], ...], ...]] = {}  # rule id -> its alternatives'
        clauses_of: dict[str, list[tuple[frozenset[str], ...]]] = {}
        for r in self.rules:
            clauses_of[r.id] = [tuple(c) for c in r.precheck_clauses]
            for clause in clauses_of[r.id]:
                for g in clause:
                    groups.setdefault(g, len(groups))
            for alt in r.alternative_clauses:
                for clause in alt:
                    for g in clause:
                        groups.setdefault(g, len(groups))
        rarity = _estimates(groups)

        def ranked(clause: tuple[frozenset[str], ...]) -> tuple[int, ...]:
            """The clause's sets: the rarest first (its trigger), then the others, whole words (cheapest to
            test) before substrings, each kind rarest first."""
            ids = sorted({groups[g] for g in clause}, key=lambda gid: (rarity[gid], gid))
            return tuple(ids[:1] + sorted(ids[1:], key=lambda gid: (
                not all(whole_word(lit) is not None for lit in _group_of[gid]), rarity[gid], gid)))

        _group_of = {gid: g for g, gid in groups.items()}

        triggers: set[int] = set()
        for r in self.rules:
            bit = self.bit[r.id]
            ids = [ranked(c) for c in clauses_of[r.id]]
            if not ids or () in ids:
                self._always |= bit
            else:
                for clause_ids in ids:
                    first, rest = clause_ids[0], clause_ids[1:]
                    triggers.add(first)
                    if not rest:  # one set: found means the rule may fire
                        self._direct[first] = self._direct.get(first, 0) | bit
                    else:
                        self._clauses.setdefault(first, []).append((bit, rest))
            if r.alternatives:
                self._alternatives[r.id] = tuple(tuple(ranked(c) for c in alt) for alt in r.alternative_clauses)
        # every set, for the tests made after a trigger: whole words (tested against the word set) and substrings
        self._sets: list[tuple[frozenset[str], tuple[str, ...], bool, Any]] = []
        for group, _ in sorted(groups.items(), key=lambda item: item[1]):
            whole = frozenset(w for w in map(whole_word, group) if w is not None)
            subs = tuple(sorted({lit.replace(WORD, "") for lit in group if whole_word(lit) is None}))
            # a set of substrings that all hold a digit is absent from a text without one (most chat)
            digits = not whole and all(any(c in _DIGITS for c in lit) for lit in subs)
            self._sets.append((whole, subs, digits, _automaton(subs) if len(subs) > _MANY else None))
        # each alternative of a rule of alternatives: the words one of which alone makes it live (its clauses of
        # one set of whole words), its other clauses, and whether it has no clause at all (always live)
        self._alt_fast: dict[str, tuple[tuple[frozenset[str], tuple[tuple[int, ...], ...], bool], ...]] = {}
        for rule_id, alts in self._alternatives.items():
            fast = []
            for clauses in alts:
                alone = [c for c in clauses if len(c) == 1 and not self._sets[c[0]][1]]
                words_alone = frozenset().union(*(self._sets[c[0]][0] for c in alone))
                fast.append((words_alone, tuple(c for c in clauses if c not in alone), not clauses))
            self._alt_fast[rule_id] = tuple(fast)
        substrings: dict[str, set[int]] = {}  # triggers looked for with Aho-Corasick
        words: dict[str, set[int]] = {}  # trigger whole words, looked up in the message's word set
        # words one of which a trigger of several-word literals surely holds whole ("he is quite tall": "quite"):
        # found, the set itself is then tested
        weak: dict[str, set[int]] = {}
        for gid in triggers:
            whole, subs, _, _ = self._sets[gid]
            for w in whole:
                words.setdefault(w, set()).add(gid)
            group = _group_of[gid]
            implied = [implied_words(lit) for lit in group if whole_word(lit) is None]
            if implied and all(implied):
                for held in implied:
                    weak.setdefault(min(held, key=lambda w: (_frequencies().get(w, 0.0), w)), set()).add(gid)
                continue
            for lit in subs:
                substrings.setdefault(lit, set()).add(gid)
        # trigger word -> (the sets it is a literal of, the sets of several words it is implied by)
        self._words = {w: (tuple(words.get(w, ())), tuple(weak.get(w, ()))) for w in set(words) | set(weak)}
        self._word_keys = frozenset(self._words)
        self._automaton = ahocorasick.Automaton()
        for lit, gids in substrings.items():
            self._automaton.add_word(lit, tuple(gids))
        if substrings:
            self._automaton.make_automaton()
        self._has_substrings = bool(substrings)
        self._key = f"gate-{id(self)}"
        #: False opens every rule on every text (the soundness tests compare results with and without the gate)
        self.enabled = True
        # (rule id, pattern, live alternatives) -> where its matches may start
        self._starts: dict[tuple[str, int, tuple[bool, ...] | None], _Starts | None] = {}
        self._firsts: dict[tuple[str, int], re.Pattern[str] | None] = {}  # (rule id, pattern) -> its first characters

    def open(self, text: str) -> int:
        """The bits (:attr:`bit`) of the rules that may fire on ``text``; worked out once per message."""
        return self._state(text).opened

    def allows(self, text: str, rule: Rule) -> bool:
        """Whether ``rule`` may fire on ``text`` (False proves that none of its patterns or words matches)."""
        return bool(self.open(text) & self.bit[rule.id])

    def regex(self, text: str, rule: Rule) -> re.Pattern[str]:
        """``rule``'s pattern for ``text``: for a rule of alternatives, only those whose literals occur can
        match (the same hits as the whole pattern, found sooner)."""
        live = self._state(text).live(rule.id)
        return rule.with_alternatives(live) if live is not None else rule.regexes[0]

    def finditer(self, text: str, rule: Rule, index: int = 0) -> Iterator[re.Match[str]]:
        """``rule.regexes[index].finditer(text)``, the same matches found sooner: only the live alternatives
        are tried (:meth:`regex`), and only where a match can start (where one of the strings every match
        of those alternatives starts with occurs, :func:`bot.rules.literals.literal_prefixes`)."""
        state = self._state(text)
        if state.everything or len(text) != len(state.lower):
            return rule.regexes[index].finditer(text)
        live = state.live(rule.id) if index == 0 else None
        rx = rule.regexes[index] if live is None else rule.with_alternatives(live)
        starts = self._prefixes_of(rule, index, live)
        if starts is None:
            first = self._first_of(rule, index)
            if first is None:
                return rx.finditer(text)
            return _matches_at(rx, text, [m.start() for m in first.finditer(text)])
        return _matches_at(rx, text, state.starts(starts))

    def _first_of(self, rule: Rule, index: int) -> re.Pattern[str] | None:
        """For a pattern with no literal start: a class of the few characters every match starts with (capitals,
        digits, signs: :func:`bot.rules.literals.first_characters`), or None when a lower-case letter or a blank
        may start one (then most places may, and the pattern's own scan is quicker). ASCII text only."""
        key = (rule.id, index)
        if key not in self._firsts:
            chars = first_characters(rule.patterns[index], ignore_case=rule.ignore_case)
            rare = chars is not None and not any(c.islower() or c.isspace() or not c.isascii() for c in chars)
            self._firsts[key] = re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]") if (
                rare and chars) else None
        return self._firsts[key]

    def _prefixes_of(self, rule: Rule, index: int, live: tuple[bool, ...] | None) -> _Starts | None:
        """What a match of the rule's live alternatives (or of its pattern) starts with; None: unknown."""
        key = (rule.id, index, live)
        if key in self._starts:
            return self._starts[key]
        prefixes: set[str] | None = set()
        if live is not None:
            for on, alternative in zip(live, rule.alternatives or (), strict=True):
                found = literal_prefixes(alternative) if on else frozenset()
                if found is None or prefixes is None:
                    prefixes = None
                else:
                    prefixes |= found
        else:
            found = literal_prefixes(rule.patterns[index])
            prefixes = set(found) if found is not None else None
        if len(self._starts) >= 4096:  # combinations of live alternatives: bounded, whatever the input
            self._starts.clear()
        starts = self._starts[key] = _Starts(prefixes) if prefixes is not None else None
        return starts

    def _state(self, text: str) -> _State:
        """What the gate found in ``text``, worked out once per message."""
        if not self.enabled:
            return _State(self, None, True, self.everything)
        view = view_of(text)
        cached = view.cache.get(self._key)
        if isinstance(cached, _State):
            return cached
        state = self._open(text, view)
        view.cache[self._key] = state
        return state

    def _open(self, text: str, view: MessageView) -> _State:
        if not view.ascii:
            # under IGNORECASE a few other letters (dotless i, long s, the Kelvin sign) match ASCII ones
            return _State(self, view, True, self.everything)
        lower, words = view.lower, view.word_set
        state = _State(self, view, False, self._always)
        found = state.found
        if self._has_substrings:
            for _, ids in self._automaton.iter(lower):
                for g in ids:
                    found[g] = True
        for word in words & self._word_keys:
            sure, implied = self._words[word]
            for g in sure:
                found[g] = True
            for g in implied:
                state.holds(g)
        opened = self._always
        direct, several = self._direct, self._clauses
        for g in [g for g, held in found.items() if held]:
            if g in direct:
                opened |= direct[g]
            if g in several:
                for bit, rest in several[g]:
                    if not opened & bit and state.holds_all(rest):
                        opened |= bit
        state.opened = opened
        return state


class _State:
    """One message as the gate saw it: which literal sets it holds (tested lazily) and the rules it opened."""

    __slots__ = ("alive", "everything", "found", "gate", "lower", "opened", "positions", "view", "words")

    def __init__(self, gate: Gate, view: MessageView | None, everything: bool, opened: int) -> None:
        self.gate, self.view, self.everything, self.opened = gate, view, everything, opened
        self.lower, self.words = ("", frozenset()) if view is None or everything else (view.lower, view.word_set)
        self.found: dict[int, bool] = {}  # group id -> whether the text holds one of its literals
        self.positions: dict[str, list[int]] = {}  # prefix literal -> where it occurs in the lower-cased text
        self.alive: dict[str, tuple[bool, ...] | None] = {}  # rule id -> its live alternatives (see live)

    def live(self, rule_id: str) -> tuple[bool, ...] | None:
        """Which alternatives of a rule of alternatives may match (None: the rule has none, or all may)."""
        if rule_id in self.alive:
            return self.alive[rule_id]
        alternatives = None if self.everything else self.gate._alt_fast.get(rule_id)
        live = None
        if alternatives is not None:
            words = self.words
            flags: list[bool] = []
            for alone, others, always in alternatives:  # plain loops: no generator per alternative
                on = always or not alone.isdisjoint(words)
                if not on:
                    for clause in others:
                        if self.holds_all(clause):
                            on = True
                            break
                flags.append(on)
            live = None if all(flags) else tuple(flags)
        self.alive[rule_id] = live
        return live

    def starts(self, prefixes: _Starts) -> list[int]:
        """Sorted offsets where one of ``prefixes`` occurs in the lower-cased text."""
        out: list[int] = []
        positions, lower = self.positions, self.lower
        by_word = prefixes.by_word
        for word in prefixes.keys & self.words:
            for core in by_word[word]:
                at = positions.get(core)
                if at is None:
                    at = positions[core] = _occurrences(lower, core)
                out.extend(at)
        if prefixes.automaton is not None:  # many: one pass finds them all
            out.extend(end - len(core) + 1 for end, core in prefixes.automaton.iter(lower))
        else:
            for core in prefixes.rest:
                at = positions.get(core)
                if at is None:
                    at = positions[core] = _occurrences(lower, core)
                out.extend(at)
        return sorted(set(out)) if len(out) > 1 else out

    def holds(self, gid: int) -> bool:
        known = self.found.get(gid)
        if known is None:
            whole, subs, digits, automaton = self.gate._sets[gid]
            lower = self.lower
            if not whole.isdisjoint(self.words):
                known = True
            elif not subs or (digits and self.view is not None and not self.view.has_digit):
                known = False
            elif automaton is not None:
                known = next(automaton.iter(lower), None) is not None
            else:
                known = False
                for lit in subs:
                    if lit in lower:
                        known = True
                        break
            self.found[gid] = known
        return known

    def holds_all(self, gids: tuple[int, ...]) -> bool:
        if self.everything:
            return True
        found = self.found
        for g in gids:
            known = found.get(g)
            if not (self.holds(g) if known is None else known):
                return False
        return True


class _Starts:
    """The strings a match starts with, arranged for a quick look-up: by a word each surely holds whole (looked
    for only in a message that has the word), and the others."""

    __slots__ = ("automaton", "by_word", "keys", "rest")

    def __init__(self, prefixes: Iterable[str]) -> None:
        by_word: dict[str, list[str]] = {}
        rest: set[str] = set()
        freq = _frequencies()
        for lit in prefixes:
            core = lit.replace(WORD, "")
            held = implied_words(lit)
            if held:
                by_word.setdefault(min(held, key=lambda w: (freq.get(w, 0.0), w)), []).append(core)
            else:
                rest.add(core)
        self.by_word = {w: tuple(sorted(set(cores))) for w, cores in by_word.items()}
        self.keys = frozenset(self.by_word)
        self.rest = tuple(sorted(rest))
        self.automaton = _automaton(self.rest) if len(self.rest) > _MANY else None


def _occurrences(text: str, literal: str) -> list[int]:
    at = []
    i = text.find(literal)
    while i != -1:
        at.append(i)
        i = text.find(literal, i + 1)
    return at


def _matches_at(rx: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """What ``rx.finditer(text)`` gives when every match starts at one of ``starts`` (sorted): the leftmost
    match from each start on, after the end of the one before (the matches are never empty)."""
    end = 0
    for start in starts:
        if start < end:
            continue
        m = rx.match(text, start)
        if m is not None:
            yield m
            end = max(m.end(), start + 1)


_COMMON_SIGNS = frozenset(".,-'!?:;()\"")
_WITH_DIGIT = 0.05  # roughly how many chat messages hold a digit at all
_MANY = 6  # a set of more substrings than this is looked for with its own automaton
_DIGITS = frozenset("0123456789")
def _automaton(literals: Iterable[str]) -> Any:
    automaton = ahocorasick.Automaton()
    for lit in literals:
        automaton.add_word(lit, lit)
    automaton.make_automaton()
    return automaton


def _estimates(groups: dict[frozenset[str], int]) -> dict[int, float]:
    """How likely a chat message holds a literal of each group (English word frequencies; rough, used only to
    choose which set of a clause to look for first)."""
    freq = _frequencies()
    pieces = {p for group in groups for lit in group for p in _pieces(lit)}
    share = dict.fromkeys(pieces, 0.0)  # a piece inside any word: the summed frequency of the words holding it
    automaton = ahocorasick.Automaton()
    for p in pieces:
        automaton.add_word(p, p)
    if pieces:
        automaton.make_automaton()
        for word, f in freq.items():
            for p in {p for _, p in automaton.iter(word)}:
                share[p] += f

    def estimate(lit: str) -> float:
        core = whole_word(lit)
        if core is not None:
            return freq.get(core, 1e-6 if any(c.isdigit() for c in core) else 1e-7)
        signs = {c for c in lit.replace(WORD, "") if not c.isalnum() and not c.isspace()}
        rare = 0.01 if signs - _COMMON_SIGNS else 1.0  # an "@", a "[" or a "/" is rare in chat
        parts = _pieces(lit)
        if not parts:  # signs alone: a full stop or a comma is everywhere
            return 0.5 * rare
        return rare * min(max(share[p], 1e-6 if any(c.isdigit() for c in p) else 1e-7) for p in parts)

    def of_group(group: frozenset[str]) -> float:
        # a word's share of running text -> how likely a message of about 40 words holds one of the group
        total = 1.0 - (1.0 - min(1.0, sum(estimate(lit) for lit in group))) ** 40
        if all(any(c.isdigit() for c in lit) for lit in group):
            total = min(total, _WITH_DIGIT)  # every literal holds a digit: most chat has none
        return total

    return {gid: of_group(group) for group, gid in groups.items()}


def _pieces(literal: str) -> list[str]:
    return [p for p in re.split(r"[^a-z0-9]+", literal.replace(WORD, " ")) if p]


@cache
def _frequencies() -> dict[str, float]:
    from wordfreq import get_frequency_dict

    return dict(get_frequency_dict("en", wordlist="small"))


@lru_cache(maxsize=1)
def shipped_gate() -> Gate:
    """The gate over every finding rule that ships with the bot."""
    return Gate(r for r in shipped_rules() if r.kind in FINDING_KINDS)
