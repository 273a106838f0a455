"""HTML + court format -> DOCX, by walking the same HTML the PDF is made from (reached through
`filings.outputs.convert`).

Only the documented vocabulary is accepted (see README, "Template vocabulary"); anything else is a
TemplateError, so the DOCX can never silently drop what the PDF shows. Each element takes the same
role, and so the same style of the court format, as the PDF's stylesheet gives it (the table in
`filings.outputs.formats.roles`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import lxml.html
from docx import Document

from filings.errors import TemplateError
from filings.outputs.docx import package, page, reference
from filings.outputs.docx.scripts import Scripts, document_language
from filings.outputs.docx.walk import Context, Walker
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.bands import document_fields, for_document, properties
from filings.templating import vocabulary

if TYPE_CHECKING:
    from filings.outputs.convert import Meta


def render(html: str, fmt: CourtFormat, meta: Meta) -> tuple[bytes, None]:
    """The DOCX's bytes (its pages are Word's to lay out); the same inputs give the same bytes."""
    if meta.date is None:
        raise ValueError("a DOCX needs meta.date: its properties and zip entries carry it")
    where, date = meta.where, meta.date
    doc = Document()
    root = lxml.html.document_fromstring(html)
    vocabulary.check(root, where)
    fields = document_fields(root)
    fmt = for_document(fmt, root.get("lang"), fields)
    lang = document_language(root, meta.lang)
    page.page_setup(doc, fmt)
    page.define_styles(doc, fmt, lang)
    if meta.reference_styles:
        reference.apply(doc, meta.reference_styles)
    page.bands(doc, fmt, fields, where)
    walker = Walker(doc, fmt, where, meta.author, date, Scripts(fmt, lang))
    walker.blocks(root.find("body"), Context(lang=root.get("lang")))
    if walker.pending_break:
        raise TemplateError(where, "a page break ends the document")
    package.core_properties(doc, meta.title, meta.author, date, fmt, lang)
    package.custom_properties(doc, properties(fmt, fields))
    package.app_properties(doc)
    package.drop_template_parts(doc)
    return package.reproducible_zip(doc, date), None
