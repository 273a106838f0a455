"""Turn the case file and roster rows into typed records; collect every problem with its place."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from filings.errors import DataError, DataErrors, Location
from filings.load import RawRow, load_yaml

CUSTODY_STATUSES = ("detained", "released", "removed", "unknown")
ARREST_TYPES = ("warrantless", "warrant", "vehicle_stop", "unknown")
RISK_ASSESSMENTS = ("pending", "not_high_risk", "high_risk")
REQUIRED_COLUMNS = ("a_number", "family_name", "given_name", "custody_status")
ROSTER_COLUMNS = REQUIRED_COLUMNS + (
    "preferred_language", "country_of_citizenship", "date_of_birth", "facility",
    "arrest_date", "arrest_location", "arrest_type", "risk_assessment",
    "release_date", "release_conditions", "removal_date", "notes",
)  # fmt: skip


# --- values ------------------------------------------------------------------------------------


def normalize_a_number(text: str) -> str:
    """`A-12-345-678`, `12345678`, `a 012 345 678` -> `A012345678`."""
    compact = re.sub(r"[\s\-]", "", text)
    digits = compact[1:] if compact[:1] in ("A", "a") else compact
    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"{text!r} is not an A-number: an A-number is 'A' and 7 to 9 digits")
    if not 7 <= len(digits) <= 9:
        raise ValueError(f"{text!r} has {len(digits)} digits; an A-number has 7 to 9")
    return "A" + digits.zfill(9)


def format_a_number(a_number: str) -> str:
    """`A012345678` -> `A-012-345-678`, as documents print it."""
    d = a_number[1:]
    return f"A-{d[0:3]}-{d[3:6]}-{d[6:9]}"


def parse_date(text: str) -> dt.date:
    """Read an ISO date (YYYY-MM-DD)."""
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not a date in the form YYYY-MM-DD")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date on the calendar") from None


def parse_choice(text: str, choices: tuple[str, ...]) -> str:
    value = text.strip().lower().replace(" ", "_").replace("-", "_")
    if value not in choices:
        raise ValueError(f"{text!r} is not one of: {', '.join(choices)}")
    return value


def parse_language(text: str) -> str:
    value = text.strip().lower()
    if not re.fullmatch(r"[a-z]{2}", value):
        raise ValueError(f"{text!r} is not a two-letter ISO 639-1 language code (en, es, …)")
    return value


def _is_cjk(text: str) -> bool:
    """Every letter is a Han ideograph or Japanese kana."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(
        "CJK" in unicodedata.name(c, "") or "HIRAGANA" in unicodedata.name(c, "")
        or "KATAKANA" in unicodedata.name(c, "") for c in letters
    )  # fmt: skip


def clean_text(text: str) -> str:
    """Trim and NFC-normalize; never re-case a name."""
    return unicodedata.normalize("NFC", text.strip())


# --- the roster --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Detainee:
    """One class member, as the roster gives them."""

    a_number: str
    family_name: str
    given_name: str
    custody_status: str
    preferred_language: str = "en"
    country_of_citizenship: str | None = None
    date_of_birth: dt.date | None = None
    facility: str | None = None
    arrest_date: dt.date | None = None
    arrest_location: str | None = None
    arrest_type: str | None = None
    risk_assessment: str | None = None
    release_date: dt.date | None = None
    release_conditions: str | None = None
    removal_date: dt.date | None = None
    notes: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    source: Location = Location("roster")

    @property
    def full_name(self) -> str:
        """Given name first, as US filings write it; family name first, unspaced, for names
        written in Chinese or Japanese characters, as those scripts write them (李明华)."""
        if _is_cjk(self.family_name) and _is_cjk(self.given_name):
            return f"{self.family_name}{self.given_name}"
        return f"{self.given_name} {self.family_name}"

    @property
    def a_number_display(self) -> str:
        return format_a_number(self.a_number)


_PARSERS = {
    "a_number": normalize_a_number,
    "custody_status": lambda v: parse_choice(v, CUSTODY_STATUSES),
    "arrest_type": lambda v: parse_choice(v, ARREST_TYPES),
    "risk_assessment": lambda v: parse_choice(v, RISK_ASSESSMENTS),
    "preferred_language": parse_language,
    "date_of_birth": parse_date,
    "arrest_date": parse_date,
    "release_date": parse_date,
    "removal_date": parse_date,
}


def detainee_from_row(row: RawRow) -> Detainee:
    """Build one record, or raise DataErrors naming every cell at fault in the row."""
    errors: list[DataError] = []
    if row.overflow:
        errors.append(DataError(row.at(), f"{row.overflow} cell(s) beyond the header's columns"))
    fields: dict[str, Any] = {}
    for column in ROSTER_COLUMNS:
        text = clean_text(row.values.get(column) or "")
        if not text:
            if column in REQUIRED_COLUMNS:
                errors.append(DataError(row.at(column), "is empty; every row needs it"))
            continue
        try:
            fields[column] = _PARSERS.get(column, clean_text)(text)
        except ValueError as exc:
            errors.append(DataError(row.at(column), str(exc)))
    if errors:
        raise DataErrors(errors, f"{row.source} line {row.line}")
    extra = {k: clean_text(v) for k, v in row.values.items() if k not in ROSTER_COLUMNS}
    return Detainee(**fields, extra=extra, source=row.at())


def missing_columns(row: RawRow) -> list[str]:
    return [c for c in REQUIRED_COLUMNS if c not in row.values]


def validate_roster(rows: Iterable[RawRow]) -> tuple[list[Detainee], list[DataError]]:
    """Every good record, and every problem found (rows and cross-row checks)."""
    detainees: list[Detainee] = []
    errors: list[DataError] = []
    first_seen: dict[str, Location] = {}
    for index, row in enumerate(rows):
        if index == 0 and (missing := missing_columns(row)):
            raise DataError(
                Location(row.source, 1), f"missing required column(s): {', '.join(missing)}"
            )
        try:
            detainee = detainee_from_row(row)
        except DataErrors as exc:
            errors.extend(exc.errors)
            continue
        if detainee.a_number in first_seen:
            errors.append(
                DataError(
                    row.at("a_number"),
                    f"{detainee.a_number} appears again; "
                    f"first at line {first_seen[detainee.a_number].line}",
                )
            )
            continue
        first_seen[detainee.a_number] = detainee.source
        detainees.append(detainee)
    return detainees, errors


# --- the case file -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Attorney:
    name: str
    firm: str
    address: tuple[str, ...]
    phone: str
    email: str
    bar_number: str | None = None
    represents: str | None = None


@dataclass(frozen=True)
class Case:
    """The case file: court, caption, judge, counsel, the order, the dates."""

    court: dict[str, Any]
    case_number: str
    judge: str
    caption: dict[str, Any]
    class_definition: str
    counsel: tuple[Attorney, ...]
    opposing_counsel: tuple[Attorney, ...]
    contact: dict[str, Any]
    filing_date: dt.date
    order: dict[str, Any]
    source: str = "case.yaml"

    @property
    def signer(self) -> Attorney:
        return self.counsel[0]


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
                return parse_date(str(value))
            except ValueError as exc:
                self.fail(mapping, key, path, str(exc))
                return None
        if kind is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        if not isinstance(value, kind):
            self.fail(mapping, key, path, f"should be a {_KIND_NAMES[kind]}")
            return None
        return clean_text(value) if kind is str else value

    def mapping(self, mapping: Any, key: str, path: str, fields: dict[str, type]) -> dict:
        """A nested mapping whose listed fields are required; other keys pass through."""
        inner = self.get(mapping, key, path, dict)
        if inner is None:
            return {}
        out = dict(inner)
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
                f: self.get(item, f, f"{path}.{f}", list if f == "address" else str,
                            required=f not in ("bar_number", "represents"))
                for f in ("name", "firm", "address", "phone", "email", "bar_number", "represents")
            }  # fmt: skip
            values["address"] = tuple(clean_text(str(a)) for a in values["address"] or ())
            people.append(Attorney(**values))
        return tuple(people)


_KIND_NAMES = {str: "text", dict: "mapping", list: "list", bool: "yes/no value (true or false)",
               float: "number"}  # fmt: skip
# What the built-in templates state about the order; a template may use more keys.
ORDER_FIELDS = {"date": dt.date, "docket": str, "title": str, "stays_removal": bool,
                "release_terms": str, "release_on_hold": bool}  # fmt: skip


def load_case(path: Path) -> Case:
    """Read and check the case file; raise DataErrors listing every problem."""
    data = load_yaml(path)
    r = _Reader(path.name)
    if not isinstance(data, dict):
        raise DataError(Location(path.name, 1), "the case file should be a YAML mapping")
    case = dict(
        court=r.mapping(data, "court", "court", {"name": str, "district": str, "division": str,
                                                 "format": str}),
        case_number=r.get(data, "case_number", "case_number"),
        judge=r.get(data, "judge", "judge"),
        caption=r.mapping(data, "caption", "caption", {"plaintiffs": str, "defendants": str,
                                                       "short_title": str}),
        class_definition=r.get(data, "class_definition", "class_definition"),
        counsel=r.attorneys(data, "counsel"),
        opposing_counsel=r.attorneys(data, "opposing_counsel"),
        contact=r.mapping(data, "contact", "contact", {"organization": str, "phone": str,
                                                       "address": str, "hours": str}),
        filing_date=r.get(data, "filing_date", "filing_date", dt.date),
        order=r.mapping(data, "order", "order", ORDER_FIELDS),
        source=path.name,
    )  # fmt: skip
    order = data.get("order") if isinstance(data.get("order"), dict) else {}
    if order.get("release_on_hold") is True:
        case["order"]["release_on_hold_by"] = r.get(
            order, "release_on_hold_by", "order.release_on_hold_by"
        )
    if "bond_amount" in order:
        case["order"]["bond_amount"] = r.get(order, "bond_amount", "order.bond_amount", float)
    if "collect_calls" in (case["contact"] or {}):
        r.get(data["contact"], "collect_calls", "contact.collect_calls", bool)
    if not case["counsel"] and "counsel" in data:
        r.fail(data, "counsel", "counsel", "lists no attorney; someone must sign (FRCP 11(a))")
    if r.errors:
        raise DataErrors(r.errors, path.name)
    return Case(**case)
