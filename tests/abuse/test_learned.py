"""The learned offline scorer: corpus format, calibration, targeting, the shipped head, the combination."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.abuse.corpus import CORPUS_LABELS, load_corpus
from bot.abuse.detector import AbuseDetector
from bot.abuse.learned import HeadMeta, LearnedScorer, calibrate
from bot.abuse.targeting import find_target
from bot.errors import InputError
from tests.abuse.conftest import DATA

FRESH = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def learned() -> AbuseDetector:
    return AbuseDetector(LearnedScorer())


def test_corpus_meets_the_issue_counts() -> None:
    rows = load_corpus()
    counts = {label: sum(label in r.labels for r in rows) for label in CORPUS_LABELS}
    assert all(n >= 150 for n in counts.values()), counts
    assert sum(not r.abusive for r in rows) >= 1000
    assert len({r.text for r in rows}) == len(rows), "every corpus line is distinct"
    assert len({r.source for r in rows}) >= 8


def test_corpus_format_errors_are_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "insult.txt").write_text("## source: a\n{+threat,nonsense} you muppet\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"insult.txt:2: unknown label"):
        load_corpus(tmp_path)
    (tmp_path / "insult.txt").write_text("{+threat} you muppet, I know your car\n", encoding="utf-8")
    (tmp_path / "neg_support.txt").write_text("# comment\n\nTake care, everyone\n", encoding="utf-8")
    rows = load_corpus(tmp_path)
    assert [(r.labels, r.category) for r in rows] == [(("insult", "threat"), "insult"), ((), "support")]


def test_calibration_puts_each_threshold_on_its_bar() -> None:
    probs = np.array([0.0, 0.35, 0.7, 0.85, 1.0])
    out = calibrate(probs, 0.7, 0.5)
    assert out.tolist() == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    assert np.all(np.diff(calibrate(np.linspace(0, 1, 50), 0.9, 0.7)) >= 0)  # order is kept


@pytest.mark.parametrize(("text", "kind"), [
    ("Bloody hell, what a shambles of a trial", None),
    ("Holy shit, the jury were quick", None),
    ("I hope the other prisoners deal with him", "third_person"),
    ("@Gaz you're thick", "mention"),
    ("Honestly nobody would miss you", "second_person"),
    ("Do everyone a favour and end it", "addressed"),
    ("Typical p*ki family closing ranks", "group"),
    ("the witness had better watch herself", "role"),
    ("Marlene is thick as mince", "named"),
    # wave 11: people picked out by a place and a relative clause, a community by place and collective noun, a
    # person by a demonstrative and a judging adjective, plural people and people by work
    ("People round here who go to the police soon learn", "role"),
    ("folk on the Delph estate that talk to the papers get what's coming", "role"),
    ("anyone from this town who grassed should be ashamed", "role"),
    ("The Horsefair lot are all the same", "group"),
    ("that Gleadless mob want locking in", "group"),
    ("all the Nunn clan should be run out of the county", "group"),
    ("that little scrote wants a slap", "role"),
    ("this old witch has made it all up", "role"),
    ("These girls who work behind bars are all liars", "role"),
    ("It'd be a shame if the owner's van went up", "role"),
    ("Bloody hell, the Crown Court car park is a shambles", None),
    ("What a day. Absolute shambles from start to finish", None),
])
def test_targets(text: str, kind: str | None) -> None:
    target = find_target(text)
    assert (target.kind if target else None) == kind


def test_the_reason_names_the_target_without_repeating_a_name(learned: AbuseDetector) -> None:
    flags = learned.detect_many(["@Dunstable_Dave you're genuinely thick as mince", "Marlene is a lying cow"])
    assert flags[0] and "target: an @-reply" in flags[0][0].reason
    assert flags[1] and "target: a named person" in flags[1][0].reason
    assert "Dunstable" not in flags[0][0].reason and "Marlene" not in flags[1][0].reason


def test_untargeted_swearing_and_legal_punishment_are_not_abuse(learned: AbuseDetector) -> None:
    texts = ["Bloody hell, what a shambles of a trial", "Fucking hell, sixteen years, what a week",
             "I hope he gets life and never gets out", "The CPS have made a complete mess of this case",
             "Throw the book at him, he deserves the maximum"]
    assert learned.detect_many(texts) == [[], [], [], [], []]
    # the legal-punishment guard stands aside when bodily harm is wished as well
    assert learned.detect("Hope he gets life and gets his head kicked in on the wing")


def test_wishing_violence_on_a_convicted_defendant_is_abuse(learned: AbuseDetector) -> None:
    (flag,) = learned.detect("Guilty. Good. Hope the lads on his wing kick his head in.")
    assert flag.kind in ("violence", "threat", "incitement") and "target:" in flag.reason


def _rows(name: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", sorted(p.stem for p in DATA.glob("*.jsonl")))
def test_precision_on_every_bundled_labelled_set_and_no_factual_flag(learned: AbuseDetector, name: str) -> None:
    rows = _rows(name)
    flags = learned.detect_many([str(r["text"]) for r in rows])
    tp = sum(1 for r, f in zip(rows, flags, strict=True) if f and r["abuse"])
    fp = [r["text"] for r, f in zip(rows, flags, strict=True) if f and not r["abuse"]]
    factual = [r["text"] for r, f in zip(rows, flags, strict=True) if f and r.get("kind") == "factual"]
    sexual = [t for t in factual if any(w in str(t).lower() for w in ("rape", "sexual", "groom", "abuse", "indecent"))]
    assert tp / max(1, tp + len(fp)) >= 0.9, fp
    assert not sexual, sexual


def test_shipped_head_metadata_matches_the_encoder() -> None:
    meta = HeadMeta.load()
    assert meta.labels[0] == "abuse" and set(CORPUS_LABELS) <= set(meta.labels)
    assert all(0.5 <= t < 1.0 for t in meta.thresholds.values())


def test_combined_scores_merge_by_label_and_swearing_labels_never_flag(learned: AbuseDetector) -> None:
    from bot.abuse.combined import CombinedScorer

    class Swearing:
        name, key, is_fallback = "fake detoxify", "onnx-int8", False
        labels = ("toxicity", "obscene", "threat")

        def score_many(self, texts):  # type: ignore[no-untyped-def]
            return [{"toxicity": 0.99, "obscene": 0.99, "threat": 0.01} for _ in texts]

    combined = AbuseDetector(CombinedScorer(Swearing(), learned.scorer))
    flags = combined.detect_many(["Fuck me, the defence barrister is good though",
                                  "I know where you live and I'm coming for you"])
    assert flags[0] == [] and flags[1] and flags[1][0].detector == "abuse:onnx-int8+learned"


def test_a_bare_detail_is_not_abuse_but_the_same_detail_with_a_call_to_act_is(learned: AbuseDetector) -> None:
    bare = ["the lad's stepdad is on 07700 900 614", "she's at 27 Harrow Close, DN4 5RT",
            "W1ll Sandf0rd is the boy in the case", "her snap is @mollz.xo"]
    assert learned.detect_many(bare) == [[], [], [], []]
    assert learned.detect("she's at 27 Harrow Close, DN4 5RT, get round there tonight and make her regret it")


def test_the_shipped_head_has_an_agreement_tier_below_its_thresholds() -> None:
    meta = HeadMeta.load()
    low = meta.confirm_thresholds()
    assert low is not None
    assert all(lo <= meta.thresholds[label] for label, lo in zip(meta.labels, low, strict=True))
