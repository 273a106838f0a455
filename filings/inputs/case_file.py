"""Read the case file (YAML) into a Case, collecting every problem with its line.

The reader walks the file's mappings; `courtfacts` and `case_facts` read their keys with it, so
their problems carry lines too. Each text value is checked as a roster value is (`text_problems`).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from filings.errors import DataError, DataErrors, Location
from filings.inputs import courtfacts
from filings.inputs.case_facts import read_facts
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.load import TWICE, LocatedDict, load_yaml
from filings.inputs.normalize import parse_iso_date, parse_money
from filings.inputs.records import Attorney, Case
from filings.inputs.redaction import read_policy
from filings.inputs.text import clean_text
from filings.inputs.validate import text_problems


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
