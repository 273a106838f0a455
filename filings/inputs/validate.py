"""Turn the case file and roster rows into typed records; collect every problem with its place."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any

from filings.errors import DataError, DataErrors, Location
from filings.glyphs import describe, unprintable
from filings.inputs import courtfacts
from filings.inputs.case_facts import read_facts
from filings.inputs.columns import DATE_COLUMNS, REQUIRED_COLUMNS, ROSTER_COLUMNS
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.load import TWICE, LocatedDict, load_yaml
from filings.inputs.normalize import (
    clean_text,
    excel_error,
    format_a_number,
    invisible_characters,
    line_separators,
    normalize_a_number,
    parse_choice,
    parse_date,
    parse_iso_date,
    parse_language,
    parse_money,
)
from filings.inputs.records import (
    ARREST_TYPES,
    CUSTODY_STATUSES,
    PROCEEDINGS,
    RISK_ASSESSMENTS,
    Attorney,
    Case,
    Detainee,
    is_latin,
)
from filings.inputs.redaction import read_policy
from filings.inputs.rows import RawRow
from filings.problems import WARNING, Problem

__all__ = [
    "ARREST_TYPES",
    "CUSTODY_STATUSES",
    "PROCEEDINGS",
    "REQUIRED_COLUMNS",
    "RISK_ASSESSMENTS",
    "ROSTER_COLUMNS",
    "Attorney",
    "Case",
    "Detainee",
    "Rejected",
    "RosterCheck",
    "check_roster",
    "clean_text",
    "detainee_from_row",
    "format_a_number",
    "load_case",
    "normalize_a_number",
    "parse_date",
]

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


# --- the case file -----------------------------------------------------------------------------


class _Reader:
    """Walk the case file's mappings, collecting each problem with its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[DataError] = []

    def fail(self, mapping: Any, key: str, path: str, message: str) -> None:
        # A missing nested key is reported at the mapping that lacks it.
        nested = "." in path or "[" in path
        start = getattr(mapping, "start_line", None) if nested else None
        line = getattr(mapping, "lines", {}).get(key, start)
        self.errors.append(DataError(Location(self.source, line, path), message))

    def get(self, mapping: Any, key: str, path: str, kind: type = str, required: bool = True):
        if not isinstance(mapping, dict) or key not in mapping or mapping[key] in (None, ""):
            if required:
                self.fail(mapping, key, path, "is missing; the case file needs it")
            return None
        value = mapping[key]
        if kind is dt.date:
            try:
                return parse_iso_date(str(value))
            except ValueError as exc:
                self.fail(mapping, key, path, str(exc))
                return None
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if kind is Decimal and isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return parse_money(value)
            except ValueError as exc:
                self.fail(mapping, key, path, str(exc))
                return None
        if not isinstance(value, kind):
            self.fail(mapping, key, path, f"should be a {_KIND_NAMES[kind]}")
            return None
        return clean_text(value) if kind is str else value

    def mapping(self, mapping: Any, key: str, path: str, fields: dict[str, type]) -> dict:
        """A nested mapping whose listed fields are required; other keys pass through."""
        inner = self.get(mapping, key, path, dict)
        if inner is None:
            return {}
        out = LocatedDict(inner)  # keeps each key's line, for checks made after this one
        out.lines = getattr(inner, "lines", {})
        for name, kind in fields.items():
            out[name] = self.get(inner, name, f"{path}.{name}", kind)
        return out

    def attorneys(self, mapping: Any, key: str) -> tuple[Attorney, ...]:
        items = self.get(mapping, key, key, list)
        people = []
        for i, item in enumerate(items or []):
            path = f"{key}[{i}]"
            if not isinstance(item, dict):
                self.fail(mapping, key, path, "should be a mapping (name, firm, address, …)")
                continue
            values = {
                f: self.get(
                    item,
                    f,
                    f"{path}.{f}",
                    list if f == "address" else str,
                    required=f not in _OPTIONAL_ATTORNEY_FIELDS,
                )
                for f in ("name", "firm", "address", "phone", "email", *_OPTIONAL_ATTORNEY_FIELDS)
            }
            values["address"] = tuple(clean_text(str(a)) for a in values["address"] or ())
            values["consents_to_esignature"] = bool(
                self.get(
                    item,
                    "consents_to_esignature",
                    f"{path}.consents_to_esignature",
                    bool,
                    required=False,
                )
            )
            people.append(Attorney(**values))
        return tuple(people)


_OPTIONAL_ATTORNEY_FIELDS = ("bar_number", "represents", "id", "eoir_id")
_KIND_NAMES = {
    str: "text",
    dict: "mapping",
    list: "list",
    bool: "yes/no value (true or false)",
    Decimal: "number",
}
# What the built-in templates state about the order; a template may use more keys.
ORDER_FIELDS = {
    "date": dt.date,
    "docket": str,
    "title": str,
    "stays_removal": bool,
    "release_terms": str,
    "release_on_hold": bool,
}


def _check_case_text(
    r: _Reader, data: Any, path: str = "", owner: Any = None, key: Any = None
) -> None:
    """Every text of the case file, however deep, checked as roster values are; a list item is
    reported at the line of the key holding the list."""
    if isinstance(data, dict):
        for key_, line, first in getattr(data, "duplicates", []):
            name = f"{path}.{key_}" if path else str(key_)
            problem = TWICE.format(where=f" (first on line {first})")
            r.errors.append(DataError(Location(r.source, line, name), problem))
        for k, value in data.items():
            _check_case_text(r, value, f"{path}.{k}" if path else str(k), data, k)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            _check_case_text(r, item, f"{path}[{i}]", owner, key)
    elif isinstance(data, str) and owner is not None:
        for problem in text_problems(data):
            r.fail(owner, key, path, problem)


def _case_translations(r: _Reader, data: dict) -> tuple[dict[str, str], ...]:
    """`translations:`, a list of {en: text, es: texto, …}; each entry checked whole."""
    entries = r.get(data, "translations", "translations", list, required=False) or []
    found = []
    for i, entry in enumerate(entries):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("en"), str)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry.items())
        ):
            r.fail(
                data,
                "translations",
                f"translations[{i}]",
                "should map language codes to text, with the English as en (en: …, es: …)",
            )
            continue
        found.append({k: clean_text(v) for k, v in entry.items()})
    return tuple(found)


def _hold_before_notices(r: _Reader, data: dict, case: dict) -> None:
    """`order.release_on_hold_date`, when given: a notice reports the hold, so the notices' date
    (`notice_date`, else the filing date) cannot come before it."""
    order = data["order"]
    held = r.get(order, "release_on_hold_date", "order.release_on_hold_date", dt.date, False)
    case["order"]["release_on_hold_date"] = held
    key = "notice_date" if case["notice_date"] else "filing_date"
    dated = case[key]
    if held and dated and dated < held:
        message = (
            f"{dated.isoformat()} is before order.release_on_hold_date, {held.isoformat()}: a "
            "notice that reports the hold cannot be dated before it; set notice_date to the day "
            "the notices go out"
        )
        r.fail(data, key, key, message)


def load_case(path: Path, *, limits: Limits = DEFAULT_LIMITS) -> Case:
    """Read and check the case file; raise DataErrors listing every problem."""
    data = load_yaml(path, limits=limits)
    r = _Reader(path.name)
    if not isinstance(data, dict):
        raise DataError(Location(path.name, 1), "the case file should be a YAML mapping")
    case = dict(
        court=r.mapping(
            data, "court", "court", {"name": str, "district": str, "division": str, "format": str}
        ),
        case_number=r.get(data, "case_number", "case_number"),
        judge=r.get(data, "judge", "judge"),
        caption=r.mapping(
            data, "caption", "caption", {"plaintiffs": str, "defendants": str, "short_title": str}
        ),
        class_definition=r.get(data, "class_definition", "class_definition"),
        counsel=r.attorneys(data, "counsel"),
        opposing_counsel=r.attorneys(data, "opposing_counsel"),
        contact=r.mapping(
            data,
            "contact",
            "contact",
            {"organization": str, "phone": str, "address": str, "hours": str},
        ),
        filing_date=r.get(data, "filing_date", "filing_date", dt.date),
        notice_date=r.get(data, "notice_date", "notice_date", dt.date, required=False),
        order=r.mapping(data, "order", "order", ORDER_FIELDS),
        class_covers=courtfacts.class_covers(r, data),
        immigration_courts=courtfacts.immigration_courts(r, data),
        page_limit_leave=bool(
            r.get(data, "page_limit_leave", "page_limit_leave", bool, required=False)
        ),
        source=path.name,
    )
    courtfacts.check_counsel(r, data, case["counsel"])
    courtfacts.retired_keys(r, data)
    case.update(read_facts(r, data, case["court"], case["filing_date"]))
    case["redaction"] = read_policy(r, data)
    order = data.get("order") if isinstance(data.get("order"), dict) else {}
    if order.get("release_on_hold") is True:
        case["order"]["release_on_hold_by"] = r.get(
            order, "release_on_hold_by", "order.release_on_hold_by"
        )
        _hold_before_notices(r, data, case)
    if "bond_amount" in order:
        case["order"]["bond_amount"] = r.get(order, "bond_amount", "order.bond_amount", Decimal)
    if "collect_calls" in (case["contact"] or {}):
        r.get(data["contact"], "collect_calls", "contact.collect_calls", bool)
    if not case["counsel"] and "counsel" in data:
        r.fail(data, "counsel", "counsel", "lists no attorney; someone must sign (FRCP 11(a))")
    _check_case_text(r, data)
    if r.errors:
        raise DataErrors(r.errors, path.name)
    return Case(**case)
