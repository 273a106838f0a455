"""Which rows a template is for: the `applies_to` rule of its template.yaml, read and checked when
the template loads, and decided for each row with the reason in words when it does not apply.

    applies_to:
      class_member: true                  # the arrest type is one case.class_covers lists
      custody_status: {not: [removed]}    # or a list of the statuses it is for
      proceedings: [final_order]
      requires: [immigration_court, attorney, motion_to_reopen_date]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from filings.errors import DataError, Location
from filings.inputs.columns import ROSTER_COLUMNS
from filings.inputs.records import (
    ARREST_TYPES,
    CUSTODY_STATUSES,
    PROCEEDINGS,
    RISK_ASSESSMENTS,
    Case,
    Detainee,
)

CHOICES = {
    "custody_status": CUSTODY_STATUSES,
    "arrest_type": ARREST_TYPES,
    "proceedings": PROCEEDINGS,
    "risk_assessment": RISK_ASSESSMENTS,
}
KEYS = ("class_member", *CHOICES, "requires")

# How a reason names a value (any other value: `field: value`).
PHRASES = {
    ("custody_status", "detained"): "detained",
    ("custody_status", "released"): "released from custody",
    ("custody_status", "removed"): "removed from the United States",
    ("custody_status", "unknown"): "custody status unknown",
    ("arrest_type", "warrantless"): "arrest made without a warrant",
    ("arrest_type", "warrant"): "arrest made with a warrant",
    ("arrest_type", "vehicle_stop"): "arrest made after a vehicle stop",
    ("arrest_type", "unknown"): "arrest type unknown",
}
COVERED = {
    "warrantless": "warrantless arrests",
    "warrant": "arrests with a warrant",
    "vehicle_stop": "arrests after a vehicle stop",
    "unknown": "arrests of unknown type",
}
NO_FINAL_ORDER = (
    "an immigration judge can stay removal only with a final order and a motion to "
    "reopen (8 C.F.R. 1003.23(b)(1)(v))"
)
REQUIRED_WHY = {"attorney": " (the id of counsel with Form EOIR-28 on file for this person)"}


class RuleError(Exception):
    """A wrong `applies_to`; `line` is its line in template.yaml."""

    def __init__(self, line: int | None, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


@dataclass(frozen=True)
class Choice:
    """A roster field's value is one of `values` (or, with `negate`, none of them)."""

    field: str
    values: tuple[str, ...]
    negate: bool = False

    def reason(self, detainee: Detainee) -> str | None:
        value = getattr(detainee, self.field)
        if (value in self.values) != self.negate:
            return None
        if self.field == "proceedings" and "final_order" in self.values and not self.negate:
            return (
                f"no final order of removal recorded (proceedings: {value or 'not recorded'}"
                f"); {NO_FINAL_ORDER}"
            )
        shown = _phrase(self.field, value)
        if self.negate:
            return shown
        return f"{shown}; this document is for {self.field}: {', '.join(self.values)}"


@dataclass(frozen=True)
class AppliesTo:
    """Every condition a row must meet for the template's document to be made for it."""

    class_member: bool | None = None
    choices: tuple[Choice, ...] = ()
    requires: tuple[str, ...] = ()

    def reasons(self, detainee: Detainee, case: Case) -> list[str]:
        """Why the document is not for this person, in words; empty when it is."""
        found = [] if self.class_member is None else _membership(self.class_member, detainee, case)
        found += [r for c in self.choices if (r := c.reason(detainee))]
        found += [
            f"no {name} recorded{REQUIRED_WHY.get(name, '')}"
            for name in self.requires
            if getattr(detainee, name) in (None, "")
        ]
        return found

    def problems(self, detainee: Detainee, case: Case) -> list[DataError]:
        """What the case file lacks for the values this row gives (a court missing from its
        table, an attorney without an EOIR ID): located errors, for this template only."""
        errors = []
        court = detainee.immigration_court
        if "immigration_court" in self.requires and court and court not in case.immigration_courts:
            known = ", ".join(case.immigration_courts) or "none yet"
            errors.append(
                DataError(
                    _at(detainee, "immigration_court"),
                    f"{court!r} is not in {case.source}'s immigration_courts (the courts "
                    f"there: {known}); add it with its address and DHS office",
                )
            )
        attorney = case.counsel_by_id.get(detainee.attorney or "")
        if "attorney" in self.requires and attorney is not None and not attorney.eoir_id:
            errors.append(
                DataError(
                    _at(detainee, "attorney"),
                    f"{attorney.id!r} has no eoir_id in {case.source}; counsel signs in "
                    "immigration court with an EOIR ID",
                )
            )
        return errors

    def describe(self) -> str:
        """The rule in a line, for `filings templates`."""
        parts = []
        if self.class_member is not None:
            parts.append(
                "class members" if self.class_member else "people the class does not cover"
            )
        parts += [
            f"{c.field} {'not ' if c.negate else ''}{' or '.join(c.values)}" for c in self.choices
        ]
        if self.requires:
            parts.append(f"with {', '.join(self.requires)} recorded")
        return "; ".join(parts) or "everyone"


def _membership(wanted: bool, detainee: Detainee, case: Case) -> list[str]:
    covered = case.covers(detainee)
    if covered is None or covered == wanted:
        return []  # no class_covers: refused once, before planning (`needs_class_covers`)
    kinds = case.class_covers["arrest_types"] if case.class_covers else ()
    what = " and ".join(COVERED.get(k, k) for k in kinds) or "no arrest type"
    if wanted:
        return [f"{_phrase('arrest_type', detainee.arrest_type)}; the class covers {what}"]
    return [f"{_phrase('arrest_type', detainee.arrest_type)}: an arrest the class covers"]


def _phrase(field: str, value: str | None) -> str:
    if value in (None, ""):
        return f"no {field} recorded"
    return PHRASES.get((field, value), f"{field}: {value}")


def _at(detainee: Detainee, field: str) -> Location:
    return dataclasses.replace(detainee.source, field=field)


def needs_class_covers(rule: AppliesTo | None, case: Case) -> bool:
    """The rule asks about class membership, and the case file does not say what it covers."""
    return rule is not None and rule.class_member is not None and case.class_covers is None


# --- reading template.yaml's applies_to -------------------------------------------------------


def read_rule(value: Any, line: int | None) -> AppliesTo:
    """The rule `applies_to:` gives, or RuleError at the line of the key at fault."""
    if not isinstance(value, dict):
        raise RuleError(line, f"applies_to: should be a mapping of conditions ({', '.join(KEYS)})")
    lines = getattr(value, "lines", {})
    for key in value:
        if key not in KEYS:
            raise RuleError(
                lines.get(key, line),
                f"applies_to: {key!r} is not a condition; the conditions are: {', '.join(KEYS)}",
            )
    member = value.get("class_member")
    if "class_member" in value and not isinstance(member, bool):
        raise RuleError(
            lines.get("class_member"), "applies_to: class_member: should be true or false"
        )
    choices = tuple(_choice(f, value[f], lines.get(f, line)) for f in CHOICES if f in value)
    requires = _names(value.get("requires", []), lines.get("requires", line))
    return AppliesTo(member, choices, requires)


def _choice(field: str, value: Any, line: int | None) -> Choice:
    negate = isinstance(value, dict)
    if negate:
        if set(value) != {"not"}:
            raise RuleError(
                line,
                f"applies_to: {field}: write a list of values, or "
                "{not: [values]} for the ones it is not for",
            )
        value = value["not"]
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values:
        raise RuleError(line, f"applies_to: {field}: should be a list of values")
    for v in values:
        if v not in CHOICES[field]:
            raise RuleError(
                line, f"applies_to: {field}: {v!r} is not one of: {', '.join(CHOICES[field])}"
            )
    return Choice(field, tuple(values), negate)


def _names(value: Any, line: int | None) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list):
        raise RuleError(line, "applies_to: requires: should be a list of roster columns")
    for name in names:
        if name not in ROSTER_COLUMNS:
            raise RuleError(
                line,
                f"applies_to: requires: {name!r} is not a roster column; the "
                f"columns are: {', '.join(ROSTER_COLUMNS)}",
            )
    return tuple(names)
