"""Inputs built to hang the run, fill the machine or come out silently wrong: each is refused
with an error that names the file, the place and (for a limit) the limit that was hit."""

from __future__ import annotations

import codecs
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASE, ROSTER, write
from workbooks import write_xlsx

from filings.cli import main
from filings.errors import DataError, DataErrors, Location
from filings.inputs.case_file import load_case
from filings.inputs.limits import Limits
from filings.inputs.load import read_roster
from filings.inputs.validate import check_roster

HEADER = "a_number,family_name,given_name,custody_status,notes\n"
ROW = "A012345678,Peña,José,detained,\n"
RAISE = "raise it with --limit"


def rows(path: Path, **options) -> list:
    return list(read_roster(path, aliases={}, **options))


def check(path: Path, **options):
    return check_roster(read_roster(path, aliases={}, **options))


def messages(result) -> list[str]:
    return [e.message for e in result.errors]


def case_with(tmp_path: Path, old: str, new: str, name: str = "case.yaml") -> Path:
    text = CASE.read_text(encoding="utf-8")
    assert old in text
    return write(tmp_path / name, text.replace(old, new, 1))


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line)


# --- limits: YAML alias bombs and nesting ------------------------------------------------------


def laughs(levels: int = 9) -> str:
    """The "billion laughs": 10 aliases a level, 10**levels strings once expanded."""
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, levels):
        lines.append(f"a{i}: &a{i} [{','.join([f'*a{i - 1}'] * 10)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_in_the_case_file_is_refused_not_expanded(tmp_path):
    path = case_with(tmp_path, "filing_date:", laughs() + "filing_date:")
    with pytest.raises(DataError) as exc:
        load_case(path)
    assert exc.value.message == (
        f"case.yaml: more than 100 YAML aliases (limit yaml_aliases; {RAISE} yaml_aliases=N)"
    )


def test_an_alias_bomb_in_a_yaml_roster_is_refused(tmp_path):
    bomb = laughs().replace("\na", "\n  a").replace("a0:", "- bomb: 1\n  a0:", 1)
    path = write(tmp_path / "roster.yaml", bomb)
    with pytest.raises(DataError) as exc:
        rows(path)
    assert exc.value.message == (
        f"roster.yaml: more than 100 YAML aliases (limit yaml_aliases; {RAISE} yaml_aliases=N)"
    )


def test_a_few_aliases_still_work_and_the_limit_can_be_lowered(tmp_path):
    path = case_with(tmp_path, "filing_date:", "x: &x [1, 2]\ny: [*x, *x]\nfiling_date:")
    assert load_case(path).case_number == "1:18-cv-03757"
    with pytest.raises(DataError, match=r"more than 1 YAML aliases \(limit yaml_aliases;"):
        load_case(path, limits=Limits(yaml_aliases=1))


def test_an_alias_to_its_own_mapping_is_refused(tmp_path):
    path = case_with(tmp_path, "filing_date:", "loop: &loop\n  again: *loop\nfiling_date:")
    with pytest.raises(DataError) as exc:
        load_case(path)
    assert exc.value.message == (
        f"case.yaml:{line_of(path, 'again')}: a YAML alias (*loop) stands inside what it names"
    )


@pytest.mark.parametrize("depth", [33, 5000])
def test_yaml_nested_too_deep_is_refused_at_its_line(tmp_path, depth):
    path = case_with(
        tmp_path, "filing_date:", "deep: " + "[" * depth + "]" * depth + "\nfiling_date:"
    )
    with pytest.raises(DataError) as exc:
        load_case(path)
    assert exc.value.message == (
        f"case.yaml:{line_of(path, 'deep:')}: nested more than 32 deep "
        f"(limit nesting; {RAISE} nesting=N)"
    )


@pytest.mark.parametrize("depth", [40, 100_000])
def test_json_nested_too_deep_is_refused(tmp_path, depth):
    path = write(tmp_path / "roster.json", "[" * depth + "]" * depth)
    with pytest.raises(DataError) as exc:
        rows(path)
    assert exc.value.message == (
        f"roster.json: nested more than 32 deep (limit nesting; {RAISE} nesting=N)"
    )


# --- limits: sizes -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["roster.csv", "roster.json", "roster.yaml", "roster.xlsx"])
def test_a_roster_larger_than_file_mb_is_refused_before_it_is_read(tmp_path, name):
    path = write(tmp_path / name, "x" * 2048)
    with pytest.raises(DataError) as exc:
        rows(path, limits=Limits(file_mb=0.001))
    assert exc.value.message == (f"{name}: larger than 0.001 MB (limit file_mb; {RAISE} file_mb=N)")


def test_a_case_file_larger_than_file_mb_is_refused(tmp_path):
    with pytest.raises(DataError) as exc:
        load_case(CASE, limits=Limits(file_mb=0.001))
    assert exc.value.message == (
        f"case.yaml: larger than 0.001 MB (limit file_mb; {RAISE} file_mb=N)"
    )


def test_an_xlsx_that_unzips_past_the_limit_is_refused_before_openpyxl_reads_it(tmp_path):
    path = write_xlsx(tmp_path / "roster.xlsx", [HEADER.strip().split(","), ["A012345678"]])
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as book:
        book.writestr("xl/media/padding.bin", b"\0" * 3 * 1024 * 1024)  # 3 MB in a few KB
    assert path.stat().st_size < 100_000
    with pytest.raises(DataError) as exc:
        rows(path, limits=Limits(unzipped_mb=2))
    assert exc.value.message == (
        f"roster.xlsx: holds more than 2 MB once unzipped (limit unzipped_mb; {RAISE} "
        "unzipped_mb=N)"
    )


def test_a_long_xlsx_cell_is_refused_at_its_cell(tmp_path):
    path = write_xlsx(
        tmp_path / "roster.xlsx", [HEADER.strip().split(","), ["A012345678", "x" * 10_001]]
    )
    with pytest.raises(DataError) as exc:
        rows(path)
    assert exc.value.message == (
        "roster.xlsx[Class members]!B2: a value longer than 10,000 characters "
        f"(limit cell_chars; {RAISE} cell_chars=N)"
    )


@pytest.mark.parametrize("length", [10_001, 200_000])
def test_a_long_csv_field_is_refused_at_its_line(tmp_path, length):
    path = write(tmp_path / "roster.csv", HEADER + ROW + f'A023456789,"{"x" * length}",Ana,x,\n')
    with pytest.raises(DataError) as exc:
        rows(path)
    assert exc.value.message == (
        f"roster.csv:3: a value longer than 10,000 characters (limit cell_chars; {RAISE} "
        "cell_chars=N)"
    )


def test_a_long_json_value_is_refused_at_its_item(tmp_path):
    items = [{"a_number": "A012345678"}, {"a_number": "A023456789", "notes": "x" * 10_001}]
    path = write(tmp_path / "roster.json", json.dumps(items))
    with pytest.raises(DataError) as exc:
        rows(path)
    assert exc.value.message == (
        "roster.json[1]: notes: a value longer than 10,000 characters "
        f"(limit cell_chars; {RAISE} cell_chars=N)"
    )


def test_a_long_case_file_value_is_refused_at_its_line(tmp_path):
    path = case_with(tmp_path, "judge: Hon. Jeffrey I. Cummings", "judge: " + "x" * 10_001)
    with pytest.raises(DataError) as exc:
        load_case(path)
    assert exc.value.message == (
        f"case.yaml:{line_of(path, 'judge:')}: a value longer than 10,000 characters "
        f"(limit cell_chars; {RAISE} cell_chars=N)"
    )


def test_limits_given_on_the_command_line_reach_the_inputs(tmp_path):
    result = CliRunner().invoke(
        main, ["validate", "--roster", str(ROSTER), "--limit", "file_mb=0.0001"]
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: case.yaml: larger than 0.0001 MB (limit file_mb; {RAISE} file_mb=N)\n"
    )


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, problem",
    [
        (
            ".nan",
            "nan is not an amount of money: write dollars from 0 to 1,000,000, such as "
            "1500 or 1500.50",
        ),
        (
            ".inf",
            "inf is not an amount of money: write dollars from 0 to 1,000,000, such as "
            "1500 or 1500.50",
        ),
        (
            "1.0e+400",
            "inf is not an amount of money: write dollars from 0 to 1,000,000, such as "
            "1500 or 1500.50",
        ),
        (
            "-1500",
            "-1500 is not an amount of money: write dollars from 0 to 1,000,000, such as "
            "1500 or 1500.50",
        ),
        (
            "1000000.01",
            "1000000.01 is not an amount of money: write dollars from 0 to "
            "1,000,000, such as 1500 or 1500.50",
        ),
        ("1500.125", "1500.125 has a fraction of a cent; write dollars and cents, such as 1500.50"),
    ],
)
def test_a_bond_that_is_not_money_is_refused_at_its_line(tmp_path, written, problem):
    path = case_with(tmp_path, "bond_amount: 1500", f"bond_amount: {written}")
    with pytest.raises(DataErrors) as exc:
        load_case(path)
    assert [e.message for e in exc.value.errors] == [
        f"case.yaml:{line_of(path, 'bond_amount')}: order.bond_amount: {problem}"
    ]


@pytest.mark.parametrize(
    "written, shown",
    [
        ("1500", "1500.00"),
        ("1500.5", "1500.50"),
        ("0", "0.00"),
        ("-0.0", "0.00"),
        ("1000000", "1000000.00"),
    ],
)
def test_a_bond_in_range_is_kept_exactly(tmp_path, written, shown):
    path = case_with(tmp_path, "bond_amount: 1500", f"bond_amount: {written}")
    assert str(load_case(path).order["bond_amount"]) == shown


# --- duplicate keys ----------------------------------------------------------------------------


def test_a_key_given_twice_in_the_case_file_is_an_error_at_its_line(tmp_path):
    path = case_with(
        tmp_path,
        "judge: Hon. Jeffrey I. Cummings",
        "judge: Hon. Jeffrey I. Cummings\njudge: Hon. Someone Else",
    )
    first = line_of(path, "judge: Hon. Jeffrey")
    with pytest.raises(DataErrors) as exc:
        load_case(path)
    assert [e.message for e in exc.value.errors] == [
        f"case.yaml:{first + 1}: judge: appears twice (first on line {first}); delete one: only "
        "the last would be read"
    ]


def test_a_nested_key_given_twice_in_the_case_file_is_named_by_its_path(tmp_path):
    path = case_with(tmp_path, "  docket: ECF No. 901", "  docket: ECF No. 901\n  docket: 902")
    with pytest.raises(DataErrors) as exc:
        load_case(path)
    first = line_of(path, "docket: ECF")
    assert [e.message for e in exc.value.errors] == [
        f"case.yaml:{first + 1}: order.docket: appears twice (first on line {first}); delete one:"
        " only the last would be read"
    ]


def test_a_key_given_twice_in_a_yaml_roster_row_rejects_that_row(tmp_path):
    text = (
        "- a_number: A012345678\n  family_name: Peña\n  given_name: José\n"
        "  custody_status: detained\n  a_number: A099999999\n"
        "- a_number: A023456789\n  family_name: Roe\n  given_name: Ana\n"
        "  custody_status: detained\n"
    )
    result = check(write(tmp_path / "roster.yaml", text))
    assert (result.accepted, result.rejected) == (1, 1)
    assert messages(result) == [
        "roster.yaml:5: a_number: appears twice (first on line 1); delete one: only the last "
        "would be read"
    ]


def test_a_key_given_twice_in_a_json_roster_object_rejects_that_row(tmp_path):
    text = (
        '[{"a_number": "A012345678", "family_name": "Peña", "given_name": "José",\n'
        '  "custody_status": "detained", "family_name": "Otro"},\n'
        ' {"a_number": "A023456789", "family_name": "Roe", "given_name": "Ana",\n'
        '  "custody_status": "detained"}]'
    )
    result = check(write(tmp_path / "roster.json", text))
    assert (result.accepted, result.rejected) == (1, 1)
    assert messages(result) == [
        "roster.json[0]: family_name: appears twice in this object; delete one: only the last "
        "would be read"
    ]


# --- Excel error values ------------------------------------------------------------------------

EXCEL_ERRORS = [
    "#N/A",
    "#REF!",
    "#VALUE!",
    "#DIV/0!",
    "#NAME?",
    "#NULL!",
    "#NUM!",
    "#SPILL!",
    "#CALC!",
]


@pytest.mark.parametrize("error", EXCEL_ERRORS)
def test_an_excel_error_cell_is_refused_at_its_cell(tmp_path, error):
    path = write_xlsx(
        tmp_path / "roster.xlsx",
        [HEADER.strip().split(","), ["A012345678", error, "José", "detained"]],
    )
    result = check(path)
    assert messages(result) == [
        f"roster.xlsx[Class members]!B2: family_name: {error!r} is an Excel error, not a value; "
        "correct the formula, or type the value"
    ]


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#name?"])
def test_an_excel_error_exported_to_csv_is_refused_at_its_cell(tmp_path, error):
    path = write(tmp_path / "roster.csv", HEADER + f"A012345678,Peña,José,detained,{error}\n")
    assert messages(check(path)) == [
        f"roster.csv:2: notes: {error!r} is an Excel error, not a value; correct the formula, or "
        "type the value"
    ]


# --- text encodings and control characters -----------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_utf16_and_utf32_without_a_byte_order_mark_are_detected(tmp_path, encoding):
    text = HEADER + ROW
    path = tmp_path / "roster.csv"
    path.write_bytes(text.encode(encoding))
    assert [r.values["family_name"] for r in rows(path)] == ["Peña"]


@pytest.mark.parametrize(
    "encoding, bom", [("utf-32-le", codecs.BOM_UTF32_LE), ("utf-32-be", codecs.BOM_UTF32_BE)]
)
def test_utf32_with_a_byte_order_mark_is_not_taken_for_utf16(tmp_path, encoding, bom):
    path = tmp_path / "roster.csv"
    path.write_bytes(bom + (HEADER + ROW).encode(encoding))
    assert [r.values["family_name"] for r in rows(path)] == ["Peña"]


@pytest.mark.parametrize("name", ["roster.json", "roster.yaml"])
def test_a_json_or_yaml_roster_in_utf16_without_a_byte_order_mark_is_read(tmp_path, name):
    item = {
        "a_number": "A012345678",
        "family_name": "Peña",
        "given_name": "José",
        "custody_status": "detained",
    }
    text = json.dumps([item], ensure_ascii=False)  # JSON is YAML too
    path = tmp_path / name
    path.write_bytes(text.encode("utf-16-le"))
    assert [r.values["family_name"] for r in rows(path)] == ["Peña"]


def test_a_file_with_stray_nul_bytes_is_refused_as_not_text(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes((HEADER + ROW).encode() + b"\x00\x07\x00junk\x00\n")
    with pytest.raises(DataError) as exc:
        rows(path)
    assert exc.value.message == (
        "roster.csv: holds NUL bytes, so it is not text; save it as CSV UTF-8 (or name its "
        "encoding with --encoding)"
    )


def test_a_yaml_file_with_a_control_character_says_where_without_printing_it(tmp_path):
    path = case_with(tmp_path, "judge: Hon.", "judge: \x07Hon.")
    with pytest.raises(DataError) as exc:
        load_case(path)
    assert exc.value.message == (
        f"case.yaml:{line_of(path, 'judge:')}: not valid YAML: character U+0007 is not allowed "
        "in YAML"
    )


def test_messages_never_print_control_characters():
    error = DataError(Location("roster.csv", 2, "fam\x00ily\u2028"), "bad \x1b[31m\u202evalue")
    assert error.message == "roster.csv:2: fam\\x00ily\\u2028: bad \\x1b[31m\\u202evalue"
    assert error.problem == "bad \\x1b[31m\\u202evalue"
    several = DataErrors([error, error], "roster.csv")
    assert several.message.count("\n") == 2 and "\x00" not in several.message


def test_a_header_with_control_characters_prints_them_escaped(tmp_path):
    path = write(
        tmp_path / "roster.csv",
        "a_number,family_name,given_name,custody\x07status\x1b\nA012345678,Peña,José,bogus\n",
    )
    result = CliRunner().invoke(main, ["validate", "--roster", str(path)])
    assert result.output.splitlines()[0] == (
        "Error: roster.csv:2: custody\\x07status\\x1b: 'bogus' is not one of: detained, "
        "released, removed, unknown"
    )


# --- a quote left open -------------------------------------------------------------------------


def test_a_quote_left_open_that_swallows_rows_is_an_error_at_its_line(tmp_path):
    text = (
        HEADER + 'A012345678,Peña,José,detained,"Lawyer called\n'
        "A023456789,Roe,Ana,detained,\n"
        "A034567890,Poe,Edgar,detained,\n"
    )
    result = check(write(tmp_path / "roster.csv", text))
    assert (result.rows_read, result.rejected) == (1, 1)
    assert messages(result) == [
        "roster.csv:2: notes: runs on over 3 lines, and line 3 has 4 commas like a row of its "
        'own: a quote (") is probably not closed, so the rows below are read into this value; '
        "close the quote"
    ]


def test_a_note_on_several_lines_is_still_read(tmp_path):
    note = '"Called family.\nNext: 12/1, Chicago."'
    text = HEADER + f"A012345678,Peña,José,detained,{note}\n" + ROW.replace("A012", "A023")
    result = check(write(tmp_path / "roster.csv", text))
    assert result.errors == []
    assert result.detainees[0].notes == "Called family.\nNext: 12/1, Chicago."


# --- validate runs every check render runs ------------------------------------------------------


@pytest.mark.parametrize(
    "char, name", [("\u2028", "LINE SEPARATOR"), ("\u2029", "PARAGRAPH SEPARATOR")]
)
def test_a_line_separator_is_refused_by_validate_as_render_would(tmp_path, char, name):
    path = write(tmp_path / "roster.csv", HEADER + f"A012345678,Peña{char}Íñiguez,José,detained,\n")
    result = CliRunner().invoke(main, ["validate", "--roster", str(path)])
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"Error: roster.csv:2: family_name: U+{ord(char):04X} {name} is a line break no document "
        "prints; use an ordinary line break"
    )


def test_validate_checks_the_court_format_the_case_file_names(tmp_path):
    path = case_with(tmp_path, "format: ndil", "format: nosuch")
    result = CliRunner().invoke(main, ["validate", "--case", str(path), "--roster", str(ROSTER)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: case.yaml:{line_of(path, 'format:')}: court.format: no court format named "
        "'nosuch'; the formats are: eoir, ndil, notice, pleading\n"
    )
