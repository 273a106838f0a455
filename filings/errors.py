"""One error family; every message starts with where the problem is."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file, a row, and the column or key it sits under.

    Printed as the user looks for it: `roster.csv:14` (a line), `roster.xlsx[Class members]!C14`
    (a cell; `…!14` for the whole row), `roster.json[3]` (a list item, counted from 0).
    """

    file: str
    line: int | None = None
    field: str | None = None
    sheet: str | None = None  # a worksheet; `line` is then its row number
    column: str | None = None  # the worksheet column's letter, for one cell
    index: int | None = None  # a JSON list item, counted from 0 as `jq '.[3]'` does
    # A part of a written document: `page 3`, `paragraph 12 (Body Text)`, `line 7 of the
    # rendered HTML` (`file` is then the document's file, or what the document is).
    part: str | None = None

    @property
    def place(self) -> str:
        """The file and row (or cell), without the field: `roster.xlsx[Sheet1]!C14`."""
        if self.sheet is not None:
            return f"{self.file}[{self.sheet}]!{self.column or ''}{self.line or ''}"
        if self.index is not None:
            return f"{self.file}[{self.index}]"
        return self.file if self.line is None else f"{self.file}:{self.line}"

    @property
    def row(self) -> int | None:
        """The row as the file counts it: a line, a worksheet row or a list index."""
        return self.index if self.index is not None else self.line

    @property
    def cell(self) -> str | None:
        """The worksheet cell (`C14`), when the location is one."""
        return f"{self.column}{self.line}" if self.sheet is not None and self.column else None

    def __str__(self) -> str:
        return ": ".join(p for p in (self.place, self.field, self.part) if p)


class FilingsError(Exception):
    """Base of every error the user can act on. The core raises it and never prints; the CLI (and
    only the CLI) shows `.message` as `Error: …` and exits 1."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def printable(text: str) -> str:
    """`text` with each character a terminal would not simply print written out as Python
    writes it (`\\x00`, `\\u202e`): a header or value from a hostile file must not ring the
    bell, move the cursor, reorder the line or hide part of the message."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def located(location: Location | str | None) -> Location | None:
    """A location given as text (`roster.csv:14`, `templates at v1.2`) as a Location."""
    return Location(location) if isinstance(location, str) else location


class LocatedError(FilingsError):
    """An error at one place: `.location` says where (None for what is at no place, such as a
    name given on the command line), `.problem` what is wrong; the message is `place: problem`."""

    def __init__(self, location: Location | str | None, message: str) -> None:
        self.location = located(location)
        self.problem = message
        super().__init__(message if self.location is None else f"{self.location}: {message}")


class DataError(LocatedError):
    """A case file or roster value is missing or wrong."""

    def __init__(self, location: Location | str, message: str, value: str | None = None) -> None:
        super().__init__(location, printable(message))
        self.message = printable(self.message)  # the place too: it may come from a hostile file
        self.value = value  # the one value at fault, as written, for the errors CSV


class DataErrors(FilingsError):
    """Several data problems, collected before aborting once."""

    def __init__(self, errors: list[DataError], what: str) -> None:
        self.errors = errors
        lines = [e.message for e in errors]
        lines.append(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in {what}")
        super().__init__("\n".join(lines))


class TemplateError(LocatedError):
    """A template is broken, or asked for something the data does not have: its location is the
    template file and line (`templates/stay-motion/motion.html.j2:31`)."""


class FormatError(LocatedError):
    """A court format file is missing or invalid: its location is the format file, line and key."""
