"""alt-profanity-check's model read without scikit-learn: the package's own probabilities, bit for bit; the
shipped export is what the installed package holds; a changed or missing file fails closed; a scan imports no
scikit-learn."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from bot.abuse import profanity_model
from bot.abuse.bench_scan import source_texts
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
AWKWARD = ["", " ", "I", "FUCK", "fuck fuck fuck fuck", "You're a LIAR and an idiot!!", "émigré Straße İstanbul",
           "中文字 mixed中文 text", "x" * 5000, "shit " * 700, "@x you're a gutless little shit", "l33t 5h1t"]


def test_the_probabilities_are_the_packages_bit_for_bit() -> None:
    from profanity_check import predict_prob

    texts = source_texts() + AWKWARD
    got = profanity_model.shipped_model().predict_prob(texts)
    assert got == [float(p) for p in predict_prob(texts)]
    assert profanity_model.shipped_model().predict_prob([]) == []


def test_the_shipped_export_is_the_installed_packages_model() -> None:
    shipped = profanity_model.load()  # checks the pinned sha256 too
    installed = profanity_model.export_installed()
    assert shipped.terms == installed.terms
    for name in ("idf", "coef", "intercept", "a", "b"):
        assert np.array_equal(getattr(shipped, name), getattr(installed, name)), name
    assert installed.to_bytes() == profanity_model.MODEL_PATH.read_bytes()


def test_a_changed_or_missing_file_fails_closed(tmp_path: Path) -> None:
    changed = tmp_path / "profanity_linear.npz"
    data = bytearray(profanity_model.MODEL_PATH.read_bytes())
    data[-40] ^= 1
    changed.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="does not match its pinned sha256"):
        profanity_model.load(changed)
    with pytest.raises(ConfigError, match="is missing"):
        profanity_model.load(tmp_path / "absent.npz")
    changed.write_bytes(bytes(data[: len(data) // 2]))
    with pytest.raises(ConfigError, match="cannot be read"):
        profanity_model.load(changed, sha256="")  # unpinned: read, and found broken


def test_a_scan_with_abuse_on_imports_no_scikit_learn(tmp_path: Path) -> None:
    messages = tmp_path / "m.jsonl"
    messages.write_text(json.dumps({"id": "1", "author": "a", "content": "@b you absolute fucking idiot"}) + "\n")
    probe = ("import runpy, sys\n"
             f"sys.argv = ['bot', 'scan', '--case', {str(ROOT / 'tests/data/heldout/case.toml')!r}, "
             f"{str(messages)!r}, '--no-images']\n"
             "try:\n    runpy.run_module('bot', run_name='__main__')\nexcept SystemExit:\n    pass\n"
             "print(sorted(m for m in ('sklearn', 'scipy.stats', 'profanity_check') if m in sys.modules), "
             "file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "HF_HUB_OFFLINE": "1"}, timeout=300)
    assert '"category": "abuse"' in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"
