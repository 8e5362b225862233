"""The factory picks the scorer each ABUSE_BACKEND setting asks for, offline, and says which."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.abuse import factory
from bot.abuse.factory import OFFLINE_DEFAULT, build_scorer
from bot.settings import Settings


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "empty-torch-home"))  # no Detoxify weights anywhere
    monkeypatch.delenv("ABUSE_LEARNED", raising=False)
    return Settings(_env_file=None, onnx_cache_dir=tmp_path / "onnx")  # type: ignore[call-arg]


@pytest.mark.parametrize(("backend", "key"), [
    ("fallback", "fallback"), ("learned", "learned"), ("static", "static"), ("cascade", "static+learned"),
])
def test_each_offline_backend_builds_its_scorer(settings: Settings, backend: str, key: str) -> None:
    scorer = build_scorer(settings.model_copy(update={"abuse_backend": backend}))
    assert scorer.key == key
    assert scorer.is_fallback is (backend == "fallback")


def test_auto_without_weights_uses_the_offline_default(settings: Settings) -> None:
    expected = {"fallback": "fallback", "static": "static", "cascade": "static+learned"}[OFFLINE_DEFAULT]
    assert build_scorer(settings).key == expected


def test_abuse_learned_still_selects_the_learned_scorer_under_auto(settings: Settings,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ABUSE_LEARNED", "1")
    assert build_scorer(settings).key == "learned"


def test_cascade_without_the_full_encoder_is_the_static_scorer_and_says_so(
        settings: Settings, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    import bot.abuse.learned as learned

    def broken(*args: object, **kwargs: object) -> None:
        raise OSError("encoder file unreadable")

    monkeypatch.setattr(learned.LearnedScorer, "__init__", broken)
    with caplog.at_level("WARNING", logger="bot.abuse"):
        scorer = build_scorer(settings.model_copy(update={"abuse_backend": "cascade"}))
    assert scorer.key == "static"
    assert "static scorer decides alone" in caplog.text


def test_auto_falls_back_when_the_default_cannot_import(settings: Settings, monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    def missing() -> None:
        raise ImportError("no module named model2vec")

    monkeypatch.setattr(factory, "OFFLINE_DEFAULT", "static")
    monkeypatch.setitem(factory._OFFLINE, "static", missing)
    with caplog.at_level("WARNING", logger="bot.abuse"):
        scorer = build_scorer(settings)
    assert scorer.key == "fallback" and "static abuse scorer unavailable" in caplog.text


def test_the_tuned_second_opinion_joins_the_static_scorer_only_when_asked_for(settings: Settings) -> None:
    from bot.abuse.factory import build_detector

    assert build_detector(settings).second_opinion is None  # off by default
    on = build_detector(settings.model_copy(update={"abuse_second_opinion": "on"}))
    assert on.second_opinion is not None and "second opinion: tuned" in on.scorer_name
    assert list((settings.onnx_cache_dir).glob("tuned-*.onnx"))  # the patched graph is kept for the next process
    learned = build_detector(settings.model_copy(update={"abuse_second_opinion": "on", "abuse_backend": "learned"}))
    assert learned.second_opinion is None  # beside the static scorer only
