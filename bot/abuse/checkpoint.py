"""Loading a Detoxify checkpoint offline, through the public ``Detoxify`` class, without its traps.

Detoxify 0.5 has four ways to fail on a machine without internet, each handled here:

1. it asks the Hugging Face hub for the base model's config (``bert-base-uncased``) even when
   ``huggingface_config_path`` is given: the checkpoint's ``model_type`` is rewritten to a local folder;
2. a config.json without ``num_labels`` builds a 2-label head and the load fails on a size mismatch:
   the prepared config gets the checkpoint's class count;
3. a tokenizer config without ``model_max_length`` never truncates, and a long message crashes the
   position embeddings: the prepared tokenizer config gets the model's limit;
4. a checkpoint without the classifier weights loads silently with a random head: the state dict's
   keys are checked against the model's parameters first, and such a checkpoint is refused.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.abuse.labels import CLASS_NAME_ALIASES
from bot.errors import ConfigError

log = logging.getLogger(__name__)

#: File names of the released checkpoints (detoxify 0.5.4 ``MODEL_URLS``), looked for in torch's hub cache.
RELEASED_CHECKPOINTS = {
    "original": "toxic_original-c1212f89.ckpt",
    "unbiased": "toxic_debiased-c7548aa0.ckpt",
    "multilingual": "multilingual_debiased-0b549669.ckpt",
    "original-small": "original-albert-0e1d6498.ckpt",
    "unbiased-small": "unbiased-albert-c8519128.ckpt",
}
_WEIGHT_SUFFIXES = (".bin", ".safetensors", ".ckpt", ".pt", ".pth", ".h5", ".msgpack", ".onnx", ".ot")
_POSITION_OFFSET = {"roberta": 2, "xlm-roberta": 2, "camembert": 2}


@dataclass(frozen=True, slots=True)
class LoadedDetoxify:
    detoxify: Any  # detoxify.Detoxify
    class_names: tuple[str, ...]
    max_length: int  # tokens, including the special ones
    checkpoint_sha256: str


def torch_hub_checkpoint_dir() -> Path:
    """Where ``torch.hub`` keeps downloaded checkpoints, computed without importing torch."""
    torch_home = os.environ.get("TORCH_HOME") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "torch"
    )
    return Path(torch_home) / "hub" / "checkpoints"


def locate_checkpoint(model_type: str, checkpoint: Path | None) -> Path | None:
    """The configured checkpoint, else the released one if torch's hub cache holds it; never downloads."""
    if checkpoint is not None:
        if not checkpoint.is_file():
            raise ConfigError(f"DETOXIFY_CHECKPOINT {checkpoint} does not exist or is not a file")
        return checkpoint
    if model_type not in RELEASED_CHECKPOINTS:
        raise ConfigError(
            f"DETOXIFY_MODEL {model_type!r} is not one of {', '.join(RELEASED_CHECKPOINTS)}"
        )
    cached = torch_hub_checkpoint_dir() / RELEASED_CHECKPOINTS[model_type]
    return cached if cached.is_file() else None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _hub_snapshot(model_type: str) -> Path | None:
    """The base model's files if the Hugging Face cache already holds them (no network)."""
    try:
        from huggingface_hub import snapshot_download

        return Path(snapshot_download(model_type, local_files_only=True))
    except Exception:
        return None


def _arch_args(loaded: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(loaded, dict) or "config" not in loaded or "state_dict" not in loaded:
        raise ConfigError("the Detoxify checkpoint must hold a 'config' and a 'state_dict'")
    try:
        args = dict(loaded["config"]["arch"]["args"])
        classes = list(loaded["config"]["dataset"]["args"]["classes"])
    except (KeyError, TypeError):
        raise ConfigError("the Detoxify checkpoint's config lacks arch.args or dataset.args.classes") from None
    for key in ("model_type", "model_name", "tokenizer_name", "num_classes"):
        if key not in args:
            raise ConfigError(f"the Detoxify checkpoint's config lacks arch.args.{key}")
    if len(classes) != int(args["num_classes"]):
        raise ConfigError(
            f"the Detoxify checkpoint names {len(classes)} classes but its head has {args['num_classes']}"
        )
    args["classes"] = classes
    return args


def prepare_hf_dir(source: Path, dest: Path, *, num_classes: int) -> int:
    """Copy config and tokenizer files from ``source`` to ``dest``, fixing what Detoxify trips on.

    Returns the model's token limit (what the tokenizer truncates to).
    """
    config_file = source / "config.json"
    if not config_file.is_file():
        raise ConfigError(f"no config.json in the Detoxify config folder {source}")
    dest.mkdir(parents=True, exist_ok=True)
    for item in source.iterdir():
        if item.is_file() and not item.name.endswith(_WEIGHT_SUFFIXES):
            shutil.copyfile(item, dest / item.name)
    config = json.loads(config_file.read_text())
    if config.get("num_labels") != num_classes or len(config.get("id2label") or {}) != num_classes:
        config["num_labels"] = num_classes
        config["id2label"] = {str(i): f"LABEL_{i}" for i in range(num_classes)}
        config["label2id"] = {f"LABEL_{i}": i for i in range(num_classes)}
    (dest / "config.json").write_text(json.dumps(config, indent=1))
    positions = int(config.get("max_position_embeddings") or 512)
    limit = positions - _POSITION_OFFSET.get(str(config.get("model_type")), 0)
    tok_file = dest / "tokenizer_config.json"
    tok_config = json.loads(tok_file.read_text()) if tok_file.is_file() else {}
    current = tok_config.get("model_max_length")
    if not isinstance(current, int) or current <= 0 or current > limit:
        tok_config["model_max_length"] = limit
        tok_file.write_text(json.dumps(tok_config, indent=1))
    return min(limit, int(tok_config["model_max_length"]))


def check_state_dict(model_name: str, hf_dir: Path, state_dict: dict[str, Any], num_classes: int) -> None:
    """Refuse a state dict that lacks any of the model's parameters (a random head would load silently)."""
    import torch
    import transformers

    model_class = getattr(transformers, model_name, None)
    if model_class is None:
        raise ConfigError(f"the Detoxify checkpoint names an unknown model class {model_name!r}")
    config = model_class.config_class.from_pretrained(str(hf_dir), num_labels=num_classes, local_files_only=True)
    with torch.device("meta"):
        model = model_class(config)
    prefix = model.base_model_prefix
    keys = set(state_dict)
    missing = []
    for name, param in model.named_parameters():
        alternatives = {name, f"{prefix}.{name}", name.removeprefix(f"{prefix}.")}
        found = next((k for k in alternatives if k in keys), None)
        if found is None:
            missing.append(name)
        elif tuple(state_dict[found].shape) != tuple(param.shape):
            raise ConfigError(
                f"the Detoxify checkpoint's {name} has shape {tuple(state_dict[found].shape)}, "
                f"the model expects {tuple(param.shape)}"
            )
    if missing:
        head = [m for m in missing if not m.startswith(f"{prefix}.")]
        what = "the classifier head" if head else "encoder weights"
        raise ConfigError(
            f"the Detoxify checkpoint lacks {len(missing)} parameter(s) of {what} "
            f"(e.g. {', '.join((head or missing)[:3])}); it would load with random weights, refusing it"
        )


def _fingerprint(checkpoint_sha: str, source: Path | None, prepared: Path) -> str:
    """What a prepared folder was made from: the checkpoint, the source files, and where it lives."""
    parts = [checkpoint_sha, str(prepared.resolve())]
    if source is not None and source.is_dir():
        files = sorted(p for p in source.iterdir() if p.is_file())
        parts += [f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def prepare_checkpoint(checkpoint: Path, *, hf_dir: Path | None, work_dir: Path) -> tuple[Path, Path, int, str]:
    """Validate ``checkpoint`` and write a copy Detoxify can load offline, once.

    Returns (patched checkpoint, prepared config folder, token limit, checkpoint sha256). The copy's
    ``model_type`` names the prepared folder, so Detoxify never asks the hub; it is reused while the
    checkpoint and the source folder are unchanged.
    """
    import torch

    sha = file_sha256(checkpoint)
    prepared = work_dir / f"hf-{sha[:16]}"
    patched = prepared / "detoxify-offline.ckpt"
    stamp = prepared / "casewatch.json"
    if stamp.is_file() and patched.is_file():
        info = json.loads(stamp.read_text())
        source = Path(info["source"]) if info.get("source") else None
        if info.get("fingerprint") == _fingerprint(sha, source, prepared) and (hf_dir is None or hf_dir == source):
            return patched, prepared, int(info["limit"]), sha
    try:
        loaded = torch.load(checkpoint, map_location="cpu", weights_only=False)
    except Exception as exc:
        raise ConfigError(f"cannot read the Detoxify checkpoint {checkpoint}: {type(exc).__name__}") from None
    args = _arch_args(loaded)
    source = hf_dir or _hub_snapshot(str(args["model_type"]))
    if source is None:
        raise ConfigError(
            f"no local config/tokenizer for {args['model_type']!r}: set DETOXIFY_HF_DIR to a folder holding "
            "its config.json and tokenizer files (nothing is downloaded)"
        )
    if not source.is_dir():
        raise ConfigError(f"DETOXIFY_HF_DIR {source} is not a folder")
    num_classes = int(args["num_classes"])
    limit = prepare_hf_dir(source, prepared, num_classes=num_classes)
    check_state_dict(str(args["model_name"]), prepared, loaded["state_dict"], num_classes)
    loaded["config"]["arch"]["args"]["model_type"] = str(prepared.resolve())  # trap 1: never ask the hub
    partial = patched.with_suffix(".partial")
    torch.save(loaded, partial)
    del loaded
    os.replace(partial, patched)
    stamp.write_text(json.dumps({"source": str(source), "limit": limit,
                                 "fingerprint": _fingerprint(sha, source, prepared)}))
    return patched, prepared, limit, sha


def load_detoxify(
    checkpoint: Path, *, hf_dir: Path | None, work_dir: Path, model_type: str = "original"
) -> LoadedDetoxify:
    """Load ``checkpoint`` through ``detoxify.Detoxify`` with local files only.

    ``hf_dir`` holds the base model's config.json and tokenizer files (DETOXIFY_HF_DIR); without it,
    the Hugging Face cache is used if it already holds them. ``work_dir`` receives the prepared copy.
    """
    from detoxify import Detoxify

    patched, prepared, limit, sha = prepare_checkpoint(checkpoint, hf_dir=hf_dir, work_dir=work_dir)
    detox = Detoxify(model_type=model_type, checkpoint=str(patched), huggingface_config_path=str(prepared))
    detox.model.eval()
    detox.tokenizer.model_max_length = limit
    class_names = tuple(CLASS_NAME_ALIASES.get(c, c) for c in detox.class_names)
    log.debug("loaded Detoxify checkpoint %s (%d labels, %d tokens)", checkpoint.name, len(class_names), limit)
    return LoadedDetoxify(detoxify=detox, class_names=class_names, max_length=limit, checkpoint_sha256=sha)
