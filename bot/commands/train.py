"""``python -m bot train abuse``: fit the learned abuse head on the corpus and write its model card."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import InputError

MODEL_CARD = Path(__file__).resolve().parents[2] / "docs" / "abuse-model-card.md"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a learned model (abuse)",
                       description="Train the learned abuse head on tests/data/abuse/corpus/ with a fixed seed.")
    p.add_argument("model", choices=["abuse"], help="which model to train")
    p.add_argument("--corpus", type=Path, default=None, help="corpus directory (default tests/data/abuse/corpus)")
    p.add_argument("--cache-dir", type=Path, default=Path("data/cache"), help="embedding cache directory")
    p.add_argument("--card", type=Path, default=MODEL_CARD, help="where to write the model card")
    p.add_argument("--static", action="store_true",
                   help="distil the static word-piece vectors from the shipped encoder and train the static heads "
                        "(the learned head is left as it is)")
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    from bot.abuse.corpus import DEFAULT_CORPUS_DIR
    from bot.abuse.train import train

    corpus = args.corpus or DEFAULT_CORPUS_DIR
    if not corpus.is_dir():
        raise InputError(f"no corpus directory {corpus}")
    if args.static:
        from bot.abuse.static_train import train_static

        train_static(corpus, cache_dir=args.cache_dir, card_path=args.card)
    else:
        train(corpus, cache_dir=args.cache_dir, card_path=args.card)
    print(f"model card -> {args.card}")
    return 0
