"""One roster row as the file holds it, and where each of its values stands."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filings.errors import DataError, Location
from filings.inputs.columns import Header


@dataclass
class RawRow:
    """One roster row as the file holds it: column -> value, plus where it stands.

    Values are text, except dates an XLSX file holds as dates (kept as `datetime.date`) and, in
    JSON or YAML, a list or mapping where one value belongs (which validation rejects).
    """

    source: str
    line: int | None
    values: dict[str, Any]
    header: Header | None = None
    overflow: int = 0  # filled cells beyond the header's columns (CSV: a sign of shifted data)
    stray: dict[int, str] = field(default_factory=dict)  # column index -> a value under no header
    sheet: str | None = None
    index: int | None = None  # JSON: the item's place in the list, from 0
    lines: dict[str, int] = field(default_factory=dict)  # YAML: each key's own line

    @property
    def headers(self) -> dict[str, str]:
        """Column -> the header as the file writes it."""
        return self.header.written if self.header else {}

    def at_position(self, index: int) -> Location:
        """Where the row's cell in column `index` (from 0) is: for a cell under no header."""
        if self.sheet is None:
            return Location(self.source, self.line, f"column {index + 1}")
        from openpyxl.utils import get_column_letter

        return Location(
            self.source, self.line, sheet=self.sheet, column=get_column_letter(index + 1)
        )

    def at(self, column: str | None = None) -> Location:
        """Where this row (or one of its cells) is, as the user would look for it."""
        if column is None:
            return Location(self.source, self.line, sheet=self.sheet, index=self.index)
        letter = self.header.letters.get(column) if self.header else None
        return Location(
            self.source,
            self.lines.get(column, self.line),
            self.headers.get(column, column),
            self.sheet,
            letter,
            self.index,
        )


def undecodable(path: Path, encoding: str, exc: UnicodeDecodeError) -> DataError:
    return DataError(
        Location(path.name),
        f"is not {encoding} text ({exc.reason}); name the file's encoding (--encoding)",
    )
