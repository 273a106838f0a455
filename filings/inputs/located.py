"""Load YAML whose mappings and lists remember their lines, within the limits.

A YAML file can be built to hang the reader: a few lines of aliases that expand to a billion
strings ("billion laughs"), lists nested ten thousand deep, an alias inside what it names. The
composer below counts and measures as it reads, so such a file is refused at the first step too
far, and a key written twice in one mapping is kept as a problem instead of silently dropping the
first value.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from filings.errors import DataError, Location
from filings.inputs.limits import DEFAULT, Limits, check_file_size, exceeded, too_long
from filings.inputs.rows import read_text

MERGE_TAG = "tag:yaml.org,2002:merge"


class LocatedDict(dict):
    """A YAML mapping that remembers the line of each key, and each key written twice."""

    lines: dict[str, int]
    start_line: int | None = None
    # (key, line of the repeat, line of the first): the later value replaced the earlier one.
    duplicates: list[tuple[str, int, int]] = []


class LocatedList(list):
    """A YAML sequence that remembers the line of each item."""

    lines: list[int]


class _LocatedLoader(yaml.SafeLoader):
    """Reads one file (`source`) within `limits`."""

    def __init__(self, stream: str, source: str = "input", limits: Limits = DEFAULT) -> None:
        super().__init__(stream)
        self.source, self.limits = source, limits
        self.aliases = 0  # aliases in the file once each is expanded (aliases inside aliases too)
        self.depth = 0
        self.inner_aliases: list[int] = [0]  # per open collection: its aliases, expanded
        self.weight: dict[int, int] = {}  # a finished collection node -> its aliases, expanded
        self.height: dict[int, int] = {}  # a finished collection node -> its own depth

    def _at(self, event: yaml.Event) -> Location:
        return Location(self.source, event.start_mark.line + 1)

    def _deeper(self, depth: int, event: yaml.Event) -> None:
        if depth > self.limits.nesting:
            what = f"nested more than {self.limits.nesting} deep"
            raise exceeded(self._at(event), "nesting", what)

    def compose_node(self, parent: Any, index: Any) -> yaml.Node:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) and event.anchor in self.anchors:
            self._alias(event, self.anchors[event.anchor])
            return super().compose_node(parent, index)
        if isinstance(event, yaml.ScalarEvent) and len(event.value) > self.limits.cell_chars:
            raise exceeded(self._at(event), "cell_chars", too_long(self.limits))
        if not isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            return super().compose_node(parent, index)
        self.depth += 1
        self._deeper(self.depth, event)
        self.inner_aliases.append(0)
        node = super().compose_node(parent, index)
        self.depth -= 1
        children = (
            node.value
            if isinstance(node, yaml.SequenceNode)
            else [n for pair in node.value for n in pair]
        )
        self.height[id(node)] = 1 + max((self.height.get(id(c), 0) for c in children), default=0)
        self.weight[id(node)] = self.inner_aliases.pop()
        self.inner_aliases[-1] += self.weight[id(node)]
        return node

    def _alias(self, event: yaml.AliasEvent, node: yaml.Node) -> None:
        """Count the alias as all it expands to, and measure the depth it reaches."""
        if node.end_mark is None:  # still being read: the alias is inside what it names
            raise DataError(
                self._at(event), f"a YAML alias (*{event.anchor}) stands inside what it names"
            )
        expanded = 1 + self.weight.get(id(node), 0)
        self.aliases += expanded
        self.inner_aliases[-1] += expanded
        if self.aliases > self.limits.yaml_aliases:
            raise exceeded(
                Location(self.source),
                "yaml_aliases",
                f"more than {self.limits.yaml_aliases} YAML aliases",
            )
        self._deeper(self.depth + self.height.get(id(node), 0), event)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> LocatedDict:
        # Read the keys as written before the base class folds merged (`<<`) keys in.
        written = [
            (k.value, k.start_mark.line + 1)
            for k, _ in node.value
            if isinstance(k, yaml.ScalarNode) and k.tag != MERGE_TAG
        ]
        mapping = LocatedDict(super().construct_mapping(node, deep=True))
        mapping.lines, mapping.duplicates = {}, []
        for key, line in written:
            if key in mapping.lines:
                mapping.duplicates.append((key, line, mapping.lines[key]))
            else:
                mapping.lines[key] = line
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


def load_yaml(
    path: Path, *, loader: type[_LocatedLoader] = _LocatedLoader, limits: Limits = DEFAULT
) -> Any:
    """Load a YAML file whose mappings remember their lines; errors keep line and column."""
    check_file_size(path, limits)
    text = read_text(path, hint="UTF-8")
    reader = None
    try:
        reader = loader(text, path.name, limits)  # checks every character: may raise
        return reader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark else None
        raise DataError(Location(path.name, line), f"not valid YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow
        line = text.count("\n", 0, exc.position) + 1
        char = exc.character if isinstance(exc.character, str) else chr(exc.character)
        problem = f"not valid YAML: character U+{ord(char):04X} is not allowed in YAML"
        raise DataError(Location(path.name, line), problem) from None
    finally:
        if reader is not None:
            reader.dispose()
