"""The one seam between a rendered document and its files: `convert(kind, html, fmt, meta)`.

Build, redline, lint and the tests all convert through here, and only here is a renderer chosen:
each output kind is one module in `RENDERERS`, with the same entry
`render(html, fmt, meta) -> (bytes, pages)`. The renderers are imported when first used, so
`filings --help` never loads WeasyPrint or python-docx.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass

from filings.outputs.formats import CourtFormat

# Output kind -> the module that renders it.
RENDERERS = {
    "pdf": "filings.outputs.pdf",
    "docx": "filings.outputs.docx",
    "html": "filings.outputs.html",
}


@dataclass(frozen=True)
class Meta:
    """What a file says about its document beyond the HTML; each renderer reads what it needs."""

    where: str = "document"  # how an error names the document
    title: str = ""  # DOCX: the title property (the PDF's title is the HTML's <title>)
    author: str = ""  # DOCX: author, and the author of a redline's tracked changes
    date: dt.date | None = None  # DOCX: its dates and zip entries; a DOCX needs one
    lang: str = "en-US"  # DOCX: Word's language when the HTML's <html lang> names none
    # DOCX: a firm's styles part (word/styles.xml of its --reference-docx), whose looks the
    # DOCX's styles take; `filings.check.reference` has measured it against the format.
    reference_styles: bytes | None = None
    pdf_variant: str | None = None  # PDF: one of `filings.outputs.pdf.VARIANTS`, or plain PDF
    weasyprint_stylesheet: bool = False  # PDF, tests only: WeasyPrint's own user-agent stylesheet


def convert(
    kind: str, html: str, fmt: CourtFormat, meta: Meta = Meta()
) -> tuple[bytes, int | None]:
    """One document's file of `kind` (pdf, docx or html): its bytes and page count (None for a
    DOCX or an HTML file, whose pages are Word's or the browser's to lay out)."""
    if kind not in RENDERERS:
        raise ValueError(f"no renderer for {kind!r}; the kinds are: {', '.join(RENDERERS)}")
    return importlib.import_module(RENDERERS[kind]).render(html, fmt, meta)
