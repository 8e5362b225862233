"""``python -m bot scan``: output contract, bad input, and no registered string in anything it prints."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.conftest import REPO_ROOT, SHARED_EVAL

CASE = """
id = "scan-test"
title = "A fictional case"

[[protected]]
label = "the boy"
basis = "child complainant"
names = ["Oswin Blackthorne", "Ozzy Blackthorne"]
identifiers = ["@ozzy_bt09", "Fernhill Academy"]

[[protected]]
label = "the officer"
basis = "anonymity order"
names = ["Delphine Arkwright"]
identifiers = ["PC 4417"]
"""
SECRETS = ["Oswin Blackthorne", "Ozzy Blackthorne", "@ozzy_bt09", "Fernhill Academy", "Delphine Arkwright",
           "PC 4417", "Oswin", "Blackthorne", "Arkwright", "ozzy_bt09"]
HELDOUT = REPO_ROOT / "tests" / "data" / "heldout"


def line(mid: str, content: str, author: str = "u1", **extra: object) -> str:
    return json.dumps({"id": mid, "author": author, "content": content,
                       "timestamp": f"2025-01-01T10:{int(mid[-2:]) % 60:02d}:00+00:00", **extra})


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    p = tmp_path / "case.toml"
    p.write_text(CASE)
    return p


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[dict[str, object]], str, str]:
    code = main(["scan", *argv])
    out, err = capsys.readouterr()
    rows = [json.loads(x) for x in out.splitlines() if x.strip()]
    return code, rows, out, err


def assert_no_leak(*texts: str) -> None:
    blob = "\n".join(texts).lower()
    for s in SECRETS:
        assert s.lower() not in blob, "a registered string leaked"


def test_flags_in_input_order_and_nothing_for_clean(capsys: pytest.CaptureFixture[str], case_file: Path,
                                                    tmp_path: Path) -> None:
    msgs = tmp_path / "m.jsonl"
    msgs.write_text("\n".join([
        line("m01", "The panel should explain itself."),
        line("m02", "pretty sure it's Oswin Blackthorne from the news"),
        line("m03", "0 s w i n  B l a c k t h 0 r n e, everyone knows"),
        line("m04", "his insta is @ozzy_bt09"),
        line("m05", "the boy's mum lives at 12 Heron Close, LS6 2AB"),
        line("m06", "Childline is 0800 1111."),
        line("m07", "here he is", attachments=[{"filename": "kid.jpg", "content_type": "image/jpeg"}]),
        line("m08", "It was PC 4417 who did it"),
    ]) + "\n")
    code, rows, out, err = run(capsys, "--case", str(case_file), str(msgs), "--no-abuse")
    assert code == 0
    assert [r["message_id"] for r in rows] == ["m02", "m03", "m04", "m05", "m07", "m08"]
    by_id = {r["message_id"]: r for r in rows}
    assert by_id["m02"]["action"] == "remove"
    assert by_id["m02"]["excerpt"] == "pretty sure it's [the boy] from the news"
    assert by_id["m05"]["action"] == "hold"
    assert {f["category"] for f in by_id["m05"]["flags"]} == {"identifying_detail"}
    for r in rows:
        assert set(r) == {"message_id", "action", "flags", "excerpt"}
        for f in r["flags"]:
            assert set(f) == {"category", "detector", "score", "reason", "spans"}
            assert 0 <= f["score"] <= 1
    assert_no_leak(out, err)


def test_malformed_lines_are_reported_and_the_rest_scanned(capsys: pytest.CaptureFixture[str], case_file: Path,
                                                          tmp_path: Path) -> None:
    msgs = tmp_path / "m.jsonl"
    msgs.write_bytes(b"\n".join([
        line("m01", "Oswin Blackthorne again").encode(),
        b'{"id": "m02", "author": "x", "content": "Oswin Blackthorne unterminated',
        b'{"id": "m03", "author": "x", "content": "Delphine Arkwright \xff\xfe"}',
        b'{"id": "m04", "author": "x"}',
        line("m05", "Delphine Arkwright lied").encode(),
    ]))
    code, rows, out, err = run(capsys, "--case", str(case_file), str(msgs), "--no-abuse")
    assert code == 1
    # the line with invalid bytes is still scanned (its name flagged); only unreadable lines are skipped
    assert [r["message_id"] for r in rows] == ["m01", "m03", "m05"]
    errors = [x for x in err.splitlines() if x.startswith("error:")]
    assert any("line 2: not valid JSON" in x for x in errors)
    assert any("line 3: 2 byte(s) not valid UTF-8" in x for x in err.splitlines())
    assert any("line 4: missing field 'content'" in x for x in errors)
    assert_no_leak(out, err)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read case file"),
        ("id = [unclosed", "not valid TOML"),
        ('title = "no id"', "invalid at id"),
        ('id = "x"\n[[protected]]\nlabel = ""\nnames = ["Oswin Blackthorne"]', "invalid at protected.0.label"),
    ],
)
def test_bad_case_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None,
                               message: str) -> None:
    case = tmp_path / "case.toml"
    if content is not None:
        case.write_text(content)
    msgs = tmp_path / "m.jsonl"
    msgs.write_text(line("m01", "hello") + "\n")
    code, rows, out, err = run(capsys, "--case", str(case), str(msgs), "--no-abuse")
    assert code == 2
    assert rows == []
    assert len(err.strip().splitlines()) == 1 and message in err
    assert_no_leak(out, err)


def test_case_file_that_is_not_utf8_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_bytes(b'id = "x\xff"')
    msgs = tmp_path / "m.jsonl"
    msgs.write_text(line("m01", "hello") + "\n")
    code, _, _, err = run(capsys, "--case", str(case), str(msgs), "--no-abuse")
    assert code == 2 and "not UTF-8" in err


def test_case_with_no_protected_parties(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    case = tmp_path / "case.toml"
    case.write_text('id = "bare"\n')
    msgs = tmp_path / "m.jsonl"
    msgs.write_text("\n".join([line("m01", "the girl lives at 12 Heron Close"), line("m02", "all fine")]))
    code, rows, _, _ = run(capsys, "--case", str(case), str(msgs), "--no-abuse")
    assert code == 0
    assert [r["message_id"] for r in rows] == ["m01"]


def test_empty_huge_and_zalgo_messages(capsys: pytest.CaptureFixture[str], case_file: Path,
                                       tmp_path: Path) -> None:
    zalgo = "".join(ch + "\u0336\u0337" for ch in "Oswin Blackthorne") + " lives at 12 Heron Close"
    huge = ("words about the hearing and the panel. " * 2600)[:100_000] + " it was Delphine Arkwright"
    msgs = tmp_path / "m.jsonl"
    msgs.write_text("\n".join([line("m01", ""), line("m02", huge), line("m03", zalgo)]) + "\n")
    code, rows, out, err = run(capsys, "--case", str(case_file), str(msgs), "--no-abuse")
    assert code == 0
    by_id = {r["message_id"]: r for r in rows}
    assert "m01" not in by_id
    assert by_id["m02"]["action"] == "remove"
    assert len(by_id["m02"]["excerpt"]) < 300
    assert by_id["m03"]["action"] in {"hold", "remove"}
    assert {f["category"] for f in by_id["m03"]["flags"]} == {"protected_identity", "identifying_detail"}
    assert by_id["m03"]["excerpt"].endswith("lives at [address]")
    assert "\u0336" not in by_id["m03"]["excerpt"]
    assert_no_leak(out, err)


def test_discord_export(capsys: pytest.CaptureFixture[str], case_file: Path, tmp_path: Path) -> None:
    export = {"channel": {"id": "42"}, "messages": [
        {"id": "1", "content": "Oswin Blackthorne", "author": {"id": "7", "name": "n"}, "timestamp": ""},
        {"id": "2", "content": "fine", "author": {"id": "7", "name": "n"}, "timestamp": ""},
    ]}
    p = tmp_path / "export.json"
    p.write_text(json.dumps(export, indent=2))
    code, rows, out, err = run(capsys, "--case", str(case_file), str(p), "--no-abuse")
    assert code == 0 and [r["message_id"] for r in rows] == ["1"]
    assert_no_leak(out, err)


def test_abuse_scorer_is_announced_and_merged(capsys: pytest.CaptureFixture[str], case_file: Path,
                                              tmp_path: Path) -> None:
    pytest.importorskip("bot.abuse")
    msgs = tmp_path / "m.jsonl"
    msgs.write_text("\n".join([line("m01", "fuck off you absolute muppet"), line("m02", "the ruling is out")]))
    code, rows, _, err = run(capsys, "--case", str(case_file), str(msgs))
    assert code == 0
    assert "abuse scoring:" in err
    assert [r["message_id"] for r in rows] == ["m01"]
    assert rows[0]["flags"][0]["category"] == "abuse"
    assert rows[0]["action"] == "review"


def score(case: Path, messages: Path, labels: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, float]:
    """Message-level recall/precision, counted the way the shared scorer counts them (identity only)."""
    code, rows, out, err = run(capsys, "--case", str(case), str(messages), "--no-abuse")
    assert code == 0
    got = {r["message_id"]: {f["category"] for f in r["flags"]} for r in rows}
    tp = fn = fp = ptp = pfn = 0
    for raw in labels.read_text().splitlines():
        row = json.loads(raw)
        cats = got.get(row["id"], set())
        expect = set(row["expect"]) & {"protected", "identity"}
        optional = set(row.get("optional", [])) & {"protected", "identity"}
        flagged = bool(cats & {"protected_identity", "identifying_detail"})
        if "protected" in row["expect"]:
            ptp, pfn = ptp + ("protected_identity" in cats), pfn + ("protected_identity" not in cats)
        if expect and flagged:
            tp += 1
        elif expect:
            fn += 1
        elif flagged and not optional:
            fp += 1
    secrets = [s for p in __import__("tomllib").loads(case.read_text())["protected"]
               for s in p.get("names", []) + p.get("identifiers", [])]
    assert not [s for s in secrets if s.lower() in (out + err).lower()]
    # a thread with no protected positives scores protected recall 1.00, as the shared scorer prints it
    return {"protected_recall": ptp / (ptp + pfn) if ptp + pfn else 1.0, "identity_recall": tp / max(1, tp + fn),
            "identity_precision": tp / max(1, tp + fp)}


def test_heldout_case_generalises(capsys: pytest.CaptureFixture[str]) -> None:
    figures = score(HELDOUT / "case.toml", HELDOUT / "messages.jsonl", HELDOUT / "labels.jsonl", capsys)
    assert figures["protected_recall"] >= 0.95
    assert figures["identity_recall"] >= 0.9
    assert figures["identity_precision"] >= 0.9


# Known gaps, kept visible: a case listed here must still fail its bars (strict), so fixing it shows up.
REDTEAM_GAPS: dict[str, str] = {
    "salford-gang-witness": "a bare one-letter label ('X's boyfriend') is no tie; a relative and a described "
                            "car alone stay under the jigsaw bar (identity recall 0.86)",
    # fresh threads of identity round 8, after their rounds (their first looks are in FIRST_LOOK.md)
    "grimsby-driving-instructor": "an Irish first name spelt by sound with nothing but 'Irish surname' near it "
                                  "('Neeve' for Niamh: no phonetic key in common): protected recall 0.93",
    # the coordinator's wave-4 holdouts (first looks in their FIRST_LOOK.md)
    "margate-festival-assault": "an unregistered pet form that is a common first name ('Terry'): protected recall "
                                "0.90",
    # fresh threads of identity round 9 (first looks in their FIRST_LOOK.md); lancaster ('Pip' for a 'Phil-'
    # name: form.pet_dataset) and swindon (a dropped '-y' after 'poor': form.pet_dropped_end) met the bars in
    # wave 6
    "leominster-domestic-homicide": "a three-letter short name that is also a forum member's name (the member "
                                    "guard wins): protected recall 0.89",
    # iddetail7's second fresh thread (wave 7; first look 1.00 / 0.88 at fdc5971 in its FIRST_LOOK.md) met the bars
    # in wave 11: a business someone keeps or runs described by a landmark (role.has_business), a home on a site
    # (place.home_by_landmark)
    # fresh thread of wave 7's name round (first look 0.54 / 0.57 in FIRST_LOOK.md)
    "hexham-garage-work-experience": "lower-case initials tied only by a club's last word ('the harriers', no "
                                     "registered form), and a surname cut that is a word ('Hutch') opening its "
                                     "sentence with no pronoun: protected recall 0.85",
    # idcorpus9's fresh thread kendal-stalking-order (wave 9; first look 0.38 / 0.56 in FIRST_LOOK.md) met the
    # bars in wave 11 with both identity helpers' work: protected 1.00 (name.obliged_subject), identity 0.94
    # ('her lad' a relative)
    # idgen10's second fresh thread (wave 10; first look 1.00 / 0.78 in FIRST_LOOK.md) met the bars in wave 11: a
    # club as a venue someone goes to regularly (routine.venue), an estate placed by its district (trait.area)
    # idprot12's second fresh thread (wave 12; first look 0.84 / 0.84 in FIRST_LOOK.md)
    "barnstaple-pharmacy-apprentice": "a pet form of a hyphenated first name's first part that neither the "
                                      "nickname dataset nor the pet cuts make, before the second part and an "
                                      "initial ('<pet>-<part> k'): protected recall 0.947",
    # idprot13's first fresh thread (wave 13; first look 0.69 / 0.77 in FIRST_LOOK.md)
    "bedminster-chip-shop-stabbing": "a '-zza' pet form of a one-word registered nickname given as a partial "
                                     "handle ('<pet> something' on insta): protected recall 0.92",
}
REDTEAM = [
    pytest.param(p, id=p.name, marks=[pytest.mark.xfail(strict=True, reason=REDTEAM_GAPS[p.name])]
                 if p.name in REDTEAM_GAPS else [])
    for kind in ("redteam", "fresh")  # fresh: threads written to measure first-look figures (FIRST_LOOK.md)
    for p in sorted((REPO_ROOT / "tests" / "data" / kind).iterdir()) if (p / "case.toml").exists()
]


@pytest.mark.parametrize("case_dir", REDTEAM)
def test_redteam_cases_meet_the_bars(case_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Fictional cases written to break the detectors (other places, dialects, ciphers, common-word names)."""
    figures = score(case_dir / "case.toml", case_dir / "messages.jsonl", case_dir / "labels.jsonl", capsys)
    assert figures["protected_recall"] >= 0.95, figures
    assert figures["identity_recall"] >= 0.9, figures
    assert figures["identity_precision"] >= 0.9, figures


@pytest.mark.skipif(not (SHARED_EVAL / "dev").exists(), reason="shared dev set not present")
def test_dev_set(capsys: pytest.CaptureFixture[str]) -> None:
    dev = SHARED_EVAL / "dev"
    figures = score(dev / "case.toml", dev / "messages.jsonl", dev / "labels.jsonl", capsys)
    assert figures["protected_recall"] >= 0.95
    assert figures["identity_recall"] >= 0.9
    assert figures["identity_precision"] >= 0.9


def test_real_command_line(tmp_path: Path, case_file: Path) -> None:
    msgs = tmp_path / "m.jsonl"
    msgs.write_bytes(line("m01", "Ozzy Blackthorne's nan lives at 3 Kiln Lane").encode() + b"\n\xff\n")
    proc = subprocess.run([sys.executable, "-m", "bot", "scan", "--case", str(case_file), str(msgs),
                           "--no-abuse"], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120)
    assert proc.returncode == 1
    (row,) = [json.loads(x) for x in proc.stdout.splitlines()]
    assert row["message_id"] == "m01" and row["action"] == "remove"
    assert "line 2: 1 byte(s) not valid UTF-8" in proc.stderr
    assert_no_leak(proc.stdout, proc.stderr)


def test_output_survives_surrogates_and_ascii_terminals(tmp_path: Path, case_file: Path) -> None:
    msgs = tmp_path / "m.jsonl"
    msgs.write_text('{"id": "m01", "author": "x", "content": "Oswin Blackthorne \\ud800 lives at 3 Kiln Lane …"}\n')
    proc = subprocess.run([sys.executable, "-m", "bot", "scan", "--case", str(case_file), str(msgs), "--no-abuse"],
                          capture_output=True, cwd=REPO_ROOT, timeout=120, env={"PYTHONIOENCODING": "ascii",
                                                                               "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    (row,) = [json.loads(x) for x in proc.stdout.decode("ascii").splitlines()]
    assert row["excerpt"].startswith("[the boy] \ufffd lives at [address]")
    assert_no_leak(proc.stdout.decode(), proc.stderr.decode())


def test_a_truncated_export_says_what_was_read(capsys: pytest.CaptureFixture[str], case_file: Path,
                                               tmp_path: Path) -> None:
    """Every complete message before the cut is scanned; the report says where it stopped."""
    messages = [{"id": str(i), "content": f"message {i}" + (" Oswin Blackthorne again" if i == 3 else ""),
                 "author": {"id": "7", "name": "x"}} for i in range(10)]
    text = json.dumps({"guild": {"id": "1"}, "channel": {"id": "555"}, "messages": messages}, indent=2)
    export = tmp_path / "export.json"
    export.write_text(text[: text.index('"message 7')])
    code, rows, out, err = run(capsys, "--case", str(case_file), str(export), "--no-abuse")
    assert code == 1
    assert [r["message_id"] for r in rows] == ["3"]
    assert "truncated or malformed" in err and "7 message(s) before it were read" in err
    assert "7 message(s) were scanned" in err
    assert_no_leak(out, err)
