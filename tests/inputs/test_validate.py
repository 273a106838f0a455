from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
from conftest import CASE, write
from hypothesis import given, settings
from hypothesis import strategies as st
from workbooks import xlsx_from_yaml

from filings.build.listings import write_problems
from filings.errors import DataError, DataErrors
from filings.inputs.case_file import load_case
from filings.inputs.load import read_roster
from filings.inputs.normalize import format_a_number, normalize_a_number, parse_date
from filings.inputs.problems import excel_safe
from filings.inputs.validate import check_roster

# No example database in the work tree (as in test_normalize).
settings.register_profile("filings", database=None, deadline=None, max_examples=150)
settings.load_profile("filings")
SCENARIOS = sorted(
    p for p in (Path(__file__).parent / "scenarios-validate").iterdir() if p.is_dir()
)

HEADER = "a_number,family_name,given_name,custody_status,arrest_date\n"


@pytest.mark.parametrize(
    "written, normalized",
    [
        ("A012345678", "A012345678"),
        ("A-012-345-678", "A012345678"),
        ("a 012 345 678", "A012345678"),
        ("12345678", "A012345678"),
        ("A1234567", "A001234567"),
        (" A-212-345-678 ", "A212345678"),
    ],
)
def test_a_numbers_are_normalized_to_nine_digits(written, normalized):
    assert normalize_a_number(written) == normalized


@pytest.mark.parametrize(
    "written, message",
    [
        ("12345", "'12345' has 5 digits; an A-number has 7 to 9"),
        ("A1234567890", "'A1234567890' has 10 digits; an A-number has 7 to 9"),
        ("B12345678", "'B12345678' is not an A-number: an A-number is 'A' and 7 to 9 digits"),
        ("A12O45678", "'A12O45678' is not an A-number: an A-number is 'A' and 7 to 9 digits"),
        ("A١٢٣٤٥٦٧٨", "'A١٢٣٤٥٦٧٨' is not an A-number: an A-number is 'A' and 7 to 9 digits"),
    ],
)
def test_bad_a_numbers_say_what_is_wrong(written, message):
    with pytest.raises(ValueError) as exc:
        normalize_a_number(written)
    assert str(exc.value) == message


def test_documents_print_a_numbers_with_dashes():
    assert format_a_number("A012345678") == "A-012-345-678"


def test_dates_are_on_the_calendar_in_any_form_clerks_write():
    assert parse_date("2025-11-12") == parse_date("11/12/2025") == dt.date(2025, 11, 12)
    with pytest.raises(ValueError, match="'2025-02-30' is not a date on the calendar"):
        parse_date("2025-02-30")


def test_every_problem_in_every_row_is_reported_with_its_line_and_column(tmp_path):
    roster = write(
        tmp_path / "roster.csv",
        HEADER
        + "A012345678,Peña,José,detained,2025-09-09\n"
        + "12345,,Ana,in jail,2025-13-45\n"
        + '"A-012-345-678","Multi\nLine",Luis,released,\n'
        + "A012345679,Ruiz,Eva,unknown,\n",
    )
    check = check_roster(read_roster(roster))
    people, errors = check.detainees, check.errors
    assert [p.family_name for p in people] == ["Peña", "Ruiz"]
    assert [e.message for e in errors] == [
        "roster.csv:3: a_number: '12345' has 5 digits; an A-number has 7 to 9",
        "roster.csv:3: family_name: is empty; every row needs it",
        "roster.csv:3: custody_status: 'in jail' is not one of: "
        "detained, released, removed, unknown",
        "roster.csv:3: arrest_date: '2025-13-45' is not a date on the calendar",
        "roster.csv:4: a_number: A012345678 appears again; first at roster.csv:2",
    ]


def test_names_are_kept_as_written_but_nfc_normalized(tmp_path):
    decomposed = "Nguye\u0302\u0303n"  # e + combining circumflex + combining tilde
    roster = write(tmp_path / "r.csv", HEADER + f"A012345678,  {decomposed} ,thị hương,detained,\n")
    check = check_roster(read_roster(roster))
    [person], errors = check.detainees, check.errors
    assert not errors
    assert person.family_name == "Nguyễn" and len(person.family_name) == 6
    assert person.given_name == "thị hương"  # never re-cased


def test_a_missing_required_column_stops_at_the_header(tmp_path):
    roster = write(
        tmp_path / "r.csv", "a_number,given_name,custody_status\nA012345678,Ana,detained\n"
    )
    with pytest.raises(DataError) as exc:
        check_roster(read_roster(roster))
    assert exc.value.message == "r.csv:1: missing required column(s): family_name"


def test_extra_columns_are_kept_for_templates(tmp_path):
    roster = write(
        tmp_path / "r.csv",
        HEADER.strip()
        + ",Detention Officer\n"
        + "A012345678,Peña,José,detained,,Officer Example\n",
    )
    [person] = check_roster(read_roster(roster)).detainees
    assert person.extra == {"detention_officer": "Officer Example"}


def test_the_fixture_case_file_loads(case):
    assert case.case_number == "1:18-cv-03757"
    assert case.signer.name == "Marisol T. Okafor"
    assert case.filing_date == dt.date(2025, 11, 14)


def test_case_file_problems_name_their_line(tmp_path):
    text = CASE.read_text(encoding="utf-8")
    text = text.replace("filing_date: 2025-11-14", "filing_date: 2025-11-31")
    text = text.replace("    email: mokafor@lakeshore-defense.example\n", "")
    with pytest.raises(DataErrors) as exc:
        load_case(write(tmp_path / "case.yaml", text))
    assert [e.message for e in exc.value.errors] == [
        "case.yaml:72: counsel[0].email: is missing; the case file needs it",
        "case.yaml:21: filing_date: '2025-11-31' is not a date on the calendar",
    ]


def test_case_file_yaml_errors_keep_their_line(tmp_path):
    with pytest.raises(DataError) as exc:
        load_case(write(tmp_path / "case.yaml", "court:\n  name: [unclosed\njudge: x\n"))
    assert exc.value.message.startswith("case.yaml:3: not valid YAML")


# --- scenarios: each kind of bad roster, with every message and place ---------------------------


def _roster(folder: Path, tmp_path: Path) -> Path:
    [spec] = [p for p in folder.iterdir() if p.name.startswith("roster.")]
    if spec.name.endswith(".xlsx.yaml"):
        return xlsx_from_yaml(spec, tmp_path / "roster.xlsx")
    return spec


def _report(path: Path) -> str:
    """What checking finds, one line each: problems as found, the records kept, the counts."""
    try:
        check = check_roster(read_roster(path, aliases={}))
    except DataErrors as exc:
        return "".join(f"error: {e.message}\n" for e in exc.errors)
    except DataError as exc:
        return f"error: {exc.message}\n"
    lines = [f"{p.severity}: {p}" for p in check.problems]
    lines += [
        f"ok: {d.source}: {d.a_number} {d.full_name} ({d.preferred_language or 'no language'})"
        for d in check.detainees
    ]
    lines.append(f"{check.rows_read} rows: {check.accepted} accepted, {check.rejected} rejected")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("folder", SCENARIOS, ids=lambda p: p.name)
def test_bad_rosters_report_every_problem_at_its_place(folder, tmp_path):
    expected = (folder / "expected.txt").read_text(encoding="utf-8")
    assert _report(_roster(folder, tmp_path)) == expected


# --- checks across a row and across rows --------------------------------------------------------

CHECK_HEADER = (
    "a_number,family_name,given_name,custody_status,arrest_date,release_date,removal_date\n"
)


def test_rows_read_are_always_accepted_plus_rejected(tmp_path):
    path = write(
        tmp_path / "r.csv",
        CHECK_HEADER + "A012345678,Peña,José,released,2025-09-09,,\n"
        "A012345679,,Ana,detained,,,\nA012345678,Soto,Luis,detained,,,\n"
        "A012345670,Vega,Eva,released,2025-09-09,2025-09-01,\n",
    )
    check = check_roster(read_roster(path, aliases={}))
    assert (check.rows_read, check.accepted, check.rejected) == (4, 1, 3)
    assert [str(r.location) for r in check.rejected_rows] == ["r.csv:3", "r.csv:4", "r.csv:5"]
    assert [[e.problem for e in r.problems] for r in check.rejected_rows] == [
        ["is empty; every row needs it"],
        ["A012345678 appears again; first at r.csv:2"],
        ["2025-09-01 is before the arrest date, 2025-09-09"],
    ]
    assert [str(w) for w in check.warnings] == [
        "r.csv:2: release_date: is empty, but custody_status says released"
    ]


def test_each_error_keeps_the_one_value_at_fault(tmp_path):
    path = write(tmp_path / "r.csv", CHECK_HEADER + "12345,Peña,José,in jail,2025-02-30,,\n")
    [rejected] = check_roster(read_roster(path, aliases={})).rejected_rows
    assert [(e.location.field, e.value) for e in rejected.problems] == [
        ("a_number", "12345"),
        ("custody_status", "in jail"),
        ("arrest_date", "2025-02-30"),
    ]


# --- the errors CSV ------------------------------------------------------------------------------


def test_the_errors_csv_opens_in_excel_with_one_line_per_problem(tmp_path):
    roster = write(
        tmp_path / "roster.csv",
        CHECK_HEADER + "A012345678,Peña,José,released,,,\n"
        '=HYPERLINK("x"),Secret Name,Ana,détenu,,,\n',
    )
    check = check_roster(read_roster(roster, aliases={}))
    out = tmp_path / "errors.csv"
    assert write_problems(out, check.problems) == 3
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # so Excel reads UTF-8
    assert b"Secret Name" not in data  # only the value at fault, never the row
    rows = list(csv.DictReader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows == [
        {
            "file": "roster.csv",
            "sheet": "",
            "row": "2",
            "cell": "",
            "column": "release_date",
            "value": "",
            "problem": "is empty, but custody_status says released",
            "severity": "warning",
        },
        {
            "file": "roster.csv",
            "sheet": "",
            "row": "3",
            "cell": "",
            "column": "a_number",
            "value": '\'=HYPERLINK("x")',
            "problem": "'=HYPERLINK(\"x\")' is not an A-number: an "
            "A-number is 'A' and 7 to 9 digits",
            "severity": "error",
        },
        {
            "file": "roster.csv",
            "sheet": "",
            "row": "3",
            "cell": "",
            "column": "custody_status",
            "value": "détenu",
            "problem": "'détenu' is not one of: detained, released, removed, unknown",
            "severity": "error",
        },
    ]


def test_the_errors_csv_names_the_worksheet_cell(tmp_path):
    folder = Path(__file__).parent / "scenarios-validate" / "xlsx-title-row"
    roster = xlsx_from_yaml(folder / "roster.xlsx.yaml", tmp_path / "roster.xlsx")
    check = check_roster(read_roster(roster, aliases={}))
    write_problems(tmp_path / "errors.csv", check.errors)
    rows = list(csv.DictReader((tmp_path / "errors.csv").read_text("utf-8-sig").splitlines()))
    assert [
        (r["file"], r["sheet"], r["row"], r["cell"], r["column"], r["value"]) for r in rows
    ] == [
        ("roster.xlsx", "Class members", "6", "A6", "A#", "1234"),
        ("roster.xlsx", "Class members", "6", "E6", "Arrest Date", "2025-13-45"),
        ("roster.xlsx", "Class members", "7", "G7", "Idioma", "Klingonese"),
    ]


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_excel_would_run_as_a_formula_is_written_as_text(cell):
    assert excel_safe(cell) == "'" + cell


@given(st.text())
def test_no_cell_written_starts_a_formula(text):
    safe = excel_safe(text)
    assert not safe.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert safe in (text, "'" + text)
