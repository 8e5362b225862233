"""``models pull`` against a loopback HTTP server that serves a tiny checkpoint the test builds."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from aiohttp import web

from bot.abuse import build_detector
from bot.abuse.pull import models_dir, pull, pulled
from bot.abuse.synthetic import BuiltCheckpoint
from bot.errors import ConfigError
from bot.settings import Settings
from tests.loopback import serve


def _app(built: BuiltCheckpoint, name: str) -> web.Application:
    async def checkpoint(_request: web.Request) -> web.FileResponse:
        return web.FileResponse(built.checkpoint)

    app = web.Application()
    app.router.add_get(f"/releases/{name}", checkpoint)
    app.router.add_static("/bert/", built.hf_dir)
    return app


def _settings(tmp_path: Path, **kw: object) -> Settings:
    return Settings(_env_file=None, onnx_cache_dir=tmp_path / "data" / "onnx", **kw)  # type: ignore[call-arg]


async def test_pull_verifies_stores_exports_and_auto_uses_it(
    tiny_checkpoint: BuiltCheckpoint, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty-torch-home"))
    monkeypatch.setenv("ABUSE_LEARNED", "1")
    sha = hashlib.sha256(tiny_checkpoint.checkpoint.read_bytes()).hexdigest()
    name = f"toxic_tiny-{sha[:8]}.ckpt"  # the release naming: the hash prefix verifies the download
    async with serve(_app(tiny_checkpoint, name)) as base:
        monkeypatch.setenv("DETOXIFY_URL", f"{base}/releases/{name}")  # read from the environment like any setting
        settings = _settings(tmp_path, detoxify_hf_url=f"{base}/bert")
        assert settings.detoxify_url == f"{base}/releases/{name}"
        result = await pull(settings, say=lambda _line: None)
    assert result.sha256 == sha
    assert result.checkpoint.parent == models_dir(settings)
    assert (result.hf_dir / "config.json").is_file()
    assert pulled(settings) == (result.checkpoint, result.hf_dir)
    detector = build_detector(settings)  # ABUSE_BACKEND=auto: the pulled weights, combined with the learned scorer
    assert detector.scorer.key == "onnx-int8+learned"
    assert any(p.name.startswith("original-") for p in (tmp_path / "data" / "onnx").iterdir())


async def test_a_checkpoint_that_fails_its_sha256_is_not_stored(
    tiny_checkpoint: BuiltCheckpoint, tmp_path: Path
) -> None:
    async with serve(_app(tiny_checkpoint, "tiny.ckpt")) as base:
        urls = {"detoxify_url": f"{base}/releases/tiny.ckpt", "detoxify_hf_url": f"{base}/bert"}
        settings = _settings(tmp_path, detoxify_sha256="0" * 64, **urls)
        with pytest.raises(ConfigError, match="does not match"):
            await pull(settings, say=lambda _line: None)
        settings = _settings(tmp_path, **urls)
        with pytest.raises(ConfigError, match="DETOXIFY_SHA256"):  # no pinned hash, none in the name
            await pull(settings, say=lambda _line: None)
    assert pulled(settings) is None
    assert not models_dir(settings).exists()
