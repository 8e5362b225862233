"""A tiny identifying-detail corpus and the artefacts trained on it (built once per test session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.identity_model.train import train_identity

POSITIVES = {
    "home": ["she lives in the blue house on Elm Road", "he lives in the flat above the bakery on Quay Street",
             "the girl lives in the cottage with the red gate", "she lives at the end of Mill Row by the pond",
             "he lives in the caravan behind the garage", "the lad lives above the launderette on Hope Street"],
    "vehicle": ["she drives a yellow Mini with a dent in the door", "he drives a black pickup with a roof rack",
                "the girl's dad drives a green van with a ladder", "she drives a white Polo with a bike rack",
                "he rides a red moped with a top box", "she drives a silver Clio with stickers"],
}
NEGATIVES = {
    "none:legal": ["the trial starts on Monday at the crown court", "the jury went out after lunch",
                   "anonymity lasts for life under the Act", "the judge adjourned the case",
                   "sentencing will be next month", "he denies all the charges"],
    "none:own": ["I live near there and it's quiet", "my son goes to a school nearby",
                 "I drive past it every day", "my mum works at a shop in town",
                 "I have lived here for years", "we moved away when I was young"],
}


def write_corpus(path: Path) -> Path:
    lines = ["label\tsource\tgroup\ttext"]
    for table in (POSITIVES, NEGATIVES):
        for label, texts in table.items():
            lines += [f"{label}\t{'a' if i % 2 else 'b'}\t{label}-{i // 2}\t{t}" for i, t in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    """(artefact directory, training figures) for a model trained on the tiny corpus."""
    out = tmp_path_factory.mktemp("identity-model")
    figures = train_identity(write_corpus(out / "corpus.tsv"), head_path=out / "detail_head.json",
                             card_path=out / "card.md", folds=2, say=lambda _: None)
    return out, figures
