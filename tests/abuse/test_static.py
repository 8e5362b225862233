"""The static abuse scorer: distillation, the sha-pinned artefact, bounded scoring, the cascade, behaviour."""

from __future__ import annotations

import json
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.abuse import static as static_mod
from bot.abuse import static_distill as sd
from bot.abuse.detector import AbuseDetector
from bot.abuse.scorer import Scores
from bot.abuse.static import (
    MAX_PIECES,
    STATIC_HEAD,
    STATIC_NGRAMS,
    STATIC_VECTORS,
    CascadeScorer,
    StaticScorer,
    specific_only,
)
from bot.errors import ConfigError

TINY_VOCAB = ["[PAD]", "[unused0]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "van", "shame", "court", "##s",
              "jury", "verdict", "knock", "door", "heard"]


class FakeEncoder:
    """Stands in for MiniLM: a fixed pseudo-random 12-d output per (CLS, piece, SEP) sequence."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def token_id(self, token: str) -> int:
        return TINY_VOCAB.index(token)

    def pooled_ids(self, sequences: Sequence[Sequence[int]]) -> np.ndarray:
        self.calls += [list(s) for s in sequences]
        rows = [np.random.default_rng(1000 * s[1] + 7).normal(size=12) for s in sequences]
        return np.asarray(rows, dtype=np.float32)


@pytest.fixture
def tiny_tokenizer(tmp_path: Path) -> Path:
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps({"model": {"vocab": {p: i for i, p in enumerate(TINY_VOCAB)}}}), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def scorer() -> StaticScorer:
    return StaticScorer()


def test_distillation_on_a_tiny_vocabulary_is_shaped_and_deterministic(tiny_tokenizer: Path) -> None:
    encoder = FakeEncoder()
    first = sd.distill(encoder, tiny_tokenizer, pca_dims=4, sif=1e-3)
    second = sd.distill(FakeEncoder(), tiny_tokenizer, pca_dims=4, sif=1e-3)
    assert first.vectors.shape == (len(TINY_VOCAB), 4) and first.vectors.dtype == np.float32
    assert np.array_equal(first.vectors, second.vectors)
    reserved = [TINY_VOCAB.index(p) for p in ("[PAD]", "[unused0]", "[CLS]", "[SEP]", "[MASK]")]
    assert not first.vectors[reserved].any()  # reserved pieces are never distilled and add nothing
    assert first.vectors[TINY_VOCAB.index("van")].any()
    assert all(seq[0] == 3 and seq[2] == 4 and len(seq) == 3 for seq in encoder.calls)  # [CLS] piece [SEP]
    assert sorted(seq[1] for seq in encoder.calls) == sd.kept_ids(TINY_VOCAB)
    assert sd.to_bytes(first) == sd.to_bytes(second)  # same vectors, same artefact bytes, same sha256


def test_distillation_through_the_real_encoder_is_deterministic() -> None:
    from bot.abuse.encoder import TOKENIZER_PATH, MiniLMEncoder

    encoder = MiniLMEncoder()
    ids = [encoder.token_id(p) for p in ("the", "van", "shame", "court", "jury", "verdict", "knock", "door")]
    a = sd.distill(encoder, TOKENIZER_PATH, pca_dims=4, ids=ids)
    b = sd.distill(encoder, TOKENIZER_PATH, pca_dims=4, ids=ids)
    assert a.vectors.shape == (30522, 4)
    assert np.array_equal(a.vectors, b.vectors)
    assert np.count_nonzero(np.abs(a.vectors).sum(axis=1)) == len(ids)


def test_pca_keeps_the_largest_variance_first_with_fixed_signs() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 6)) * np.array([10.0, 5.0, 1.0, 0.5, 0.2, 0.1])
    reduced = sd.pca(x, 3)
    variances = reduced.var(axis=0)
    assert variances[0] > variances[1] > variances[2]
    assert np.allclose(reduced, sd.pca(-x, 3))  # signs fixed by the data, not by the solver
    assert all(reduced[np.abs(reduced[:, k]).argmax(), k] > 0 for k in range(3))


def test_four_bit_quantisation_round_trips_within_half_a_step() -> None:
    rng = np.random.default_rng(5)
    v = (rng.normal(size=(50, 8)) * rng.uniform(0.01, 5.0, size=(50, 1))).astype(np.float32)
    v[7] = 0.0
    packed, scale = sd.quantise(v)
    assert packed.shape == (50, 4) and packed.dtype == np.uint8
    back = sd.dequantise(packed, scale)
    step = np.abs(v).max(axis=1, keepdims=True) / 7.0
    assert np.all(np.abs(back - v) <= step * 0.51 + 1e-3)
    assert not back[7].any()


def test_artefact_checksum_is_verified_and_a_corrupt_file_fails_closed(tmp_path: Path) -> None:
    vectors, head = tmp_path / "static_vectors.npz", tmp_path / "static_head.json"
    shutil.copy(STATIC_VECTORS, vectors)
    shutil.copy(STATIC_HEAD, head)
    shutil.copy(STATIC_NGRAMS, tmp_path / STATIC_NGRAMS.name)
    StaticScorer(vectors, head)  # the shipped set loads
    data = bytearray(vectors.read_bytes())
    data[len(data) // 2] ^= 0x01  # one flipped bit
    vectors.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match="do not match the sha256") as caught:
        StaticScorer(vectors, head)
    assert "\n" not in str(caught.value)
    vectors.unlink()
    with pytest.raises(ConfigError, match="no static abuse vectors"):
        StaticScorer(vectors, head)


def test_the_ngram_artefact_is_pinned_too_and_fails_closed(tmp_path: Path) -> None:
    for path in (STATIC_VECTORS, STATIC_HEAD, STATIC_NGRAMS):
        shutil.copy(path, tmp_path / path.name)
    grams = tmp_path / STATIC_NGRAMS.name
    data = bytearray(grams.read_bytes())
    data[-20] ^= 0x01
    grams.write_bytes(bytes(data))
    with pytest.raises(ConfigError, match=r"n-gram weights .* do not match the sha256") as caught:
        StaticScorer(tmp_path / STATIC_VECTORS.name, tmp_path / STATIC_HEAD.name)
    assert "\n" not in str(caught.value)
    grams.unlink()
    with pytest.raises(ConfigError, match="no static abuse n-gram weights"):
        StaticScorer(tmp_path / STATIC_VECTORS.name, tmp_path / STATIC_HEAD.name)


def test_the_generic_label_alone_is_held_under_its_threshold() -> None:
    labels = ("abuse", "insult", "threat")
    thresholds = [0.8, 0.9, 0.7]
    probs = np.array([[0.95, 0.2, 0.1],    # generic alone: held just under 0.8
                      [0.95, 0.92, 0.1],   # with an insult: kept
                      [0.3, 0.1, 0.75]])   # a specific label alone still flags
    out = specific_only(probs, labels, thresholds)
    assert 0.79 <= out[0, 0] < 0.8
    scorer = StaticScorer()
    texts = ["@member_a have a look at page two, it's all there", "@member_b you are a vile worthless troll"]
    for row in scorer.score_many(texts):  # as output (calibrated, rounded): the generic label flags only with another
        over = {label for label, value in row.items() if value >= 0.5}
        assert over != {"abuse"}
    assert np.array_equal(out[1:], probs[1:]) and np.array_equal(out[:, 1:], probs[:, 1:])


def test_a_corrupt_default_artefact_stops_the_factory_instead_of_degrading(tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.abuse import factory
    from bot.settings import Settings

    bad = tmp_path / "static_vectors.npz"
    bad.write_bytes(STATIC_VECTORS.read_bytes()[:-10])
    monkeypatch.setattr(static_mod, "STATIC_VECTORS", bad)
    monkeypatch.setattr(factory, "OFFLINE_DEFAULT", "static")
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "no-torch-home"))
    monkeypatch.delenv("ABUSE_LEARNED", raising=False)
    settings = Settings(_env_file=None, onnx_cache_dir=tmp_path / "onnx")  # type: ignore[call-arg]
    for backend in ("auto", "static", "cascade"):
        with pytest.raises(ConfigError, match="sha256"):
            factory.build_scorer(settings.model_copy(update={"abuse_backend": backend}))


def test_a_4000_character_message_is_scored_from_a_bounded_number_of_pieces(scorer: StaticScorer) -> None:
    words = "the defendant told the jury he never went near the house that night and the "
    long = (words * 60)[:4000]
    pieces = scorer.embedder.model.tokenize([long])[0]
    assert len(pieces) == MAX_PIECES  # the message has more; only the first MAX_PIECES are read
    tail = long + " and you are a vile worthless scumbag who should be strung up"
    a, b = scorer.embedder.embed([long, tail])
    assert np.allclose(a, b)
    [scores] = scorer.score_many([tail])
    assert set(scores) == set(scorer.labels) and all(0.0 <= v <= 1.0 for v in scores.values())


def test_a_veiled_threat_scores_above_a_factual_court_report(scorer: StaticScorer) -> None:
    threat = "Nice quiet road you live on mate. Be a real pity if that car of yours got torched one night."
    report = ("The court heard the defendant set fire to a parked car outside a neighbour's house in 2019; "
              "he admitted arson and was sentenced to three years.")
    t, r = scorer.score_many([threat, report])
    assert t["threat"] > r["threat"] and max(t.values()) > max(r.values())
    detector = AbuseDetector(scorer)
    flagged, clean = detector.detect_many([threat, report])
    assert flagged and not clean


def test_encouraging_self_harm_flags_and_support_does_not(scorer: StaticScorer) -> None:
    detector = AbuseDetector(scorer)
    cruel, kind = detector.detect_many([
        "@morrow_walker honestly nobody would care if you swallowed the lot tonight, go on",
        "@morrow_walker if this thread is getting to you please talk to someone, the Samaritans are on 116 123",
    ])
    assert cruel and cruel[0].kind in {"self_harm", "abuse", "intimidation", "insult"}
    assert not kind


class CountingScorer:
    """A full scorer that records what it is asked and answers a fixed score."""

    key = "counting"
    name = "counting"
    is_fallback = False

    def __init__(self, labels: tuple[str, ...]):
        self.labels = labels
        self.asked: list[str] = []

    def score_many(self, texts: Sequence[str]) -> list[Scores]:
        self.asked += list(texts)
        return [{label: 0.123 for label in self.labels} for _ in texts]


def test_cascade_sends_only_unsure_messages_to_the_full_scorer(scorer: StaticScorer) -> None:
    full = CountingScorer(scorer.head.labels)  # the heads; the profanity voice stays static
    cascade = CascadeScorer(scorer, full, low=0.5)
    texts = ["The appeal was dismissed this morning.", "I hope the other prisoners deal with him properly",
             "Sentencing is listed for the 14th."]
    margins = scorer.margins(scorer.probabilities(texts))
    out = cascade.score_many(texts)
    sent = [t for t, m in zip(texts, margins, strict=True) if m >= 0.5]
    assert full.asked == sent and sent  # the wish for violence is unsure-or-worse for the static heads
    for text, row in zip(texts, out, strict=True):
        assert (row["abuse"] == 0.123) == (text in sent)  # the full scorer's answer replaces the static one
    assert cascade.sent == len(sent) and cascade.seen == len(texts)


def test_cascade_needs_matching_labels(scorer: StaticScorer) -> None:
    with pytest.raises(ConfigError, match="same labels"):
        CascadeScorer(scorer, CountingScorer(("toxicity",)))


def test_character_ngrams_built_per_word_equal_the_vectorizers_own() -> None:
    """static_ngrams.char_counts (cached per word) gives exactly sklearn's char_wb counts, cold and warm."""
    from bot.abuse import static_ngrams

    texts = ["Shame if her boss heard, innit", "ΣΊΣΥΦΟΣ and ΌΣΟΣ wrote it", "tab\tsep  double\n\nnewline", "", "   ",
             "I", "émigré Straße İstanbul", "@x you're a gutless little shit", "Shame if her boss heard, innit"]
    _, char = static_ngrams.hashing_vectorizers()
    want = char.transform(texts)
    for _ in range(2):  # the second pass reads every word from the cache
        got = static_ngrams.char_counts(texts)
        assert got.shape == want.shape and (got != want).nnz == 0
