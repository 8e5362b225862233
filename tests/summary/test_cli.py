"""``python -m bot summarize``: Markdown and JSON on stdout, one-line errors with a non-zero exit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bot.cli import main

from .conftest import CASES


def test_markdown_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["summarize", "--case", str(CASES / "news_comments" / "case.toml"), "--offline"]) == 0
    md = capsys.readouterr().out
    assert md.startswith("# Detective dismissed for leaking a complainant's address\n")
    assert "\n## Sources\n- [1] Detective dismissed after leaking complainant's details, Wexmoor Gazette" in md
    assert main(["summarize", "--case", str(CASES / "news_comments" / "case.toml"), "--json", "--offline"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["sentences"] and all(s["sources"] == [1] for s in data["sentences"])
    assert data["sources"][0]["url"] == "https://gazette.example.org/news/detective-dismissed"


def test_unreadable_source_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.toml"
    case.write_text('id = "c"\n[[sources]]\ntitle = "gone"\npath = "missing.html"\n')
    assert main(["summarize", "--case", str(case)]) != 0
    err = capsys.readouterr().err.strip()
    assert err == "error: cannot read source missing.html: No such file or directory"


def test_no_sources_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.toml"
    case.write_text('id = "lonely"\ntitle = "Nothing yet"\n')
    assert main(["summarize", "--case", str(case)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["error: case lonely has no sources to summarise"]


def test_url_only_source_is_not_fetched_offline(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copy(CASES / "news_comments" / "article.html", tmp_path / "a.html")
    case = tmp_path / "case.toml"
    case.write_text('id = "c"\n[[sources]]\nurl = "https://example.org/a"\n')
    assert main(["summarize", "--case", str(case), "--offline"]) != 0
    assert "is not stored and fetching is off" in capsys.readouterr().err


def test_llm_flag_without_endpoint_is_a_config_error(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("SUMMARY_LLM_URL", raising=False)
    monkeypatch.chdir(tmp_path)  # no .env here
    assert main(["summarize", "--case", str(CASES / "news_comments" / "case.toml"), "--llm"]) == 2
    assert "SUMMARY_LLM_URL" in capsys.readouterr().err
