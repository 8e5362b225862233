"""``python -m bot summarize --case CASE.toml [--json] [--offline]``: a cited summary of a case's sources."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys

from bot.case import load_case
from bot.errors import ConfigError
from bot.settings import load_settings
from bot.sources import case_sources
from bot.summary.build import build_summary
from bot.summary.render import render_json, render_markdown


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "summarize", help="print a cited, redacted summary of a case's sources",
        description="Read the sources listed in a case file's [[sources]] (fetching them unless --offline), "
                    "pick the sentences that carry the facts, cite each one, remove anything naming or "
                    "identifying the case's protected parties, and print the summary as Markdown (or JSON).")
    p.add_argument("--case", required=True, help="the case file (TOML) whose [[sources]] to summarise")
    p.add_argument("--json", action="store_true", help='print {"sentences": [...], "sources": [...]}')
    p.add_argument("--offline", action="store_true", help="never fetch: use local copies only")
    p.add_argument("--llm", action="store_true", help="let the configured LLM endpoint rewrite (checked)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    case = load_case(args.case)
    settings = load_settings()
    if args.llm and not settings.summary_llm_url:
        raise ConfigError("--llm needs SUMMARY_LLM_URL (an OpenAI-compatible endpoint) in the environment or .env")
    docs = asyncio.run(case_sources(case, fetch=not args.offline, timeout_s=settings.fetch_timeout_s,
                                    max_bytes=settings.fetch_max_bytes,
                                    allow_private=settings.fetch_allow_private))
    summary = build_summary(case, docs)
    if args.llm:
        from bot.summary.llm import LLMConfig, rewrite_summary

        summary = asyncio.run(rewrite_summary(summary, case, docs, LLMConfig.from_settings(settings)))
    if args.json:
        json.dump(render_json(summary), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(render_markdown(summary))
    return 0
