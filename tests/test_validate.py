from __future__ import annotations

import datetime as dt

import pytest
from conftest import CASE, write

from filings.errors import DataError, DataErrors
from filings.load import read_roster
from filings.validate import (
    format_a_number,
    load_case,
    normalize_a_number,
    parse_date,
    validate_roster,
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


def test_dates_are_iso_and_on_the_calendar():
    assert parse_date("2025-11-12") == dt.date(2025, 11, 12)
    with pytest.raises(ValueError, match="'2025-02-30' is not a date on the calendar"):
        parse_date("2025-02-30")
    with pytest.raises(ValueError, match="'11/12/2025' is not a date in the form YYYY-MM-DD"):
        parse_date("11/12/2025")


def test_every_problem_in_every_row_is_reported_with_its_line_and_column(tmp_path):
    roster = write(
        tmp_path / "roster.csv",
        HEADER
        + "A012345678,Peña,José,detained,2025-09-09\n"
        + "12345,,Ana,in jail,2025-13-45\n"
        + '"A-012-345-678","Multi\nLine",Luis,released,\n'
        + "A012345679,Ruiz,Eva,unknown,\n",
    )
    people, errors = validate_roster(read_roster(roster))
    assert [p.family_name for p in people] == ["Peña", "Ruiz"]
    assert [e.message for e in errors] == [
        "roster.csv:3: a_number: '12345' has 5 digits; an A-number has 7 to 9",
        "roster.csv:3: family_name: is empty; every row needs it",
        "roster.csv:3: custody_status: 'in jail' is not one of: "
        "detained, released, removed, unknown",
        "roster.csv:3: arrest_date: '2025-13-45' is not a date on the calendar",
        "roster.csv:4: a_number: A012345678 appears again; first at line 2",
    ]


def test_names_are_kept_as_written_but_nfc_normalized(tmp_path):
    decomposed = "Nguye\u0302\u0303n"  # e + combining circumflex + combining tilde
    roster = write(tmp_path / "r.csv", HEADER + f"A012345678,  {decomposed} ,thị hương,detained,\n")
    [person], errors = validate_roster(read_roster(roster))
    assert not errors
    assert person.family_name == "Nguyễn" and len(person.family_name) == 6
    assert person.given_name == "thị hương"  # never re-cased


def test_a_missing_required_column_stops_at_the_header(tmp_path):
    roster = write(
        tmp_path / "r.csv", "a_number,given_name,custody_status\nA012345678,Ana,detained\n"
    )
    with pytest.raises(DataError) as exc:
        validate_roster(read_roster(roster))
    assert exc.value.message == "r.csv:1: missing required column(s): family_name"


def test_extra_columns_are_kept_for_templates(tmp_path):
    roster = write(tmp_path / "r.csv", HEADER.strip() + ",Detention Officer\n"
                   + "A012345678,Peña,José,detained,,Officer Example\n")  # fmt: skip
    [person], _ = validate_roster(read_roster(roster))
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
        "case.yaml:40: counsel[0].email: is missing; the case file needs it",
        "case.yaml:20: filing_date: '2025-11-31' is not a date on the calendar",
    ]


def test_case_file_yaml_errors_keep_their_line(tmp_path):
    with pytest.raises(DataError) as exc:
        load_case(write(tmp_path / "case.yaml", "court:\n  name: [unclosed\njudge: x\n"))
    assert exc.value.message.startswith("case.yaml:3: not valid YAML")
