"""The one seam between a rendered document and its files: `convert(kind, html, fmt, meta)`.

Build, redline, lint and the tests all convert through here, and only here is a renderer chosen:
each output kind is one module in `RENDERERS`, with the same entry
`render(html, fmt, meta) -> (bytes, pages)` (the PDF's is a `Rendered`, which adds the measured
layout). The renderers are imported when first used, so `filings --help` never loads WeasyPrint
or python-docx.
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
    layout: bool = False  # PDF: also measure the laid-out pages, for `filings.check`


class Rendered(tuple):
    """A file's bytes and page count, which it unpacks as (`data, pages = convert(...)`), and
    `layout`: what the renderer measured of the laid-out pages when `Meta.layout` asked for it
    (a PDF's `filings.outputs.pdf.layout.Layout`), else None."""

    layout: object

    def __new__(cls, data: bytes, pages: int | None, layout: object = None) -> Rendered:
        rendered = super().__new__(cls, (data, pages))
        rendered.layout = layout
        return rendered

    def __getnewargs__(self):
        return (*self, self.layout)


def convert(kind: str, html: str, fmt: CourtFormat, meta: Meta = Meta()) -> Rendered:
    """One document's file of `kind` (pdf, docx or html): its bytes and page count (None for a
    DOCX or an HTML file, whose pages are Word's or the browser's to lay out)."""
    if kind not in RENDERERS:
        raise ValueError(f"no renderer for {kind!r}; the kinds are: {', '.join(RENDERERS)}")
    result = importlib.import_module(RENDERERS[kind]).render(html, fmt, meta)
    return result if isinstance(result, Rendered) else Rendered(*result)
