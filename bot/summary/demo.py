"""The case summary section of ``python -m bot demo``: local copies only, never the network."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown
from rich.markup import escape
from rich.panel import Panel

from bot.case import CaseFile
from bot.errors import CasewatchError
from bot.sources.load import load_local_source
from bot.summary.build import build_summary
from bot.summary.redaction import Checker
from bot.summary.render import render_markdown


def demo_summary_markdown(case: CaseFile, checker: Checker | None = None) -> str:
    """The Markdown summary of a case from the local copies of its sources (``path`` in the case file)."""
    docs = []
    for source in case.sources:
        path = case.source_path(source)
        if path is not None:
            docs.append(load_local_source(path, title=source.title, publisher=source.publisher,
                                          published=source.published, url=source.url))
    if not docs:
        raise CasewatchError(f"case {case.id} has no local copy of any source (add path = ... to [[sources]])")
    return render_markdown(build_summary(case, docs, checker=checker))


def demo_section(case: CaseFile, console: Console) -> None:
    """Print the case summary as a panel; a problem is one dim line, never a traceback."""
    try:
        md = demo_summary_markdown(case)
    except CasewatchError as exc:
        console.print(f"[dim]case summary: {escape(str(exc))}[/]")
        return
    console.print(Panel(Markdown(md), title="Case summary (/case summary)", expand=False))
