"""Files handed to `filings check` and `filings diff` by someone else: bombs, broken files,
encrypted PDFs and links out of a git ref's templates are one clear line each, never a crash,
a machine filled, or "every rule met"."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CASE, ROOT, write

from filings.check import check_files
from filings.cli import main
from filings.inputs.limits import Limits

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MB = 1024 * 1024
RAISE = "(raise it with --limit {name}=N)"


def run(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def found(path: Path, **limits) -> list[str]:
    results = check_files([path], "ndil", limits=Limits(**limits))
    return [str(f) for f in results[path]]


# --- DOCX ----------------------------------------------------------------------------------------


def _document(text: str, doctype: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>{doctype}<w:document xmlns:w="{W}"><w:body><w:p><w:r>'
        f"<w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    ).encode()


def _docx(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_docx_zip_bomb_is_refused_with_the_part_and_the_limit(tmp_path):
    bomb = _docx(tmp_path / "bomb.docx", {"word/document.xml": _document("a" * (2 * MB))})
    assert bomb.stat().st_size < 10_000
    result = run("check", "--format", "ndil", "--limit", "unzipped_mb=1", bomb)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "bomb.docx: 2.0 MB once unzipped (word/document.xml 2.0 MB); the check reads at "
        "most unzipped_mb = 1 MB " + RAISE.format(name="unzipped_mb"),
        "Error: 1 of 1 checked file(s) break a rule",
    ]


def _lie_about_sizes(path: Path, part: str, size: int) -> None:
    """Rewrite the uncompressed size the local and central headers give for `part`."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = data.find(signature)
        while at != -1:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                struct.pack_into("<I", data, at + offset, size)
            at = data.find(signature, at + 1)
    path.write_bytes(bytes(data))


def test_a_docx_whose_headers_understate_a_part_is_not_trusted(tmp_path):
    bomb = _docx(tmp_path / "liar.docx", {"word/document.xml": _document("a" * (2 * MB))})
    _lie_about_sizes(bomb, "word/document.xml", 1000)
    assert found(bomb, unzipped_mb=1) == [
        "liar.docx: is not a readable DOCX (word/document.xml is damaged: Bad CRC-32)"
    ]


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;">]>'
)


@pytest.mark.parametrize(
    ("parts", "reason"),
    [
        ({"word/styles.xml": b"<x/>"}, "no word/document.xml"),
        (
            {"word/document.xml": b"<w:document><w:body>"},
            "word/document.xml: line 1: Namespace prefix w on document is not defined",
        ),
        (
            {"word/document.xml": _document("&lol3;", BILLION_LAUGHS)},
            "word/document.xml declares a DTD, which no DOCX part has",
        ),
        (
            {"word/document.xml": _document("no section")},
            "word/document.xml sets no page (no w:sectPr)",
        ),
    ],
    ids=["no-document", "malformed", "entities", "no-section"],
)
def test_a_broken_docx_is_one_finding(tmp_path, parts, reason):
    broken = _docx(tmp_path / "broken.docx", parts)
    assert found(broken) == [f"broken.docx: is not a readable DOCX ({reason})"]


def test_a_docx_that_is_not_a_zip_is_one_finding_and_fails_the_check(tmp_path):
    fake = write(tmp_path / "fake.docx", "just text")
    result = run("check", "--format", "ndil", fake)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "fake.docx: is not a readable DOCX (not a zip file)",
        "Error: 1 of 1 checked file(s) break a rule",
    ]


# --- PDF -----------------------------------------------------------------------------------------


def _pdf(path: Path, contents: list[bytes], repeat: int = 1, encrypt: str | None = None) -> Path:
    """One blank page drawing `contents` (each a Flate stream), the list `repeat` times over."""
    from pypdf import PdfWriter
    from pypdf.generic import ArrayObject, NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    refs = []
    for data in contents:
        stream = StreamObject()
        stream._data = zlib.compress(data, 9)
        stream[NameObject("/Filter")] = NameObject("/FlateDecode")
        refs.append(writer._add_object(stream))
    page[NameObject("/Contents")] = ArrayObject(refs * repeat)
    if encrypt:
        writer.encrypt(encrypt, algorithm="RC4-128")
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def test_a_pdf_stream_bomb_is_refused_with_the_page_and_the_limit(tmp_path):
    bomb = _pdf(tmp_path / "bomb.pdf", [b" " * (2 * MB)])
    assert bomb.stat().st_size < 10_000
    assert found(bomb, pdf_stream_mb=1) == [
        "bomb.pdf: page 1: a stream unpacks to more than 1 MB; the check reads at most "
        "pdf_stream_mb = 1 MB " + RAISE.format(name="pdf_stream_mb")
    ]


def test_one_stream_drawn_many_times_on_a_page_is_bounded_too(tmp_path):
    bomb = _pdf(tmp_path / "again.pdf", [b" " * (MB // 4)], repeat=8)
    assert found(bomb, pdf_stream_mb=1) == [
        "again.pdf: page 1: its content unpacks to more than 1 MB; the check reads at most "
        "pdf_stream_mb = 1 MB " + RAISE.format(name="pdf_stream_mb")
    ]


def test_a_long_run_of_spaces_in_a_content_stream_is_read_in_one_pass(tmp_path):
    """The content tokenizer once rescanned a trailing run of spaces from each of its spaces:
    200 KB of them took hours."""
    spaces = _pdf(tmp_path / "spaces.pdf", [b"0 0 m" + b" " * 200_000])
    assert found(spaces) == [
        "spaces.pdf: page 1: no text; ndil needs text-searchable pages "
        "made from the document, not scans"
    ]


def test_a_password_protected_pdf_says_so(tmp_path):
    locked = _pdf(tmp_path / "locked.pdf", [b"0 0 m"], encrypt="secret")
    result = run("check", "--format", "ndil", locked)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "locked.pdf: is encrypted (password-protected); filings check reads only unencrypted PDFs",
        "Error: 1 of 1 checked file(s) break a rule",
    ]


def test_a_file_that_is_not_a_pdf_says_why(tmp_path):
    fake = write(tmp_path / "fake.pdf", "%PDF-1.7\nnothing here\n")
    assert found(fake) == [
        "fake.pdf: is not a readable PDF (No /Root object! - Is this really a PDF?)"
    ]


# --- filings diff and git refs -------------------------------------------------------------------

ROSTER_ROWS = (
    "a_number,family_name,given_name,custody_status,arrest_type\n"
    "A012345671,Peña,José,detained,warrantless\n"
)  # a row stay-motion is for
WHO = {"NAME": "Test", "EMAIL": "t@example.com", "DATE": "2025-11-01T00:00:00Z"}
GIT_ENV = {
    **os.environ,
    **{f"GIT_{role}_{k}": v for role in ("AUTHOR", "COMMITTER") for k, v in WHO.items()},
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], env=GIT_ENV, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path) -> Path:
    """A team's templates folder in git with stay-motion, tagged v1."""
    templates = tmp_path / "team" / "templates"
    templates.mkdir(parents=True)
    shutil.copytree(ROOT / "templates" / "stay-motion", templates / "stay-motion")
    git(templates.parent, "init", "-q")
    git(templates.parent, "add", ".")
    git(templates.parent, "commit", "-qm", "v1")
    git(templates.parent, "tag", "v1")
    return templates


def diff(repo: Path, tmp_path: Path, *args: object, roster: str = ROSTER_ROWS):
    rows = write(tmp_path / "roster.csv", roster)
    return run(
        "diff",
        *args,
        "--from",
        "v1",
        "--templates",
        repo,
        "--case",
        CASE,
        "--roster",
        rows,
        "--out",
        tmp_path / "o",
    )


def test_diff_of_an_unknown_template_lists_the_templates(repo, tmp_path):
    result = diff(repo, tmp_path, "stay-moton")
    assert result.exit_code == 1
    assert result.output == (
        "Error: templates at v1: no template named 'stay-moton'; the templates are: "
        "eoir-stay-motion, motion-to-seal, omnibus-stay-motion, release-notice, status-report, stay-motion\n"
    )


def test_diff_with_an_empty_roster_says_the_roster_has_no_rows(repo, tmp_path):
    header_only = ROSTER_ROWS.splitlines()[0] + "\n"
    result = diff(repo, tmp_path, "stay-motion", roster=header_only)
    assert result.exit_code == 1
    assert result.output == (
        "Error: roster.csv: the roster has no rows; stay-motion is one document per person, "
        "so diff needs at least one\n"
    )


def test_diff_compares_a_document_the_template_is_for(repo, tmp_path):
    removed = ROSTER_ROWS.replace("detained", "removed")
    result = diff(repo, tmp_path, "stay-motion", roster=removed)
    assert (result.exit_code, result.output) == (
        1,
        (
            "Error: roster.csv: no row of the roster is one stay-motion is for (its applies_to); diff "
            "needs at least one\n"
        ),
    )
    asked = diff(repo, tmp_path, "stay-motion", "--detainee", "A012345671", roster=removed)
    assert (asked.exit_code, asked.output) == (
        1,
        ("Error: roster.csv: stay-motion is not for A012345671: removed from the United States\n"),
    )


@pytest.mark.parametrize("target", ["../../../../etc/passwd", "/etc/passwd", "../../README.md"])
def test_a_link_out_of_the_templates_at_a_ref_is_refused(repo, tmp_path, target):
    (repo.parent / "README.md").write_text("not a template")
    (repo / "stay-motion" / "x.html.j2").symlink_to(target)
    git(repo.parent, "add", ".")
    git(repo.parent, "commit", "-qm", "link")
    git(repo.parent, "tag", "-f", "v1")
    message = (
        "Error: templates at v1: stay-motion/x.html.j2 is a link pointing outside the "
        "templates folder; refusing it\n"
    )
    result = diff(repo, tmp_path, "stay-motion")
    assert (result.exit_code, result.output) == (1, message)
    rendered = run(
        "render",
        "stay-motion",
        "--templates",
        repo,
        "--templates-ref",
        "v1",
        "--case",
        CASE,
        "--out",
        tmp_path / "r",
        "--quiet",
    )
    assert (rendered.exit_code, rendered.output) == (1, message)


def test_diff_uses_the_teams_court_formats(repo, tmp_path):
    """A format kept in `<templates>/_formats/` and a team's override of a built-in one."""
    formats = repo / "_formats"
    formats.mkdir()
    ndil = (ROOT / "filings" / "outputs" / "formats" / "ndil.yaml").read_text(encoding="utf-8")
    assert "name: ndil" in ndil
    (formats / "team-court.yaml").write_text(ndil.replace("name: ndil", "name: team-court"))
    meta = repo / "stay-motion" / "template.yaml"
    assert "format: court " in meta.read_text()
    meta.write_text(meta.read_text().replace("format: court ", "format: team-court "))
    git(repo.parent, "add", ".")
    git(repo.parent, "commit", "-qm", "team format")
    git(repo.parent, "tag", "-f", "v1")
    result = diff(repo, tmp_path, "stay-motion")
    assert result.exit_code == 0, result.output
    # The team's override of a built-in format: a page size no built-in format has.
    (formats / "team-court.yaml").unlink()
    override = ndil.replace("width: 612", "width: 600")
    assert override != ndil
    (formats / "ndil.yaml").write_text(override)
    meta.write_text(meta.read_text().replace("format: team-court ", "format: court "))
    shutil.rmtree(tmp_path / "o")
    result = diff(repo, tmp_path, "stay-motion")
    assert result.exit_code == 0, result.output
    import pypdf

    (redline,) = (tmp_path / "o" / "redlines").glob("*.pdf")
    assert float(pypdf.PdfReader(redline).pages[0].mediabox.width) == 600
