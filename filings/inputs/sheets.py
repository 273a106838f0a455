"""Read a roster kept as a table, CSV or an XLSX worksheet: find the header, stream the rows."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import warnings
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from pathlib import Path
from typing import Any

from filings.errors import DataError, Location
from filings.inputs.columns import DATE_COLUMNS, Header, known_count, map_header
from filings.inputs.limits import Limits, exceeded, too_long
from filings.inputs.normalize import excel_date
from filings.inputs.rows import RawRow, column_letter, not_text, sniff_encoding, undecodable
from filings.inputs.text import number_text

DELIMITERS = (",", ";", "\t")
HEADER_SEARCH = 20  # rows looked through for the header, below any title rows
Convert = Callable[[str, Any], Any]  # (column, worksheet value) -> the value the row keeps


# --- CSV ---------------------------------------------------------------------------------------


CSV_HINT = "CSV UTF-8 (or name its encoding with --encoding)"


def detect_encoding(path: Path) -> str:
    """UTF-8 (with or without a byte-order mark) if every byte is, else Windows-1252.

    UTF-16 with a byte-order mark is Excel's "Unicode Text"; UTF-16 and UTF-32 without one are
    known by their NUL bytes, and any other file with NUL bytes is refused as not text. Reads in
    chunks: no file is held.
    """
    if wide := sniff_encoding(path, CSV_HINT):
        return wide
    with open(path, "rb") as stream:
        start = stream.read(4)
        stream.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8-sig")()
        try:
            while chunk := stream.read(1 << 16):
                if b"\0" in chunk:
                    raise not_text(path, CSV_HINT)
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            if start.startswith(codecs.BOM_UTF8):
                raise DataError(
                    Location(path.name),
                    "starts as UTF-8 (a byte-order mark) but "
                    "is not UTF-8 text; save it again as CSV UTF-8",
                ) from None
            return "cp1252"
    return "utf-8-sig"


def detect_delimiter(sample: str) -> str:
    """The one of comma, semicolon and tab that splits the first rows into the most cells."""
    lines = sample.splitlines()[:HEADER_SEARCH]

    def width(delimiter: str) -> int:
        try:
            return max((len(r) for r in csv.reader(lines, delimiter=delimiter)), default=0)
        except csv.Error:
            return 0

    return max(DELIMITERS, key=width)  # ties go to the comma, the first


def csv_rows(
    path: Path, table: dict[str, str], encoding: str | None, limits: Limits
) -> Iterator[RawRow]:
    encoding = encoding or detect_encoding(path)
    # The csv module's own bound on one value; it is per process, and every reader sets it.
    csv.field_size_limit(limits.cell_chars)
    try:
        stream = open(path, encoding=encoding, newline="")
    except LookupError:
        raise DataError(Location(path.name), f"{encoding!r} is not an encoding") from None
    with stream:
        try:
            delimiter = detect_delimiter(stream.read(1 << 16))
            stream.seek(0)
        except UnicodeDecodeError as exc:
            raise undecodable(path, encoding, exc) from None
        reader = csv.reader(stream, delimiter=delimiter)
        lines = _csv_lines(reader, path, encoding, limits)
        for row in _table_rows(lines, path.name, table, limits=limits):
            row.faults += _open_quotes(row, delimiter)
            yield row


def _csv_lines(
    reader: Any, path: Path, encoding: str, limits: Limits
) -> Iterator[tuple[int, list[str]]]:
    """Each row with the line it starts on (a quoted value may span lines)."""
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except UnicodeDecodeError as exc:
        raise undecodable(path, encoding, exc) from None
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise exceeded(Location(path.name, line), "cell_chars", too_long(limits)) from None
        raise DataError(Location(path.name, line), f"cannot read this line: {exc}") from None


DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _open_quotes(row: RawRow, delimiter: str) -> list[DataError]:
    """A value that runs on over a line holding as many delimiters as the header: a quote left
    open has read the rows below into this value. A note on several lines has far fewer."""
    width = len(row.header.keys) if row.header else 0
    faults = []
    for column, value in row.values.items():
        if width < 3 or not isinstance(value, str) or "\n" not in value:
            continue
        lines = value.rstrip("\r\n").split("\n")
        rowlike = [i for i, text in enumerate(lines) if i and text.count(delimiter) >= width - 1]
        if rowlike:
            i = rowlike[0]
            count, name = lines[i].count(delimiter), DELIMITER_NAMES[delimiter]
            faults.append(
                DataError(
                    row.at(column),
                    (
                        f"runs on over {len(lines)} lines, and line {row.line + i} has "
                        f'{count} {name} like a row of its own: a quote (") is probably not '
                        "closed, so the rows below are read into this value; close the quote"
                    ),
                )
            )
    return faults


# --- CSV and XLSX: a header row, then one row per person ----------------------------------------


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _find_header(rows: Iterator[tuple[int, list]], table: dict[str, str]):
    """The header row (the first naming two roster columns, below any title rows) and the rows
    read past it, to be read again as data."""
    seen = []
    for line, cells in rows:
        if any(_filled(c) for c in cells):
            seen.append((line, cells))
            if known_count([str(c) for c in cells if c is not None], table) >= 2:
                return seen[-1], []
            if len(seen) >= HEADER_SEARCH:
                break
    if not seen:
        return None, []
    return seen[0], seen[1:]


def _bounded(
    rows: Iterator[tuple[int, list]], source: str, sheet: str | None, limits: Limits
) -> Iterator[tuple[int, list]]:
    """The rows, refusing a cell longer than `cell_chars` at that cell."""
    for line, cells in rows:
        for i, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > limits.cell_chars:
                column = column_letter(i + 1) if sheet is not None else None
                where = Location(source, line, sheet=sheet, column=column)
                raise exceeded(where, "cell_chars", too_long(limits))
        yield line, cells


def _table_rows(
    rows: Iterator[tuple[int, list]],
    source: str,
    table: dict[str, str],
    sheet: str | None = None,
    convert: Convert | None = None,
    *,
    limits: Limits,
) -> Iterator[RawRow]:
    """Find the header, then yield each non-empty row under it."""
    rows = _bounded(rows, source, sheet, limits)
    found, again = _find_header(rows, table)
    if found is None:
        raise DataError(Location(source, 1, sheet=sheet), "the roster is empty")
    line, cells = found
    letters = [column_letter(i + 1) for i in range(len(cells))] if sheet is not None else []
    header = map_header(
        [str(c) if c is not None else "" for c in cells],
        table,
        Location(source, line, sheet=sheet),
        lambda i: Location(source, line, sheet=sheet, column=letters[i] if letters else None),
        letters,
    )
    for line, cells in chain(again, rows):
        if any(_filled(c) for c in cells):
            yield _table_row(source, line, header, cells, sheet, convert)


def _table_row(
    source: str,
    line: int,
    header: Header,
    cells: list,
    sheet: str | None,
    convert: Convert | None = None,
) -> RawRow:
    """One row: each header column's value (empty when a short row lacks it), and any filled
    cell under no header."""
    width = len(header.keys)
    values: dict[str, Any] = {key: "" for key in header.keys if key}
    stray: dict[int, str] = {}
    for i, cell in enumerate(cells):
        key = header.keys[i] if i < width else ""
        if key:
            values[key] = convert(key, cell) if convert else cell
        elif _filled(cell):
            stray[i] = cell if isinstance(cell, str) else xlsx_value("", cell)
    beyond = [i for i in stray if i >= width]
    if sheet is not None or not beyond:
        return RawRow(source, line, values, header, 0, stray, sheet)
    # In a CSV file a cell past the header usually means a value with an unquoted delimiter has
    # shifted the row: an error. In a worksheet it is a note typed beside the table: a warning.
    stray = {i: c for i, c in stray.items() if i < width}
    return RawRow(source, line, values, header, len(beyond), stray, sheet)


# --- XLSX --------------------------------------------------------------------------------------


def unzipped_size(path: Path) -> int | None:
    """What a zip file's members add up to once uncompressed, as its directory says; None when
    it is not a zip file. The sizes can be trusted: zipfile stops reading a member at its
    stated size and fails its checksum if it holds more."""
    try:
        with zipfile.ZipFile(path) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        return None


def xlsx_rows(
    path: Path, table: dict[str, str], sheet: str | None, limits: Limits
) -> Iterator[RawRow]:
    if (size := unzipped_size(path)) is not None and size > limits.unzipped_bytes:
        what = f"holds more than {limits.unzipped_mb:g} MB once unzipped"
        raise exceeded(Location(path.name), "unzipped_mb", what)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on styles it does not read
            from openpyxl import load_workbook  # for a workbook only

            book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for a bad file
        raise DataError(Location(path.name), f"not an Excel workbook ({exc})") from None
    cells = None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise DataError(
                Location(path.name),
                f"no sheet named {sheet!r}; the sheets are: {', '.join(book.sheetnames)}",
            )
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        ws.reset_dimensions()  # the size a file records can be wrong; read every cell there is
        cells = ws.iter_rows(values_only=True)
        rows = enumerate((list(r) for r in cells), start=1)
        convert = partial(xlsx_value, epoch=book.epoch)
        yield from _table_rows(rows, path.name, table, ws.title, convert, limits=limits)
    finally:
        # Close the sheet's reader first: it holds the workbook's file open until it is closed.
        if cells is not None:
            cells.close()
        book.close()


def xlsx_value(column: str, value: Any, epoch: Any = None) -> Any:
    """A worksheet value as the roster reads it: text, or a date in a date column.

    A number in a date column is an Excel serial day; a whole number elsewhere is written without
    `.0`, so an A-number typed as a number keeps its digits (`12345678.0` -> `12345678`).
    """
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        if column in DATE_COLUMNS:
            return value.date() if isinstance(value, dt.datetime) else value
        return _date_text(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if column in DATE_COLUMNS:
            try:
                return excel_date(value, epoch)
            except (ValueError, OverflowError):
                pass
        return number_text(value)
    return str(value)


def _date_text(value: dt.date) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
