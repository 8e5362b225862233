"""The command line and the bot redact through one path, on the hashed registry: same sources, same summary."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.engine import IdentityEngine
from bot.registry import ProtectedRegistry
from bot.summary import build_summary, render_markdown
from bot.summary.redaction import Redactor
from bot.summary.service import case_for_summary, redact_source

from .conftest import load

KEY = b"k" * 32
NOW = datetime(2025, 1, 1, tzinfo=UTC)


def _secrets(case) -> list[str]:  # type: ignore[no-untyped-def]
    return [x for p in case.protected for x in p.names + p.identifiers]


@pytest.mark.parametrize("name", ["fresh_slug_news", "fresh_coroner_forum", "multi_source", "seed_met_blog",
                                  "discourse_text_named", "wire_court_rewrite"])
def test_cli_and_bot_paths_give_the_same_summary(name: str) -> None:
    case, docs = load(name)
    # the command line: the case file as written, its engine keyed in memory
    cli = build_summary(case, docs, redactor=Redactor(case, IdentityEngine.from_case(case, KEY)), now=NOW)
    # the bot: a label-only case, the registry restored from its stored digests, sources stored redacted
    registry = ProtectedRegistry.from_records(ProtectedRegistry.from_case(case, KEY).to_records(), KEY)
    slim = case_for_summary(case.id, case.title, case.labels)
    bot_redactor = Redactor(slim, IdentityEngine(registry, parties=[(p.label, p.basis) for p in case.protected]))
    stored = [redact_source(d, bot_redactor) for d in docs]
    bot = build_summary(slim, stored, redactor=bot_redactor, now=NOW)
    cli_md, bot_md = render_markdown(cli), render_markdown(bot)
    assert [s.sources for s in bot.sentences] == [s.sources for s in cli.sentences]
    assert [r.url for r in bot.sources] == [r.url for r in cli.sources]
    assert [r.title for r in bot.sources] == [r.title for r in cli.sources]
    assert bot_md.split("\n", 1)[0] == cli_md.split("\n", 1)[0]
    for secret in _secrets(case):
        for where in (cli_md, bot_md, *(d.text + d.url + d.title for d in stored)):
            assert secret.casefold() not in where.casefold()
