"""Detectors: each looks at a :class:`ScanContext` and returns the flags it raises."""

from bot.detectors.base import Detector, ScanContext

__all__ = ["Detector", "ScanContext"]
