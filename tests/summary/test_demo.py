"""The demo's summary section: local copies only, checks pass, nothing registered is shown."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from bot.case import load_case, parse_case
from bot.summary.demo import demo_section, demo_summary_markdown

DEMO = Path(__file__).parents[2] / "bot" / "data" / "demo"


def _demo_case_with_local_copy():  # type: ignore[no-untyped-def]
    text = (DEMO / "case.toml").read_text()
    if "path =" not in text:  # until the case file names its local copy
        text = text.replace('url = "https://gazette.example.net/harbour-festival-verdict"',
                            'url = "https://gazette.example.net/harbour-festival-verdict"\npath = "source.txt"')
    return parse_case(text, base_dir=DEMO)


def test_demo_summary_is_cited_and_free_of_registered_names() -> None:
    case = _demo_case_with_local_copy()
    md = demo_summary_markdown(case)
    assert md.startswith("# ") and "\n## Sources\n- [1] Man convicted after harbour festival assault" in md
    secrets = [x for p in case.protected for x in p.names + p.identifiers]
    assert not any(s.lower() in md.lower() for s in secrets)
    for bad in ("Good riddance", "Everyone in Portmere knows", "Share this article", "Comments (5)"):
        assert bad not in md


def test_demo_section_prints_a_panel_or_one_line() -> None:
    out = io.StringIO()
    demo_section(_demo_case_with_local_copy(), Console(file=out, width=100))
    assert "Case summary" in out.getvalue() and "[1]" in out.getvalue()
    out = io.StringIO()
    bare = load_case(DEMO / "case.toml").model_copy(update={"sources": []})
    demo_section(bare, Console(file=out, width=100))
    assert out.getvalue().strip().startswith("case summary: case portmere-harbour-assault has no local copy")
