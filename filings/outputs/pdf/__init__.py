"""HTML + court format -> PDF, through WeasyPrint (reached through `filings.outputs.convert`).

Set up once per process and reused for every document: the project's fonts (`fonts`), and one
renderer per court format holding its parsed stylesheets (`css`). A warning WeasyPrint logs while
laying a document out fails that document.
"""

from __future__ import annotations

import json
import logging
import warnings
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import lxml.html
from weasyprint import CSS, HTML
from weasyprint.html import UA_COUNTER_STYLE
from weasyprint.urls import URLFetcher

from filings.errors import FilingsError
from filings.outputs.columns import with_column_widths
from filings.outputs.convert import Rendered
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.bands import document_fields, for_document, properties
from filings.outputs.pdf import layout as laid_out
from filings.outputs.pdf import text_layer
from filings.outputs.pdf.css import document_stylesheet, stylesheet
from filings.outputs.pdf.fonts import project_fonts
from filings.outputs.pdf.lines import exact_pitch
from filings.templating import vocabulary

if TYPE_CHECKING:
    from filings.outputs.convert import Meta

log = logging.getLogger(__name__)

VARIANTS = (
    "pdf/a-1b",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/a-4u",
    "pdf/ua-1",
    "pdf/ua-2",
)


class RenderError(FilingsError):
    """WeasyPrint could not lay the document out cleanly."""


def render(html: str, fmt: CourtFormat, meta: Meta) -> Rendered:
    """The PDF's bytes and its page count (and its measured layout when `meta.layout`)."""
    return _renderer(fmt).render(html, meta)


_RENDERERS: dict[int, PdfRenderer] = {}


def _renderer(fmt: CourtFormat) -> PdfRenderer:
    """One renderer per court format per process (`load_format` gives one object per format);
    each holds its format, so the id it is filed under is never another format's."""
    found = _RENDERERS.get(id(fmt))
    if found is None or found.fmt is not fmt:
        found = _RENDERERS[id(fmt)] = PdfRenderer(fmt)
    return found


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_warnings_are_errors(where: str):
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    if handler.messages:
        raise RenderError(f"{where}: WeasyPrint: {'; '.join(handler.messages)}")


# Unicode's isolates: WeasyPrint lays out a line's bidirectional text with Pango but does not
# implement `unicode-bidi`, so an inline element's `dir` becomes these invisible characters.
_ISOLATES = {"rtl": "\u2067", "ltr": "\u2066"}
_POP_ISOLATE = "\u2069"
_INLINE = vocabulary.INLINE - {"br"}  # the inline elements that hold text


def isolate_inline_directions(html: str) -> str:
    """An inline element with `dir` has its text isolated (RLI/LRI … PDI), so a right-to-left
    name in an English sentence keeps its punctuation and numbers where they belong."""
    if " dir=" not in html:
        return html
    root = lxml.html.document_fromstring(html)
    changed = False
    for el in root.iter(*_INLINE):
        mark = _ISOLATES.get((el.get("dir") or "").lower())
        if mark is None:
            continue
        el.text = mark + (el.text or "")
        if len(el):
            el[-1].tail = (el[-1].tail or "") + _POP_ISOLATE
        else:
            el.text += _POP_ISOLATE
        changed = True
    if not changed:
        return html
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


@cache
def _vocabulary_html():
    """WeasyPrint's HTML class with `vocabulary.css` as its user-agent stylesheet.

    WeasyPrint has no public setting for this; `_ua_stylesheets` is the method its own HTML class
    answers with, kept the same through WeasyPrint 70 (the version pyproject.toml pins).
    tests/test_pdf.py checks that the result is byte for byte what WeasyPrint's own gives."""
    css = Path(vocabulary.__file__).with_name("vocabulary.css")
    sheet = CSS(string=css.read_text(encoding="utf-8"), counter_style=UA_COUNTER_STYLE)

    class VocabularyHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [sheet]

    return VocabularyHTML


def prepare() -> None:
    """Set up now what every renderer in this process shares and would set up for its first
    document: the project's fonts, the user-agent stylesheet, the exact text layer."""
    project_fonts()
    _vocabulary_html()
    text_layer.install()


class PdfRenderer:
    """Renders documents of one court format; set up once, reused for every document."""

    def __init__(self, fmt: CourtFormat) -> None:
        self.fmt = fmt
        self.font_config = project_fonts()
        text_layer.install()  # an exact text layer until WeasyPrint fixes Kozea/WeasyPrint#2841
        # Documents hold no images or links: nothing is ever fetched, from anywhere.
        self.fetcher = URLFetcher(allowed_protocols=())
        self._css = {}  # parsed stylesheets, by the bands they print (a translation's own)

    def _stylesheet(self, fmt: CourtFormat):
        """The format's parsed stylesheet, `fmt` being this renderer's in some language."""
        key = (fmt.header, fmt.footer, fmt.first_page)
        if key not in self._css:
            self._css[key] = CSS(
                string=stylesheet(fmt), font_config=self.font_config, url_fetcher=self.fetcher
            )
        return self._css[key]

    def _stylesheets(self, fmt: CourtFormat, fields: dict[str, str], where: str) -> list:
        """The format's stylesheet, and the document's own when its bands print its fields."""
        own = document_stylesheet(fmt, fields, where)
        if not own:
            return [self._stylesheet(fmt)]
        parsed = CSS(string=own, font_config=self.font_config, url_fetcher=self.fetcher)
        return [self._stylesheet(fmt), parsed]

    def render(self, html: str, meta: Meta) -> Rendered:
        """The PDF's bytes and its page count, and with `meta.layout` its laid-out pages measured
        (`filings.outputs.pdf.layout`) before it is written.

        `meta.pdf_variant` is one of WeasyPrint's PDF variants (`pdf/a-2b`, `pdf/ua-1`, …); the
        court format's name and the document's fields are kept in the PDF's document information
        (FilingsFormat, FilingsFields) for `filings.check`. `meta.weasyprint_stylesheet` lays the
        document out under WeasyPrint's own user-agent stylesheet instead of `vocabulary.css`
        (for the test that the two agree).
        """
        where, variant = meta.where, meta.pdf_variant
        layout = HTML if meta.weasyprint_stylesheet else _vocabulary_html()
        if variant is not None and variant not in VARIANTS:
            raise RenderError(
                f"{where}: no PDF variant {variant!r}; the variants are: {', '.join(VARIANTS)}"
            )
        root = lxml.html.document_fromstring(html)
        vocabulary.check(root, where)
        fields = document_fields(root)
        sheets = self._stylesheets(for_document(self.fmt, root.get("lang"), fields), fields, where)
        options = {"pdf_variant": variant} if variant else {}
        with _weasyprint_warnings_are_errors(where), warnings.catch_warnings():
            # WeasyPrint 70 leaves the sRGB profile of a PDF/A file open until the document goes.
            warnings.simplefilter("ignore", ResourceWarning)
            source = exact_pitch(isolate_inline_directions(html), self.fmt)
            source = with_column_widths(source, self.fmt)
            document = layout(string=source, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config
            )
            document.metadata.custom = properties(self.fmt, fields)
            measured = None
            if meta.layout:  # the fields as the PDF records them, for the check to read
                recorded = json.loads(document.metadata.custom["FilingsFields"])
                measured = laid_out.measure(document, recorded)
            # The file identifier is the MD5 of the PDF's objects: the same document always gets
            # the same one, and no two documents share one.
            data = document.write_pdf(
                pdf_identifier=True, uncompressed_pdf=False, custom_metadata=True, **options
            )
            pages = len(document.pages)
            del document
        return Rendered(data, pages, measured)
