"""Policy: turns flags into an action (remove, hold, review), configurable per guild.

A policy is an ordered list of rules; the first rule matching a flag's category, kind and score gives that
flag's action, and a message gets the strongest action over its flags.

Defaults and why:

* a registered full name, identifier (or its number) or handle matched with high confidence (>= 0.85) is
  removed: the registry is the case's own list, so a confident match breaches an order whatever the context;
* weaker protected matches (a surname alone, a nickname, a first name tied to the case; score >= 0.5) are
  held: taken down at once, restored by a moderator if it was someone else;
* an unregistered identifying detail tied to a party (address, phone, e-mail, profile, photo, school,
  jigsaw) is *held*, not removed: it is found by patterns and context, not by the case's list, so it can
  be wrong (a solicitor's number, a public statement); holding protects the party just as fast while a
  moderator confirms;
* anything with a low score is queued for review and left up;
* abuse is reviewed; abuse scored by the offline fallback (word lists) can never remove a message;
* what could not be checked (an image that cannot be read) is queued for review: never passed unread, and
  not called an identifying detail it was never seen to hold (a server may hold it instead: ``/settings``);
* anything read from an image (OCR, EXIF) is held at most: OCR can misread, a moderator confirms.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.flags import Action, Category, Flag


@dataclass(frozen=True, slots=True)
class Rule:
    """``action`` for flags of ``category`` (and one of ``kinds``, when given) scoring at least ``min_score``."""

    category: Category
    action: Action
    min_score: float = 0.0
    kinds: frozenset[str] | None = None

    def matches(self, flag: Flag) -> bool:
        return (
            flag.category is self.category
            and flag.score >= self.min_score
            and (self.kinds is None or flag.kind in self.kinds)
        )

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {
            "category": str(self.category),
            "action": str(self.action),
            "min_score": self.min_score,
        }
        if self.kinds is not None:
            data["kinds"] = sorted(self.kinds)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Rule:
        kinds = data.get("kinds")
        return cls(
            category=Category(str(data["category"])),
            action=Action(str(data["action"])),
            min_score=float(data.get("min_score", 0.0)),  # type: ignore[arg-type]
            kinds=frozenset(str(k) for k in kinds) if isinstance(kinds, list | tuple) else None,
        )


STRONG_PROTECTED_KINDS = frozenset({"full_name", "identifier", "handle", "identifier_number"})

DEFAULT_RULES: tuple[Rule, ...] = (
    Rule(Category.PROTECTED_IDENTITY, Action.REMOVE, 0.85, STRONG_PROTECTED_KINDS),
    Rule(Category.PROTECTED_IDENTITY, Action.HOLD, 0.5),
    Rule(Category.PROTECTED_IDENTITY, Action.REVIEW, 0.0),
    Rule(Category.IDENTIFYING_DETAIL, Action.HOLD, 0.6),
    Rule(Category.IDENTIFYING_DETAIL, Action.REVIEW, 0.0),
    Rule(Category.ABUSE, Action.REVIEW, 0.0),
    Rule(Category.UNCHECKED, Action.REVIEW, 0.0),
)


#: Detectors that never act alone beyond an action: the offline abuse fallback (word lists) only queues;
#: what OCR read in an image (``image_*`` detectors, :mod:`bot.images`) is held, never removed outright.
DEFAULT_CAPS: Mapping[str, Action] = {"fallback": Action.REVIEW, "image_": Action.HOLD}


@dataclass(frozen=True, slots=True)
class Policy:
    """Ordered rules plus caps for detectors that must never act alone beyond a given action."""

    rules: tuple[Rule, ...] = DEFAULT_RULES
    # detector-name substrings whose flags are capped (e.g. the offline abuse fallback never removes)
    caps: Mapping[str, Action] = field(default_factory=lambda: dict(DEFAULT_CAPS))
    default: Action = Action.REVIEW  # a flag no rule matches is still shown to a moderator

    def action_for(self, flag: Flag) -> Action:
        action = next((r.action for r in self.rules if r.matches(flag)), self.default)
        for needle, cap in self.caps.items():
            if needle in flag.detector and action.rank > cap.rank:
                action = cap
        return action

    def decide(self, flags: Iterable[Flag]) -> Action:
        """The strongest action over ``flags``; :attr:`Action.NONE` when there are none."""
        if not flags:
            return Action.NONE
        return Action.strongest([self.action_for(f) for f in flags])

    def to_dict(self) -> dict[str, object]:
        return {
            "rules": [r.to_dict() for r in self.rules],
            "caps": {k: str(v) for k, v in self.caps.items()},
            "default": str(self.default),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Policy:
        """Build a policy from :meth:`to_dict` output, or from a guild's flat overrides.

        The flat form (``GuildSettings.policy``) maps ``"category"`` or ``"category:kind"`` to an action:
        ``{"abuse": "hold", "identifying_detail:jigsaw": "review"}``. A category override replaces that
        category's default rules; a kind override wins over both. Unknown keys raise ``ValueError``.
        """
        if "rules" not in data and all(isinstance(v, str) for v in data.values()) and "default" not in data:
            return cls.from_overrides({str(k): str(v) for k, v in data.items()})
        rules_data = data.get("rules")
        caps_data = data.get("caps")
        rules = (
            tuple(Rule.from_dict(r) for r in rules_data if isinstance(r, Mapping))
            if isinstance(rules_data, list | tuple)
            else DEFAULT_RULES
        )
        caps = (
            {str(k): Action(str(v)) for k, v in caps_data.items()}
            if isinstance(caps_data, Mapping)
            else dict(DEFAULT_CAPS)
        )
        return cls(rules=rules, caps=caps, default=Action(str(data.get("default", Action.REVIEW))))

    @classmethod
    def from_overrides(cls, overrides: Mapping[str, str], base: Policy | None = None) -> Policy:
        """The default (or ``base``) policy with a guild's ``"category[:kind]" -> action`` overrides."""
        base = base or cls()
        kind_rules: list[Rule] = []
        replaced: dict[Category, Rule] = {}
        for key, value in overrides.items():
            category_name, _, kind = key.partition(":")
            category, action = Category(category_name.strip()), Action(value.strip().lower())
            if kind.strip():
                kind_rules.append(Rule(category, action, 0.0, frozenset({kind.strip()})))
            else:
                replaced[category] = Rule(category, action, 0.0)
        rules: list[Rule] = list(kind_rules)
        for rule in base.rules:
            if rule.category in replaced:
                if replaced[rule.category] not in rules:
                    rules.append(replaced[rule.category])
            else:
                rules.append(rule)
        rules.extend(r for r in replaced.values() if r not in rules)
        return cls(rules=tuple(rules), caps=dict(base.caps), default=base.default)
