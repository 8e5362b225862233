"""Detoxify weights on demand: ``python -m bot models pull`` and where a pulled checkpoint lives.

A pull downloads the configured Detoxify checkpoint (Detoxify's own release URL for ``DETOXIFY_MODEL``, or
``DETOXIFY_URL`` for a mirror) and its base model's config and tokenizer files (``DETOXIFY_HF_URL``: the
base model's file directory, e.g. a mirror of ``bert-base-uncased``), verifies the checkpoint's SHA-256
(``DETOXIFY_SHA256``, else the hash prefix in the release file name, as torch.hub does), stores everything
under ``<data>/models/detoxify-<model>/`` with a manifest, then exports ONNX int8 once. After that,
``ABUSE_BACKEND=auto`` finds it (see :func:`pulled_checkpoint`). Nothing is fetched at run time.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.settings import Settings

MANIFEST = "manifest.json"
#: Detoxify 0.5's release URLs (``detoxify.detoxify.MODEL_URLS``), used when no mirror is configured.
RELEASE_BASE = "https://github.com/unitaryai/detoxify/releases/download/"
RELEASE_PATHS = {
    "original": "v0.1-alpha/toxic_original-c1212f89.ckpt",
    "unbiased": "v0.3-alpha/toxic_debiased-c7548aa0.ckpt",
    "multilingual": "v0.4-alpha/multilingual_debiased-0b549669.ckpt",
    "original-small": "v0.1.2/original-albert-0e1d6498.ckpt",
    "unbiased-small": "v0.1.2/unbiased-albert-c8519128.ckpt",
}
#: Files of the base model's directory: config.json is required, and at least one tokenizer file.
BASE_FILES = ("config.json", "tokenizer_config.json", "vocab.txt", "tokenizer.json", "special_tokens_map.json",
              "vocab.json", "merges.txt", "spiece.model", "sentencepiece.bpe.model")
TOKENIZER_FILES = ("vocab.txt", "tokenizer.json", "vocab.json", "spiece.model", "sentencepiece.bpe.model")
MAX_CHECKPOINT_BYTES = 3 * 1024**3
MAX_BASE_FILE_BYTES = 64 * 1024**2
_HASH_PREFIX = re.compile(r"-([0-9a-f]{8,64})\.[A-Za-z0-9]+$")


def models_dir(settings: Settings) -> Path:
    """Pulled models live beside the ONNX cache, under the data directory: ``<data>/models/detoxify-<model>``."""
    return Path(settings.onnx_cache_dir).parent / "models" / f"detoxify-{settings.detoxify_model}"


def pulled_checkpoint(settings: Settings) -> Path | None:
    """The checkpoint a previous pull stored and verified, or None."""
    found = pulled(settings)
    return found[0] if found else None


def pulled(settings: Settings) -> tuple[Path, Path] | None:
    """(checkpoint, base model dir) of a previous pull whose checkpoint still matches its manifest, or None."""
    target = models_dir(settings)
    try:
        data = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
        checkpoint = target / str(data["checkpoint"])
        hf_dir = target / str(data["hf_dir"])
        size = int(data["checkpoint_bytes"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not checkpoint.is_file() or checkpoint.stat().st_size != size or not (hf_dir / "config.json").is_file():
        return None
    return checkpoint, hf_dir


@dataclass(frozen=True, slots=True)
class PullResult:
    checkpoint: Path
    hf_dir: Path
    sha256: str
    onnx_dir: Path | None


def _setting(settings: Settings, name: str) -> str | None:
    value = str(getattr(settings, name, None) or "").strip()
    return value or None


def checkpoint_url(settings: Settings) -> str:
    url = _setting(settings, "detoxify_url")
    if url:
        return url
    if settings.detoxify_model not in RELEASE_PATHS:
        raise ConfigError(f"DETOXIFY_MODEL {settings.detoxify_model!r} has no release URL: set DETOXIFY_URL")
    return RELEASE_BASE + RELEASE_PATHS[settings.detoxify_model]


def expected_sha256(settings: Settings, url: str) -> str:
    """``DETOXIFY_SHA256``, else the hash prefix in the file name (``toxic_original-c1212f89.ckpt``)."""
    pinned = _setting(settings, "detoxify_sha256")
    if pinned:
        if not re.fullmatch(r"[0-9a-fA-F]{64}", pinned):
            raise ConfigError("DETOXIFY_SHA256 must be 64 hex digits")
        return pinned.lower()
    match = _HASH_PREFIX.search(url.split("?", 1)[0])
    if not match:
        raise ConfigError("cannot verify the checkpoint: set DETOXIFY_SHA256 (its file name carries no hash prefix)")
    return match.group(1).lower()


async def _download(session: Any, url: str, dest: Path, limit: int) -> str:
    """Stream ``url`` to ``dest`` (at most ``limit`` bytes); returns the SHA-256. ConfigError on HTTP errors."""
    import aiohttp

    digest = hashlib.sha256()
    size = 0
    try:
        async with session.get(url) as response:
            if response.status != 200:
                raise ConfigError(f"download failed: HTTP {response.status} for {url}")
            with dest.open("wb") as out:
                async for block in response.content.iter_chunked(1 << 20):
                    size += len(block)
                    if size > limit:
                        raise ConfigError(f"download of {url} exceeds {limit} bytes")
                    digest.update(block)
                    out.write(block)
    except aiohttp.ClientError as exc:
        raise ConfigError(f"download failed for {url}: {type(exc).__name__}") from exc
    return digest.hexdigest()


async def pull(settings: Settings, *, export: bool = True, say: Callable[[str], None] = print) -> PullResult:
    """Download, verify, store and (with ``export``) convert to ONNX int8; an existing pull is replaced."""
    import aiohttp

    url = checkpoint_url(settings)
    expected = expected_sha256(settings, url)
    base_url = _setting(settings, "detoxify_hf_url")
    if not base_url:
        raise ConfigError("set DETOXIFY_HF_URL to the base model's file directory (config.json, tokenizer files)")
    target = models_dir(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".pull-", dir=target.parent))
    try:
        name = Path(url.split("?", 1)[0]).name or "checkpoint.ckpt"
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=120)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            say(f"fetching checkpoint {name}")
            sha = await _download(session, url, staging / name, MAX_CHECKPOINT_BYTES)
            if not sha.startswith(expected):
                raise ConfigError(f"checkpoint SHA-256 {sha[:16]}... does not match the expected {expected[:16]}...")
            hf = staging / "hf"
            hf.mkdir()
            fetched = []
            for file in BASE_FILES:
                try:
                    await _download(session, f"{base_url.rstrip('/')}/{file}", hf / file, MAX_BASE_FILE_BYTES)
                    fetched.append(file)
                except ConfigError:
                    (hf / file).unlink(missing_ok=True)
            if "config.json" not in fetched or not set(fetched) & set(TOKENIZER_FILES):
                raise ConfigError(f"{base_url} has no config.json or no tokenizer file")
        manifest = {"checkpoint": name, "checkpoint_sha256": sha, "checkpoint_bytes": (staging / name).stat().st_size,
                    "hf_dir": "hf", "base_files": fetched, "model": settings.detoxify_model, "url": url}
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    say(f"verified SHA-256 {sha[:16]}... stored in {target}")
    onnx_dir = None
    if export:
        from bot.abuse.factory import onnx_scorer_for

        scorer = onnx_scorer_for(settings, target / name, target / "hf")
        onnx_dir = getattr(scorer, "model_dir", None)
        say(f"exported ONNX ({settings.onnx_precision}): {scorer.name}")
    return PullResult(target / name, target / "hf", sha, onnx_dir)
