"""The records made for templates: plain data, and nothing that reaches a file, a process or the
network. `filings.templating.sandbox` lets a template read these and nothing else."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from filings.inputs.columns import ROSTER_COLUMNS
from filings.inputs.validate import Detainee


class TemplateUseError(Exception):
    """A template used something the wrong way; the message says what. Rendering adds the file
    and line."""


@dataclass(frozen=True)
class TemplateInfo:
    """What a template knows of itself: its metadata, never its folder."""

    name: str
    title: str
    description: str
    kind: str
    format: str


class RosterSummary:
    """The roster as a per-roster template sees it: the records and counts by field."""

    def __init__(self, detainees: Sequence[Detainee]) -> None:
        self.detainees = list(detainees)
        self.total = len(self.detainees)

    def count_by(self, field: str, order: Sequence[str] = ()) -> list[tuple[str, int]]:
        """(value, count) pairs: first the values in `order`, then the rest most common first.

        A record with no value counts under `None`, so a table still adds up to the total.
        """
        if field not in ROSTER_COLUMNS:  # a name, not a path into the record: no `__class__`
            raise TemplateUseError(f"roster.count_by: {field!r} is not a roster column; the "
                                   f"columns are: {', '.join(ROSTER_COLUMNS)}")  # fmt: skip
        counts = Counter(getattr(d, field) for d in self.detainees)
        listed = [(value, counts.pop(value, 0)) for value in order]
        rest = sorted(counts.items(), key=lambda kv: (kv[0] is None, -kv[1], str(kv[0])))
        return listed + rest
