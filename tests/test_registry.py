"""The protected registry: digests only, keyed, serialisable, with an allow-list."""

from __future__ import annotations

import json
import pickle

import pytest

from bot.case import CaseFile, ProtectedParty, parse_case
from bot.errors import ConfigError
from bot.matcher import ProtectedMatcher
from bot.normalize import skeleton
from bot.registry import FULL_NAME, IDENTIFIER_NUMBER, SURNAME, ProtectedRegistry, is_common_word

KEY = b"registry-test-key-0123456789abcdef"
NAMES = ["Elowen Marchetti", "Wen Marchetti"]
IDENTS = ["@elo_marc_11", "Haddon Vale Academy", "PC 4471"]
SECRETS = NAMES + IDENTS


def make_case() -> CaseFile:
    return CaseFile(id="t", protected=[
        ProtectedParty(label="the child", basis="s.45 order", names=NAMES[:2], identifiers=IDENTS[:2]),
        ProtectedParty(label="the officer", basis="anonymity order", names=["Gareth Pellow"], identifiers=IDENTS[2:]),
    ])


def secret_fragments() -> set[str]:
    """Every registered string, its words and their skeletons, in lower case."""
    out: set[str] = set()
    for s in [*SECRETS, "Gareth Pellow"]:
        for piece in [s, *s.replace("@", " ").replace("_", " ").split()]:
            if len(piece) >= 4:
                out |= {piece.lower(), skeleton(piece)}
    return out


def assert_no_plain_text(blob: str) -> None:
    low = blob.lower()
    leaked = sorted(f for f in secret_fragments() if f in low)
    assert not leaked, f"{len(leaked)} registered fragment(s) in output"


def test_records_repr_and_pickle_hold_no_registered_text() -> None:
    reg = ProtectedRegistry.from_case(make_case(), KEY)
    records = reg.to_records()
    assert records and all(isinstance(r, dict) for r in records)
    assert_no_plain_text(json.dumps(records))
    assert_no_plain_text(repr(reg))
    assert_no_plain_text(pickle.dumps(reg).decode("latin-1"))
    assert_no_plain_text(repr(vars(reg)) if hasattr(reg, "__dict__") else "")
    assert {r["type"] for r in records} >= {"key_check", "party", "form", "prefix"}


def test_repr_of_case_and_registry_hide_names() -> None:
    case = make_case()
    assert_no_plain_text(repr(case.protected))
    assert "forms=" in repr(ProtectedRegistry.from_case(case, KEY))


def test_key_changes_every_digest() -> None:
    a = {r["digest"] for r in ProtectedRegistry.from_case(make_case(), KEY).to_records() if "digest" in r}
    b = {r["digest"] for r in ProtectedRegistry.from_case(make_case(), KEY + b"x").to_records() if "digest" in r}
    again = {r["digest"] for r in ProtectedRegistry.from_case(make_case(), KEY).to_records() if "digest" in r}
    assert a == again
    assert not a & b


def test_round_trip_matches_the_same() -> None:
    reg = ProtectedRegistry.from_case(make_case(), KEY)
    back = ProtectedRegistry.from_records(json.loads(json.dumps(reg.to_records())), KEY)
    text = "It was Elowen Marchetti and PC 4471, see @elo_marc_11. E. Marchetti again #StandWithElowenMarchetti"
    assert ProtectedMatcher(back).find(text) == ProtectedMatcher(reg).find(text)
    assert back.labels == reg.labels == ["the child", "the officer"]
    assert [(p.label, p.basis) for p in back.parties] == [("the child", "s.45 order"),
                                                          ("the officer", "anonymity order")]
    assert len(back) == len(reg)


def test_records_of_several_parties_concatenate() -> None:
    one = ProtectedRegistry.from_records([], KEY)
    one.add_party("the child", "", NAMES, [])
    two = ProtectedRegistry.from_records([], KEY)
    two.add_party("the officer", "", ["Gareth Pellow"], [])
    both = ProtectedRegistry.from_records(one.to_records() + two.to_records(), KEY)
    labels = {m.label for m in ProtectedMatcher(both).find("Elowen Marchetti met Gareth Pellow")}
    assert labels == {"the child", "the officer"}


def test_wrong_key_is_a_clear_error() -> None:
    records = ProtectedRegistry.from_case(make_case(), KEY).to_records()
    with pytest.raises(ConfigError, match="secret key does not match"):
        ProtectedRegistry.from_records(records, b"another-key-entirely-0123456789")


@pytest.mark.parametrize(
    "records",
    [
        [{"type": "form", "digest": "zz", "label": "x", "kind": "full_name", "tokens": 2, "length": 9}],
        [{"type": "form"}],
        [{"digest": "00"}],
    ],
)
def test_malformed_records_are_a_clear_error(records: list[dict[str, object]]) -> None:
    with pytest.raises(ConfigError):
        ProtectedRegistry.from_records(records, KEY)


def test_records_without_key_check_are_refused() -> None:
    records = [r for r in ProtectedRegistry.from_case(make_case(), KEY).to_records() if r["type"] != "key_check"]
    with pytest.raises(ConfigError, match="key check"):
        ProtectedRegistry.from_records(records, KEY)


def test_empty_key_and_label_are_refused() -> None:
    with pytest.raises(ConfigError):
        ProtectedRegistry(b"")
    with pytest.raises(ConfigError):
        ProtectedRegistry(KEY).add_party("  ", "", ["Elowen Marchetti"])


def test_allow_list_suppresses_that_match_in_that_context_only() -> None:
    reg = ProtectedRegistry.from_case(make_case(), KEY)
    matcher = ProtectedMatcher(reg)
    text = "Marchetti should resign"
    [m] = matcher.find(text)
    assert m.kind == SURNAME
    reg.allow(m.digest)
    assert reg.is_allowed(m.digest)
    assert matcher.find(text) == []
    assert matcher.find("Honestly, Marchetti lied") != []  # another context still fires
    restored = ProtectedRegistry.from_records(reg.to_records(), KEY)
    assert ProtectedMatcher(restored).find(text) == []  # the allow-list is stored with the records
    reg.disallow(m.digest)
    assert matcher.find(text) != []
    with pytest.raises(ConfigError):
        reg.allow("not hex")


def test_case_with_no_protected_parties() -> None:
    case = parse_case('id = "empty"\ntitle = "nothing to protect"\n')
    reg = ProtectedRegistry.from_case(case, KEY)
    assert len(reg) == 0 and reg.labels == []
    assert ProtectedMatcher(reg).find("Elowen Marchetti, PC 4471, anyone at all") == []
    assert ProtectedRegistry.from_records(reg.to_records(), KEY).labels == []


def test_forms_derived_from_names_and_identifiers() -> None:
    reg = ProtectedRegistry.from_case(make_case(), KEY)
    kinds = {f.kind for forms in reg._forms.values() for f in forms}
    assert {FULL_NAME, SURNAME, IDENTIFIER_NUMBER, "name_initial", "first_name", "handle", "handle_stem",
            "identifier", "identifier_part"} <= kinds
    assert reg.max_tokens >= 3
    assert reg.substring_lengths  # full names, handles and the school may be run together


def test_common_word_flag() -> None:
    assert is_common_word("rose") and is_common_word("Mark")
    assert not is_common_word("Marchetti") and not is_common_word("Elowen")


def test_pickle_round_trip_matches_and_drops_the_word_cache() -> None:
    reg = ProtectedRegistry.from_case(make_case(), KEY)
    matcher = ProtectedMatcher(reg)
    assert matcher.find("some ordinary words here") == []
    assert reg.misses  # ordinary words were remembered as misses
    back = pickle.loads(pickle.dumps(reg))
    assert back.misses == {}
    assert ProtectedMatcher(back).find("It was Elowen Marchetti") == matcher.find("It was Elowen Marchetti")


def test_building_leaves_no_registered_word_in_library_caches() -> None:
    import wordfreq

    wordfreq._wf_cache.clear()  # what other code put there is not the registry's doing
    ProtectedRegistry.from_case(make_case(), KEY)
    cached = " ".join(str(k) for k in wordfreq._wf_cache).lower()
    assert_no_plain_text(cached)


def test_run_together_forms_survive_the_round_trip() -> None:
    reg = ProtectedRegistry.from_records(ProtectedRegistry.from_case(make_case(), KEY).to_records(), KEY)
    kinds = {m.kind for m in ProtectedMatcher(reg).find("#justiceforelowenmarchetti and haddonvaleacademy.org")}
    assert kinds == {"full_name", "identifier"}


def test_dismissed_full_name_takes_the_surname_inside_it_along() -> None:
    reg = ProtectedRegistry.from_case(make_case(), KEY)
    matcher = ProtectedMatcher(reg)
    text = "Our new caretaker Elowen Marchetti starts Monday"
    [m] = matcher.find(text)
    assert m.kind == FULL_NAME
    reg.allow(m.digest)
    assert matcher.find(text) == []
    assert matcher.find("Everyone knows the girl is Elowen Marchetti") != []


# ---------------------------------------------------------------- fuzzy matching, bounded registration


def test_fuzzy_refs_find_edit_distance_one_and_nothing_further() -> None:
    from bot.normalize import skeleton

    reg = ProtectedRegistry(b"k" * 32)
    reg.add_party("the girl", names=["Rosalind Okonjo"])
    for typo in ("okunjo", "okonj", "okonjoo", "oknojo", "rosalnid", "rosalindd"):
        assert [r.label for r in reg.fuzzy_refs(skeleton(typo))] == ["the girl"], typo
    for other in ("okonjo", "ukunjo", "okojno x", "banana", "okon"):
        assert reg.fuzzy_refs(skeleton(other)) == [], other


def test_fuzzy_tables_hold_no_plain_name() -> None:
    reg = ProtectedRegistry(b"k" * 32)
    reg.add_party("the girl", names=["Rosalind Okonjo"])
    blob = repr(reg.to_records()).lower()
    assert "okonjo" not in blob and "rosalind" not in blob and "okonj" not in blob
    again = ProtectedRegistry.from_records(reg.to_records(), b"k" * 32)
    assert again.fuzzy_refs("okunjo") == reg.fuzzy_refs("okunjo") != []


def test_registered_tokens_are_capped_and_registration_is_linear() -> None:
    import tracemalloc

    from bot.errors import ConfigError

    reg = ProtectedRegistry(b"k" * 32)
    with pytest.raises(ConfigError, match="longer than 100"):
        reg.add_party("x", names=["A" * 101])
    tracemalloc.start()
    reg.add_party("x", names=[" ".join(["Abcdefghij" * 10] * 600)])  # 60 KB of 100-letter words
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 64 * 1024 * 1024  # was 3.5 GB with quadratic deletion variants


def test_no_pet_forms_of_a_token_longer_than_any_first_name() -> None:
    """Bounded work: a case file of long tokens must not multiply its digests through pet forms
    (form.pet_open's max_name); a real first name still makes them."""
    from bot.registry import NICKNAME, _name_forms

    assert any(kind == NICKNAME for kind, *_ in _name_forms("Margaret Quarrendon"))
    long_first = {"".join(toks) for kind, toks, *_ in _name_forms("Margaretquillanbeth Quarrendon") if kind == NICKNAME}
    surname_only = {"".join(toks) for kind, toks, *_ in _name_forms("Al Quarrendon") if kind == NICKNAME}
    assert long_first == surname_only and surname_only  # only the surname's pet forms (form.surname_pet)
    assert not any(kind == NICKNAME for kind, *_ in _name_forms("Al Quarrendonquillanbeth"))


def test_surname_pet_forms_are_hashed_nicknames_that_need_a_tie() -> None:
    """form.surname_pet: "Hutchy", "Hutch" of Hutchinson, "Robbo" of Robinson, "Macca" of McCartney, kept as
    keyed digests of tie-needing nicknames; a known word ("Hutch") needs its capital; the first name before
    the pet form is a full name."""
    from bot.matcher import ProtectedMatcher
    from bot.registry import NICKNAME, _name_forms

    forms = {"".join(toks): (common, extra) for kind, toks, common, extra in _name_forms("Kieran Hutchinson")
             if kind == NICKNAME}
    assert forms["hutchy"] == (False, {"tie": True}) and forms["hutch"] == (True, {"tie": True})
    assert "robbo" in {"".join(t) for k, t, *_ in _name_forms("Dale Robinson") if k == NICKNAME}
    assert "macca" in {"".join(t) for k, t, *_ in _name_forms("Paula McCartney") if k == NICKNAME}
    reg = ProtectedRegistry(b"surname-pet-key")
    reg.add_party("boy", names=["Kieran Hutchinson"])
    matcher = ProtectedMatcher(reg)
    assert [m.kind for m in matcher.find("poor Hutchy, he's only in year 10")] == [NICKNAME]
    assert matcher.find("Kieran Hutchy again")
    assert not matcher.find("Hutchy was at the match")  # no tie
    assert not matcher.find("I bought a hutch for the rabbits, he makes them in his shed")  # the word
    assert not matcher.find("fair play Fletch, and Hutchy, the lad's right", members=frozenset({"hutchyfan"}))
    assert b"hutch" not in repr(reg.__getstate__()).encode()  # digests only


def test_a_silent_e_after_the_first_syllable_is_a_pet_form() -> None:
    """form.pet_closed's "e": "Mase" for Mason, "Jase" for Jason; the consonant is not doubled."""
    from bot.registry import pet_forms

    assert "mase" in pet_forms("mason") and "jase" in pet_forms("jason")
    assert "masse" not in pet_forms("mason")


def test_a_handle_that_starts_with_a_first_name_does_not_hide_the_party() -> None:
    """The member guard by a handle's start is for pet forms ("Fletch" of "fletch_ovington"); a registered
    first name still counts when a member's handle starts with it ("Kai" of "kai_from_hayle")."""
    reg = ProtectedRegistry(b"member-prefix-key")
    reg.add_party("boy", names=["Kai Trewartha", "Mason Fletcher"])
    matcher = ProtectedMatcher(reg)
    members = frozenset({"kaifromhayle", "fletchovington"})
    assert matcher.find("Kai's older brother works at the big Tesco, the boy's mum said", members=members)
    assert not matcher.find("the boy said Fletch was right about that", members=members)
    assert matcher.find("the boy said Fletch was right about that")
