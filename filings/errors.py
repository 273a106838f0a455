"""One error family; every message starts with where the problem is."""

from __future__ import annotations

from dataclasses import dataclass

import click


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file, a line, and the column or key it sits under."""

    file: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.field}" if self.field else where


class FilingsError(click.ClickException):
    """Base of every error the user can act on; Click prints it as `Error: …` and exits 1."""


class DataError(FilingsError):
    """A case file or roster value is missing or wrong."""

    def __init__(self, location: Location | str, message: str) -> None:
        self.location = location
        self.problem = message
        super().__init__(f"{location}: {message}")


class DataErrors(FilingsError):
    """Several data problems, collected before aborting once."""

    def __init__(self, errors: list[DataError], what: str) -> None:
        self.errors = errors
        lines = [e.message for e in errors]
        lines.append(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {what}")
        super().__init__("\n".join(lines))


class TemplateError(FilingsError):
    """A template is broken, or asked for something the data does not have."""


class FormatError(FilingsError):
    """A court format file is missing or invalid."""
