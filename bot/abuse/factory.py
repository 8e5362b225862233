"""Choosing the best scorer available and saying which one is active."""

from __future__ import annotations

import logging
from pathlib import Path

from bot.abuse.detector import AbuseDetector
from bot.abuse.fallback import ProfanityScorer
from bot.abuse.labels import AbuseThresholds
from bot.abuse.scorer import Scorer
from bot.errors import CasewatchError, ConfigError
from bot.settings import Settings

log = logging.getLogger(__name__)


def _load(settings: Settings, checkpoint: Path):  # -> LoadedDetoxify
    from bot.abuse.checkpoint import load_detoxify

    return load_detoxify(
        checkpoint,
        hf_dir=settings.detoxify_hf_dir,
        work_dir=settings.onnx_cache_dir,
        model_type=settings.detoxify_model,
    )


def _onnx_scorer(settings: Settings, checkpoint: Path) -> Scorer:
    from bot.abuse.checkpoint import file_sha256
    from bot.abuse.onnx_backend import OnnxScorer, export_onnx, is_exported, onnx_dir_for

    model_dir = onnx_dir_for(settings.onnx_cache_dir, file_sha256(checkpoint), settings.detoxify_model)
    if not is_exported(model_dir):
        log.info("exporting Detoxify %s to ONNX in %s (once; needs torch)", settings.detoxify_model, model_dir)
        export_onnx(_load(settings, checkpoint), model_dir, settings.detoxify_model)
    return OnnxScorer(model_dir, settings.onnx_precision)


def onnx_scorer_for(settings: Settings, checkpoint: Path, hf_dir: Path) -> Scorer:
    """The ONNX Detoxify scorer for a pulled checkpoint (exports it once; ``models pull`` calls this)."""
    return _onnx_scorer(settings.model_copy(update={"detoxify_hf_dir": hf_dir}), checkpoint)


def _detoxify_scorer(settings: Settings, checkpoint: Path) -> Scorer:
    from bot.abuse.detoxify_backend import DetoxifyScorer

    return DetoxifyScorer(_load(settings, checkpoint), settings.detoxify_model)


def _learned_scorer() -> Scorer:
    from bot.abuse.learned import LearnedScorer

    return LearnedScorer()


def _static_scorer() -> Scorer:
    from bot.abuse.static import StaticScorer

    return StaticScorer()


def _cascade_scorer() -> Scorer:
    from bot.abuse.static import CascadeScorer, StaticScorer

    static = StaticScorer()
    try:
        from bot.abuse.learned import LearnedScorer

        return CascadeScorer(static, LearnedScorer())
    except (CasewatchError, ImportError, OSError, RuntimeError, ValueError) as exc:
        log.warning("full encoder unavailable for the cascade (%s): the static scorer decides alone", exc)
        return static


#: What ``ABUSE_BACKEND=auto`` uses without Detoxify weights (see :func:`_offline_scorer`). Wave 6: the static
#: scorer (distilled vectors + n-grams) with per-label evidence (:mod:`bot.abuse.evidence`). The evidence rules took
#: its false alarms on the 17 red-team and 23 fresh identity threads from 33 to 2, one of them the pattern layer's
#: (the fallback: 1, the same one), while its recall on the nine fresh abuse threads stayed 0.65-1.00 against the
#: fallback's 0.06-0.30 (docs/abuse.md, "Wave 6").
OFFLINE_DEFAULT = "static"
_OFFLINE = {"learned": _learned_scorer, "static": _static_scorer, "cascade": _cascade_scorer}


def _offline_scorer(backend: str) -> Scorer:
    """An explicit offline backend (``learned``, ``static``, ``cascade``) loads or raises ConfigError. ``auto``
    without weights: the learned scorer with ``ABUSE_LEARNED=1``, else :data:`OFFLINE_DEFAULT`. The learned
    scorer that cannot load falls back to alt-profanity-check + patterns (review only) and says so; the shipped
    default whose artefact fails its checksum (or is missing) is a ConfigError: fail closed, one line."""
    from bot.abuse.learned import learned_disabled

    if backend in _OFFLINE:
        return _OFFLINE[backend]()
    choice = "learned" if not learned_disabled() else OFFLINE_DEFAULT
    if choice in _OFFLINE:
        try:
            return _OFFLINE[choice]()
        except ConfigError:
            if choice != "learned":  # the shipped default's files are corrupt or missing: refuse to start
                raise
            log.warning("learned abuse scorer unavailable: using the offline fallback (review only)")
        except (CasewatchError, ImportError, OSError, RuntimeError, ValueError) as exc:
            log.warning("%s abuse scorer unavailable (%s): using the offline fallback (review only)", choice, exc)
    return ProfanityScorer()


def _with_learned(primary: Scorer) -> Scorer:
    """Detoxify combined with the learned scorer when it loads (see bot.abuse.combined), else Detoxify alone."""
    from bot.abuse.combined import CombinedScorer
    from bot.abuse.learned import learned_disabled

    if learned_disabled():
        return primary
    try:
        return CombinedScorer(primary, _learned_scorer())
    except (CasewatchError, ImportError, OSError, RuntimeError, ValueError) as exc:
        log.warning("learned abuse scorer unavailable (%s): Detoxify scores alone", exc)
        return primary


def build_scorer(settings: Settings) -> Scorer:
    """The scorer ``ABUSE_BACKEND`` asks for.

    ``auto``: with Detoxify weights (``models pull`` or DETOXIFY_CHECKPOINT), ONNX Detoxify (else torch
    Detoxify), combined with the learned scorer when ``ABUSE_LEARNED=1``; without them the offline scorer
    (:func:`_offline_scorer`). ``learned``, ``static``, ``cascade`` and ``fallback`` never look for weights.
    """
    from bot.abuse.checkpoint import locate_checkpoint

    backend = settings.abuse_backend
    if backend == "fallback":
        return ProfanityScorer()
    if backend in _OFFLINE:
        return _offline_scorer(backend)
    checkpoint = locate_checkpoint(settings.detoxify_model, settings.detoxify_checkpoint)
    if checkpoint is None:
        from bot.abuse.pull import pulled

        found = pulled(settings)
        if found is not None:
            checkpoint, hf_dir = found
            settings = settings.model_copy(update={"detoxify_hf_dir": hf_dir})
    if checkpoint is None:
        if backend != "auto":
            raise ConfigError(
                f"ABUSE_BACKEND={backend} needs Detoxify weights: run `python -m bot models pull` or set "
                "DETOXIFY_CHECKPOINT (and DETOXIFY_HF_DIR)"
            )
        log.info("no Detoxify weights found: abuse scoring uses the offline scorer")
        return _offline_scorer(backend)
    if backend == "onnx":
        return _onnx_scorer(settings, checkpoint)
    if backend == "detoxify":
        return _detoxify_scorer(settings, checkpoint)
    for build in (_onnx_scorer, _detoxify_scorer):
        try:
            return _with_learned(build(settings, checkpoint))
        except (CasewatchError, ImportError, OSError, RuntimeError, ValueError) as exc:
            log.warning("abuse scorer %s unavailable: %s", build.__name__.strip("_"), exc)
    log.warning("no Detoxify backend could load: abuse scoring uses the learned offline scorer")
    return _offline_scorer(backend)


def build_detector(settings: Settings, thresholds: AbuseThresholds | None = None) -> AbuseDetector:
    """The abuse detector for ``settings``; logs which scorer is active."""
    scorer = build_scorer(settings)
    log.info("abuse scorer: %s", scorer.name)
    second = None
    if scorer.key == "static" and settings.abuse_second_opinion == "on":
        from bot.abuse.tuned import TunedScorer

        # shipped beside the static heads: a missing or altered adapter refuses to start
        second = TunedScorer(cache_dir=settings.onnx_cache_dir)
        log.info("abuse second opinion: %s", second.name)
    return AbuseDetector(scorer, thresholds, second_opinion=second)
