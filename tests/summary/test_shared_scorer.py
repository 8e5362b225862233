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
    pytest.param(CASES / "seed_met_blog", id="seed_met_blog"),
    pytest.param(CASES / "seed_iopc_forum", id="seed_iopc_forum"),
    pytest.param(CASES / "fresh_blog_teacher", id="fresh_blog_teacher"),
    pytest.param(CASES / "fresh_news_release", id="fresh_news_release"),
    pytest.param(CASES / "fresh_forum_carehome", id="fresh_forum_carehome"),
    pytest.param(CASES / "fresh_reddit_coach", id="fresh_reddit_coach"),
    pytest.param(CASES / "fresh_mumsnet_ta", id="fresh_mumsnet_ta"),
    pytest.param(CASES / "fresh_press_releases", id="fresh_press_releases"),
    pytest.param(CASES / "fresh_legal_blog", id="fresh_legal_blog"),
    pytest.param(CASES / "fresh_coroner_forum", id="fresh_coroner_forum"),
    pytest.param(CASES / "fresh_verdict_two_papers", id="fresh_verdict_two_papers"),
    # the scorer's check is literal ("a b" in the URL): it wants listed a link whose slug names the party
    # ("a-b"); the summary withholds that link, as the issue asks
    pytest.param(CASES / "fresh_slug_news", id="fresh_slug_news", marks=pytest.mark.xfail(
        strict=True, reason="scorer wants a link listed whose slug names the protected party")),
]


@pytest.mark.parametrize("case_dir", CASE_DIRS)
def test_scorer_passes(case_dir) -> None:  # type: ignore[no-untyped-def]
    proc = subprocess.run(
        [sys.executable, str(SCORER), str(case_dir / "case.toml"), str(case_dir / "facts.json"),
         "--python", sys.executable],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
