"""Templates kept in git: versions recorded, old versions rendered byte for byte, redlines, lint."""

from __future__ import annotations

import html
import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from conftest import CASE, ROOT, write

from filings.build import run as build
from filings.build import versions
from filings.cli import main

ROSTER_ROWS = (
    "a_number,family_name,given_name,custody_status,preferred_language,removal_date,"
    "arrest_type\nA012345671,Peña,José,detained,es,2025-12-01,warrantless\n"
    "A012345672,Ruiz,Ana,released,en,,warrantless\n"
)
WHO = {"NAME": "Test", "EMAIL": "t@example.com", "DATE": "2025-11-01T00:00:00Z"}
GIT_ENV = {
    **os.environ,
    **{f"GIT_{role}_{k}": v for role in ("AUTHOR", "COMMITTER") for k, v in WHO.items()},
}
OLD = "Plaintiffs, through class counsel, respectfully move"
NEW = "Plaintiffs, through their class counsel, urgently move"


def git(repo: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(repo), *args], env=GIT_ENV, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A team's template repository: stay-motion tagged v1, then a changed paragraph tagged v2."""
    root = tmp_path / "team"
    templates = root / "templates"
    templates.mkdir(parents=True)
    shutil.copytree(ROOT / "templates" / "stay-motion", templates / "stay-motion")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-qm", "v1")
    git(root, "tag", "v1")
    motion = templates / "stay-motion" / "stay-motion.html.j2"
    text = motion.read_text(encoding="utf-8")
    assert OLD in text
    motion.write_text(text.replace(OLD, NEW), encoding="utf-8")
    git(root, "commit", "-qam", "v2")
    git(root, "tag", "v2")
    return templates


def render(repo: Path, out: Path, ref: str | None = None, jobs: int = 1):
    roster = write(out.parent / "roster.csv", ROSTER_ROWS)
    return build.build(
        CASE, roster, out, ["stay-motion"], templates_dirs=[repo], templates_ref=ref, jobs=jobs
    )


@pytest.mark.slow
def test_the_manifest_records_the_template_version(repo, tmp_path):
    report = render(repo, tmp_path / "now" / "out")
    assert not report.failed
    lines = (tmp_path / "now/out/manifest.jsonl").read_text().splitlines()
    assert {json.loads(line)["template_version"] for line in lines} == {"v2"}
    (repo / "stay-motion" / "stay-motion.html.j2").write_text("changed", encoding="utf-8")
    versions.describe.cache_clear()
    assert versions.describe(repo) == "v2-dirty"


@pytest.mark.slow
@pytest.mark.parametrize("jobs", [1, 2])  # 2: the version must reach spawned workers too
def test_an_old_version_renders_byte_for_byte_without_touching_the_working_tree(
    repo, tmp_path, jobs
):
    first = render(repo, tmp_path / "a" / "out", ref="v1", jobs=jobs)
    render(repo, tmp_path / "b" / "out", jobs=jobs)  # v2, the working tree
    render(repo, tmp_path / "c" / "out", ref="v1", jobs=1)
    assert git(repo.parent, "status", "--porcelain") == ""
    for relative in first.files:
        old = (tmp_path / "a" / "out" / relative).read_bytes()
        assert old == (tmp_path / "c" / "out" / relative).read_bytes(), relative
        assert old != (tmp_path / "b" / "out" / relative).read_bytes(), relative
    lines = (tmp_path / "a/out/manifest.jsonl").read_text().splitlines()
    assert {json.loads(line)["template_version"] for line in lines} == {"v1"}
    for relative in first.files:  # and in each document's own properties
        data = (tmp_path / "a" / "out" / relative).read_bytes()
        if relative.endswith(".pdf"):
            fields = json.loads(pypdf.PdfReader(io.BytesIO(data)).metadata["/FilingsFields"])
        else:
            xml = zipfile.ZipFile(io.BytesIO(data)).read("docProps/custom.xml").decode()
            stored = re.search(r'name="FilingsFields"[^>]*>\s*<vt:lpwstr>(.*?)</vt:lpwstr>', xml)
            fields = json.loads(html.unescape(stored.group(1)))
        assert fields["template_version"] == "v1", relative


def test_an_unknown_ref_is_a_clear_error(repo, tmp_path):
    args = [
        "render",
        "stay-motion",
        "--templates",
        repo,
        "--templates-ref",
        "v9",
        "--out",
        tmp_path,
    ]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 1
    assert result.output == f"Error: {repo}: no tag or commit named 'v9'\n"


def test_diff_shows_the_change_for_a_real_detainee_and_writes_a_redline(repo, tmp_path):
    roster = write(tmp_path / "roster.csv", ROSTER_ROWS)
    args = [
        "diff",
        "stay-motion",
        "--from",
        "v1",
        "--to",
        "v2",
        "--detainee",
        "A-012-345-672",
        "--templates",
        repo,
        "--roster",
        roster,
        "--out",
        tmp_path / "o",
    ]
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    assert "[-respectfully-]" in result.stdout and "{+their+}" in result.stdout
    assert "{+urgently+}" in result.stdout
    docx = tmp_path / "o" / "redlines" / "stay-motion-A012345672-v1-to-v2.docx"
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    assert "<w:ins " in xml and "<w:del " in xml and 'w:author="filings (templates v2)"' in xml
    assert "<w:delText" in xml and "respectfully" in xml
    assert docx.with_suffix(".pdf").exists()


def test_lint_catches_a_misspelled_field_before_any_data_is_loaded(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "stay-motion", folder / "stay-motion")
    motion = folder / "stay-motion" / "stay-motion.html.j2"
    lines = motion.read_text(encoding="utf-8").splitlines()
    body = next(i for i, line in enumerate(lines) if "{% block body %}" in line)
    lines.insert(body + 1, "<p>{{ detainee.famly_name }}</p>")
    motion.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(folder), "--no-render"])
    assert result.exit_code == 1
    assert result.output == (
        f"templates/stay-motion/stay-motion.html.j2:{body + 2}: detainee.famly_name: no such field "
        "(did you mean family_name?)\nError: 1 problem(s) in the templates\n"
    )
    as_json = CliRunner().invoke(main, ["lint", str(folder), "--no-render", "--json"])
    assert json.loads(as_json.stdout) == [
        {
            "file": "templates/stay-motion/stay-motion.html.j2",
            "line": body + 2,
            "field": None,
            "sheet": None,
            "column": None,
            "index": None,
            "part": None,
            "message": "detainee.famly_name: no such field (did you mean family_name?)",
            "rule": "field",
            "severity": "error",
            "value": None,
            "required": "",
        }
    ]


def test_lint_passes_the_built_in_templates_naming_only_unreviewed_translations():
    """Every name a built-in template reads is one the sandbox gives it (the roster's
    class_members, not_covered and stay_members included)."""
    result = CliRunner().invoke(main, ["lint", str(ROOT / "templates"), "--no-render"])
    assert result.exit_code == 0, result.output
    assert [line for line in result.output.splitlines() if not line.startswith("warning: ")] == [
        "templates OK"
    ]


def test_lint_renders_each_template_against_the_fixtures(tmp_path):
    folder = tmp_path / "templates"
    CliRunner().invoke(main, ["new", "broken", "--dir", str(folder)])
    main_file = folder / "broken" / "broken.html.j2"
    heading = "<h2>INTRODUCTION</h2>"
    main_file.write_text(main_file.read_text().replace(heading, heading + "<marquee>x</marquee>"))
    roster = write(tmp_path / "roster.csv", ROSTER_ROWS)
    result = CliRunner().invoke(main, ["lint", str(folder), "--roster", str(roster)])
    assert result.exit_code == 1
    assert "<marquee> is not in the vocabulary" in result.output


@pytest.mark.slow
def test_a_new_template_renders_and_passes_lint(tmp_path):
    folder = tmp_path / "templates"
    created = CliRunner().invoke(main, ["new", "bond-motion", "--dir", str(folder)])
    assert created.exit_code == 0, created.output
    assert sorted(p.name for p in (folder / "bond-motion").iterdir()) == [
        "bond-motion.html.j2",
        "template.yaml",
    ]
    roster = write(tmp_path / "roster.csv", ROSTER_ROWS)
    linted = CliRunner().invoke(main, ["lint", str(folder), "--roster", str(roster)])
    assert linted.exit_code == 0, linted.output
    report = build.build(CASE, roster, tmp_path / "out", ["bond-motion"], templates_dirs=[folder])
    assert not report.failed and report.count("rendered") == 2
    again = CliRunner().invoke(main, ["new", "bond-motion", "--dir", str(folder)])
    assert again.exit_code == 1 and "already exists" in again.output


@pytest.mark.slow
def test_a_team_folder_overrides_one_shared_piece_without_copying_the_rest(tmp_path):
    folder = tmp_path / "templates"
    legal = (ROOT / "templates" / "_shared" / "legal.html.j2").read_text(encoding="utf-8")
    ours = legal.replace("Respectfully submitted,", "Submitted with respect,")
    write(folder / "_shared" / "legal.html.j2", ours)
    roster = write(tmp_path / "roster.csv", ROSTER_ROWS)
    report = build.build(
        CASE,
        roster,
        tmp_path / "out",
        ["stay-motion"],
        templates_dirs=[folder],
        formats=("docx",),
        jobs=1,
    )
    assert not report.failed
    from textof import docx_paragraphs

    text = "\n".join(docx_paragraphs(tmp_path / "out" / report.files[0]))
    assert "Submitted with respect," in text and "Respectfully submitted," not in text


def test_filings_toml_names_a_teams_templates_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert CliRunner().invoke(main, ["new", "bond-motion", "--dir", "team"]).exit_code == 0
    write(tmp_path / "filings.toml", '[templates]\nfolders = ["team"]\n')
    listed = CliRunner().invoke(main, ["templates"])
    names = [line.split()[0] for line in listed.stdout.splitlines() if not line.startswith(" ")]
    assert names == [
        "bond-motion",
        "eoir-stay-motion",
        "motion-to-seal",
        "omnibus-stay-motion",
        "release-notice",
        "status-report",
        "stay-motion",
    ]
    write(tmp_path / "filings.toml", '[templates]\nfolders = ["nowhere"]\n')
    broken = CliRunner().invoke(main, ["templates"])
    assert broken.exit_code == 1
    assert broken.output == "Error: filings.toml: templates.folders: 'nowhere' is not a folder\n"


def test_lint_names_a_broken_template_yaml_once(tmp_path):
    folder = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "stay-motion", folder / "stay-motion")
    meta = folder / "stay-motion" / "template.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("kind:", "kinds:"), encoding="utf-8")
    result = CliRunner().invoke(main, ["lint", str(folder), "--no-render"])
    assert result.exit_code == 1
    assert result.output == (
        "templates/stay-motion/template.yaml: missing kind\nError: 1 problem(s) in the templates\n"
    )
