"""Detector rules as data: one validated TOML format for recognizers, word lists, guards, cues and weights.

Every detector that needs a list of words or a pattern keeps it in a rule file, never in code. Code keeps
mechanisms (normalisation, hashed matching, tie finding, scoring); a rule file says *what* to look for.

File format (``bot/rules/<area>/<name>.toml``; any package may keep its own folder of rule files)::

    kind = "tie_cue"                 # default kind for every rule in the file (a rule may override it)
    runner = "bot.recognizers.rules" # optional: module to import so that the kind's runner is registered

    [[rule]]
    id = "party_nouns"               # unique across all files: lower case, digits, "_", "-", "."
    kind = "tie_cue"                 # what the rule is for; picks the runner that checks its examples
    description = "Nouns that point at a party of the case"
    strength = "strong"              # a NAMED strength (see Strength); code never branches on a number
    patterns = ['\\bthe (?:girl|boy)\\b']   # regular expressions (Python syntax), compiled at load
    words = ["complainant", "pupil"]        # a word list (whole words; "multi word" entries allowed)
    context = ["school", "class"]           # words that, near a hit, confirm it (Presidio's context)
    weight = 2.0                     # optional number a scorer adds up (jigsaw weights); never a type code
    ignore_case = true               # default true
    examples = ["the girl in year 9"]        # texts the rule MUST fire on (at least one)
    counterexamples = ["the girl's name is common"]  # texts it MUST NOT fire on (at least one)

What the loader does (:func:`load_rules`, :func:`load_rule_file`):

* validates every file with pydantic at load (an unknown field, a pattern that does not compile, a rule
  without examples or counterexamples, a duplicate id: one clear :class:`RuleError` line);
* derives each rule's *pre-check* literals from its patterns and words (:attr:`Rule.precheck`): a set of
  lower-case strings, one of which every match must contain, so a cheap ``in`` test can skip a message
  before any regex runs; nobody keeps such lists in step by hand. ``None`` means no literal is required
  (the pattern is all character classes, e.g. ``\\d{11}``) and the rule always runs.

How examples are checked: :mod:`bot.rules.runners` keeps a registry ``kind -> runner``; a runner is
``(rule, text) -> bool`` ("does this rule fire on this text, in the way its detector uses it"). One
parametrised test (``tests/rules/test_rule_examples.py``) runs every rule's examples and counterexamples
through the runner of its kind. A kind with no registered runner uses :func:`bot.rules.runners.fires`
(any pattern or word, and a context word when the rule has context words). Register your own with::

    from bot.rules.runners import register_runner

    @register_runner("abuse")
    def run_abuse(rule: Rule, text: str) -> bool: ...

and name that module in the file's ``runner`` key so the test imports it.
"""

from bot.rules.loader import RULES_DIR, load_rule_file, load_rules, rule_files
from bot.rules.model import Rule, RuleError, RuleFile, RuleSet, Strength

__all__ = [
    "RULES_DIR",
    "Rule",
    "RuleError",
    "RuleFile",
    "RuleSet",
    "Strength",
    "load_rule_file",
    "load_rules",
    "rule_files",
]
