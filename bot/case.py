"""The case file contract (TOML): id, title, jurisdiction, sources and protected parties.

A loaded :class:`CaseFile` holds registered names in memory only until they are hashed into a
registry (``bot.registry``); it is never logged, stored or printed. Its ``repr`` hides them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.errors import CaseFileError
from bot.source import Source


class ProtectedParty(BaseModel):
    model_config = ConfigDict(extra="ignore")

    label: str = Field(min_length=1)
    basis: str = ""
    names: list[str] = Field(default_factory=list, repr=False)
    identifiers: list[str] = Field(default_factory=list, repr=False)

    def __repr__(self) -> str:  # never show the registered strings
        return f"ProtectedParty(label={self.label!r}, names=<{len(self.names)}>, identifiers=<{len(self.identifiers)}>)"

    __str__ = __repr__


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    title: str = ""
    jurisdiction: str = "GB"
    sources: list[Source] = Field(default_factory=list)
    protected: list[ProtectedParty] = Field(default_factory=list)
    base_dir: Path = Field(default=Path("."), exclude=True)

    def source_path(self, source: Source) -> Path | None:
        """The local copy of a source, resolved against the case file's folder."""
        return (self.base_dir / source.path).resolve() if source.path else None

    @property
    def labels(self) -> list[str]:
        return [p.label for p in self.protected]


def parse_case(text: str, *, base_dir: Path = Path("."), origin: str = "case file") -> CaseFile:
    """Parse TOML text into a :class:`CaseFile`; raises :class:`CaseFileError` with one clear line."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CaseFileError(f"{origin} is not valid TOML: {exc}") from None
    except RecursionError:
        raise CaseFileError(f"{origin} is nested too deeply to be a case file") from None
    try:
        case = CaseFile.model_validate(data)
    except RecursionError:
        raise CaseFileError(f"{origin} is nested too deeply to be a case file") from None
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise CaseFileError(f"{origin} is invalid at {where}: {first['msg']}") from None
    case.base_dir = base_dir
    return case


def load_case(path: str | Path) -> CaseFile:
    """Read and validate a case file."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise CaseFileError(f"cannot read case file {p}: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseFileError(f"case file {p} is not UTF-8 text") from None
    return parse_case(text, base_dir=p.resolve().parent, origin=f"case file {p.name}")
