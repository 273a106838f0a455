"""Limits that keep one hostile or broken input from hanging a run or eating the machine.

Every limit has a default that no real roster, case file or document comes near. A team raises one
in `filings.toml` or for one command with `--limit NAME=VALUE`:

    [limits]
    render_seconds = 120

A limit that is hit is an error naming the file (or document) and the limit, never a hang.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from filings.errors import DataError, Location

CONFIG_SECTION = "limits"


@dataclass(frozen=True)
class Limits:
    """The limits in force for one command."""

    file_mb: float = 100.0  # a roster or case file on disk
    cell_chars: int = 10_000  # one roster cell or case-file value, in characters
    yaml_aliases: int = 100  # aliases (*name) in one YAML file: no alias bombs
    nesting: int = 32  # depth of mappings and lists in a JSON or YAML file
    unzipped_mb: float = 200.0  # what an XLSX or DOCX holds once uncompressed
    render_seconds: float = 60.0  # one document's render, both formats and their check
    render_memory_mb: int = 2048  # one rendering process's memory
    pdf_stream_mb: float = 64.0  # one PDF content stream once decompressed, in `filings check`
    # `filings render` reads back from the file the first PDF of each template, court format and
    # language, then every Nth: what only the file can show does not vary between people.
    read_back_every: int = 20

    @property
    def file_bytes(self) -> int:
        return int(self.file_mb * 1024 * 1024)

    @property
    def unzipped_bytes(self) -> int:
        return int(self.unzipped_mb * 1024 * 1024)

    @property
    def pdf_stream_bytes(self) -> int:
        return int(self.pdf_stream_mb * 1024 * 1024)

    @property
    def render_memory_bytes(self) -> int:
        return self.render_memory_mb * 1024 * 1024


DEFAULT = Limits()
NAMES = tuple(f.name for f in dataclasses.fields(Limits))


def _number(name: str, value: object, where: Location) -> float | int:
    kind = type(getattr(DEFAULT, name))
    try:
        number = kind(value) if not isinstance(value, bool) else None
    except (TypeError, ValueError):
        number = None
    if number is None or not math.isfinite(number) or number <= 0:
        whole = "whole " if kind is int else ""
        raise DataError(where, f"{value!r} is not a positive {whole}number")
    return number


def load_limits(
    config: Mapping | None = None, overrides: Sequence[str] = (), config_file: str = "filings.toml"
) -> Limits:
    """The defaults, then `[limits]` from filings.toml, then `--limit NAME=VALUE` options."""
    values: dict[str, float | int] = {}
    section = (config or {}).get(CONFIG_SECTION, {})
    if not isinstance(section, Mapping):
        raise DataError(Location(config_file, field=CONFIG_SECTION), "should be a table")
    for name, value in section.items():
        where = Location(config_file, field=f"{CONFIG_SECTION}.{name}")
        values[name] = _number(_known(name, where), value, where)
    for option in overrides:
        name, sep, value = option.partition("=")
        where = Location("--limit", field=name.strip() or option)
        if not sep:
            raise DataError(where, f"{option!r} should be NAME=VALUE, such as render_seconds=120")
        name = _known(name.strip(), where)
        values[name] = _number(name, value.strip(), where)
    return Limits(**values)


def _known(name: str, where: Location) -> str:
    if name not in NAMES:
        raise DataError(where, f"no limit named {name!r}; the limits are: {', '.join(NAMES)}")
    return name


def exceeded(where: Location | str, name: str, what: str) -> DataError:
    """The error for a limit that was hit: where, what was too much, and how to raise it."""
    return DataError(where, f"{what} (limit {name}; raise it with --limit {name}=N)")


def check_file_size(path: Path, limits: Limits) -> None:
    """Refuse a file larger than `file_mb` before a byte of it is read."""
    if path.stat().st_size > limits.file_bytes:
        raise exceeded(Location(path.name), "file_mb", f"larger than {limits.file_mb:g} MB")


def too_long(limits: Limits) -> str:
    """What a value over `cell_chars` is called in its error."""
    return f"a value longer than {limits.cell_chars:,} characters"
