from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASE, ROOT, write

from filings.build import run as build
from filings.build.model import Report
from filings.cli import main
from filings.inputs.limits import Limits
from filings.inputs.validate import RosterCheck

SCENARIOS = sorted((Path(__file__).parent / "scenarios").iterdir())


def run(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_bad_rows_are_reported_and_every_good_row_still_renders(scenario, tmp_path):
    out = tmp_path / "out"
    roster = scenario / "roster.csv"
    result = run(
        "render",
        "stay-motion",
        "--format",
        "docx",
        "--quiet",
        "--case",
        CASE,
        "--roster",
        roster,
        "--out",
        out,
    )
    assert result.exit_code == 1
    expected = (scenario / "expected.txt").read_text(encoding="utf-8")
    assert result.output == expected.replace("{out}", str(out))
    rows = re.search(r"(\d+) rows?: (\d+) rendered, (\d+) rejected", result.output)
    if rows:  # a file-level problem (no rows read) writes nothing at all
        read, rendered, rejected = map(int, rows.groups())
        assert read == rendered + rejected
        assert len(list((out / "stay-motion").glob("*.docx"))) == rendered
        errors = (out / "errors.csv").read_text(encoding="utf-8-sig").splitlines()
        assert len(errors) - 1 == expected.count("\nError: ") + expected.startswith("Error:") - 1
    else:
        assert not out.exists()


def test_an_unknown_template_is_named_with_the_ones_there_are(tmp_path):
    result = run("render", "nope", "--out", tmp_path)
    assert result.exit_code == 1
    assert result.output == (
        "Error: no template named 'nope'; the templates are: "
        "eoir-stay-motion, motion-to-seal, omnibus-stay-motion, release-notice, status-report, stay-motion\n"
    )


def test_a_missing_case_file_is_a_usage_error(tmp_path):
    result = run("render", "--case", tmp_path / "nope.yaml")
    assert result.exit_code == 2
    assert "Invalid value for '--case': File" in result.output


def record_build(monkeypatch) -> dict:
    """Replace the core with a recorder of what the command passed it."""
    seen: dict = {}

    def fake_build(*args, **kwargs):
        seen.update(args=args, kwargs={k: v for k, v in kwargs.items() if k != "progress"})
        return Report([], roster=RosterCheck())

    monkeypatch.setattr(build, "build", fake_build)
    return seen


def test_render_passes_its_options_to_the_core(monkeypatch, tmp_path):
    seen = record_build(monkeypatch)
    result = run(
        "render",
        "stay-motion",
        "--format",
        "pdf",
        "--out",
        tmp_path,
        "--roster",
        CASE,
        "--case",
        CASE,
        "--jobs",
        3,
        "--force",
        "--prune",
        "--packet",
        "--check",
        "full",
        "--limit",
        "render_seconds=5",
        "--limit",
        "nesting=7",
    )
    assert result.exit_code == 0, result.output
    assert seen["args"] == (CASE, CASE, tmp_path, ("stay-motion",), ("pdf",))
    assert seen["kwargs"] == dict(
        templates_dirs=(),
        templates_ref=None,
        jobs=3,
        force=True,
        prune=True,
        packet=True,
        check=True,
        read_back="full",
        pdf_variant=None,
        reference_docx=None,
        copies=(),
        encoding=None,
        sheet=None,
        debug=False,
        scheduler=None,
        limits=Limits(render_seconds=5, nesting=7),
    )


def test_limits_come_from_filings_toml_and_the_option_wins(monkeypatch, tmp_path):
    seen = record_build(monkeypatch)
    (tmp_path / "filings.toml").write_text("[limits]\nrender_seconds = 90\nfile_mb = 5\n")
    monkeypatch.chdir(tmp_path)
    result = run("render", "--limit", "file_mb=7")
    assert result.exit_code == 0, result.output
    assert seen["kwargs"]["limits"] == Limits(render_seconds=90, file_mb=7)


@pytest.mark.parametrize(
    ("toml", "option", "message"),
    [
        ("", "nope=1", "Error: --limit: nope: no limit named 'nope'; the limits are: "),
        (
            "",
            "render_seconds",
            "Error: --limit: render_seconds: 'render_seconds' should be "
            "NAME=VALUE, such as render_seconds=120",
        ),
        ("", "nesting=0", "Error: --limit: nesting: '0' is not a positive whole number"),
        (
            "[limits]\nrender_seconds = 'soon'\n",
            None,
            "Error: filings.toml: limits.render_seconds: 'soon' is not a positive number",
        ),
    ],
)
def test_a_bad_limit_is_a_located_error(monkeypatch, tmp_path, toml, option, message):
    record_build(monkeypatch)
    (tmp_path / "filings.toml").write_text(toml)
    monkeypatch.chdir(tmp_path)
    result = run("render", *(["--limit", option] if option else []))
    assert result.exit_code == 1, result.output
    assert message in result.output


def test_render_defaults_to_the_fixtures_both_formats_all_cores_and_build(monkeypatch):
    seen = record_build(monkeypatch)
    assert run("render").exit_code == 0
    assert seen["args"] == (
        ROOT / "fixtures/case.yaml",
        ROOT / "fixtures/roster.csv",
        Path("build"),
        (),
        ("pdf", "docx"),
    )
    assert seen["kwargs"] == dict(
        templates_dirs=(),
        templates_ref=None,
        jobs=None,
        force=False,
        prune=False,
        packet=False,
        check=True,
        read_back="sample",
        pdf_variant=None,
        reference_docx=None,
        copies=(),
        encoding=None,
        sheet=None,
        limits=Limits(),
        debug=False,
        scheduler=None,
    )


def test_render_json_prints_a_summary_for_scripts(monkeypatch, tmp_path):
    record_build(monkeypatch)
    result = CliRunner().invoke(main, ["render", "--json", "--quiet", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {
        "rows": 0,
        "rows_rendered": 0,
        "rows_rejected": 0,
        "rows_not_applicable": 0,
        "documents": 0,
        "rendered": 0,
        "unchanged": 0,
        "failed": 0,
        "not_applicable": 0,
        "needs_translation": 0,
        "needs_review": 0,
        "templates": {},
        "orphans": [],
        "pruned": False,
        "packets": [],
        "warnings": [],
    }
    assert result.stderr == ""


def test_templates_lists_each_with_kind_and_description():
    result = run("templates")
    assert result.exit_code == 0
    listed = [line for line in result.output.splitlines() if not line.startswith(" ")]
    names = [line.split()[0] for line in listed]
    kinds = [line.split()[1] for line in listed]
    assert names == [
        "eoir-stay-motion",
        "motion-to-seal",
        "omnibus-stay-motion",
        "release-notice",
        "status-report",
        "stay-motion",
    ]
    assert kinds == [
        "per-detainee",
        "per-roster",
        "per-roster",
        "per-detainee",
        "per-roster",
        "per-detainee",
    ]
    rules = [line.strip() for line in result.output.splitlines() if line.startswith(" ")]
    assert rules == [
        "For: custody_status not removed; proceedings final_order; with immigration_court, "
        "attorney, motion_to_reopen_date recorded.",
        "For: class members.",
        "For: class members; custody_status not removed.",
    ]


def test_every_command_and_option_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in main.commands.items():
        assert f"filings {name}" in readme, name
        for param in command.params:
            for opt in param.opts:
                if opt.startswith("--"):
                    assert re.search(rf"{opt}\b", readme), f"filings {name} {opt}"


@pytest.mark.slow
def test_a_failing_document_is_located_and_the_others_are_still_written(tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    source = templates / "release-notice" / "en.html.j2"
    lines = source.read_text(encoding="utf-8").splitlines()
    lines.append("<p>{{ detainee.removal_date }}</p>")
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    roster = write(
        tmp_path / "roster.csv",
        "a_number,family_name,given_name,custody_status,"
        "removal_date,preferred_language,arrest_type\n"
        "A012345678,Peña,José,detained,2025-12-01,en,warrantless\n"
        "A012345679,Ruiz,Ana,detained,,en,warrantless\n",
    )
    result = CliRunner().invoke(
        main,
        [
            "render",
            "release-notice",
            "--format",
            "pdf",
            "--roster",
            str(roster),
            "--out",
            str(tmp_path / "out"),
        ],
        env={"FILINGS_TEMPLATES": str(templates)},
    )
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {source}:{len(lines)}: {{{{ detainee.removal_date }}}} is empty for this row "
        "(roster.csv:3); "
        "print it only inside {% if … %} so the text reads naturally without it\n"
        f"Error: 2 rows: 1 rendered, 1 rejected — see {tmp_path / 'out' / 'errors.csv'} "
        "(2 documents: 1 rendered, 0 unchanged, 1 failed)\n"
    )
    assert [p.name for p in (tmp_path / "out" / "release-notice").iterdir()] == [
        "A012345678-release-notice.pdf"
    ]


def test_a_case_file_problem_is_reported_with_its_line(tmp_path):
    case = write(
        tmp_path / "case.yaml",
        CASE.read_text(encoding="utf-8").replace("judge: Hon. Jeffrey I. Cummings\n", ""),
    )
    result = run("render", "--case", case, "--out", tmp_path / "out")
    assert result.exit_code == 1
    assert (
        result.output == "Error: case.yaml: judge: is missing; the case file needs it\n"
        "1 problem in case.yaml\n"
    )


def test_validate_reports_every_problem_renders_nothing_and_writes_a_report(tmp_path):
    roster = Path(__file__).parent / "scenarios" / "several-problems" / "roster.csv"
    report = tmp_path / "problems.csv"
    result = run("validate", "--roster", roster, "--report", report)
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == f"Error: 2 rows: 1 valid, 1 rejected — see {report}"
    assert result.output.count("Error: roster.csv:3: ") == 4
    rows = report.read_text(encoding="utf-8-sig").splitlines()
    assert rows[0] == "file,sheet,row,cell,column,value,problem,severity" and len(rows) == 5
    assert not (tmp_path / "build").exists()


def test_validate_passes_the_fixtures():
    result = run("validate")
    assert result.exit_code == 0
    assert result.output == "42 rows: 42 valid, 0 rejected\n"


@pytest.mark.slow
def test_check_names_each_broken_rule_with_page_and_value(tmp_path):
    out = tmp_path / "out"
    roster = write(
        tmp_path / "r.csv",
        "a_number,family_name,given_name,custody_status,"
        "arrest_type\nA012345678,Peña,José,detained,warrantless\n",
    )
    assert run("render", "stay-motion", "--roster", roster, "--out", out, "--quiet").exit_code == 0
    pdf, docx = (out / "stay-motion" / f"A012345678-stay-motion.{k}" for k in ("pdf", "docx"))
    ok = run("check", pdf, docx)
    assert (ok.exit_code, ok.output) == (0, "2 files checked: every rule met\n")
    wrong = run("check", "--format", "notice", pdf)
    assert wrong.exit_code == 1
    assert wrong.output.splitlines() == [
        # The motion's 11-point footnote: the notice format has no footnote rule of its own.
        "A012345678-stay-motion.pdf: page 1: body text 11.0 pt; notice needs at least 13 pt "
        "(house style for notices: large type)",
        "A012345678-stay-motion.pdf: pages 2-7: body text 12.0 pt; notice needs at least 13 pt "
        "(house style for notices: large type)",
        "Error: 1 of 1 checked file(s) break a rule",
    ]


def test_render_says_how_many_notices_wait_for_a_translation(tmp_path):
    roster = write(
        tmp_path / "r.csv",
        "a_number,family_name,given_name,custody_status,"
        "preferred_language,arrest_type\nA012345678,Peña,José,detained,es,warrantless\n"
        "A012345679,Silva,João,detained,pt,warrantless\n",
    )
    out = tmp_path / "out"
    result = run("render", "release-notice", "--format", "docx", "--roster", roster, "--out", out)
    assert result.exit_code == 0, result.output
    assert (
        f"1 document in English only: no translation yet for pt; see "
        f"{out / 'needs-translation.csv'}"
    ) in result.output
    rows = (out / "needs-translation.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 2 and rows[1].startswith("r.csv,3,A012345679,Silva,João,pt,Portuguese")
    entries = [json.loads(x) for x in (out / "manifest.jsonl").read_text().splitlines()]
    assert {e["a_number"]: e["needs_translation"] for e in entries} == {
        "A012345678": False,
        "A012345679": True,
    }
