"""`--reference-docx`: our DOCX takes a firm's styles where it sets them; the PDF does not."""

from __future__ import annotations

import datetime as dt
import io

import docx
from refdocx import write_reference

from filings.check import read_reference
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format

NDIL = load_format("ndil")
HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
    "<h2>Argument</h2><p>The body.</p><ol><li>One</li></ol></body></html>"
)


def render(kind: str, styles: bytes | None = None) -> bytes:
    meta = Meta(where="doc", date=dt.date(2025, 11, 14), reference_styles=styles)
    return convert(kind, HTML, NDIL, meta)[0]


def test_our_docx_takes_the_reference_styles_fonts_and_spacing(tmp_path):
    styles = read_reference(write_reference(tmp_path / "firm.docx")).styles
    document = docx.Document(io.BytesIO(render("docx", styles)))
    body = document.styles["Body Text"]
    pf = body.paragraph_format
    assert (body.font.name, body.font.size.pt) == ("Noto Serif", 12)
    assert (pf.line_spacing.pt, pf.space_after.pt) == (26, 6)
    # What the reference leaves unset stays the court format's: the first-line indent.
    assert pf.first_line_indent.pt == 36
    assert document.styles["Normal"].font.name == "Noto Serif"
    # A theme font (python-docx's headings) is not taken: the format's font stays.
    assert document.styles["Heading 1"].font.name == "Liberation Serif"
    assert [p.style.name for p in document.paragraphs] == ["Heading 1", "Body Text", "List Number"]


def test_without_a_reference_the_docx_keeps_the_formats_styles():
    body = docx.Document(io.BytesIO(render("docx"))).styles["Body Text"]
    assert (body.font.name, body.paragraph_format.line_spacing.pt) == ("Liberation Serif", 24)


def test_the_pdf_is_the_same_bytes_with_or_without_a_reference(tmp_path):
    styles = read_reference(write_reference(tmp_path / "firm.docx")).styles
    assert render("pdf", styles) == render("pdf")
