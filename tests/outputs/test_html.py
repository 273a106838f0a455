"""`--format html`: one self-contained file that plain WeasyPrint lays out as our PDF."""

from __future__ import annotations

import io

import pypdf
import pytest
from conftest import CASE, ROSTER

from filings.build import run as build
from filings.outputs.convert import convert
from filings.outputs.formats import load_format


def _pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


@pytest.mark.slow
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


def test_one_document_as_html_lays_out_under_plain_weasyprint_as_its_pdf(tmp_path):
    """The test above for one short document, without a build, for the inner loop."""
    import weasyprint

    fmt = load_format("ndil")
    paragraphs = "".join(
        f"<p>Paragraph {n}: the motion's text, set as the court asks.</p>" for n in range(60)
    )
    html = f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{paragraphs}</body></html>'
    data, pages = convert("html", html, fmt)
    assert pages is None
    text = data.decode("utf-8")
    assert text.startswith("<!DOCTYPE html>") and "@font-face" in text and "@page" in text
    (tmp_path / "document.html").write_bytes(data)
    ours = _pages(convert("pdf", html, fmt)[0])
    theirs = _pages(weasyprint.HTML(filename=str(tmp_path / "document.html")).write_pdf())
    assert len(ours) > 1
    assert theirs == ours
