"""The inference fast paths give the reference numbers bit for bit, on the shipped artefacts.

``StaticEmbedder.embed`` (word pieces per space-separated chunk, kept) against model2vec's own ``encode``;
``static_ngrams.row_counts`` (own hashing of the vectorizers' n-grams, kept per n-gram) against sklearn's
HashingVectorizer counts; the identity scorer's ``gram_logits`` against the n-gram block's sparse product. Every
hand-written text the repository keeps, plus awkward Unicode, whitespace and length cases."""

from __future__ import annotations

import numpy as np
import pytest

from bot.abuse import static_ngrams
from bot.abuse.bench_scan import source_texts
from bot.abuse.static import STATIC_VECTORS, StaticEmbedder
from bot.abuse.static_distill import load_vectors

AWKWARD = [
    "", " ", "   ", "I", "a b", "a  b", " lead", "trail ", "tab\tsep  double\n\nnewline", "a\x1cb c\u00a0d e\u2003f",
    "ΣΊΣΥΦΟΣ and ΌΣΟΣ wrote it", "émigré Straße İstanbul", "e\u0301 \u0301x", "中文字 mixed中文 text",
    "\ufeffbom \u200bzero\u200cwidth", "\u202eevil\u202c and \u2066isolate\u2069", "x" * 5000, "word " * 700,
    "Shame if her boss heard, innit", "@x you're a gutless little shit", "07700 900123 / +44 7700 900 123",
    "she lives in the blue house on Elm Road!!! (honestly)", "don't won't can't y'all", "l33t 5p34k n4m3",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    return source_texts() + AWKWARD


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    from bot.abuse.static import StaticHead

    return StaticEmbedder(load_vectors(STATIC_VECTORS, StaticHead.load().vectors_sha256))


def test_the_embedding_is_model2vecs_bit_for_bit(embedder: StaticEmbedder, texts: list[str]) -> None:
    want = embedder.embed_reference(texts)
    for _ in range(2):  # cold, then every chunk from the cache
        got = embedder.embed(texts)
        assert got.dtype == want.dtype and got.shape == want.shape
        assert np.array_equal(got, want)
    one_by_one = np.vstack([embedder.embed([t]) for t in texts[:500]])
    assert np.array_equal(one_by_one, want[:500])


def test_the_pieces_are_the_tokenizers_own(embedder: StaticEmbedder, texts: list[str]) -> None:
    sample = texts[::7] + AWKWARD
    want = embedder.model.tokenize([t[:embedder._chars] for t in sample])  # model2vec's own, untruncated here
    got = embedder.piece_ids(sample)
    assert got == [ids[: len(g)] for ids, g in zip(want, got, strict=True)]
    assert all(len(g) == min(len(w), 512) for g, w in zip(got, want, strict=True))


def test_hashed_counts_are_the_vectorizers_own(texts: list[str]) -> None:
    reference = static_ngrams.reference_counts(texts)
    rows, cols, count = static_ngrams.row_counts(texts)
    indptr = np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=len(texts)))])
    from scipy import sparse

    fast = sparse.csr_matrix((count, cols.astype(np.int32), indptr), shape=reference.shape)
    small = sparse.vstack([static_ngrams.counts(texts[i:i + 9]) for i in range(0, len(texts), 9)], format="csr")
    assert (small != reference).nnz == 0
    assert fast.shape == reference.shape and fast.dtype == reference.dtype
    assert np.array_equal(fast.indptr, reference.indptr) and np.array_equal(fast.indices, reference.indices)
    assert np.array_equal(fast.data, reference.data)
    want = reference.tocoo()
    order = np.lexsort((want.col, want.row))
    for _ in range(2):  # cold, then every n-gram from the cache
        rows, cols, count = static_ngrams.row_counts(texts)
        assert np.array_equal(rows, want.row[order])
        assert np.array_equal(cols, want.col[order])
        assert np.array_equal(count, want.data[order])


def test_the_identity_scorers_gram_logits_are_the_blocks_own(texts: list[str]) -> None:
    from bot.identity_model.scorer import DetailScorer, gram_logits

    scorer = DetailScorer.load()
    sample = texts[::5] + AWKWARD
    assert np.allclose(gram_logits(scorer.grams, sample), scorer.grams.logits(sample), rtol=0, atol=1e-12)
    batch = gram_logits(scorer.grams, sample)  # a row's numbers do not depend on its batch
    assert np.array_equal(np.vstack([gram_logits(scorer.grams, [t]) for t in sample]), batch)


def test_the_caches_stay_bounded(monkeypatch: pytest.MonkeyPatch, embedder: StaticEmbedder) -> None:
    from bot.abuse import static as static_mod

    monkeypatch.setattr(static_ngrams, "WORD_CACHE_SIZE", 50)
    monkeypatch.setattr(static_mod, "PIECE_CACHE_SIZE", 50)
    many = [f"word{i} and word{i + 1} again" for i in range(300)]
    want = static_ngrams.reference_counts(many).tocoo()
    rows, _, _ = static_ngrams.row_counts(many)
    assert len(rows) == want.nnz
    assert np.array_equal(embedder.embed(many), embedder.embed_reference(many))
    assert len(embedder._pieces) <= 50 + 4 * 300
    assert len(static_ngrams._WORD_SLOTS) <= 51 + 300 * 8


def test_the_hash_is_sklearns_murmurhash(texts: list[str]) -> None:
    """The n-gram slots come from mmh3 at run time; they are scikit-learn's murmurhash3_32, signed, seed 0."""
    from sklearn.utils import murmurhash3_32

    grams = {g for t in texts[::7] + AWKWARD for g in static_ngrams.word_grams(t)} | {"", "é", "中文", "\ud7ff"}
    assert all(static_ngrams._murmurhash(g) == murmurhash3_32(g, seed=0) for g in grams)


def test_the_abuse_heads_ngram_logits_are_unchanged(texts: list[str]) -> None:
    """The static abuse scorer's n-gram logits from the fast counts equal those from sklearn's, bit for bit."""
    from bot.abuse.static import STATIC_NGRAMS, StaticHead

    block = static_ngrams.NgramBlock.load(STATIC_NGRAMS, StaticHead.load().ngrams_sha256)
    sample = texts[::3] + AWKWARD
    want = np.asarray(static_ngrams.weigh(static_ngrams.reference_counts(sample), block.idf) @ block.weights)
    assert np.array_equal(block.logits(sample), want)
    for size in (1, 3, 8, static_ngrams.BULK - 1):  # the micro-batches, batch by batch
        got = np.vstack([block.logits(sample[i:i + size]) for i in range(0, len(sample), size)])
        assert np.array_equal(got, want)


def test_a_sentences_verdict_does_not_depend_on_its_batch(texts: list[str]) -> None:
    """Verdicts are kept per sentence: a sentence scored alone, in a batch, or from the cache gets the same."""
    from bot.identity_model.scorer import MAX_SENTENCES, DetailScorer

    scorer = DetailScorer.load()
    sample = texts[::11][:300] + AWKWARD

    def fresh_scorer() -> DetailScorer:  # the same artefacts, nothing kept yet
        return DetailScorer(scorer.head, scorer.grams, scorer.embedder)

    batched = np.vstack([scorer.probabilities(sample[i:i + MAX_SENTENCES])
                         for i in range(0, len(sample), MAX_SENTENCES)])
    alone = np.vstack([scorer.probabilities([t]) for t in sample])
    assert np.array_equal(batched, alone)
    fresh = fresh_scorer()
    first = [v for i in range(0, len(sample), 5) for v in fresh.verdicts(sample[i:i + 5])]
    again = fresh.verdicts(sample[:MAX_SENTENCES])  # from the cache
    assert first[:MAX_SENTENCES] == again
    assert [v for t in sample for v in fresh_scorer().verdicts([t])] == first
