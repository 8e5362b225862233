"""The labelled abuse corpus under ``tests/data/abuse/corpus/``: one message a line, grouped by file and source.

File format (see ``tests/data/abuse/README.md``): the file's stem is its category. Abuse files (``insult.txt``,
``threat.txt`` ...) label every line with their category; hard-negative files (``neg_<kind>.txt``) carry no
label. ``## source: NAME`` switches the source (the writer/register the lines imitate) for the lines after it;
``# ...`` lines are comments; ``{+label,label} text`` adds labels to one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bot.errors import InputError

#: The harm labels the learned scorer is trained on, in output order.
CORPUS_LABELS = (
    "insult", "threat", "violence", "intimidation", "sexual_harassment", "self_harm", "identity_attack", "doxxing",
)
NEGATIVE_PREFIX = "neg_"
DEFAULT_CORPUS_DIR = Path(__file__).resolve().parents[2] / "tests" / "data" / "abuse" / "corpus"
_EXTRA = re.compile(r"^\{\+([a-z_,\s]+)\}\s*")


@dataclass(frozen=True, slots=True)
class Example:
    text: str
    labels: tuple[str, ...]  # empty for a hard negative
    category: str  # the file's category: a label, or the hard-negative kind ("factual", "criticism", ...)
    source: str

    @property
    def abusive(self) -> bool:
        return bool(self.labels)


def _parse(path: Path) -> list[Example]:
    stem = path.stem
    negative = stem.startswith(NEGATIVE_PREFIX)
    category = stem.removeprefix(NEGATIVE_PREFIX)
    if not negative and category not in CORPUS_LABELS:
        raise InputError(f"{path.name}: unknown corpus category {category!r} (known: {', '.join(CORPUS_LABELS)})")
    source = "unknown"
    out = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("## source:"):
            source = line.split(":", 1)[1].strip() or "unknown"
            continue
        if line.startswith("#"):
            continue
        labels = set() if negative else {category}
        match = _EXTRA.match(line)
        if match:
            extra = {x.strip() for x in match.group(1).split(",") if x.strip()}
            unknown = extra - set(CORPUS_LABELS)
            if unknown:
                raise InputError(f"{path.name}:{number}: unknown label(s) {sorted(unknown)}")
            labels |= extra
            line = line[match.end():]
        out.append(Example(line, tuple(sorted(labels)), category, source))
    return out


def load_corpus(directory: Path = DEFAULT_CORPUS_DIR) -> list[Example]:
    """Every example, files in name order; InputError when the directory is missing or a line is malformed."""
    files = sorted(Path(directory).glob("*.txt"))
    if not files:
        raise InputError(f"no corpus files (*.txt) in {directory}")
    rows: list[Example] = []
    for path in files:
        rows += _parse(path)
    return rows
