"""One roster row as the file holds it, and where each of its values stands."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filings.errors import DataError, Location
from filings.inputs.columns import Header


def column_letter(number: int) -> str:
    """A worksheet's column (1 -> A). openpyxl is imported for a workbook only: it is a fifth
    of what a worker process imports."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(number)


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
    # What reading found wrong with the row itself (a key written twice, a quote left open):
    # the row is rejected with these, besides any problem its values have.
    faults: list[DataError] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        """Column -> the header as the file writes it."""
        return self.header.written if self.header else {}

    def at_position(self, index: int) -> Location:
        """Where the row's cell in column `index` (from 0) is: for a cell under no header."""
        if self.sheet is None:
            return Location(self.source, self.line, f"column {index + 1}")
        return Location(self.source, self.line, sheet=self.sheet, column=column_letter(index + 1))

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


# --- text encodings ----------------------------------------------------------------------------

# Byte-order marks, UTF-32 first: UTF-32-LE's mark begins with UTF-16-LE's.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SNIFF = 4096  # bytes looked at for NUL bytes


def _all_nul(head: bytes, offsets: tuple[int, ...], width: int) -> bool:
    return all(head[i] == 0 for i in range(len(head)) if i % width in offsets)


def _wide(head: bytes) -> str | None:
    """UTF-16 or UTF-32 without a byte-order mark, by where its NUL bytes fall: text that is
    mostly ASCII has a NUL in the high bytes of every character."""
    head = head[: len(head) // 4 * 4]
    if _all_nul(head, (2, 3), 4) and not _all_nul(head, (0,), 4):
        return "utf-32-le"
    if _all_nul(head, (0, 1), 4) and not _all_nul(head, (3,), 4):
        return "utf-32-be"
    # A character whose low byte is NUL (U+0100, U+4E00 一) is rare; ASCII's high byte always is.
    odd, even = head[1::2], head[0::2]
    if odd.count(0) * 2 >= len(odd) and even.count(0) * 8 < len(even):
        return "utf-16-le"
    if even.count(0) * 2 >= len(even) and odd.count(0) * 8 < len(odd):
        return "utf-16-be"
    return None


def sniff_encoding(path: Path, hint: str) -> str | None:
    """The encoding a byte-order mark or the NUL bytes of UTF-16 or UTF-32 say, else None.

    Any other file holding NUL bytes is not text: refused, rather than read as UTF-8 with the
    NULs printed into the messages. `hint` says what to save it as.
    """
    with open(path, "rb") as stream:
        head = stream.read(SNIFF)
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return encoding
    if b"\0" not in head:
        return None
    if wide := _wide(head):
        return wide
    raise not_text(path, hint)


def not_text(path: Path, hint: str) -> DataError:
    return DataError(Location(path.name), f"holds NUL bytes, so it is not text; save it as {hint}")


def read_text(path: Path, encoding: str | None = None, hint: str = "UTF-8") -> str:
    """The whole file as text: in `encoding`, else as its byte-order mark or NUL bytes say,
    else UTF-8 (with or without a byte-order mark)."""
    encoding = encoding or sniff_encoding(path, hint) or "utf-8-sig"
    try:
        with open(path, encoding=encoding) as stream:
            return stream.read()
    except LookupError:
        raise DataError(Location(path.name), f"{encoding!r} is not an encoding") from None
    except UnicodeDecodeError as exc:
        raise undecodable(path, encoding, exc) from None
