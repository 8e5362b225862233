"""The case file contract (TOML): id, title, jurisdiction, sources and protected parties.

A loaded :class:`CaseFile` holds registered names in memory only until they are hashed into a
registry (``bot.registry``); it is never logged, stored or printed. Its ``repr`` hides them.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.errors import CaseFileError
from bot.source import Source

MAX_TOKEN_CHARS = 100  # a registered word longer than this is no name (and would make hashing costly)


def _check_tokens(values: list[str]) -> list[str]:
    for value in values:
        if any(len(tok) > MAX_TOKEN_CHARS for tok in value.split()):
            raise ValueError(f"a name or identifier has a word longer than {MAX_TOKEN_CHARS} characters")
    return values


class ProtectedParty(BaseModel):
    model_config = ConfigDict(extra="ignore")

    label: str = Field(min_length=1)
    basis: str = ""
    names: list[str] = Field(default_factory=list, repr=False)
    identifiers: list[str] = Field(default_factory=list, repr=False)

    _tokens = field_validator("names", "identifiers")(classmethod(lambda cls, v: _check_tokens(v)))

    def __repr__(self) -> str:  # never show the registered strings
        return f"ProtectedParty(label={self.label!r}, names=<{len(self.names)}>, identifiers=<{len(self.identifiers)}>)"

    __str__ = __repr__


class PublicParty(BaseModel):
    """Someone (or an organisation) the case names in public: a defendant named in open court, family who
    spoke to the press, the court, the force, a club. Details about them are not evidence about a
    protected party; a name that is also a protected party's stays protected."""

    model_config = ConfigDict(extra="ignore")

    label: str = Field(min_length=1)
    basis: str = ""
    names: list[str] = Field(default_factory=list, repr=False)

    _tokens = field_validator("names")(classmethod(lambda cls, v: _check_tokens(v)))

    def __repr__(self) -> str:
        return f"PublicParty(label={self.label!r}, names=<{len(self.names)}>)"

    __str__ = __repr__


class CaseFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    title: str = ""
    jurisdiction: str = "GB"
    sources: list[Source] = Field(default_factory=list)
    protected: list[ProtectedParty] = Field(default_factory=list)
    public: list[PublicParty] = Field(default_factory=list)
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
