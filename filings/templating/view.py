"""The records made for templates: plain data, and nothing that reaches a file, a process or the
network. `filings.templating.sandbox` lets a template read these and nothing else."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from filings.inputs.columns import ROSTER_COLUMNS
from filings.inputs.records import Case, Detainee, Removal

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


def in_class(case: Case, detainee: Detainee) -> bool:
    """Whether the class covers this person's arrest: the case file's `class_covers`, else
    warrantless arrests alone."""
    covered = case.covers(detainee)
    return detainee.arrest_type in DEFAULT_COVERED if covered is None else covered


def removal_imminent(detainee: Detainee, case: Case) -> bool:
    """The stay motion's rule for "emergency": the one `removal.imminent` gives templates."""
    return Removal.of(detainee, case.filing_date).imminent


@dataclass(frozen=True)
class Member:
    """One line of an omnibus motion's exhibit."""

    detainee: Detainee
    imminent: bool


@dataclass(frozen=True)
class Tagline:
    """One line in the reader's language, split at the phone number the template prints."""

    lang: str
    before: str
    after: str
    reviewed: bool
    rtl: bool = False


class RosterSummary:
    """The roster as a per-roster template sees it: the records and counts by field."""

    def __init__(
        self, detainees: Sequence[Detainee], complete: Sequence[Detainee] | None = None
    ) -> None:
        """`detainees` as the document may show them; `complete`, for a public copy, the same
        people's complete records, which counts come from: a count is no one person's data, and
        a withheld field must not count as one the roster leaves empty."""
        self.detainees = list(detainees)
        self._complete = list(complete) if complete is not None else self.detainees
        self.total = len(self.detainees)

    def _subset(self, keep) -> RosterSummary:
        pairs = [(d, c) for d, c in zip(self.detainees, self._complete, strict=True) if keep(c)]
        return RosterSummary([d for d, _ in pairs], [c for _, c in pairs])

    def class_members(self, case: Case) -> RosterSummary:
        """The listed people whose recorded arrest the class covers."""
        return self._subset(lambda d: in_class(case, d))

    def not_covered(self, case: Case) -> RosterSummary:
        """The listed people whose recorded arrest the class does not cover (or is not recorded)."""
        return self._subset(lambda d: not in_class(case, d))

    def stay_members(self, case: Case) -> list[Member]:
        """Whom a stay motion is for: class members not recorded as removed. Those with a removal
        date come first, earliest first; the rest keep the roster's order."""
        people = [d for d in self.detainees if in_class(case, d) and d.custody_status != "removed"]
        soon = sorted(
            (d for d in people if removal_imminent(d, case)), key=lambda d: d.removal_date
        )
        return [Member(d, True) for d in soon] + [
            Member(d, False) for d in people if not removal_imminent(d, case)
        ]

    def count_by(self, field: str, order: Sequence[str] = ()) -> list[tuple[str, int]]:
        """(value, count) pairs: first the values in `order`, then the rest most common first.

        A record with no value counts under `None`, so a table still adds up to the total.
        """
        if field not in ROSTER_COLUMNS:  # a name, not a path into the record: no `__class__`
            raise TemplateUseError(
                f"roster.count_by: {field!r} is not a roster column; the "
                f"columns are: {', '.join(ROSTER_COLUMNS)}"
            )
        counts = Counter(getattr(d, field) for d in self._complete)
        listed = [(value, counts.pop(value, 0)) for value in order]
        rest = sorted(counts.items(), key=lambda kv: (kv[0] is None, -kv[1], str(kv[0])))
        return listed + rest
