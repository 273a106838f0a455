"""Read the case file and the roster (CSV, XLSX, JSON, YAML), keeping where each value came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from filings.errors import DataError, DataErrors, Location
from filings.inputs import sheets
from filings.inputs.columns import alias_table, canonical_header, map_header
from filings.inputs.limits import DEFAULT, Limits, check_file_size, exceeded, too_long
from filings.inputs.located import LocatedDict, LocatedList, _RosterLoader, load_yaml
from filings.inputs.rows import RawRow, read_text
from filings.inputs.text import number_text

__all__ = ["LocatedDict", "LocatedList", "RawRow", "canonical_header", "load_yaml", "read_roster"]
TWICE = "appears twice{where}; delete one: only the last would be read"


# --- the roster --------------------------------------------------------------------------------


# The reader for each extension; any other is read as CSV (.txt is Excel's "Unicode Text").
ROSTER_READERS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
}


def read_roster(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    aliases: dict[str, str] | None = None,
    limits: Limits = DEFAULT,
) -> Iterator[RawRow]:
    """Yield the roster's rows one at a time, each knowing its line, cell or item.

    The file's extension says which: CSV (and any extension not listed), XLSX, JSON or YAML.
    CSV and XLSX rows are read as they are yielded; JSON and YAML files are loaded whole.
    `encoding` overrides detection (CSV, JSON); `sheet` names the worksheet (default: the first);
    `aliases` maps a team's headers to columns, and None reads them from ./filings.toml.
    A problem with the file itself (unreadable, no header, a required column missing) raises
    DataError, or DataErrors when there are several, on the first step of the iteration; so does
    a limit (`limits`) the file goes past, where it goes past it.
    """
    path = Path(path)
    kind = ROSTER_READERS.get(path.suffix.lower(), "csv")
    if path.suffix.lower() == ".xls":
        raise DataError(
            Location(path.name),
            "old Excel files (.xls) are not read; save it as an Excel Workbook (.xlsx) or CSV",
        )
    table = alias_table(aliases)
    check_file_size(path, limits)
    if kind in ("json", "yaml"):
        yield from _record_rows(path, table, kind, encoding, limits)
        return

    if kind == "xlsx":
        yield from sheets.xlsx_rows(path, table, sheet, limits)
    else:
        yield from sheets.csv_rows(path, table, encoding, limits)


# --- JSON and YAML: a list of records ----------------------------------------------------------


_RECORD = {"json": ("an object", "objects"), "yaml": ("a mapping", "mappings")}


def _load_records(
    path: Path, kind: str, encoding: str | None, limits: Limits
) -> tuple[list, list[Location]]:
    """The list of records and each one's location: its line (YAML) or index (JSON)."""
    if kind == "yaml":
        data = load_yaml(path, loader=_RosterLoader, limits=limits)
    else:
        data = _load_json(path, encoding, limits)
    one, many = _RECORD[kind]
    if not isinstance(data, list):
        raise DataError(Location(path.name), f"should be a list of {many}, one for each detainee")
    if kind == "yaml":
        where = [Location(path.name, line) for line in data.lines]
    else:
        where = [Location(path.name, index=i) for i in range(len(data))]
    if bad := [w for w, item in zip(where, data, strict=True) if not isinstance(item, dict)]:
        errors = [DataError(w, f"should be {one} holding a detainee's columns") for w in bad]
        raise errors[0] if len(errors) == 1 else DataErrors(errors, path.name)
    return data, where


class JsonObject(dict):
    """A JSON object that remembers each key written twice in it (the last value is kept)."""

    duplicates: list[str] = []

    @classmethod
    def of(cls, pairs: list[tuple[str, Any]]) -> JsonObject:
        obj = cls(pairs)
        seen: set[str] = set()
        obj.duplicates = [k for k, _ in pairs if k in seen or seen.add(k)]
        return obj


def _load_json(path: Path, encoding: str | None, limits: Limits) -> Any:
    text = read_text(path, encoding, hint="UTF-8 (or name its encoding with --encoding)")
    try:
        data = json.loads(text, object_pairs_hook=JsonObject.of)
    except json.JSONDecodeError as exc:
        where = Location(path.name, exc.lineno)
        raise DataError(where, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:  # nested deeper than the parser's own stack
        raise _too_deep(path, limits) from None
    _within_limits(data, path, limits)
    return data


def _too_deep(path: Path, limits: Limits) -> DataError:
    return exceeded(Location(path.name), "nesting", f"nested more than {limits.nesting} deep")


def _within_limits(data: Any, path: Path, limits: Limits) -> None:
    """Refuse JSON nested deeper than `nesting` or holding a text longer than `cell_chars`,
    walking without recursion (the depth is what is in question)."""
    stack: list[tuple[Any, int, int | None, str | None]] = [(data, 1, None, None)]
    while stack:
        value, depth, index, key = stack.pop()
        if isinstance(value, str) and len(value) > limits.cell_chars:
            where = Location(path.name, field=key, index=index)
            raise exceeded(where, "cell_chars", too_long(limits))
        if not isinstance(value, (list, dict)):
            continue
        if depth > limits.nesting:
            raise _too_deep(path, limits)
        for k, v in value.items() if isinstance(value, dict) else enumerate(value):
            item = k if depth == 1 and isinstance(value, list) else index
            field = k if depth == 2 and isinstance(value, dict) else key
            stack.append((v, depth + 1, item, field))
            if isinstance(k, str):
                stack.append((k, depth, item, field))


def _record_rows(
    path: Path, table: dict[str, str], kind: str, encoding: str | None, limits: Limits
) -> Iterator[RawRow]:
    """Each record as a row; the keys of all records together are the header."""
    data, where = _load_records(path, kind, encoding, limits)
    first: dict[str, Location] = {}
    for item, at in zip(data, where, strict=True):
        for key in item:
            first.setdefault(str(key), _key_location(item, key, at))
    keys = list(first)
    header = map_header(keys, table, Location(path.name), lambda i: first[keys[i]])
    column_of = dict(zip(keys, header.keys, strict=True))
    for item, at in zip(data, where, strict=True):
        # Every record has every column, as a table's rows do: a key one record lacks is empty.
        values = {column: "" for column in header.keys if column}
        values.update(
            {column_of[str(k)]: record_value(v) for k, v in item.items() if column_of[str(k)]}
        )
        lines = {
            column_of[str(k)]: n
            for k, n in getattr(item, "lines", {}).items()
            if column_of.get(str(k))
        }
        yield RawRow(
            path.name, at.line, values, header, index=at.index, lines=lines, faults=_twice(item, at)
        )


def _twice(item: dict, at: Location) -> list[DataError]:
    """A key written twice in one record: the reader kept only the last value."""
    if isinstance(item, JsonObject):
        where = " in this object"
        return [
            DataError(Location(at.file, field=k, index=at.index), TWICE.format(where=where))
            for k in item.duplicates
        ]
    return [
        DataError(Location(at.file, line, key), TWICE.format(where=f" (first on line {first})"))
        for key, line, first in getattr(item, "duplicates", [])
    ]


def _key_location(item: dict, key: Any, at: Location) -> Location:
    line = getattr(item, "lines", {}).get(key)
    return Location(at.file, line or at.line, index=at.index)


def record_value(value: Any) -> Any:
    """A JSON or YAML value as text: `null` is empty, `12345678` and `12345678.0` the digits."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return number_text(value)
    return value  # text, or a list or mapping for validation to refuse
