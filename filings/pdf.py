"""HTML + court format -> PDF, through WeasyPrint."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import cache

from filings.errors import FilingsError
from filings.formats import CourtFormat, Style, load_format

log = logging.getLogger(__name__)

# Which elements take which role of the court format; later rules win, as in the DOCX walker.
ROLE_SELECTORS = {
    "body": "p",
    "compact": "p.single, .signature p",
    "quote": "blockquote p",
    "table": "td, th, td p, th p",
    "list": "li",
    "title": "h1",
    "heading": "h2",
    "subheading": "h3",
}


class RenderError(FilingsError):
    """WeasyPrint could not lay the document out cleanly."""


def _quote(family: str) -> str:
    return '"' + family.replace('"', "") + '"'


def _declarations(style: Style) -> str:
    rules = [
        f"font-size: {style.size}pt",
        f"line-height: {style.line}pt",
        f"font-weight: {'bold' if style.bold else 'normal'}",
        f"font-style: {'italic' if style.italic else 'normal'}",
        f"text-align: {style.align}",
        f"margin: 0 {style.right_indent}pt {style.after}pt {style.left_indent + style.hanging}pt",
        f"text-indent: {style.first_indent - style.hanging}pt",
    ]
    return "; ".join(rules)


def stylesheet(fmt: CourtFormat) -> str:
    """The CSS for one court format: page, footer, and each role of the vocabulary."""
    top, right, bottom, left = fmt.margins
    families = ", ".join(_quote(f) for f in (fmt.font.family, *fmt.font.fallbacks))
    footer = fmt.styles["footer"]
    before, _, rest = fmt.footer.partition("{page}")
    between, _, after = rest.partition("{pages}")
    content = f'"{before}" counter(page) "{between}" counter(pages) "{after}"'
    half = (fmt.width - left - right) / 2
    list_style = fmt.styles["list"]
    css = [
        f"@page {{ size: {fmt.width}pt {fmt.height}pt;"
        f" margin: {top}pt {right}pt {bottom}pt {left}pt;"
        f" @bottom-center {{ content: {content}; font-family: {families};"
        f" font-size: {footer.size}pt; line-height: {footer.line}pt; }} }}",
        f"html {{ font-family: {families}; color: black; }}",
        "body { margin: 0; }",
        "h1, h2, h3 { break-after: avoid; }",
        "ol, ul { margin: 0; padding: 0; list-style: none; }",
        "ol { counter-reset: item; } ol > li { counter-increment: item; }",
        f'ol > li::before {{ content: counter(item) "."; display: inline-block;'
        f" width: {list_style.hanging}pt; text-indent: 0; }}",
        f'ul > li::before {{ content: "\\2022"; display: inline-block;'
        f" width: {list_style.hanging}pt; text-indent: 0; }}",
        "table { border-collapse: collapse; width: 100%; margin: 0 0 12pt 0; }",
        "td, th { vertical-align: top; padding: 0 4pt; text-align: left; }",
        "table.grid td, table.grid th { border: 0.5pt solid black; padding: 1pt 4pt; }",
        # A count table stays on one page when it fits (the DOCX keeps its rows together too).
        "table.grid { break-inside: avoid; }",
        "table.caption td.parties { width: 55%; border-right: 0.75pt solid black;"
        " padding: 0 12pt 0 0; }",
        "table.caption td.number { vertical-align: middle; padding: 0 0 0 18pt; }",
        "blockquote { margin: 0; }",
        f".signature {{ margin-left: {half}pt; break-inside: avoid; }}",
        ".page-break { break-before: page; }",
        "b, strong { font-weight: bold; } i, em { font-style: italic; }",
        ".smallcaps { font-variant: small-caps; }",
    ]
    css += [
        f"{ROLE_SELECTORS[role]} {{ {_declarations(fmt.styles[role])} }}" for role in ROLE_SELECTORS
    ]
    css += [
        # Modifiers come last and outrank every role selector.
        "th, th p { font-weight: bold; }",
        "body .center { text-align: center; text-indent: 0; }",
        "body .right { text-align: right; text-indent: 0; }",
        "body .noindent { text-indent: 0; }",
        "body p.indent { margin-left: 36pt; }",
    ]
    return "\n".join(css)


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


class PdfRenderer:
    """Renders documents of one court format; set up once, reused for every document."""

    def __init__(self, fmt: CourtFormat) -> None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        self.font_config = FontConfiguration()
        # Documents hold no images or links: nothing is ever fetched, from anywhere.
        self.fetcher = URLFetcher(allowed_protocols=())
        self.css = CSS(string=stylesheet(fmt), font_config=self.font_config,
                       url_fetcher=self.fetcher)  # fmt: skip

    def render(self, html: str, where: str = "document") -> tuple[bytes, int]:
        """The PDF's bytes and its page count."""
        from weasyprint import HTML

        with _weasyprint_warnings_are_errors(where):
            document = HTML(string=html, url_fetcher=self.fetcher).render(
                stylesheets=[self.css], font_config=self.font_config
            )
            data = document.write_pdf(pdf_identifier=b"filings", uncompressed_pdf=False)
        return data, len(document.pages)


@cache
def renderer(format_name: str) -> PdfRenderer:
    """One renderer per court format per process."""
    return PdfRenderer(load_format(format_name))
