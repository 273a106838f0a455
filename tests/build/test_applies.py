"""Which rows a template is for (applies_to), the facts a court needs, every row accounted for."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASE, write
from textof import docx_paragraphs

from filings.build import run as build
from filings.cli import main
from filings.errors import DataError, DataErrors, TemplateError
from filings.inputs.case_file import load_case
from filings.inputs.load import read_roster
from filings.inputs.records import Detainee, Removal
from filings.inputs.validate import check_roster
from filings.templating.applies import AppliesTo, Choice, read_rule
from filings.templating.templates import discover

FILED = dt.date(2025, 11, 14)


def person(**fields) -> Detainee:
    values = dict(
        a_number="A012345678",
        family_name="Peña",
        given_name="José",
        custody_status="detained",
        arrest_type="warrantless",
    )
    return Detainee(**{**values, **fields})


# --- the rule, decided in Python ---------------------------------------------------------------

STAY = AppliesTo(class_member=True, choices=(Choice("custody_status", ("removed",), True),))
EOIR = AppliesTo(
    choices=(Choice("proceedings", ("final_order",)),),
    requires=("immigration_court", "attorney", "motion_to_reopen_date"),
)


@pytest.mark.parametrize(
    "rule, fields, reasons",
    [
        (STAY, {}, []),
        (STAY, {"custody_status": "removed"}, ["removed from the United States"]),
        (
            STAY,
            {"arrest_type": "warrant"},
            [
                "arrest made with a warrant; the class covers warrantless "
                "arrests and arrests after a vehicle stop"
            ],
        ),
        (
            STAY,
            {"arrest_type": None},
            [
                "no arrest_type recorded; the class covers warrantless arrests "
                "and arrests after a vehicle stop"
            ],
        ),
        (
            EOIR,
            {
                "proceedings": "pending",
                "immigration_court": "Chicago",
                "attorney": "okafor",
                "motion_to_reopen_date": FILED,
            },
            [
                "no final order of removal recorded (proceedings: pending); an immigration judge can stay "
                "removal only with a final order and a motion to reopen (8 C.F.R. 1003.23(b)(1)(v))"
            ],
        ),
        (
            EOIR,
            {"proceedings": "final_order"},
            [
                "no immigration_court recorded",
                "no attorney recorded (the id of counsel with Form EOIR-28 "
                "on file for this person)",
                "no motion_to_reopen_date recorded",
            ],
        ),
        (
            EOIR,
            {
                "proceedings": "final_order",
                "immigration_court": "Chicago",
                "attorney": "okafor",
                "motion_to_reopen_date": FILED,
            },
            [],
        ),
    ],
)
def test_each_failed_condition_is_a_reason_in_words(case, rule, fields, reasons):
    assert rule.reasons(person(**fields), case) == reasons


def test_a_court_missing_from_the_table_is_a_located_error_for_that_template_only(case):
    row = person(
        proceedings="final_order",
        immigration_court="Dallas",
        attorney="okafor",
        motion_to_reopen_date=FILED,
        source=dataclasses.replace(case_row(), line=7),
    )
    assert [e.message for e in EOIR.problems(row, case)] == [
        "roster.csv:7: immigration_court: 'Dallas' is not in case.yaml's immigration_courts (the "
        "courts there: Chicago, Louisville); add it with its address and DHS office"
    ]
    assert STAY.problems(row, case) == []


def case_row():
    from filings.errors import Location

    return Location("roster.csv", 2)


@pytest.mark.parametrize(
    "fields, imminent, upcoming",
    [
        ({"removal_date": dt.date(2025, 11, 20)}, True, True),
        ({"removal_date": dt.date(2025, 11, 1)}, True, False),
        ({"removal_date": dt.date(2025, 11, 14)}, True, True),
        ({"removal_date": dt.date(2025, 11, 20), "custody_status": "removed"}, False, False),
        ({}, False, False),
    ],
)
def test_removal_is_imminent_unless_removed_and_upcoming_from_the_filing(
    fields, imminent, upcoming
):
    removal = Removal.of(person(**fields), FILED)
    assert (removal.imminent, removal.upcoming) == (imminent, upcoming)


# --- applies_to in template.yaml ---------------------------------------------------------------


def template_folder(tmp_path: Path, applies_to: str) -> Path:
    folder = tmp_path / "templates" / "probe"
    write(folder / "probe.html.j2", "<p>{{ detainee.a_number }}</p>")
    write(
        folder / "template.yaml",
        "title: Probe\ndescription: A probe\nkind: per-detainee\n"
        f"format: ndil\nmain: probe.html.j2\noutput: '{{a_number}}'\napplies_to:\n{applies_to}",
    )
    return folder.parent


@pytest.mark.parametrize(
    "applies_to, message",
    [
        (
            "  custody_status: [gone]\n",
            "probe/template.yaml:8: applies_to: custody_status: 'gone' is not one of: detained, "
            "released, removed, unknown",
        ),
        (
            "  class_member: true\n  arrests: [warrant]\n",
            "probe/template.yaml:9: applies_to: 'arrests' is not a condition; the conditions are: "
            "class_member, custody_status, arrest_type, proceedings, risk_assessment, requires",
        ),
        (
            "  requires: [attorny]\n",
            "probe/template.yaml:8: applies_to: requires: 'attorny' is not a roster column; the columns "
            "are: a_number, family_name, given_name, custody_status, preferred_language, "
            "country_of_citizenship, date_of_birth, facility, arrest_date, arrest_location, arrest_type, "
            "risk_assessment, release_date, release_conditions, removal_date, notes, family_name_latin, "
            "given_name_latin, immigration_court, immigration_judge, next_hearing_date, proceedings, "
            "final_order_date, motion_to_reopen_date, attorney",
        ),
        (
            "  proceedings: {only: [final_order]}\n",
            "probe/template.yaml:8: applies_to: proceedings: write a list of values, or {not: [values]} "
            "for the ones it is not for",
        ),
        (
            "  class_member: yes please\n",
            "probe/template.yaml:8: applies_to: class_member: should be true or false",
        ),
    ],
)
def test_a_wrong_rule_is_a_template_error_at_its_line(tmp_path, applies_to, message):
    with pytest.raises(TemplateError) as exc:
        discover(template_folder(tmp_path, applies_to))
    assert exc.value.message == message


def test_lint_reports_a_wrong_rule_at_its_line(tmp_path):
    folder = template_folder(tmp_path, "  custody_status: {not: [deported]}\n")
    result = CliRunner().invoke(main, ["lint", str(folder), "--no-render"])
    assert (result.exit_code, result.output) == (
        1,
        (
            "templates/probe/template.yaml:8: applies_to: custody_status: 'deported' is not one of: "
            "detained, released, removed, unknown\nError: 1 problem(s) in the templates\n"
        ),
    )


def test_a_rule_reads_as_data():
    rule = read_rule(
        {"class_member": True, "custody_status": {"not": ["removed"]}, "requires": ["attorney"]}, 1
    )
    assert rule == AppliesTo(True, (Choice("custody_status", ("removed",), True),), ("attorney",))
    assert rule.describe() == "class members; custody_status not removed; with attorney recorded"


# --- the facts a court needs -------------------------------------------------------------------


@pytest.mark.parametrize(
    "family, given, latin, court_name, own_script, has_latin",
    [
        ("Peña Íñiguez", "José Luis", {}, "José Luis Peña Íñiguez", None, True),
        ("Nguyễn", "Thị Thu Hương", {}, "Thị Thu Hương Nguyễn", None, True),
        (
            "حداد",
            "طارق",
            {"family_name_latin": "Haddad", "given_name_latin": "Tarek"},
            "Tarek Haddad",
            "طارق حداد",
            True,
        ),
        (
            "李",
            "晓梅",
            {"family_name_latin": "Li", "given_name_latin": "Xiaomei"},
            "Xiaomei Li",
            "李晓梅",
            True,
        ),
        ("वर्मा", "सुनील", {}, "सुनील वर्मा", None, False),  # never transliterated: listed for review
        ("Ярошенко", "Олена", {"family_name_latin": "Yaroshenko"}, "Олена Ярошенко", None, False),
    ],
)
def test_a_court_prints_the_latin_form_and_the_own_script_once(
    family, given, latin, court_name, own_script, has_latin
):
    row = person(family_name=family, given_name=given, **latin)
    assert (row.court_name, row.name_in_own_script) == (court_name, own_script)
    assert row.has_latin_name is has_latin


def roster_check(tmp_path, header: str, *rows: str):
    path = write(tmp_path / "roster.csv", header + "\n" + "\n".join(rows) + "\n")
    return check_roster(read_roster(path, aliases={}), load_case(CASE))


def test_a_latin_form_in_another_script_and_an_unknown_attorney_are_located_errors(tmp_path):
    check = roster_check(
        tmp_path,
        "a_number,family_name,given_name,custody_status,"
        "family_name_latin,attorney,proceedings,final_order_date,"
        "motion_to_reopen_date",
        "A012345678,حداد,طارق,detained,حداد,,final order,2025-10-01,2025-11-01",
        "A012345679,Ruiz,Ana,detained,,okafr,,,",
        "A012345670,Vega,Eva,detained,,,final_order,2025-10-01,2025-09-01",
    )
    assert [e.message for e in check.errors] == [
        "roster.csv:2: family_name_latin: 'حداد' has letters that are not Latin; write the name "
        "in Latin letters as DHS records it (on the I-213 or the Notice to Appear)",
        "roster.csv:3: attorney: 'okafr' is not the id of any counsel in case.yaml; the ids are: "
        "okafor, whitfield",
        "roster.csv:4: motion_to_reopen_date: 2025-09-01 is before the final order date, "
        "2025-10-01; a motion to reopen follows the final order",
    ]


def test_a_facility_the_case_file_does_not_list_is_a_warning_at_its_cell(tmp_path):
    """Not knowing a facility's district, a motion asks for no notice before a transfer: the
    clerk is told, at the cell, instead of the motion quietly asking less."""
    check = roster_check(
        tmp_path,
        "a_number,family_name,given_name,custody_status,facility,arrest_type",
        "A012345678,Peña,José,detained,Kenosha County Jail,warrantless",
        "A012345679,Ruiz,Ana,detained,Broadview Processing Center,warrantless",
    )
    assert (check.accepted, [str(w) for w in check.warnings]) == (
        2,
        [
            "roster.csv:2: facility: 'Kenosha County Jail' is not under facilities in case.yaml, "
            "so a motion names it as the roster writes it and, not knowing its district, asks for "
            "no notice before a transfer; add it there with its display name and district"
        ],
    )


def test_court_filings_print_the_own_script_once_beside_the_latin_name(tmp_path):
    roster = write(
        tmp_path / "r.csv",
        "a_number,family_name,given_name,custody_status,arrest_type,family_name_latin,"
        "given_name_latin\nA012345678,حداد,طارق,detained,warrantless,Haddad,Tarek\n",
    )
    out = tmp_path / "out"
    report = build.build(
        CASE, roster, out, ["stay-motion", "omnibus-stay-motion"], ["docx"], jobs=1
    )
    assert not report.failed
    [omnibus] = (out / "omnibus-stay-motion").glob("*.docx")
    for path in (out / "stay-motion" / "A012345678-stay-motion.docx", omnibus):
        text = "\n".join(docx_paragraphs(path))
        assert text.count("طارق حداد") == 1, path.name
        assert "Tarek Haddad (طارق حداد" in text, path.name


@pytest.mark.parametrize(
    "old, new, message",
    [
        (
            "  arrest_types: [warrantless, vehicle_stop]",
            "  arrest_types: [warrantless, stop]",
            "case.yaml:46: class_covers.arrest_types: 'stop' is not an arrest type; the arrest types "
            "are: warrantless, warrant, vehicle_stop, unknown",
        ),
        (
            "    id: whitfield\n",
            "    id: okafor\n",
            "case.yaml:82: counsel[1].id: 'okafor' is counsel[0]'s id too; each attorney's id must be "
            "their own",
        ),
        (
            "class_covers:\n",
            "immigration_court:\n  city: Chicago\nclass_covers:\n",
            "case.yaml:45: immigration_court: is no longer read: give each person's court in the "
            "roster's immigration_court column and list the courts under immigration_courts",
        ),
        (
            "      office: Office of the Principal Legal Advisor, Chicago\n",
            "",
            "case.yaml:58: immigration_courts.Chicago.dhs.office: is missing; the case file needs it",
        ),
        (
            "notice_date: 2025-11-24\n",
            "notice_date: 2025-11-19\n",
            "case.yaml:24: notice_date: 2025-11-19 is before order.release_on_hold_date, "
            "2025-11-20: a notice that reports the hold cannot be dated before it; set notice_date "
            "to the day the notices go out",
        ),
        (
            "notice_date: 2025-11-24\n",
            "",
            "case.yaml:21: filing_date: 2025-11-14 is before order.release_on_hold_date, "
            "2025-11-20: a notice that reports the hold cannot be dated before it; set notice_date "
            "to the day the notices go out",
        ),
    ],
)
def test_case_file_court_facts_are_checked_at_their_line(tmp_path, old, new, message):
    text = CASE.read_text(encoding="utf-8")
    assert old in text
    with pytest.raises(DataErrors) as exc:
        load_case(write(tmp_path / "case.yaml", text.replace(old, new)))
    assert [e.message for e in exc.value.errors] == [message]


# --- every row accounted for -------------------------------------------------------------------

HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,arrest_type,removal_date"
)
ROWS = (
    "A012345671,Peña,José,detained,es,warrantless,",
    "A012345672,Ruiz,Ana,removed,es,warrantless,2025-10-01",
    "A012345673,O'Connor,Declan,detained,en,warrant,",
    "A012345674,वर्मा,सुनील,detained,hi,vehicle_stop,",
)


def render(tmp_path, rows=ROWS, *args: str):
    roster = write(tmp_path / "roster.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "render",
            "stay-motion",
            "--format",
            "docx",
            "--jobs",
            "1",
            "--case",
            str(CASE),
            "--roster",
            str(roster),
            "--out",
            str(out),
            *args,
        ],
    )
    return result, out


def listing(path: Path) -> list[dict]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def test_rows_not_applicable_are_listed_counted_and_in_the_manifest(tmp_path):
    result, out = render(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-3:] == [
        f"2 documents not made: the template is not for that person; see "
        f"{out / 'not-applicable.csv'}",
        f"1 row to review: the name has no Latin-letter form as DHS records it; see "
        f"{out / 'needs-review.csv'}",
        "4 rows: 2 rendered, 0 rejected, 2 not applicable (4 documents: 2 rendered, 0 unchanged, "
        f"0 failed, 2 not applicable); manifest in {out / 'manifest.jsonl'}",
    ]
    assert [
        (r["row"], r["a_number"], r["reason"]) for r in listing(out / "not-applicable.csv")
    ] == [
        ("3", "A012345672", "removed from the United States"),
        (
            "4",
            "A012345673",
            "arrest made with a warrant; the class covers warrantless arrests "
            "and arrests after a vehicle stop",
        ),
    ]
    assert [(r["a_number"], r["reason"]) for r in listing(out / "needs-review.csv")] == [
        (
            "A012345674",
            "name has no Latin-letter form as DHS records it; court filings need it "
            "(add family_name_latin and given_name_latin)",
        )
    ]
    lines = (out / "manifest.jsonl").read_text().splitlines()
    entries = {e["a_number"]: e for e in map(json.loads, lines)}
    assert entries["A012345672"]["status"] == "not-applicable"
    assert entries["A012345672"]["reason"] == "removed from the United States"
    assert sorted(p.name for p in (out / "stay-motion").iterdir()) == [
        "A012345671-stay-motion.docx",
        "A012345674-stay-motion.docx",
    ]


@pytest.mark.slow
def test_the_counts_add_up_for_each_template(tmp_path):
    report = build.build(
        CASE,
        write(tmp_path / "r.csv", HEADER + "\n" + "\n".join(ROWS) + "\n"),
        tmp_path / "out",
        ["stay-motion", "release-notice"],
        ["docx"],
        jobs=1,
    )
    counts = report.template_rows()
    assert counts == {
        "stay-motion": {"rows": 4, "rendered": 2, "rejected": 0, "not_applicable": 2},
        "release-notice": {"rows": 4, "rendered": 3, "rejected": 0, "not_applicable": 1},
    }
    for c in counts.values():
        assert c["rows"] == c["rendered"] + c["rejected"] + c["not_applicable"]
    assert report.summary().as_json()["not_applicable"] == 3 and report.rows == (4, 3, 0, 1)


@pytest.mark.slow
def test_a_document_of_a_row_now_not_applicable_is_an_orphan(tmp_path):
    first, out = render(tmp_path, ROWS[:1])
    assert first.exit_code == 0, first.output
    removed = ROWS[0].replace("detained", "removed")
    again, _ = render(tmp_path, (removed,), "--prune")
    assert again.exit_code == 0, again.output
    assert (
        f"1 file(s) removed:\n  {out / 'stay-motion' / 'A012345671-stay-motion.docx'}"
        in again.output
    )
    assert not (out / "stay-motion" / "A012345671-stay-motion.docx").exists()


@pytest.mark.slow
def test_a_notice_for_a_row_with_no_language_is_listed_not_silently_english(tmp_path):
    roster = write(
        tmp_path / "r.csv",
        "a_number,family_name,given_name,custody_status,"
        "arrest_type\nA012345678,Peña,José,detained,warrantless\n",
    )
    report = build.build(CASE, roster, tmp_path / "out", ["release-notice"], ["docx"], jobs=1)
    [row] = listing(tmp_path / "out" / "needs-translation.csv")
    assert (row["a_number"], row["language"], row["reason"]) == (
        "A012345678",
        "",
        "no language recorded",
    )
    assert report.summary().as_json()["needs_translation"] == 1


def test_the_eoir_motion_fails_alone_for_a_court_not_in_the_table(tmp_path):
    roster = write(
        tmp_path / "r.csv",
        "a_number,family_name,given_name,custody_status,"
        "proceedings,motion_to_reopen_date,immigration_court,attorney\n"
        "A012345678,Peña,José,detained,final_order,2025-11-14,Dallas,okafor\n",
    )
    result = CliRunner().invoke(
        main,
        [
            "render",
            "eoir-stay-motion",
            "--format",
            "docx",
            "--case",
            str(CASE),
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "Error: r.csv:2: immigration_court: 'Dallas' is not in case.yaml's immigration_courts (the "
        "courts there: Chicago, Louisville); add it with its address and DHS office "
        "(eoir-stay-motion)"
    )


def test_a_rule_asking_about_the_class_needs_class_covers(tmp_path):
    text = CASE.read_text(encoding="utf-8").replace(
        "class_covers:\n  arrest_types: [warrantless, vehicle_stop]\n", ""
    )
    case = write(tmp_path / "case.yaml", text)
    roster = write(tmp_path / "r.csv", HEADER + "\n" + ROWS[0] + "\n")
    with pytest.raises(DataError) as exc:
        build.build(case, roster, tmp_path / "out", ["stay-motion"], ["docx"], jobs=1)
    assert exc.value.message == (
        "case.yaml: class_covers: is missing; the applies_to of stay-motion asks whether the class "
        "covers each arrest (class_member), so the case file must say which arrest types it "
        "covers, e.g. class_covers: {arrest_types: [warrantless]}"
    )


def test_a_notice_carries_the_notice_date_and_reckons_removal_dates_from_it(tmp_path):
    """The motion, filed on November 14, calls a November 17 removal upcoming; the notice, sent
    on November 24 after the hold it reports, does not tell the reader of a date now past."""
    roster = write(
        tmp_path / "r.csv",
        "a_number,family_name,given_name,custody_status,preferred_language,arrest_type,"
        "removal_date\nA012345678,Peña,José,detained,en,warrantless,2025-11-17\n",
    )
    out = tmp_path / "out"
    report = build.build(CASE, roster, out, ["release-notice", "stay-motion"], ["docx"], jobs=1)
    assert not report.failed
    notice = "\n".join(docx_paragraphs(out / "release-notice" / "A012345678-release-notice.docx"))
    motion = "\n".join(docx_paragraphs(out / "stay-motion" / "A012345678-stay-motion.docx"))
    assert "Date: November 24, 2025" in notice
    assert "on hold by the U.S. Court of Appeals for the Seventh Circuit on November 20, 2025" in (
        " ".join(notice.split())
    )
    assert "November 17, 2025" not in notice
    assert "November 17, 2025" in motion


def test_a_template_dated_by_an_unknown_date_is_refused_at_its_line(tmp_path):
    folder = template_folder(tmp_path, "  class_member: true\n")
    meta = folder / "probe" / "template.yaml"
    meta.write_text(meta.read_text(encoding="utf-8") + "dated: hearing_date\n", encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        discover([folder])
    assert str(exc.value) == (
        f"probe/template.yaml:{len(meta.read_text().splitlines())}: dated: 'hearing_date' is not "
        "one of: filing_date, notice_date"
    )
