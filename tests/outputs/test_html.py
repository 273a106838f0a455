"""`--format html`: one self-contained file that plain WeasyPrint lays out as our PDF."""

from __future__ import annotations

import io

import pypdf
from conftest import CASE, ROSTER

from filings.build import run as build


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_plain_weasyprint_lays_the_html_file_out_as_our_pdf(tmp_path):
    import weasyprint

    report = build.build(CASE, ROSTER, tmp_path, ["stay-motion"], ["pdf", "html"], jobs=1)
    outputs = report.outcomes[0].outputs
    assert outputs["html"]["pages"] is None
    html = tmp_path / outputs["html"]["path"]
    text = html.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "@font-face" in text and "@page" in text
    ours = _pages((tmp_path / outputs["pdf"]["path"]).read_bytes())
    theirs = _pages(weasyprint.HTML(filename=str(html)).write_pdf())
    assert len(theirs) == len(ours) == outputs["pdf"]["pages"]
    assert theirs == ours
