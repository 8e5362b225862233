"""``train abuse`` is reproducible and writes a head the scorer loads (on a small slice of the corpus)."""

from __future__ import annotations

from pathlib import Path

from bot.abuse.corpus import DEFAULT_CORPUS_DIR
from bot.abuse.learned import HeadMeta, LearnedScorer


def _slice(dest: Path, per_file: int = 10) -> Path:
    dest.mkdir()
    for path in sorted(DEFAULT_CORPUS_DIR.glob("*.txt")):
        lines = path.read_text(encoding="utf-8").splitlines()
        kept, sources = [], 0
        for line in lines:
            if line.startswith("## source:"):
                sources += 1
                if sources > 2:
                    break
            kept.append(line)
        body = [x for x in kept if x and not x.startswith("#")][:per_file]
        heads = [x for x in kept if x.startswith("## source:")][:1]
        (dest / path.name).write_text("\n".join(heads + body) + "\n", encoding="utf-8")
    return dest


def test_training_is_reproducible_and_the_head_loads(tmp_path: Path) -> None:
    from bot.abuse.train import train

    corpus = _slice(tmp_path / "corpus")
    outputs = []
    kept = "<!-- kept across retraining -->\n## Whole-thread scans\n\n| thread | P |\n"
    (tmp_path / "b.md").write_text("# old card\n\n" + kept, encoding="utf-8")
    for run in ("a", "b"):
        head, meta, card = tmp_path / f"{run}.onnx", tmp_path / f"{run}.json", tmp_path / f"{run}.md"
        figures = train(corpus, cache_dir=tmp_path / "cache", head_path=head, meta_path=meta, card_path=card,
                        say=lambda _line: None, external=False)
        outputs.append((head.read_bytes(), meta.read_text(encoding="utf-8")))
        assert "Leave one category out" in card.read_text(encoding="utf-8")
        assert set(figures["leave_one_category_out"]) >= {"insult", "threat", "factual"}
    assert (tmp_path / "b.md").read_text(encoding="utf-8").endswith("\n" + kept)  # hand-measured part survives
    assert "<!-- kept across retraining -->" not in (tmp_path / "a.md").read_text(encoding="utf-8")
    assert outputs[0] == outputs[1]  # fixed seed, deterministic solver: byte-identical head
    scorer = LearnedScorer(head_path=tmp_path / "a.onnx", meta_path=tmp_path / "a.json")
    assert scorer.labels == HeadMeta.load(tmp_path / "a.json").labels
    (row,) = scorer.score_many(["you absolute muppet"])
    assert set(row) == set(scorer.labels) and all(0.0 <= v <= 1.0 for v in row.values())
