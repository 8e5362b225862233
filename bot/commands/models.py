"""``python -m bot models pull``: fetch, verify and convert the configured Detoxify checkpoint."""

from __future__ import annotations

import argparse
import asyncio


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("models", help="manage model weights (pull Detoxify)",
                       description="Fetch the configured Detoxify checkpoint (DETOXIFY_MODEL; DETOXIFY_URL for a "
                       "mirror) and its base model's files (DETOXIFY_HF_URL), verify its SHA-256 (DETOXIFY_SHA256 "
                       "or the release name's prefix), store them under the data directory and export ONNX.")
    p.add_argument("action", choices=["pull"], help="what to do")
    p.add_argument("--no-export", action="store_true", help="store the weights without exporting ONNX")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from bot.abuse.pull import pull
    from bot.settings import load_settings

    result = asyncio.run(pull(load_settings(), export=not args.no_export))
    print(f"pulled {result.checkpoint.name} (sha256 {result.sha256[:16]}...); ABUSE_BACKEND=auto now uses it")
    return 0
