"""The case file's facts for deciding who a document is for and filing in immigration court:
`class_covers`, `immigration_courts`, and counsel's `id` and `eoir_id`. Each problem is collected
with its line by the case reader (`filings.inputs.case_file._Reader`), as the other keys' are."""

from __future__ import annotations

import re
from typing import Any

from filings.inputs.records import ARREST_TYPES, Attorney, ImmigrationCourt
from filings.inputs.text import clean_text

_ID = re.compile(r"[a-z0-9][a-z0-9_-]*")
_EOIR_ID = re.compile(r"[A-Za-z0-9]{4,12}")  # as EOIR issues it (`AB123456`); no fixed form assumed
# Keys older case files used for one immigration court for everyone; refused, not ignored, so a
# motion never goes to a court the person's row does not name.
RETIRED = {
    "immigration_court": "give each person's court in the roster's immigration_court column and "
    "list the courts under immigration_courts",
    "dhs_service": "give each court's DHS office under immigration_courts (dhs: office, address)",
}


def class_covers(r: Any, data: dict) -> dict | None:
    """`class_covers: {arrest_types: [warrantless, vehicle_stop]}`; None when not given."""
    covers = r.get(data, "class_covers", "class_covers", dict, required=False)
    if covers is None:
        return None
    types = r.get(covers, "arrest_types", "class_covers.arrest_types", list)
    for value in types or ():
        if value not in ARREST_TYPES:
            r.fail(
                covers,
                "arrest_types",
                "class_covers.arrest_types",
                f"{value!r} is not an arrest type; the arrest types are: {', '.join(ARREST_TYPES)}",
            )
    return {"arrest_types": tuple(str(t) for t in types or ())}


def immigration_courts(r: Any, data: dict) -> dict[str, ImmigrationCourt]:
    """`immigration_courts:`, by EOIR's name for each court: its name, city and address, and the
    DHS office (ICE's Office of the Principal Legal Advisor for that court) served there."""
    table = r.get(data, "immigration_courts", "immigration_courts", dict, required=False)
    courts = {}
    for key, entry in (table or {}).items():
        path = f"immigration_courts.{key}"
        if not isinstance(entry, dict):
            r.fail(table, key, path, "should be a mapping (name, city, address, dhs)")
            continue
        values = {
            f: r.get(entry, f, f"{path}.{f}", list if f == "address" else str)
            for f in ("name", "city", "address")
        }
        dhs = r.mapping(entry, "dhs", f"{path}.dhs", {"office": str, "address": list})
        if None in values.values() or None in dhs.values() or not dhs:
            continue
        courts[str(key)] = ImmigrationCourt(
            str(key),
            values["name"],
            values["city"],
            _lines(values["address"]),
            dhs["office"],
            _lines(dhs["address"]),
            getattr(table, "lines", {}).get(key),
        )
    return courts


def _lines(values: list) -> tuple[str, ...]:
    return tuple(clean_text(str(v)) for v in values)


def check_counsel(r: Any, data: dict, counsel: tuple[Attorney, ...]) -> None:
    """Each `id` is a short name used once (the roster's attorney column gives it); each
    `eoir_id` is in EOIR's form."""
    items = data.get("counsel") if isinstance(data.get("counsel"), list) else []
    first: dict[str, int] = {}
    for i, (item, attorney) in enumerate(zip(items, counsel, strict=False)):
        path = f"counsel[{i}]"
        if attorney.id is not None and not _ID.fullmatch(attorney.id):
            r.fail(
                item,
                "id",
                f"{path}.id",
                f"{attorney.id!r} should be lower-case letters, "
                "digits, - or _ (the roster's attorney column writes it)",
            )
        elif attorney.id is not None and attorney.id in first:
            r.fail(
                item,
                "id",
                f"{path}.id",
                f"{attorney.id!r} is counsel[{first[attorney.id]}]'s "
                "id too; each attorney's id must be their own",
            )
        elif attorney.id is not None:
            first[attorney.id] = i
        if attorney.eoir_id is not None and not _EOIR_ID.fullmatch(attorney.eoir_id):
            r.fail(
                item,
                "eoir_id",
                f"{path}.eoir_id",
                f"{attorney.eoir_id!r} is not an EOIR ID; "
                "write it as EOIR issued it, letters and digits only",
            )


def retired_keys(r: Any, data: dict) -> None:
    for key, instead in RETIRED.items():
        if key in data:
            r.fail(data, key, key, f"is no longer read: {instead}")
