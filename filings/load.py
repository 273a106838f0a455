"""Read the case file and the roster, keeping where each value came from."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from filings.errors import DataError, Location


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


def load_yaml(path: Path) -> Any:
    """Load a YAML file whose mappings remember their lines; syntax errors keep line and column."""
    with open(path, encoding="utf-8") as stream:
        try:
            return yaml.load(stream, Loader=_LocatedLoader)  # noqa: S506 - a SafeLoader subclass
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark
            line = mark.line + 1 if mark else None
            raise DataError(Location(path.name, line), f"not valid YAML: {exc.problem}") from None


@dataclass
class RawRow:
    """One roster row as the file holds it: canonical column -> text, plus where it stands."""

    source: str
    line: int
    values: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)
    overflow: int = 0  # cells beyond the header's columns

    def at(self, column: str | None = None) -> Location:
        """Where this row (or one of its cells) is, as the user would look for it."""
        return Location(
            self.source, self.line, self.headers.get(column, column) if column else None
        )


def canonical_header(header: str) -> str:
    """`Family Name ` -> `family_name`."""
    return re.sub(r"[^0-9a-z]+", "_", header.strip().lower()).strip("_")


def read_roster(path: Path) -> Iterator[RawRow]:
    """Yield the roster's rows one at a time, each with its line number in the file."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader)
        except StopIteration:
            raise DataError(Location(path.name, 1), "the roster is empty") from None
        except UnicodeDecodeError as exc:
            raise DataError(Location(path.name), f"not UTF-8 text ({exc.reason})") from None
        columns = [canonical_header(h) for h in header]
        headers = {c: h.strip() for c, h in zip(columns, header, strict=True)}
        line = reader.line_num + 1
        try:
            for cells in reader:
                if any(c.strip() for c in cells):
                    yield _row(path.name, line, columns, headers, cells)
                line = reader.line_num + 1
        except (UnicodeDecodeError, csv.Error) as exc:
            raise DataError(Location(path.name, line), f"cannot read this line: {exc}") from None


def _row(source: str, line: int, columns: list[str], headers: dict, cells: list[str]) -> RawRow:
    values = {c: v for c, v in zip(columns, cells, strict=False) if c}
    return RawRow(source, line, values, headers, overflow=max(0, len(cells) - len(columns)))
