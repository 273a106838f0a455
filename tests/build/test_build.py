"""Bulk rendering: incremental, resumable, reproducible, recorded."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pypdf
import pytest
from conftest import CASE, ROOT, ROSTER, write

from filings.build import files, manifest, pool
from filings.build import run as build

# arrest_type: a row the stay motion is for (its applies_to: the class covers the arrest)
HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,removal_date,arrest_type\n"
)
ROWS = [
    "A012345671,Peña,José,detained,es,2025-12-01",
    "A012345672,Ruiz,Ana,released,en,",
    "A012345673,Nguyễn,Thị Hương,detained,vi,",
]


def roster(tmp_path: Path, rows=ROWS) -> Path:
    return write(tmp_path / "roster.csv", HEADER + "".join(f"{r},warrantless\n" for r in rows))


TEMPLATES = ("release-notice", "stay-motion", "status-report")


def run(tmp_path, rows=ROWS, **options):
    options.setdefault("jobs", 1)
    options.setdefault("template_names", TEMPLATES)
    return build.build(CASE, roster(tmp_path, rows), tmp_path / "out", **options)


def statuses(report) -> dict:
    return {o.job.key[:2]: o.status for o in report.outcomes}  # (template, A-number)


@pytest.mark.slow
def test_a_second_run_with_nothing_changed_renders_nothing(tmp_path):
    first = run(tmp_path)
    assert set(statuses(first).values()) == {"rendered"}
    second = run(tmp_path)
    assert set(statuses(second).values()) == {"unchanged"}
    assert set(statuses(run(tmp_path, force=True)).values()) == {"rendered"}


@pytest.mark.slow
def test_changing_one_row_rerenders_that_person_and_the_roster_report_only(tmp_path):
    run(tmp_path)
    changed = [ROWS[0], ROWS[1].replace("released", "removed"), ROWS[2]]
    found = statuses(run(tmp_path, changed))
    rendered = {k for k, s in found.items() if s == "rendered"}
    assert rendered == {("release-notice", "A012345672"), ("status-report", None)}
    assert found[("stay-motion", "A012345672")] == "not-applicable"  # removed: no stay motion


@pytest.mark.slow
def test_a_changed_or_missing_file_is_rendered_again(tmp_path):
    run(tmp_path)
    pdf = tmp_path / "out" / "stay-motion" / "A012345671-stay-motion.pdf"
    pdf.write_bytes(pdf.read_bytes()[:1000])  # truncated by hand
    (tmp_path / "out" / "release-notice" / "A012345672-release-notice.docx").unlink()
    rendered = {k for k, s in statuses(run(tmp_path)).items() if s == "rendered"}
    assert rendered == {("stay-motion", "A012345671"), ("release-notice", "A012345672")}


@pytest.mark.slow
def test_the_same_inputs_give_the_same_bytes(tmp_path):
    first = run(tmp_path / "a", jobs=1)
    second = run(tmp_path / "b", jobs=2)
    assert first.files == second.files
    for relative in first.files:
        a = (tmp_path / "a" / "out" / relative).read_bytes()
        assert a == (tmp_path / "b" / "out" / relative).read_bytes(), relative


@pytest.mark.slow
def test_the_manifest_accounts_for_every_document(tmp_path):
    report = run(tmp_path)
    out = tmp_path / "out"
    lines = [json.loads(line) for line in (out / "manifest.jsonl").read_text().splitlines()]
    assert len(lines) == len(report.outcomes) == 2 * len(ROWS) + 1
    for line in lines:
        assert line["status"] == "rendered" and line["template_version"]
        assert set(line["outputs"]) == {"pdf", "docx"}
        for output in line["outputs"].values():
            assert files.sha256_file(out / output["path"], out) == output["sha256"]
        assert line["outputs"]["pdf"]["pages"] == len(
            pypdf.PdfReader(out / line["outputs"]["pdf"]["path"]).pages
        )
    csv_text = (out / "manifest.csv").read_text(encoding="utf-8-sig")
    assert csv_text.splitlines()[0] == ",".join(manifest.CSV_COLUMNS)
    assert len(csv_text.splitlines()) == 1 + 2 * len(lines)
    assert not (out / manifest.JOURNAL).exists()


@pytest.mark.slow
def test_a_failed_document_is_recorded_with_its_reason(tmp_path):
    run(tmp_path)
    case = write(tmp_path / "case.yaml", CASE.read_text(encoding="utf-8"))
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    notice = templates / "release-notice" / "en.html.j2"
    notice.write_text("<p>{{ detainee.removal_date }}</p>\n" + notice.read_text(encoding="utf-8"))
    report = build.build(
        case,
        roster(tmp_path),
        tmp_path / "out",
        ["release-notice"],
        templates_dirs=[templates],
        jobs=1,
    )
    failed = {o.job.key[:2]: o.error for o in report.failed}
    assert set(failed) == {("release-notice", "A012345672"), ("release-notice", "A012345673")}
    # the stale notice from the first run is gone, not left to pass as current
    assert not (tmp_path / "out/release-notice/A012345672-release-notice.pdf").exists()
    lines = [json.loads(x) for x in (tmp_path / "out/manifest.jsonl").read_text().splitlines()]
    notices = [x for x in lines if x["template"] == "release-notice"]  # the others' are kept
    assert [x["reason"] is not None for x in notices] == [False, True, True]
    assert len(lines) == len(notices) + 4


@pytest.mark.slow
def test_documents_of_people_no_longer_on_the_roster_are_reported_then_pruned(tmp_path):
    run(tmp_path)
    report = run(tmp_path, ROWS[:2])
    names = sorted(p.name for p in report.orphans)
    assert names == [
        "A012345673-release-notice.docx",
        "A012345673-release-notice.pdf",
        "A012345673-stay-motion.docx",
        "A012345673-stay-motion.pdf",
    ]
    assert all(p.exists() for p in report.orphans)
    pruned = run(tmp_path, ROWS[:2], prune=True)
    assert pruned.orphans and not any(p.exists() for p in pruned.orphans)
    assert run(tmp_path, ROWS[:2]).orphans == []


@pytest.mark.slow
def test_a_packet_has_every_document_bookmarked_with_numbering_restarting(tmp_path):
    report = run(tmp_path, packet=True, formats=("pdf",))
    packet = pypdf.PdfReader(tmp_path / "out" / "packets" / "stay-motion.pdf")
    titles = [item.title for item in packet.outline]
    assert titles == [
        "José Peña (A-012-345-671)",
        "Ana Ruiz (A-012-345-672)",
        "Thị Hương Nguyễn (A-012-345-673)",
    ]
    sizes = [
        o.outputs["pdf"]["pages"] for o in report.outcomes if o.job.template.name == "stay-motion"
    ]
    assert len(packet.pages) == sum(sizes)
    labels = packet.page_labels
    assert labels[0] == "1" and labels[sizes[0]] == "1" and labels[sizes[0] - 1] == str(sizes[0])
    first = (tmp_path / "out" / "packets" / "stay-motion.pdf").read_bytes()
    run(tmp_path, packet=True, formats=("pdf",))
    assert (tmp_path / "out" / "packets" / "stay-motion.pdf").read_bytes() == first


@pytest.mark.slow
def test_a_killed_run_leaves_no_half_file_and_the_next_run_completes_the_rest(tmp_path):
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "filings",
        "render",
        "stay-motion",
        "--format",
        "pdf",
        "--jobs",
        "1",
        "--roster",
        str(ROSTER),
        "--out",
        str(out),
        "--quiet",
    ]
    process = subprocess.Popen(command, start_new_session=True)
    journal = out / manifest.JOURNAL
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if journal.exists() and len(journal.read_text().splitlines()) >= 3:
            break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert not (out / manifest.MANIFEST).exists()
    for pdf in (out / "stay-motion").glob("*.pdf"):
        pypdf.PdfReader(pdf)  # every finished file is whole
    done_before = len(journal.read_text().splitlines())
    report = build.build(CASE, ROSTER, out, ["stay-motion"], ["pdf"], jobs=2)
    assert report.count("unchanged") >= done_before >= 3
    made = report.count("rendered") + report.count("unchanged")
    assert made + report.count("not-applicable") == len(report.outcomes) == 42
    assert not list((out / "stay-motion").glob(".*.tmp"))


def test_help_does_not_import_the_renderers():
    heavy = "{'weasyprint', 'docx', 'jinja2'}"
    code = f"import sys, filings.cli; print(sorted({heavy} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])
def test_every_job_count_renders_everything(tmp_path, jobs):
    report = run(tmp_path, jobs=jobs)
    assert report.count("rendered") == len(report.outcomes) == 7


@pytest.mark.slow
def test_workers_are_replaced_without_the_run_hanging(tmp_path, monkeypatch):
    """Each worker renders TASKS_PER_WORKER documents and is replaced; the run goes on."""
    monkeypatch.setattr(pool, "TASKS_PER_WORKER", 2)
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail("the run hung replacing a worker"))
    signal.alarm(240)
    try:
        report = run(tmp_path, formats=("docx",), jobs=2, check=False)
    finally:
        signal.alarm(0)
    assert report.count("rendered") == len(report.outcomes) == 7
