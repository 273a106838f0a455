"""Read the case file and the roster (CSV, XLSX, JSON, YAML), keeping where each value came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from filings.errors import DataError, DataErrors, Location
from filings.inputs import sheets
from filings.inputs.columns import alias_table, canonical_header, map_header
from filings.inputs.normalize import number_text
from filings.inputs.rows import RawRow, undecodable

__all__ = ["RawRow", "canonical_header", "load_yaml", "read_roster"]


class LocatedDict(dict):
    """A YAML mapping that remembers the line of each key."""

    lines: dict[str, int]
    start_line: int | None = None


class _LocatedLoader(yaml.SafeLoader):
    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:
        mapping = LocatedDict(super().construct_mapping(node, deep=True))
        mapping.lines = {key_node.value: key_node.start_mark.line + 1 for key_node, _ in node.value}
        mapping.start_line = node.start_mark.line + 1
        return mapping


_LocatedLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LocatedLoader.construct_mapping
)
# Dates stay strings here, so validation parses them once and reports them with their position.
_LocatedLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class LocatedList(list):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


class _RosterLoader(_LocatedLoader):
    """Roster YAML: every scalar is text, as in a spreadsheet (`012345678` stays as written)."""

    def construct_sequence(self, node: yaml.SequenceNode, deep: bool = False) -> LocatedList:
        items = LocatedList(super().construct_sequence(node, deep=True))
        items.lines = [item.start_mark.line + 1 for item in node.value]
        return items


_RosterLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _RosterLoader.construct_sequence
)
# Only `null` and empty values are resolved; numbers, booleans and dates stay text.
_RosterLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: Path, *, loader: type[yaml.SafeLoader] = _LocatedLoader) -> Any:
    """Load a YAML file whose mappings remember their lines; syntax errors keep line and column."""
    with open(path, encoding="utf-8-sig") as stream:
        try:
            return yaml.load(stream, Loader=loader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else None
            raise DataError(Location(path.name, line), f"not valid YAML: {exc.problem}") from None


# --- the roster --------------------------------------------------------------------------------


# The reader for each extension; any other is read as CSV (.txt is Excel's "Unicode Text").
ROSTER_READERS = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".xlsm": "xlsx",
                  ".json": "json", ".yaml": "yaml", ".yml": "yaml"}  # fmt: skip


def read_roster(
    path: Path,
    *,
    encoding: str | None = None,
    sheet: str | None = None,
    aliases: dict[str, str] | None = None,
) -> Iterator[RawRow]:
    """Yield the roster's rows one at a time, each knowing its line, cell or item.

    The file's extension says which: CSV (and any extension not listed), XLSX, JSON or YAML.
    CSV and XLSX rows are read as they are yielded; JSON and YAML files are loaded whole.
    `encoding` overrides detection (CSV, JSON); `sheet` names the worksheet (default: the first);
    `aliases` maps a team's headers to columns, and None reads them from ./filings.toml.
    A problem with the file itself (unreadable, no header, a required column missing) raises
    DataError, or DataErrors when there are several, on the first step of the iteration.
    """
    path = Path(path)
    kind = ROSTER_READERS.get(path.suffix.lower(), "csv")
    if path.suffix.lower() == ".xls":
        raise DataError(
            Location(path.name),
            "old Excel files (.xls) are not read; save it as an Excel Workbook (.xlsx) or CSV",
        )
    table = alias_table(aliases)
    if kind in ("json", "yaml"):
        yield from _record_rows(path, table, kind, encoding)
        return

    if kind == "xlsx":
        yield from sheets.xlsx_rows(path, table, sheet)
    else:
        yield from sheets.csv_rows(path, table, encoding)


# --- JSON and YAML: a list of records ----------------------------------------------------------


_RECORD = {"json": ("an object", "objects"), "yaml": ("a mapping", "mappings")}


def _load_records(path: Path, kind: str, encoding: str | None) -> tuple[list, list[Location]]:
    """The list of records and each one's location: its line (YAML) or index (JSON)."""
    data = load_yaml(path, loader=_RosterLoader) if kind == "yaml" else _load_json(path, encoding)
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


def _load_json(path: Path, encoding: str | None) -> Any:
    try:
        with open(path, encoding=encoding or "utf-8-sig") as stream:
            return json.load(stream)
    except json.JSONDecodeError as exc:
        where = Location(path.name, exc.lineno)
        raise DataError(where, f"not valid JSON: {exc.msg} (column {exc.colno})") from None
    except UnicodeDecodeError as exc:
        raise undecodable(path, encoding or "utf-8", exc) from None


def _record_rows(
    path: Path, table: dict[str, str], kind: str, encoding: str | None
) -> Iterator[RawRow]:
    """Each record as a row; the keys of all records together are the header."""
    data, where = _load_records(path, kind, encoding)
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
        yield RawRow(path.name, at.line, values, header, index=at.index, lines=lines)


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
