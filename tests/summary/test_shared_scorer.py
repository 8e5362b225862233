"""The project's summary scorer (shared/eval/score_summary.py) on the dev case and the bundled cases.

Skipped when the shared evaluation folder is not beside the repository.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT, SHARED_EVAL

from .conftest import CASES

SCORER = SHARED_EVAL / "score_summary.py"
pytestmark = pytest.mark.skipif(not SCORER.exists(), reason="shared/eval/score_summary.py is not available")

CASE_DIRS = [
    pytest.param(SHARED_EVAL / "dev", id="dev"),
    pytest.param(CASES / "news_comments", id="news_comments"),
    pytest.param(CASES / "multi_source", id="multi_source"),
    pytest.param(CASES / "phpbb_thread", id="phpbb_thread"),
    pytest.param(CASES / "smf_thread", id="smf_thread"),
    pytest.param(CASES / "vbulletin_thread", id="vbulletin_thread"),
    pytest.param(CASES / "discourse_thread", id="discourse_thread"),
    pytest.param(CASES / "discourse_text_named", id="discourse_text_named"),
    pytest.param(CASES / "discord_export", id="discord_export"),
    pytest.param(CASES / "xenforo_mybb", id="xenforo_mybb"),
    pytest.param(CASES / "long_feature", id="long_feature"),
    pytest.param(CASES / "fb_comments_three_sources", id="fb_comments_three_sources"),
    pytest.param(CASES / "reddit_discord_copy", id="reddit_discord_copy"),
    pytest.param(CASES / "liveblog_html", id="liveblog_html"),
    pytest.param(CASES / "mumsnet_thread", id="mumsnet_thread"),
    pytest.param(CASES / "wire_court_rewrite", id="wire_court_rewrite"),
    pytest.param(CASES / "phpbb_html_export", id="phpbb_html_export"),
]


@pytest.mark.parametrize("case_dir", CASE_DIRS)
def test_scorer_passes(case_dir) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(case_dir / "case.toml"), str(case_dir / "facts.json"),
         "--python", sys.executable],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
