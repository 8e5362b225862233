"""``python -m bot train abuse|identity|profanity``: fit a learned head on its written corpus and write its model
card; ``profanity`` exports the installed alt-profanity-check model's numbers (bot.abuse.profanity_model)."""

from __future__ import annotations

import argparse
from pathlib import Path

from bot.errors import InputError

MODEL_CARD = Path(__file__).resolve().parents[2] / "docs" / "abuse-model-card.md"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("train", help="train a learned model (abuse, identity, profanity)",
                       description="Train the learned abuse head on tests/data/abuse/corpus/, or the identifying-"
                                   "detail scorer on tests/data/identity/corpus.tsv, with a fixed seed; or export "
                                   "the installed alt-profanity-check model's numbers for reading without "
                                   "scikit-learn (profanity).")
    p.add_argument("model", choices=["abuse", "identity", "profanity"], help="which model to train")
    p.add_argument("--corpus", type=Path, default=None,
                   help="corpus directory (abuse; default tests/data/abuse/corpus) or file (identity)")
    p.add_argument("--cache-dir", type=Path, default=Path("data/cache"), help="embedding cache directory")
    p.add_argument("--card", type=Path, default=None, help="where to write the model card")
    p.add_argument("--out", type=Path, default=None, help="identity: artefact directory (default bot/data/identity)")
    p.add_argument("--static", action="store_true",
                   help="distil the static word-piece vectors from the shipped encoder and train the static heads "
                        "(the learned head is left as it is)")
    p.add_argument("--stage2", action="store_true",
                   help="fit the second stage beside the evidence cues on the static heads' out-of-fold scores "
                        "(bot/data/abuse/stage2.json; the heads are left as they are)")
    p.add_argument("--tuned", action="store_true",
                   help="train the tuned encoder's adapter on the corpus and corpus-round14 (torch; about 20 minutes "
                        "on two cores; bot/data/abuse/tuned_adapter.npz; the heads are left as they are)")
    p.add_argument("--limit", type=int, default=None, help=argparse.SUPPRESS)  # tests: train on a sample
    p.set_defaults(func=handle)


def handle(args: argparse.Namespace) -> int:
    if args.model == "identity":
        return _identity(args)
    if args.model == "profanity":
        return _profanity(args)
    args.card = args.card or MODEL_CARD
    from bot.abuse.corpus import DEFAULT_CORPUS_DIR
    from bot.abuse.train import train

    corpus = args.corpus or DEFAULT_CORPUS_DIR
    if not corpus.is_dir():
        raise InputError(f"no corpus directory {corpus}")
    if args.static:
        from bot.abuse.static_train import train_static

        train_static(corpus, cache_dir=args.cache_dir, card_path=args.card)
    if args.stage2:
        from bot.abuse.stage2_train import train_stage2

        train_stage2(corpus, card_path=args.card)
    if args.tuned:
        from bot.abuse.tune_train import ROUND14_DIR, train_tuned

        dirs = [corpus] + ([ROUND14_DIR] if args.corpus is None else [])
        train_tuned(dirs, limit=args.limit, epochs=1 if args.limit else 3)
        return 0
    if not args.static and not args.stage2:
        train(corpus, cache_dir=args.cache_dir, card_path=args.card)
    print(f"model card -> {args.card}")
    return 0


def _identity(args: argparse.Namespace) -> int:
    from bot.identity_model.scorer import HEAD_PATH
    from bot.identity_model.train import CARD, DEFAULT_CORPUS, train_identity

    corpus = args.corpus or DEFAULT_CORPUS
    if not corpus.is_file():
        raise InputError(f"no identifying-detail corpus file {corpus}")
    head = (args.out / HEAD_PATH.name) if args.out else HEAD_PATH
    card = args.card or CARD
    train_identity(corpus, head_path=head, card_path=card)
    print(f"model card -> {card}")
    return 0


def _profanity(args: argparse.Namespace) -> int:
    import hashlib

    from bot.abuse.profanity_model import MODEL_PATH, export_installed

    path = (args.out / MODEL_PATH.name) if args.out else MODEL_PATH
    data = export_installed().to_bytes()
    path.write_bytes(data)
    print(f"profanity model -> {path}\nsha256 {hashlib.sha256(data).hexdigest()} (pin it as "
          "bot.abuse.profanity_model.MODEL_SHA256)")
    return 0
