"""Random-weight Detoxify-shaped checkpoints built locally, for tests and the benchmark.

Inference cost depends on the architecture and sequence length, not on the weight values, so a
random-weight ``bert-base-uncased``-shaped checkpoint measures the same compute as the released
``original`` model without downloading anything.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass
from pathlib import Path

DETOXIFY_ORIGINAL_CLASSES = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")

#: name -> (hidden size, layers, heads, intermediate size, vocab size)
SIZES = {
    "tiny": (32, 2, 2, 64, 0),  # vocab size 0: just the synthetic vocabulary
    "base": (768, 12, 12, 3072, 30522),  # bert-base-uncased
}


@dataclass(frozen=True, slots=True)
class BuiltCheckpoint:
    checkpoint: Path  # the .ckpt file in Detoxify's format
    hf_dir: Path  # config.json, vocab.txt, tokenizer_config.json


_WORDS = (
    "the a an and or of to in on at for with is are was were be been you your he she it they them "
    "his her their i me my we our this that these those not no yes do did does have has had will "
    "would should could can may might must shut up off mouth idiot moron thick stupid muppet police "
    "officer court case judge trial hearing panel school child girl boy family mother father grooming "
    "rape sexual abuse messages charge evidence threat kill hurt smash windows outside wait catch know "
    "where work live see what happens someone ought give beating forget decision disgrace chair"
)


def _vocab(size: int) -> list[str]:
    """A WordPiece vocabulary: specials, characters, common words, then filler tokens up to ``size``."""
    words = _WORDS.split()
    chars = list(string.ascii_lowercase + string.digits + string.punctuation)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *chars, *("##" + c for c in chars)]
    vocab += [w for w in words if w not in vocab]
    n = len(vocab)
    while len(vocab) < size:
        vocab.append(f"tok{len(vocab) - n}")
    return vocab


def build_bert_checkpoint(
    out_dir: Path,
    size: str = "tiny",
    *,
    classes: tuple[str, ...] = DETOXIFY_ORIGINAL_CLASSES,
    max_positions: int = 512,
    seed: int = 0,
) -> BuiltCheckpoint:
    """Write a random-weight ``BertForSequenceClassification`` checkpoint in Detoxify's format.

    The checkpoint's ``model_type`` is ``bert-base-uncased``, as in the released one, so loading it
    through Detoxify without help would reach for the Hugging Face hub.
    """
    import torch
    import transformers

    hidden, layers, heads, inter, vocab_size = SIZES[size]
    out_dir.mkdir(parents=True, exist_ok=True)
    hf_dir = out_dir / "hf"
    hf_dir.mkdir(exist_ok=True)
    vocab = _vocab(vocab_size)
    (hf_dir / "vocab.txt").write_text("\n".join(vocab) + "\n")
    config = transformers.BertConfig(
        vocab_size=len(vocab),
        hidden_size=hidden,
        num_hidden_layers=layers,
        num_attention_heads=heads,
        intermediate_size=inter,
        max_position_embeddings=max_positions,
        num_labels=len(classes),  # type: ignore[call-arg]  # a PretrainedConfig keyword
    )
    config.save_pretrained(hf_dir)
    (hf_dir / "tokenizer_config.json").write_text(
        json.dumps({"do_lower_case": True, "model_max_length": max_positions, "tokenizer_class": "BertTokenizer"})
    )
    torch.manual_seed(seed)
    model = transformers.BertForSequenceClassification(config)
    state_dict = {k: v.contiguous() for k, v in model.state_dict().items()}
    loaded = {
        "config": {
            "arch": {
                "type": "BERT",
                "args": {
                    "model_type": "bert-base-uncased",
                    "model_name": "BertForSequenceClassification",
                    "tokenizer_name": "BertTokenizer",
                    "num_classes": len(classes),
                },
            },
            "dataset": {"args": {"classes": list(classes)}},
        },
        "state_dict": state_dict,
    }
    ckpt = out_dir / f"detoxify-{size}.ckpt"
    torch.save(loaded, ckpt)
    return BuiltCheckpoint(checkpoint=ckpt, hf_dir=hf_dir)
