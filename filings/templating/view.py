"""The records made for templates: plain data, and nothing that reaches a file, a process or the
network. `filings.templating.sandbox` lets a template read these and nothing else."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from filings.inputs.columns import ROSTER_COLUMNS
from filings.inputs.validate import Case, Detainee

# Whom the class covers when the case file does not say (`class_covers.arrest_types`).
DEFAULT_COVERED = ("warrantless",)


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


def covered_arrest_types(case: Case) -> tuple[str, ...]:
    """The arrest types the class covers: the case file's `class_covers.arrest_types`, else
    warrantless arrests alone."""
    # TODO(issue 14 part A): read `case.class_covers.arrest_types` directly once Case has it.
    covers = getattr(case, "class_covers", None)
    types = (covers.get("arrest_types") if isinstance(covers, dict)
             else getattr(covers, "arrest_types", None))  # fmt: skip
    return tuple(types) if types else DEFAULT_COVERED


def in_class(case: Case, detainee: Detainee) -> bool:
    return detainee.arrest_type in covered_arrest_types(case)


def removal_imminent(detainee: Detainee) -> bool:
    """A removal date is recorded and the person is not recorded as removed: the stay motion's
    rule for "emergency"."""
    # TODO(issue 14 part A): the same rule as `removal.imminent`; use that once it lands.
    return detainee.removal_date is not None and detainee.custody_status != "removed"


@dataclass(frozen=True)
class Member:
    """One line of an omnibus motion's exhibit."""

    detainee: Detainee
    imminent: bool


class RosterSummary:
    """The roster as a per-roster template sees it: the records and counts by field."""

    def __init__(self, detainees: Sequence[Detainee]) -> None:
        self.detainees = list(detainees)
        self.total = len(self.detainees)

    def class_members(self, case: Case) -> RosterSummary:
        """The listed people whose recorded arrest the class covers."""
        return RosterSummary([d for d in self.detainees if in_class(case, d)])

    def not_covered(self, case: Case) -> RosterSummary:
        """The listed people whose recorded arrest the class does not cover (or is not recorded)."""
        return RosterSummary([d for d in self.detainees if not in_class(case, d)])

    def stay_members(self, case: Case) -> list[Member]:
        """Whom a stay motion is for: class members not recorded as removed. Those with a removal
        date come first, earliest first; the rest keep the roster's order."""
        people = [d for d in self.detainees if in_class(case, d) and d.custody_status != "removed"]
        soon = sorted((d for d in people if removal_imminent(d)), key=lambda d: d.removal_date)
        return [Member(d, True) for d in soon] + [Member(d, False) for d in people
                                                  if not removal_imminent(d)]  # fmt: skip

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
