"""alt-profanity-check's model, read without scikit-learn: the same probabilities, a fraction of the start-up.

The ``alt-profanity-check`` package ships a TF-IDF vectorizer (word unigrams) and five sigmoid-calibrated linear
SVMs as joblib pickles; loading them imports scikit-learn and SciPy's statistics, about a second of every
process's start. Their numbers are exported once to ``bot/data/abuse/profanity_linear.npz`` (sha256 pinned
here, checked at load: a changed file fails closed) and applied here with the same operations in the same order:
lower-cased tokens of the vectorizer's pattern counted per vocabulary term (terms in column order), times idf,
each row scaled to unit length with its squares added left to right (scikit-learn's row normaliser), the SVMs'
decision values by SciPy's sparse product, each calibrator's ``1 / (1 + exp(a * f + b))`` with the C library's
``exp``, and the five probabilities averaged in order. ``tests/abuse/test_profanity_model.py`` checks them
against the package bit for bit, and the shipped file against what the installed package exports.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import sparse

from bot.errors import ConfigError

MODEL_PATH = Path(__file__).resolve().parent.parent / "data" / "abuse" / "profanity_linear.npz"
#: sha256 of the shipped export (``python -m bot train profanity`` writes it and prints the new value).
MODEL_SHA256 = "8b740b0aa3853709a055fedfb392c2eda273f3a0e951c787e7bb76e43996e63c"
#: The vectorizer's token pattern, on lower-cased text.
TOKEN = re.compile(r"(?u)\b\w\w+\b")


@dataclass(frozen=True)
class ProfanityModel:
    """The exported numbers: vocabulary (term -> column), idf, and per calibrated SVM its weights, intercept and
    sigmoid (a, b)."""

    terms: tuple[str, ...]
    idf: np.ndarray  # (V,)
    coef: np.ndarray  # (k, V)
    intercept: np.ndarray  # (k,)
    a: np.ndarray  # (k,)
    b: np.ndarray  # (k,)
    _column: dict[str, int] = field(init=False, repr=False, compare=False)  # term -> column
    _weights_t: np.ndarray = field(init=False, repr=False, compare=False)  # coef transposed, (V, k), contiguous

    def __post_init__(self) -> None:
        v = len(self.terms)
        k = self.intercept.shape[0]
        if self.idf.shape != (v,) or self.coef.shape != (k, v) or self.a.shape != (k,) or self.b.shape != (k,):
            raise ConfigError("the profanity model's arrays do not fit together: re-export it with "
                              "`python -m bot train profanity`")
        object.__setattr__(self, "_column", {t: i for i, t in enumerate(self.terms)})
        object.__setattr__(self, "_weights_t", np.ascontiguousarray(self.coef.T))

    @property
    def mean_coef(self) -> np.ndarray:
        """The SVMs' weights averaged per term (how strongly the model reads each word as profane)."""
        return np.asarray(np.mean(self.coef, axis=0), dtype=np.float64)

    def features(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """TF-IDF rows, unit length: the vectorizer's ``transform``."""
        column = self._column
        indptr = [0]
        indices: list[int] = []
        data: list[float] = []
        for text in texts:
            counts: dict[int, int] = {}
            for token in TOKEN.findall(text.lower()):
                j = column.get(token)
                if j is not None:
                    counts[j] = counts.get(j, 0) + 1
            row = sorted(counts)
            values = [counts[j] * float(self.idf[j]) for j in row]
            total = 0.0
            for x in values:  # left to right, as scikit-learn's row normaliser adds them
                total += x * x
            if total != 0.0:
                norm = math.sqrt(total)
                values = [x / norm for x in values]
            indices += row
            data += values
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(data, dtype=np.float64), np.asarray(indices, dtype=np.int32),
                                  np.asarray(indptr, dtype=np.int32)), shape=(len(texts), len(self.terms)))

    def predict_prob(self, texts: Sequence[str]) -> list[float]:
        """Per text, the probability that it is profane (alt-profanity-check's ``predict_prob``)."""
        if not texts:
            return []
        decisions = np.asarray(self.features(texts) @ self._weights_t)
        decisions = decisions + self.intercept[None, :]
        a, b = self.a.tolist(), self.b.tolist()
        out = []
        for row in decisions.tolist():
            mean = 0.0
            for f, ak, bk in zip(row, a, b, strict=True):
                mean += 1.0 / (1.0 + math.exp(ak * f + bk))  # expit(-(a f + b))
            out.append(mean / len(row))
        return out

    def to_bytes(self) -> bytes:
        buf = io.BytesIO()
        np.savez_compressed(buf, terms=np.asarray(self.terms, dtype=str), idf=self.idf, coef=self.coef,
                            intercept=self.intercept, a=self.a, b=self.b)
        return buf.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes, where: Path | str = MODEL_PATH) -> ProfanityModel:
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as npz:
                return cls(tuple(str(t) for t in npz["terms"].tolist()), *(np.asarray(npz[k], dtype=np.float64)
                                                                           for k in ("idf", "coef", "intercept",
                                                                                     "a", "b")))
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise ConfigError(f"the profanity model {where} cannot be read: {exc}") from exc


def load(path: Path = MODEL_PATH, sha256: str | None = None) -> ProfanityModel:
    """The model at ``path``, its bytes checked against ``sha256`` (the shipped file's by default)."""
    expected = MODEL_SHA256 if sha256 is None else sha256
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"the profanity model {path} is missing: reinstall Casewatch") from exc
    if expected and hashlib.sha256(data).hexdigest() != expected:
        raise ConfigError(f"the profanity model {path} does not match its pinned sha256: restore it, or re-export "
                          "it with `python -m bot train profanity`")
    return ProfanityModel.from_bytes(data, path)


_LOCK = threading.Lock()
_SHIPPED: list[ProfanityModel] = []


def shipped_model() -> ProfanityModel:
    """The shipped model, loaded once per process."""
    with _LOCK:
        if not _SHIPPED:
            _SHIPPED.append(load())
        return _SHIPPED[0]


def export_installed() -> ProfanityModel:
    """The numbers of the installed ``alt-profanity-check`` package (imports scikit-learn: training time only)."""
    from profanity_check import profanity_check as pc

    vectorizer, model = pc.vectorizer, pc.model
    if getattr(model, "method", "sigmoid") != "sigmoid" or vectorizer.ngram_range != (1, 1) \
            or vectorizer.norm != "l2" or vectorizer.sublinear_tf or not vectorizer.lowercase:
        raise ConfigError("the installed alt-profanity-check model is not the kind this reader knows")
    parts = model.calibrated_classifiers_
    svms = [getattr(c, "estimator", None) or c.base_estimator for c in parts]
    terms = tuple(str(t) for t in vectorizer.get_feature_names_out())
    return ProfanityModel(
        terms=terms,
        idf=np.asarray(vectorizer.idf_, dtype=np.float64),
        coef=np.asarray([s.coef_[0] for s in svms], dtype=np.float64),
        intercept=np.asarray([s.intercept_[0] for s in svms], dtype=np.float64),
        a=np.asarray([c.calibrators[0].a_ for c in parts], dtype=np.float64),
        b=np.asarray([c.calibrators[0].b_ for c in parts], dtype=np.float64),
    )
