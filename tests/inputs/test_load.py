from __future__ import annotations

import dataclasses
import datetime as dt
import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write
from workbooks import write_xlsx

from filings.errors import DataError, DataErrors
from filings.inputs.load import read_roster
from filings.inputs.sheets import detect_delimiter
from filings.inputs.validate import check_roster

HEADER = ["a_number", "family_name", "given_name", "custody_status", "arrest_date"]
PEOPLE = [
    ["A012345678", "Peña Íñiguez", "José", "detained", "2025-09-09"],
    ["A231604817", "Nguyễn", "Thị Thu Hương", "released", "2025-09-12"],
]


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    return "".join(delimiter.join(r) + "\r\n" for r in rows)


def values(path: Path, **options) -> list[dict]:
    return [row.values for row in read_roster(path, aliases={}, **options)]


# --- CSV: encodings and delimiters -------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_each_encoding_excel_saves_reads_the_same(tmp_path, encoding):
    people = [r if encoding != "cp1252" else [*r[:2], "José", *r[3:]] for r in PEOPLE[:1]]
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_text([HEADER, *people]).encode(encoding))
    assert values(path) == [dict(zip(HEADER, people[0], strict=True))]


def test_cp1252_accents_and_the_euro_sign_are_read_as_written(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_text([HEADER, ["A012345678", "Peña Müller €", "Zoë", "detained", ""]]).encode("cp1252")
    )
    [row] = values(path)
    assert (row["family_name"], row["given_name"]) == ("Peña Müller €", "Zoë")


def test_an_encoding_given_overrides_detection(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_text([HEADER, ["A012345678", "Peña", "Ana", "detained", ""]]).encode("latin-1")
    )
    assert values(path, encoding="latin-1")[0]["family_name"] == "Peña"
    # Read as UTF-8 on purpose, the same bytes are not text.
    with pytest.raises(DataError) as exc:
        values(path, encoding="utf-8")
    assert exc.value.message.startswith("roster.csv: is not utf-8 text (invalid")
    assert exc.value.message.endswith("; name the file's encoding (--encoding)")


def test_a_byte_order_mark_on_a_file_that_is_not_utf8_is_refused(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(b"\xef\xbb\xbf" + csv_text([HEADER, PEOPLE[0]]).encode("utf-8") + b"\xf1\n")
    with pytest.raises(DataError) as exc:
        values(path)
    assert exc.value.message == (
        "roster.csv: starts as UTF-8 (a byte-order mark) but is not UTF-8 text; "
        "save it again as CSV UTF-8"
    )


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_comma_semicolon_and_tab_are_detected(tmp_path, delimiter):
    rows = [HEADER, ["A012345678", '"Ruiz, Jr.; Peña"', "Ana", "detained", "2025-09-09"]]
    path = write(tmp_path / "roster.csv", csv_text(rows, delimiter))
    [row] = values(path)
    assert row["family_name"] == "Ruiz, Jr.; Peña" and row["arrest_date"] == "2025-09-09"


def test_a_semicolon_file_with_commas_in_its_values_is_semicolon_separated():
    sample = "a_number;family_name;given_name;custody_status\nA1;Ruiz, Jr.;Ana, María;detained\n"
    assert detect_delimiter(sample) == ";"


def test_csv_title_rows_above_the_header_are_skipped(tmp_path):
    text = "Class members,,,\n\nA Number,Surname,Given Name,Custody\n12345678,Ruiz,Ana,In custody\n"
    [row] = read_roster(write(tmp_path / "roster.csv", text), aliases={})
    assert row.line == 4 and row.values["a_number"] == "12345678"
    assert row.at("a_number").__str__() == "roster.csv:4: A Number"


def test_line_numbers_count_quoted_line_breaks_and_blank_lines(tmp_path):
    text = (
        csv_text([HEADER]) + '"A012345678","Multi\nLine",Ana,detained,\n\nA012345679,Ruiz,Eva,x,\n'
    )
    rows = list(read_roster(write(tmp_path / "r.csv", text), aliases={}))
    assert [r.line for r in rows] == [2, 5]


def test_old_excel_files_are_refused_with_what_to_do(tmp_path):
    path = tmp_path / "roster.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DataError) as exc:
        values(path)
    assert exc.value.message == (
        "roster.xls: old Excel files (.xls) are not read; "
        "save it as an Excel Workbook (.xlsx) or CSV"
    )


# --- XLSX --------------------------------------------------------------------------------------


def test_xlsx_header_is_found_below_a_title_and_cells_are_located(tmp_path):
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        [
            ["Castañon Nava class members"],
            [],
            ["A#", "Last Name", "First Name", "Status", "Arrest Date", "DOB"],
            [12345678, "Peña", "José", "In custody", dt.datetime(2025, 9, 9), dt.date(1988, 3, 14)],
            [212345678.0, "Ruiz", "Ana", "Released", 45910, "3/14/88"],
        ],
    )
    first, second = read_roster(path, aliases={})
    assert first.values == {
        "a_number": "12345678",
        "family_name": "Peña",
        "given_name": "José",
        "custody_status": "In custody",
        "arrest_date": dt.date(2025, 9, 9),
        "date_of_birth": dt.date(1988, 3, 14),
    }
    assert second.values["a_number"] == "212345678"
    assert second.values["arrest_date"] == dt.date(2025, 9, 10)  # a serial in a date column
    assert str(second.at()) == "roster.xlsx[Class members]!5"
    assert str(second.at("arrest_date")) == "roster.xlsx[Class members]!E5: Arrest Date"
    assert second.at("arrest_date").cell == "E5"


def test_a_named_sheet_is_read_and_an_unknown_one_lists_the_sheets(tmp_path):
    path = write_xlsx(
        tmp_path / "roster.xlsx", [HEADER, PEOPLE[0]], sheet="Detained", before=("Summary",)
    )
    with pytest.raises(DataError) as exc:
        values(path)  # the first sheet, Summary, is empty
    assert exc.value.message == "roster.xlsx[Summary]!1: the roster is empty"
    assert values(path, sheet="Detained")[0]["family_name"] == "Peña Íñiguez"
    with pytest.raises(DataError) as exc:
        values(path, sheet="Released")
    assert exc.value.message == (
        "roster.xlsx: no sheet named 'Released'; the sheets are: Summary, Detained"
    )


def test_xlsx_notes_beside_the_table_are_a_warning_not_an_error(tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", [HEADER, [*PEOPLE[0], None, "call Tuesday"]])
    check = check_roster(read_roster(path, aliases={}))
    assert check.accepted == 1
    assert [str(w) for w in check.warnings] == [
        "roster.xlsx[Class members]!G2: 'call Tuesday' is under no column header, so it is ignored"
    ]


def test_a_file_that_is_not_a_workbook_says_so(tmp_path):
    path = write(tmp_path / "roster.xlsx", "a_number\n")
    with pytest.raises(DataError, match=r"^roster.xlsx: not an Excel workbook \("):
        values(path)


# --- JSON and YAML -----------------------------------------------------------------------------


def test_json_items_are_located_by_their_index_from_zero(tmp_path):
    items = [dict(zip(HEADER, p, strict=True)) for p in PEOPLE]
    items[1]["a_number"] = 231604817
    path = write(tmp_path / "roster.json", json.dumps(items, ensure_ascii=False))
    first, second = read_roster(path, aliases={})
    assert second.values["a_number"] == "231604817"
    assert str(first.at()) == "roster.json[0]"
    assert str(second.at("given_name")) == "roster.json[1]: given_name"


@pytest.mark.parametrize(
    "text, message",
    [
        ('{"a_number": 1}', "roster.json: should be a list of objects, one for each detainee"),
        (
            '[{"a_number": "x"}, 3]',
            "roster.json[1]: should be an object holding a detainee's columns",
        ),
        (
            '[{"a_number": 1},\n {"a_number": 2]',
            "roster.json:2: not valid JSON: Expecting ',' delimiter (column 16)",
        ),
    ],
)
def test_json_that_is_not_a_list_of_objects_says_where(tmp_path, text, message):
    with pytest.raises(DataError) as exc:
        values(write(tmp_path / "roster.json", text))
    assert exc.value.message == message


def test_yaml_values_stay_as_written_and_each_knows_its_line(tmp_path):
    text = (
        "# class members\n- a_number: 012345678\n  family_name: Peña\n  given_name: José\n"
        "  custody_status: detained\n  notes: yes\n- a_number: 1234567\n  family_name: ~\n"
    )
    first, second = read_roster(write(tmp_path / "roster.yaml", text), aliases={})
    assert first.values["a_number"] == "012345678" and first.values["notes"] == "yes"
    assert second.values["family_name"] == ""
    assert str(first.at()) == "roster.yaml:2"
    assert str(first.at("custody_status")) == "roster.yaml:5: custody_status"
    assert str(second.at("given_name")) == "roster.yaml:7: given_name"


# --- headers -----------------------------------------------------------------------------------


def test_headers_teams_write_are_recognized(tmp_path):
    text = "A#;Apellidos;Nombres;Estado;Fecha de nacimiento;Idioma;Nationality;Comments\n"
    path = write(tmp_path / "roster.csv", text + "A012345678;Peña;José;detenido;;es;;\n")
    [row] = read_roster(path, aliases={})
    assert list(row.values) == [
        "a_number",
        "family_name",
        "given_name",
        "custody_status",
        "date_of_birth",
        "preferred_language",
        "country_of_citizenship",
        "notes",
    ]
    assert row.headers["family_name"] == "Apellidos"


def test_a_teams_own_headers_come_from_filings_toml_in_the_working_folder(tmp_path, monkeypatch):
    write(
        tmp_path / "filings.toml",
        '[roster.columns]\n"Detainee Last" = "family_name"\n"Location" = "facility"\n',
    )
    roster = write(
        tmp_path / "roster.csv",
        "A#,Detainee Last,First,Status,Location\nA012345678,Peña,José,detained,Broadview\n",
    )
    monkeypatch.chdir(tmp_path)
    [row] = read_roster(roster)
    assert row.values["family_name"] == "Peña" and row.values["facility"] == "Broadview"
    # Given explicitly, aliases replace the file's.
    with pytest.raises(DataError, match="missing required column"):
        list(read_roster(roster, aliases={}))


@pytest.mark.parametrize(
    "toml, message",
    [
        (
            '[roster.columns]\n"Last" = "famly_name"\n',
            "filings.toml: roster.columns.'Last': 'famly_name' is not a roster column; the columns "
            "are: a_number, family_name, given_name, custody_status, preferred_language, "
            "country_of_citizenship, date_of_birth, facility, arrest_date, arrest_location, "
            "arrest_type, risk_assessment, release_date, release_conditions, removal_date, notes, "
            "family_name_latin, given_name_latin, immigration_court, immigration_judge, "
            "next_hearing_date, proceedings, final_order_date, motion_to_reopen_date, attorney",
        ),
        (
            '[roster.columns]\n"Last" = \n',
            "filings.toml:2: not valid TOML: Invalid value (at line 2, column 10)",
        ),
        (  # a misspelt setting would leave the team's templates out without a word
            '[templates]\nfolder = ["templates"]\n',
            "filings.toml: templates.folder: filings knows no such setting; the settings are: "
            "templates.folders",
        ),
        (
            "[limit]\nfile_mb = 5\n",
            "filings.toml: limit: filings knows no such setting; the settings are: "
            "templates.folders, roster.columns, render.scheduler, limits",
        ),
        ('render = "tcp://host:8786"\n', "filings.toml: render: should be a table, [render]"),
    ],
)
def test_a_bad_filings_toml_says_where(tmp_path, monkeypatch, toml, message):
    write(tmp_path / "filings.toml", toml)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError) as exc:
        list(read_roster(write(tmp_path / "r.csv", csv_text([HEADER]))))
    assert exc.value.message == message


def test_two_headers_for_one_column_are_an_error_naming_both(tmp_path):
    path = write(tmp_path / "r.csv", "A#,Last Name,Apellido,First Name,Status\n")
    with pytest.raises(DataError) as exc:
        list(read_roster(path, aliases={}))
    assert exc.value.message == (
        "r.csv:1: columns 'Last Name' and 'Apellido' both mean family_name; keep one, or say in "
        "filings.toml [roster.columns] which column each one is"
    )


def test_header_problems_are_reported_together(tmp_path):
    path = write_xlsx(tmp_path / "r.xlsx", [["A#", "Last Name", "Apellido", "Status"], ["x"]])
    with pytest.raises(DataErrors) as exc:
        list(read_roster(path, aliases={}))
    assert [e.message for e in exc.value.errors] == [
        "r.xlsx[Class members]!1: missing required column(s): given_name",
        "r.xlsx[Class members]!C1: columns 'Last Name' and 'Apellido' both mean family_name; "
        "keep one, or say in filings.toml [roster.columns] which column each one is",
    ]


def test_unrecognized_and_ambiguous_columns_are_kept_with_a_warning(tmp_path):
    path = write(
        tmp_path / "r.csv",
        "A#,Last Name,First Name,Status,Location,Officer,#\n"
        "A012345678,Peña,José,detained,Broadview,Example,1\n",
    )
    check = check_roster(read_roster(path, aliases={}))
    assert check.detainees[0].extra == {
        "location": "Broadview",
        "officer": "Example",
        "number": "1",
    }
    assert [str(w) for w in check.warnings] == [
        "r.csv:1: column 'Location' could be facility or arrest_location; kept as "
        "extra.location. Say which in filings.toml [roster.columns]",
        "r.csv:1: column 'Officer' is not a roster column; kept as extra.officer",
        "r.csv:1: column '#' is not a roster column; kept as extra.number",
    ]
    assert check.errors == []


# --- the same roster in every format -----------------------------------------------------------

ROUND_TRIP = [
    [
        "A#",
        "Last Name",
        "First Name",
        "Status",
        "Idioma",
        "DOB",
        "Arrest Date",
        "Release Date",
        "Arrest Type",
        "Risk",
        "Notes",
        "Officer",
    ],
    [
        "12345678",
        "Peña Íñiguez",
        "José Luis",
        "In custody",
        "Spanish",
        "1988-03-14",
        "2025-09-09",
        "",
        "No warrant",
        "Low",
        "I-213 not yet received",
        "Example",
    ],
    [
        "A-231-604-817",
        "Nguyễn",
        "Thị Thu Hương",
        "Released",
        "vi",
        "1979-06-21",
        "2025-08-20",
        "2025-10-01",
        "warrant",
        "pending",
        "",
        "",
    ],
    [
        "A302918445",
        "李",
        "明华",
        "detained",
        "中文",
        "",
        "2025-09-20",
        "",
        "Traffic stop",
        "High",
        "+1 312 555 0100",
        "@x",
    ],
]


def _typed(cell: str, column: int):
    """The cell as Excel would keep it once typed: a number, a date, or text."""
    if cell.isdigit():
        return int(cell)
    if column in (5, 6, 7) and cell:
        return dt.date.fromisoformat(cell)
    return cell or None


def _in_every_format(tmp_path: Path) -> dict[str, Path]:
    header, *people = ROUND_TRIP
    items = [{h: v for h, v in zip(header, p, strict=True) if v} for p in people]
    yaml_text = "".join(
        "- "
        + "\n  ".join(
            f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in item.items()
        )
        + "\n"
        for item in items
    )
    return {
        "csv": write(tmp_path / "roster.csv", csv_text(ROUND_TRIP)),
        "xlsx": write_xlsx(
            tmp_path / "roster.xlsx",
            [header, *[[_typed(c, i) for i, c in enumerate(p)] for p in people]],
        ),
        "json": write(tmp_path / "roster.json", json.dumps(items, ensure_ascii=False, indent=1)),
        "yaml": write(tmp_path / "roster.yaml", yaml_text),
    }


@pytest.mark.slow
def test_the_same_roster_as_csv_xlsx_json_and_yaml_gives_the_same_records(tmp_path):
    records = {}
    for kind, path in _in_every_format(tmp_path).items():
        check = check_roster(read_roster(path, aliases={}))
        people, errors = check.detainees, check.errors
        assert errors == [], kind
        records[kind] = [dataclasses.replace(p, source=None) for p in people]
    assert len(records["csv"]) == 3
    assert records["csv"][0].preferred_language == "es"
    assert [r.extra for r in records["csv"]] == [
        {"officer": "Example"},
        {"officer": ""},
        {"officer": "@x"},
    ]
    assert records["xlsx"] == records["csv"]
    assert records["json"] == records["csv"]
    assert records["yaml"] == records["csv"]


# --- streaming ---------------------------------------------------------------------------------


def test_a_10000_row_csv_is_read_one_row_at_a_time(tmp_path):
    row = "A{:09d},Peña,José,detained,2025-09-09," + "x" * 60 + "\n"
    text = ",".join(HEADER) + ",notes\n" + "".join(row.format(i) for i in range(10_000))
    path = write(tmp_path / "roster.csv", text)
    list(read_roster(write(tmp_path / "small.csv", text[:500]), aliases={}))  # imports, caches
    rows = read_roster(path, aliases={})
    assert isinstance(rows, Iterator)
    tracemalloc.start()
    try:
        count = sum(1 for _ in rows)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    # The file is about 1 MB; holding its rows would take several times that.
    assert peak < 300_000, peak


@pytest.mark.slow
def test_a_10000_row_roster_is_checked_with_every_row_counted(tmp_path):
    row = "A{:09d},Peña,José,{},2025-09-09\n"
    text = (
        ",".join(HEADER)
        + "\n"
        + "".join(row.format(i, "held" if i % 1000 == 7 else "detained") for i in range(10_000))
    )
    check = check_roster(read_roster(write(tmp_path / "roster.csv", text), aliases={}))
    assert (check.rows_read, check.accepted, check.rejected) == (10_000, 9_990, 10)
    assert check.rows_read == check.accepted + check.rejected


def test_a_csv_cell_past_the_header_is_an_error_and_one_under_a_blank_header_a_warning(tmp_path):
    text = "a_number,family_name,given_name,,custody_status\nA012345678,Peña,José,,detained,Ruiz\n"
    path = write(tmp_path / "r.csv", text + "A012345679,Ruiz,Ana,note,detained\n")
    check = check_roster(read_roster(path, aliases={}))
    assert [str(p) for p in check.problems] == [
        "r.csv:2: 1 cell(s) beyond the header's columns",
        "r.csv:3: column 4: 'note' is under no column header, so it is ignored",
    ]


def test_a_serial_in_a_1904_workbook_is_read_in_that_date_system():
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, to_excel

    from filings.inputs.sheets import xlsx_value

    serial = to_excel(dt.datetime(2025, 9, 9), epoch=CALENDAR_MAC_1904)
    assert xlsx_value("arrest_date", serial, CALENDAR_MAC_1904) == dt.date(2025, 9, 9)
    assert xlsx_value("notes", serial, CALENDAR_MAC_1904) == str(int(serial))
