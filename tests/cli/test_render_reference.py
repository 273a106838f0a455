"""`filings render --reference-docx FILE`: a firm's Word styles in the DOCX, within the rules."""

from __future__ import annotations

import io
import shutil
import subprocess

import docx
import pytest
from click.testing import CliRunner
from conftest import write
from refdocx import write_reference

from filings.cli import main

ROW = "a_number,family_name,given_name,custody_status,arrest_type\nA012345678,Peña,José,detained,warrantless\n"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def render(tmp_path, out, *more):
    roster = write(tmp_path / "r.csv", ROW)
    return run("render", "stay-motion", "--roster", roster, "--out", out, "--quiet", *more)


def test_an_eleven_point_body_style_is_an_error_naming_the_style_and_the_rule(tmp_path):
    firm = write_reference(tmp_path / "firm.docx", size=11)
    result = render(tmp_path, tmp_path / "out", "--reference-docx", firm)
    assert result.exit_code == 1
    assert result.output == (
        "Error: firm.docx: style Body Text: text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))\n"
    )
    assert not (tmp_path / "out" / "stay-motion").exists()


def test_a_reference_that_is_no_docx_is_one_line(tmp_path):
    notes = write(tmp_path / "notes.docx", "Dear client,\n")
    result = render(tmp_path, tmp_path / "out", "--reference-docx", notes)
    assert (result.exit_code, result.output) == (
        1,
        "Error: notes.docx: is not a readable DOCX (not a zip file)\n",
    )


@pytest.mark.slow
def test_the_docx_takes_the_firms_styles_passes_check_and_the_pdf_is_unchanged(tmp_path):
    plain, styled = tmp_path / "plain", tmp_path / "styled"
    firm = write_reference(tmp_path / "firm.docx")
    assert render(tmp_path, plain).exit_code == 0
    assert render(tmp_path, styled, "--reference-docx", firm).exit_code == 0
    name = "stay-motion/A012345678-stay-motion"
    assert (styled / f"{name}.pdf").read_bytes() == (plain / f"{name}.pdf").read_bytes()
    out = styled / f"{name}.docx"
    body = docx.Document(io.BytesIO(out.read_bytes())).styles["Body Text"]
    assert (body.font.name, body.paragraph_format.line_spacing.pt) == ("Noto Serif", 26)
    checked = run("check", out)
    assert (checked.exit_code, checked.output) == (0, "1 file checked: every rule met\n")
    # A changed reference file is a changed input: the document is made again.
    write_reference(firm, line=28)
    again = render(tmp_path, styled, "--reference-docx", firm, "--json")
    assert again.exit_code == 0
    assert '"rendered": 1' in again.output
    body = docx.Document(str(out)).styles["Body Text"]
    assert body.paragraph_format.line_spacing.pt == 28


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_opens_a_docx_in_the_firms_styles(tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed; scripts/test installs it")
    firm = write_reference(tmp_path / "firm.docx")
    out = tmp_path / "out"
    assert render(tmp_path, out, "--format", "docx", "--reference-docx", firm).exit_code == 0
    [made] = (out / "stay-motion").glob("*.docx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            str(made),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = tmp_path / "lo" / made.with_suffix(".pdf").name
    assert converted.exists() and converted.stat().st_size > 0
