"""HTML + court format -> PDF, through WeasyPrint."""

from __future__ import annotations

import logging
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import lxml.html

from filings.errors import FilingsError
from filings.formats import CourtFormat, Style, load_format
from filings.formats.bands import (
    COUNTERS,
    FIELD,
    document_fields,
    needs_document,
    properties,
    resolve,
)

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
    """The CSS for one court format: page, margins' text, ruler, and each role of the vocabulary."""
    top, right, bottom, left = fmt.margins
    families = _families(fmt)
    half = (fmt.width - left - right) / 2
    list_style = fmt.styles["list"]
    css = [
        f"@page {{ size: {fmt.width}pt {fmt.height}pt;"
        f" margin: {top}pt {right}pt {bottom}pt {left}pt;{_ruler_page(fmt)}"
        f"{_static_bands(fmt)} }}",
        f"html {{ font-family: {families}; color: black; }}",
        "body { margin: 0; }",
        "h1, h2, h3 { break-after: avoid; }",
        "ol, ul { margin: 0; padding: 0; list-style: none; }",
        "ol { counter-reset: item; } ol > li { counter-increment: item; }",
        f'ol > li::before {{ content: counter(item) "."; display: inline-block;'
        f" width: {list_style.hanging}pt; text-indent: 0; }}",
        f'ul > li::before {{ content: "\\2022"; display: inline-block;'
        f" width: {list_style.hanging}pt; text-indent: 0; }}",
        f"table {{ border-collapse: collapse; width: 100%; margin: 0 0 {fmt.table_after:g}pt 0; }}",
        "td, th { vertical-align: top; padding: 0 4pt; text-align: left; }",
        "table.grid td, table.grid th { border: 0.5pt solid black; padding: 1pt 4pt; }",
        # A count table stays on one page when it fits (the DOCX keeps its rows together too).
        "table.grid { break-inside: avoid; }",
        f"table.caption td.parties {{ width: {fmt.caption.parties_width:g}%;"
        f" border-right: {_rule(fmt.caption.rule)}; padding: 0 12pt 0 0; }}",
        "table.caption td.number { vertical-align: middle; padding: 0 0 0 18pt; }",
        "blockquote { margin: 0; }",
        f".signature {{ margin-left: {half}pt; break-inside: avoid; }}",
        ".page-break { break-before: page; }",
        "b, strong { font-weight: bold; } i, em { font-style: italic; }",
        ".smallcaps { font-variant: small-caps; }",
        # A redline's changes (filings diff): insertions underlined, deletions struck.
        "ins { text-decoration: underline; color: #1f4e9c; }",
        "del { text-decoration: line-through; color: #b00020; }",
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
    return "\n".join(css + _ruled_tables(fmt))


def _families(fmt: CourtFormat) -> str:
    return ", ".join(_quote(f) for f in (fmt.font.family, *fmt.font.fallbacks))


def _rule(width: float) -> str:
    return f"{width:g}pt solid black" if width else "none"


# --- the page margins: header, footer, first-page labels, line numbers -------------------------

GRID_RULE = 0.5  # the lines of a `table.grid`


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _content(pattern: str, fields: dict[str, str]) -> str:
    """A band pattern as a CSS `content` value: text, and counter(page) for page numbers."""
    lines = []
    for line in pattern.split("\n"):
        pieces = []
        for i, piece in enumerate(FIELD.split(line)):
            if i % 2 == 0:
                pieces.append(_css_string(piece))
            elif piece in COUNTERS:
                pieces.append(f"counter({piece})")
            else:
                pieces.append(_css_string(fields[piece]))
        lines.append(" ".join(pieces))
    return ' "\\A " '.join(lines)


def _margin_box(fmt: CourtFormat, box: str, pattern: str, fields: dict, bold: bool = False) -> str:
    style = fmt.styles["footer"]
    slot = box.split("-")[1]
    rules = [f"content: {_content(pattern, fields)}", f"font-family: {_families(fmt)}",
             f"font-size: {style.size}pt", f"line-height: {style.line}pt"]  # fmt: skip
    if "\n" in pattern:
        rules.append("white-space: pre-line")
    if slot != "center":
        rules.append(f"text-align: {slot}")
    if bold:
        rules.append("font-weight: bold")
    band = fmt.header if box.startswith("top") else fmt.footer
    if band.rule and slot == "center":
        side = "bottom" if box.startswith("top") else "top"
        rules += [f"width: {fmt.text_width:g}pt", f"border-{side}: {_rule(band.rule)}",
                  f"padding-{side}: 2pt"]  # fmt: skip
    return f" @{box} {{ {'; '.join(rules)}; }}"


def _static_bands(fmt: CourtFormat) -> str:
    """Margin boxes for the header and footer when they need nothing from the document."""
    out = ""
    for which, edge in (("header", "top"), ("footer", "bottom")):
        band = getattr(fmt, which)
        if not needs_document(band):
            for slot, pattern in band.slots.items():
                out += _margin_box(fmt, f"{edge}-{slot}", pattern, {})
    return out + _ruler_box(fmt)


def document_stylesheet(fmt: CourtFormat, fields: dict[str, str], where: str) -> str:
    """The margin boxes whose text comes from this document (its fields and title)."""
    every, first = "", ""
    for which, edge in (("header", "top"), ("footer", "bottom")):
        band = getattr(fmt, which)
        if needs_document(band):
            resolve(fmt, which, fields, where)  # a missing field is an error that says what to add
            for slot, pattern in band.slots.items():
                every += _margin_box(fmt, f"{edge}-{slot}", pattern, fields)
    for slot in resolve(fmt, "first_page", fields, where):
        first += _margin_box(fmt, f"top-{slot}", fmt.first_page.slots[slot], fields, bold=True)
    css = f"@page {{{every} }}" if every else ""
    return css + (f"\n@page :first {{{first} }}" if first else "")


def _ruler_page(fmt: CourtFormat) -> str:
    """The page area's left border is the rule beside the numbers; its padding, the gap."""
    if fmt.line_numbers is None:
        return ""
    x, width = fmt.ruler_rule
    style = "double" if fmt.line_numbers.rule == "double" else "solid"
    return (f" margin-left: {x:g}pt; border-left: {width:g}pt {style} black;"
            f" padding-left: {fmt.line_numbers.gap:g}pt;")  # fmt: skip


def _ruler_box(fmt: CourtFormat) -> str:
    """The line numbers: one margin box, its lines at the body's exact line height, so each
    number shares its baseline with a line of text."""
    ruler = fmt.line_numbers
    if ruler is None:
        return ""
    numbers = "\\A ".join(str(n) for n in range(1, ruler.count + 1))
    body = fmt.styles["body"]
    return (f' @left-top {{ content: "{numbers}"; white-space: pre; text-align: right;'
            f" vertical-align: top; font-family: {_families(fmt)}; font-size: {body.size}pt;"
            f" line-height: {ruler.pitch:g}pt; padding-right: {ruler.gap:g}pt; }}")  # fmt: skip


def _ruled_tables(fmt: CourtFormat) -> list[str]:
    """On ruled paper a table's rows are whole lines: a grid's rule width comes off the text."""
    if fmt.line_numbers is None:
        return []
    line = fmt.styles["table"].line - GRID_RULE
    return [
        # A centred case number would fall between the numbered lines.
        "table.caption td.number { vertical-align: top; }",
        "table.grid td, table.grid th { padding: 0 4pt; }",
        "table.grid td, table.grid th, table.grid td p, table.grid th p"
        f" {{ line-height: {line:g}pt; }}",
        f"table.grid {{ margin-bottom: {fmt.table_after - GRID_RULE:g}pt; }}",
    ]


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

        self.fmt = fmt
        self.font_config = FontConfiguration()
        # Documents hold no images or links: nothing is ever fetched, from anywhere.
        self.fetcher = URLFetcher(allowed_protocols=())
        self.css = CSS(string=stylesheet(fmt), font_config=self.font_config,
                       url_fetcher=self.fetcher)  # fmt: skip

    def render(self, html: str, where: str = "document", *, variant: str | None = None,
               tags: bool | None = None) -> tuple[bytes, int]:  # fmt: skip
        """The PDF's bytes and its page count.

        `variant` is one of WeasyPrint's PDF variants (`pdf/a-2b`, `pdf/ua-1`, …) and `tags`
        asks for a tagged PDF; the court format's name and the document's fields are kept in the
        PDF's document information (FilingsFormat, FilingsFields) for `filings.check`.
        """
        from weasyprint import CSS, HTML

        if variant is not None and variant not in VARIANTS:
            raise RenderError(f"{where}: no PDF variant {variant!r}; the variants are: "
                              f"{', '.join(VARIANTS)}")  # fmt: skip
        fields = document_fields(lxml.html.document_fromstring(html))
        own = document_stylesheet(self.fmt, fields, where)
        sheets = [self.css]
        if own:
            sheets.append(CSS(string=own, font_config=self.font_config, url_fetcher=self.fetcher))
        options = {"pdf_variant": variant} if variant else {}
        if tags is not None:
            options["pdf_tags"] = tags
        with _weasyprint_warnings_are_errors(where), warnings.catch_warnings():
            # WeasyPrint 70 leaves the sRGB profile of a PDF/A file open until the document goes.
            warnings.simplefilter("ignore", ResourceWarning)
            document = HTML(string=html, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config
            )
            document.metadata.custom = properties(self.fmt, fields)
            data = document.write_pdf(pdf_identifier=b"filings", uncompressed_pdf=False,
                                      custom_metadata=True, **options)  # fmt: skip
            pages = len(document.pages)
            del document
        return data, pages


VARIANTS = ("pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u", "pdf/ua-1",
            "pdf/ua-2")  # fmt: skip


def renderer(format_name: str, search: Sequence[Path | str] = ()) -> PdfRenderer:
    """One renderer per court format per process; `search` as for `load_format`."""
    return _renderer(format_name, tuple(Path(p) for p in search))


@cache
def _renderer(format_name: str, search: tuple[Path, ...]) -> PdfRenderer:
    return PdfRenderer(load_format(format_name, search))
