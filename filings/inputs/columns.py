"""The roster's columns: their names, the headers teams write for them, and the header row."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from filings.errors import DataError, DataErrors, Location
from filings.inputs.config import CONFIG_FILE, project_config
from filings.inputs.text import words
from filings.problems import WARNING, Problem

REQUIRED_COLUMNS = ("a_number", "family_name", "given_name", "custody_status")
ROSTER_COLUMNS = REQUIRED_COLUMNS + (
    "preferred_language",
    "country_of_citizenship",
    "date_of_birth",
    "facility",
    "arrest_date",
    "arrest_location",
    "arrest_type",
    "risk_assessment",
    "release_date",
    "release_conditions",
    "removal_date",
    "notes",
    # For court filings: the name as DHS records it, and the immigration court case.
    "family_name_latin",
    "given_name_latin",
    "immigration_court",
    "immigration_judge",
    "next_hearing_date",
    "proceedings",
    "final_order_date",
    "motion_to_reopen_date",
    "attorney",
)
DATE_COLUMNS = (
    "date_of_birth",
    "arrest_date",
    "release_date",
    "removal_date",
    "next_hearing_date",
    "final_order_date",
    "motion_to_reopen_date",
)

# What teams write in a header row, besides the column's own name. Matched ignoring case,
# spaces, punctuation and accents; `#` and `No.` read as "number" (`A#`, `A No.`).
ALIASES: dict[str, tuple[str, ...]] = {
    "a_number": (
        "A#",
        "A Number",
        "Alien Number",
        "Alien #",
        "Alien Registration Number",
        "A No.",
        "A Num",
        "A Nbr",
        "A-File Number",
    ),
    "family_name": (
        "Last Name",
        "Last",
        "Surname",
        "Family Name",
        "Apellido",
        "Apellidos",
        "Last Names",
    ),
    "given_name": (
        "First Name",
        "First",
        "Given Name",
        "Given Names",
        "First Names",
        "Forename",
        "Nombre",
        "Nombres",
    ),
    "custody_status": ("Custody", "Status", "Custody Status", "Estado"),
    "preferred_language": (
        "Language",
        "Preferred Language",
        "Primary Language",
        "Lang",
        "Idioma",
        "Lengua",
    ),
    "country_of_citizenship": (
        "Country",
        "Nationality",
        "Citizenship",
        "Country of Origin",
        "Pais",
        "Nacionalidad",
    ),
    "date_of_birth": (
        "DOB",
        "D.O.B.",
        "Date of Birth",
        "Birth Date",
        "Birthdate",
        "Fecha de nacimiento",
    ),
    "facility": (
        "Facility",
        "Detention Facility",
        "Detention Center",
        "Facility Name",
        "Current Facility",
        "Detained At",
    ),
    "arrest_date": (
        "Arrest Date",
        "Date of Arrest",
        "Arrested",
        "Apprehension Date",
        "Fecha de arresto",
    ),
    "arrest_location": (
        "Arrest Location",
        "Location of Arrest",
        "Place of Arrest",
        "Arrest Place",
        "Where Arrested",
    ),
    "arrest_type": ("Arrest Type", "Type of Arrest"),
    "risk_assessment": ("Risk", "Risk Assessment", "Risk Level"),
    "release_date": ("Release Date", "Date of Release", "Date Released", "Released On"),
    "release_conditions": ("Release Conditions", "Conditions of Release", "Conditions"),
    "removal_date": ("Removal Date", "Date of Removal", "Deportation Date", "Date Removed"),
    "notes": ("Notes", "Note", "Comments", "Comment", "Remarks", "Notas"),
    "family_name_latin": (
        "Last Name (Latin)",
        "Family Name (Latin)",
        "Last Name as DHS Records It",
        "DHS Last Name",
        "Latin Last Name",
    ),
    "given_name_latin": (
        "First Name (Latin)",
        "Given Name (Latin)",
        "First Name as DHS Records It",
        "DHS First Name",
        "Latin First Name",
    ),
    "immigration_court": ("Immigration Court", "EOIR Court", "IJ Court"),
    "immigration_judge": ("Immigration Judge", "IJ"),
    "next_hearing_date": ("Next Hearing", "Next Hearing Date", "Hearing Date", "Next Court Date"),
    "proceedings": ("Proceedings", "Case Status", "Removal Proceedings", "Proceedings Status"),
    "final_order_date": (
        "Final Order Date",
        "Date of Final Order",
        "Order of Removal Date",
        "Removal Order Date",
    ),
    "motion_to_reopen_date": (
        "Motion to Reopen Date",
        "MTR Date",
        "MTR Filed",
        "Motion to Reopen Filed",
    ),
    "attorney": ("Attorney", "EOIR Attorney", "Attorney of Record", "Counsel", "Attorney ID"),
}
# Headers that could mean more than one column: kept as extras, with a warning, unless the
# team's filings.toml says which column they mean. "Location" is where someone is held on one
# team's sheet and where they were arrested on another's; a court filing must not guess.
AMBIGUOUS = {"location": ("facility", "arrest_location"), "date": DATE_COLUMNS}
_NUMBER_WORDS = {"#": "number", "no": "number", "num": "number", "nbr": "number"}


def header_key(header: str) -> str:
    """What a header is matched by: `A-Number`, `A#` and `a number` all give `anumber`."""
    return "".join(_NUMBER_WORDS.get(w, w) for w in words(header))


def canonical_header(header: str) -> str:
    """The key an extra column is kept under: `Detention Officer ` -> `detention_officer`."""
    return "_".join("number" if w == "#" else w for w in words(header))


def builtin_aliases() -> dict[str, str]:
    """Header key -> column, for every column's own name and its aliases."""
    table = {header_key(c): c for c in ROSTER_COLUMNS}
    for column, names in ALIASES.items():
        table.update({header_key(name): column for name in names})
    return table


def team_aliases(folder: Path | None = None) -> dict[str, str]:
    """A team's own headers, from `[roster.columns]` in filings.toml in `folder` (default: cwd).

    `"Detainee Last" = "family_name"` maps that header to that column.
    """
    config, _ = project_config(folder)
    roster = config.get("roster")
    columns = roster.get("columns", {}) if isinstance(roster, dict) else {}
    if not isinstance(columns, dict):
        raise DataError(
            Location(CONFIG_FILE, field="roster.columns"),
            'should be a table of "Header" = "column" lines',
        )
    bad = [(h, c) for h, c in columns.items() if c not in ROSTER_COLUMNS]
    if bad:
        header, column = bad[0]
        raise DataError(
            Location(CONFIG_FILE, field=f"roster.columns.{header!r}"),
            f"{column!r} is not a roster column; the columns are: {', '.join(ROSTER_COLUMNS)}",
        )
    return {str(h): c for h, c in columns.items()}


def alias_table(aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Header key -> column: the built-in names, then the team's (which win)."""
    table = builtin_aliases()
    team = team_aliases() if aliases is None else aliases
    table.update({header_key(h): c for h, c in team.items()})
    return table


@dataclass(frozen=True)
class Header:
    """The header row: the key each column's cells are kept under, and how the file names it."""

    keys: tuple[str, ...]  # per column: a roster column, an extra's key, or "" (no header)
    written: dict[str, str]  # key -> the header as written
    letters: dict[str, str]  # key -> worksheet column letter (XLSX only)
    location: Location  # the header row
    warnings: tuple[Problem, ...] = ()


def known_count(cells: Sequence[str], table: dict[str, str]) -> int:
    """How many cells name a roster column; a header row has at least two."""
    return sum(1 for c in cells if header_key(c) in table)


def map_header(
    cells: Sequence[str],
    table: dict[str, str],
    row_at: Location,
    cell_at: Callable[[int], Location],
    letters: Sequence[str] = (),
) -> Header:
    """Match each header cell to a column; raise on a missing or doubled column."""
    keys: list[str] = []
    written: dict[str, str] = {}
    errors: list[DataError] = []
    warnings: list[Problem] = []
    for i, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        key = table.get(header_key(text)) or canonical_header(text)
        if key and key in written:
            errors.append(_doubled(cell_at(i), written[key], text, key))
            key = ""
        elif key and key not in ROSTER_COLUMNS:
            warnings.append(_unrecognized(cell_at(i), text, key))
        keys.append(key)
        if key:
            written[key] = text
    if missing := [c for c in REQUIRED_COLUMNS if c not in written]:
        errors.insert(0, DataError(row_at, f"missing required column(s): {', '.join(missing)}"))
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise DataErrors(errors, row_at.file)
    columns = {k: letters[i] for i, k in enumerate(keys) if k and i < len(letters)}
    return Header(tuple(keys), written, columns, row_at, tuple(warnings))


def _doubled(where: Location, first: str, second: str, key: str) -> DataError:
    what = key if key in ROSTER_COLUMNS else "the same column"
    return DataError(
        where,
        f"columns {first!r} and {second!r} both mean {what}; keep one, or say in "
        f"{CONFIG_FILE} [roster.columns] which column each one is",
        value=second,
    )


def _unrecognized(where: Location, header: str, key: str) -> Problem:
    ambiguous = AMBIGUOUS.get(header_key(header))
    if ambiguous:
        message = (
            f"column {header!r} could be {' or '.join(ambiguous)}; kept as extra.{key}. "
            f"Say which in {CONFIG_FILE} [roster.columns]"
        )
    else:
        message = f"column {header!r} is not a roster column; kept as extra.{key}"
    return Problem(where, message, severity=WARNING, value=header)
