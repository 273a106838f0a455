"""The case file's facts that court filings state and cite: conferral with the other side, the
Consent Decree's paragraphs, the order that directed a status report, the facilities where people
are held. Each is optional; when present, every part of it is checked and located.

`filings.inputs.case_file.load_case` calls `read_facts` with its reader, so problems carry the
case file's line like every other key's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from filings.inputs.text import clean_text

# Defendants' position on a motion, as class counsel recorded it after conferring.
POSITIONS = ("opposed", "unopposed", "takes_no_position", "unknown")
# The Decree paragraphs the built-in templates cite, by what each is about. A key not listed is
# refused, so a misspelt key cannot silently drop a citation.
DECREE_PARAGRAPHS = ("warrantless_arrests", "vehicle_stops", "documentation", "enforcement")


@dataclass(frozen=True)
class Facility:
    """A place of detention as the roster names it, and as a filing writes it."""

    name: str  # as the roster's facility column writes it
    display: str  # as a sentence writes it, article included: "the Broadview Processing Center"
    district: str | None  # the federal judicial district it is in ("N.D. Ill."), when known
    in_district: bool  # inside the district of the court the case file names


def read_facts(r: Any, data: dict, court: dict, filed: dt.date | None) -> dict[str, Any]:
    """The optional filing facts of the case file, each checked; `r` is the case file's reader,
    `filed` the filing date (nothing a filing reports as done can come after it)."""
    facts = dict(
        conferral=_conferral(r, data),
        defendants_position=r.get(
            data, "defendants_position", "defendants_position", required=False
        ),
        facilities=_facilities(r, data, court),
        decree=_decree(r, data),
        report_order=_dated(r, data, "report_order"),
        translations=_translations(r, data),
    )
    for key, field in (("conferral", "date"), ("report_order", "date"), ("decree", "approved")):
        when = (facts[key] or {}).get(field)
        if filed and when and when > filed:
            r.fail(
                data[key],
                field,
                f"{key}.{field}",
                f"{when.isoformat()} is after the filing date, {filed.isoformat()}",
            )
    return facts


def _translations(r: Any, data: dict) -> tuple[dict[str, str], ...]:
    """`translations:`, a list of {en: text, es: texto, …}; each entry checked whole."""
    entries = r.get(data, "translations", "translations", list, required=False) or []
    found = []
    for i, entry in enumerate(entries):
        if not (
            isinstance(entry, dict)
            and isinstance(entry.get("en"), str)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in entry.items())
        ):
            message = "should map language codes to text, with the English as en (en: …, es: …)"
            r.fail(data, "translations", f"translations[{i}]", message)
            continue
        found.append({k: clean_text(v) for k, v in entry.items()})
    return tuple(found)


def _conferral(r: Any, data: dict) -> dict | None:
    if r.get(data, "conferral", "conferral", dict, required=False) is None:
        return None
    out = r.mapping(data, "conferral", "conferral", {"date": dt.date, "with": str, "position": str})
    position = out.get("position")
    if position is not None and position not in POSITIONS:
        r.fail(
            data["conferral"],
            "position",
            "conferral.position",
            f"{position!r} is not one of: {', '.join(POSITIONS)}",
        )
        out["position"] = None
    return out


def _dated(r: Any, data: dict, key: str) -> dict | None:
    """An order the filing cites: its date and docket entry."""
    if r.get(data, key, key, dict, required=False) is None:
        return None
    return r.mapping(data, key, key, {"date": dt.date, "docket": str})


def _decree(r: Any, data: dict) -> dict | None:
    if r.get(data, "decree", "decree", dict, required=False) is None:
        return None
    out = r.mapping(data, "decree", "decree", {"approved": dt.date, "docket": str})
    given = r.get(data["decree"], "paragraphs", "decree.paragraphs", dict, required=False) or {}
    paragraphs = {}
    for key in given:
        path = f"decree.paragraphs.{key}"
        if key not in DECREE_PARAGRAPHS:
            r.fail(
                given,
                key,
                path,
                f"is not a paragraph the templates cite; the keys are: "
                f"{', '.join(DECREE_PARAGRAPHS)}",
            )
            continue
        pin = r.get(given, key, path)
        if pin is not None and not pin.startswith("¶"):
            r.fail(given, key, path, f"{pin!r} should start with ¶, as in '¶ 12' or '¶¶ 12–14'")
            continue
        paragraphs[key] = pin
    out["paragraphs"] = paragraphs
    return out


def _facilities(r: Any, data: dict, court: dict) -> dict[str, Facility]:
    given = r.get(data, "facilities", "facilities", dict, required=False) or {}
    own = {_plain(court.get(k)) for k in ("district", "district_abbreviation") if court.get(k)}
    out = {}
    for name in given:
        path = f"facilities.{name}"
        if not isinstance(given[name], dict):
            r.fail(given, name, path, "should be a mapping (display, district)")
            continue
        display = r.get(given[name], "display", f"{path}.display")
        district = r.get(given[name], "district", f"{path}.district", required=False)
        if display is not None:
            out[str(name)] = Facility(str(name), display, district, _plain(district) in own)
    return out


def _plain(text: str | None) -> str:
    """A district's name compared without case or spacing ("N.D. Ill." == "n.d.  ill.")."""
    return " ".join((text or "").lower().split())


__all__ = ["DECREE_PARAGRAPHS", "POSITIONS", "Facility", "read_facts"]
