"""Turn roster rows into typed records; collect every problem with its place.

The case file has its own reader (`case_file`); both check each text value with `text_problems`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from filings.errors import DataError, DataErrors, Location
from filings.glyphs import describe, unprintable
from filings.inputs.choices import parse_choice
from filings.inputs.columns import DATE_COLUMNS, REQUIRED_COLUMNS, ROSTER_COLUMNS
from filings.inputs.languages import parse_language
from filings.inputs.normalize import normalize_a_number, parse_date
from filings.inputs.records import (
    ARREST_TYPES,
    CUSTODY_STATUSES,
    PROCEEDINGS,
    RISK_ASSESSMENTS,
    Case,
    Detainee,
    is_latin,
)
from filings.inputs.rows import RawRow
from filings.inputs.text import clean_text, excel_error, invisible_characters, line_separators
from filings.problems import WARNING, Problem

_PARSERS = {
    "a_number": normalize_a_number,
    "custody_status": partial(parse_choice, choices=CUSTODY_STATUSES, field="custody_status"),
    "arrest_type": partial(parse_choice, choices=ARREST_TYPES, field="arrest_type"),
    "risk_assessment": partial(parse_choice, choices=RISK_ASSESSMENTS, field="risk_assessment"),
    "preferred_language": parse_language,
    "date_of_birth": partial(parse_date, born=True),
    "arrest_date": parse_date,
    "release_date": parse_date,
    "removal_date": parse_date,
    "proceedings": partial(parse_choice, choices=PROCEEDINGS, field="proceedings"),
    "next_hearing_date": parse_date,
    "final_order_date": parse_date,
    "motion_to_reopen_date": parse_date,
    "family_name_latin": lambda text: _latin(text),
    "given_name_latin": lambda text: _latin(text),
}


def _latin(text: str) -> str:
    """A name as DHS records it: Latin letters only (accents allowed), never another script."""
    text = clean_text(text)
    if not is_latin(text):
        raise ValueError(
            f"{text!r} has letters that are not Latin; write the name in Latin "
            "letters as DHS records it (on the I-213 or the Notice to Appear)"
        )
    return text


def cell_text(value: Any) -> str:
    """A cell's value as trimmed NFC text; a list or mapping (JSON, YAML) is refused."""
    if isinstance(value, (list, dict)):
        kind = "a list" if isinstance(value, list) else "a mapping"
        raise ValueError(f"holds {kind}; a roster cell holds one value")
    text = clean_text(value.isoformat() if isinstance(value, dt.date) else str(value))
    if excel_error(text):
        raise ValueError(
            f"{text!r} is an Excel error, not a value; correct the formula, or type the value"
        )
    return text


def _parse(column: str, value: Any) -> Any:
    if column in DATE_COLUMNS and isinstance(value, dt.date):
        return value  # a worksheet's own date
    return _PARSERS.get(column, clean_text)(cell_text(value))


def detainee_from_row(row: RawRow) -> Detainee:
    """Build one record, or raise DataErrors naming every cell at fault in the row."""
    errors: list[DataError] = list(row.faults)
    if row.overflow:
        errors.append(DataError(row.at(), f"{row.overflow} cell(s) beyond the header's columns"))
    fields: dict[str, Any] = {}
    for column in ROSTER_COLUMNS:
        value = row.values.get(column, "")
        try:
            if cell_text(value):
                fields[column] = _parse(column, value)
            elif column in REQUIRED_COLUMNS:
                errors.append(DataError(row.at(column), "is empty; every row needs it"))
        except ValueError as exc:
            errors.append(_fault(row, column, str(exc)))
    extra = {}
    for column in (k for k in row.values if k not in ROSTER_COLUMNS):
        try:
            extra[column] = cell_text(row.values[column])
        except ValueError as exc:
            errors.append(_fault(row, column, str(exc)))
    errors += _unprintable(row, {**fields, **extra})
    errors = errors or _contradictions(row, fields)
    if errors:
        raise DataErrors(errors, str(row.at()))
    return Detainee(**fields, extra=extra, source=row.at())


def text_problems(text: str) -> list[str]:
    """What keeps a value from printing as written: invisible control characters, and characters
    no font of the project has (`filings.glyphs`)."""
    hidden = invisible_characters(text)
    breaks = line_separators(text)
    problems = [f"{describe(c)} is an invisible control character; delete it" for c in hidden]
    problems += [
        f"{describe(c)} is a line break no document prints; use an ordinary line break"
        for c in breaks
    ]
    return problems + unprintable("".join(c for c in text if c not in hidden + breaks))


def _unprintable(row: RawRow, values: dict[str, Any]) -> list[DataError]:
    """Each text value checked character by character before anything is rendered."""
    errors = []
    for column, value in values.items():
        if isinstance(value, str):
            shown = _visible(value)
            errors += [
                DataError(row.at(column), problem, value=shown) for problem in text_problems(value)
            ]
    return errors


def _visible(text: str) -> str:
    """The value with its invisible characters written out (`<U+202E>`), for the errors CSV."""
    hidden = set(invisible_characters(text))
    return "".join(f"<U+{ord(c):04X}>" if c in hidden else c for c in text)


def _fault(row: RawRow, column: str, message: str) -> DataError:
    """An error in one cell, keeping that one value as written (for the errors CSV)."""
    value = row.values.get(column, "")
    return DataError(row.at(column), message, value=_shown(value))


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _contradictions(row: RawRow, fields: dict[str, Any]) -> list[DataError]:
    """Dates and status that cannot all be true of one person."""
    errors = []
    arrest, release = fields.get("arrest_date"), fields.get("release_date")
    if arrest and release and release < arrest:
        message = f"{release.isoformat()} is before the arrest date, {arrest.isoformat()}"
        errors.append(_fault(row, "release_date", message))
    if (removal := fields.get("removal_date")) and fields["custody_status"] == "released":
        message = (
            f"{removal.isoformat()} is a removal date, but custody_status says released; "
            "a released person has not been removed"
        )
        errors.append(_fault(row, "removal_date", message))
    final, reopen = fields.get("final_order_date"), fields.get("motion_to_reopen_date")
    if final and reopen and reopen < final:
        message = (
            f"{reopen.isoformat()} is before the final order date, {final.isoformat()}; a "
            "motion to reopen follows the final order"
        )
        errors.append(_fault(row, "motion_to_reopen_date", message))
    return errors


def _notices(row: RawRow, detainee: Detainee, case: Case | None = None) -> list[Problem]:
    """What is worth a clerk's look but does not stop the row."""
    notices = [
        Problem(
            row.at_position(i),
            f"{value!r} is under no column header, so it is ignored",
            severity=WARNING,
            value=value,
        )
        for i, value in row.stray.items()
    ]
    if detainee.custody_status == "released" and detainee.release_date is None:
        message = "is empty, but custody_status says released"
        notices.append(Problem(row.at("release_date"), message, severity=WARNING))
    if case and case.facilities and detainee.facility and detainee.facility not in case.facilities:
        message = (
            f"{detainee.facility!r} is not under facilities in {case.source}, so a motion names "
            "it as the roster writes it and, not knowing its district, asks for no notice "
            "before a transfer; add it there with its display name and district"
        )
        notices.append(Problem(row.at("facility"), message, severity=WARNING))
    return notices


@dataclass(frozen=True)
class Rejected:
    """A row left out, and every reason why."""

    location: Location
    problems: list[DataError]


@dataclass
class RosterCheck:
    """What checking a roster found: the good records, the rejected rows, every problem.

    Every row read is either a record or a rejected row: `rows_read == accepted + rejected`.
    """

    detainees: list[Detainee] = field(default_factory=list)
    rejected_rows: list[Rejected] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # errors and warnings, as found
    rows_read: int = 0

    @property
    def errors(self) -> list[DataError]:
        return [e for r in self.rejected_rows for e in r.problems]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == WARNING]

    @property
    def accepted(self) -> int:
        return len(self.detainees)

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    @property
    def summary(self) -> str:
        """What `filings validate` says last: `600 rows: 592 valid, 8 rejected`."""
        return f"{counted(self.rows_read, 'row')}: {self.accepted} valid, {self.rejected} rejected"

    def reject(self, row: RawRow, errors: list[DataError]) -> None:
        self.rejected_rows.append(Rejected(row.at(), errors))
        self.problems.extend(Problem.of(e) for e in errors)


def counted(n: int, noun: str) -> str:
    """`1 row`, `2 rows`."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def check_roster(rows: Iterable[RawRow], case: Case | None = None) -> RosterCheck:
    """Check every row, then across rows (and against the case file, when given); keep each good
    record and each rejected row's reasons.

    A problem with the file itself (unreadable, a required column missing) raises DataError.
    """
    check = RosterCheck()
    first_seen: dict[str, Location] = {}
    for row in rows:
        if check.rows_read == 0 and row.header is not None:
            check.problems.extend(row.header.warnings)
        check.rows_read += 1
        try:
            detainee = detainee_from_row(row)
        except DataErrors as exc:
            check.reject(row, exc.errors)
            continue
        if (first := first_seen.get(detainee.a_number)) is not None:
            message = f"{detainee.a_number} appears again; first at {first.place}"
            check.reject(row, [_fault(row, "a_number", message)])
            continue
        if case is not None and (unknown := _unknown_attorney(row, detainee, case)):
            check.reject(row, [unknown])
            continue
        first_seen[detainee.a_number] = detainee.source
        check.detainees.append(detainee)
        check.problems.extend(_notices(row, detainee, case))
    return check


def _unknown_attorney(row: RawRow, detainee: Detainee, case: Case) -> DataError | None:
    """The attorney column names counsel by the `id` the case file gives them."""
    if detainee.attorney is None or detainee.attorney in case.counsel_by_id:
        return None
    ids = ", ".join(case.counsel_by_id)
    known = f"the ids are: {ids}" if ids else "no counsel there has an id yet"
    return _fault(
        row,
        "attorney",
        f"{detainee.attorney!r} is not the id of any counsel in {case.source}; {known}",
    )
