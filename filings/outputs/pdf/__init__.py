"""HTML + court format -> PDF, through WeasyPrint.

WeasyPrint sees the project's font files and no others (`project_fonts`): a fontconfig
configuration that loads nothing from the machine, given the files `filings.glyphs` pins. So the
same inputs give the same pages wherever the project is installed, and a character none of them
has is a `.notdef glyph` warning, which fails the document, never a silent substitute.
"""

from __future__ import annotations

import logging
import os
import tempfile
import warnings
from collections.abc import Sequence
from contextlib import contextmanager
from functools import cache
from pathlib import Path

import lxml.html

from filings import glyphs
from filings.errors import FilingsError
from filings.outputs.formats import CourtFormat, Style, load_format
from filings.outputs.formats.bands import (
    Counter,
    Line,
    document_fields,
    fill,
    needs_document,
    properties,
    resolve,
)
from filings.templating import vocabulary

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
        # `start`: the left edge, or the right in a right-to-left block (as Word's `left` is).
        f"text-align: {'start' if style.align == 'left' else style.align}",
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
        *_language_fonts(fmt),
        "body { margin: 0; }",
        # Right-to-left blocks (dir="rtl"); WeasyPrint's own stylesheet leaves `direction` alone.
        "[dir=rtl] { direction: rtl; } [dir=ltr] { direction: ltr; }",
        "h1, h2, h3 { break-after: avoid; }",
        "ol, ul { margin: 0; padding: 0; list-style: none; }",
        "ol { counter-reset: item; } ol > li { counter-increment: item; }",
        f'ol > li::before {{ content: counter(item) "."; display: inline-block;'
        f" width: {list_style.hanging}pt; text-indent: 0; }}",
        f'ul > li::before {{ content: "\\2022"; display: inline-block;'
        f" width: {list_style.hanging}pt; text-indent: 0; }}",
        f"table {{ border-collapse: collapse; width: 100%; margin: 0 0 {fmt.table_after:g}pt 0; }}",
        "td, th { vertical-align: top; padding: 0 4pt; text-align: start; }",
        "table.grid td, table.grid th { border: 0.5pt solid black; padding: 1pt 4pt; }",
        # A count table stays on one page when it fits (the DOCX keeps its rows together too).
        "table.grid { break-inside: avoid; }",
        f"table.caption td.parties {{ width: {fmt.caption.parties_width:g}%;"
        f" border-right: {_rule(fmt.caption.rule)}; padding: 0 12pt 0 0; }}",
        "table.caption td.number { vertical-align: middle; padding: 0 0 0 18pt; }",
        "blockquote { margin: 0; }",
        f".signature {{ margin-left: {half}pt; break-inside: avoid; }}",
        # Two languages side by side: equal columns, a section beside its translation.
        "table.parallel { table-layout: fixed; }",
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
    # Side by side, a language's paragraphs keep the body's look, as in the DOCX; the selector
    # outranks `td p` and no more, so the modifiers below still win.
    css.append(f".parallel p {{ {_declarations(fmt.styles['body'])} }}")
    css += [
        # Modifiers come last and outrank every role selector.
        "th, th p { font-weight: bold; }",
        "body .center { text-align: center; text-indent: 0; }",
        "body .right { text-align: right; text-indent: 0; }",
        "body .noindent { text-indent: 0; }",
        "body p.indent { margin-left: 36pt; }",
    ]
    return "\n".join(css + _ruled_tables(fmt))


def _families(fmt: CourtFormat, lang: str | None = None) -> str:
    return ", ".join(_quote(f) for f in glyphs.chain(font_chain(fmt), lang))


def font_chain(fmt: CourtFormat) -> tuple[str, ...]:
    """The format's families in order; each must be one of the project's fonts."""
    where = fmt.path.name if fmt.path else fmt.name
    names = (fmt.font.family, *fmt.font.fallbacks)
    for name in (*names, fmt.font.complex_script, fmt.font.east_asian):
        glyphs.family(name, f"{where}: font")
    return tuple(dict.fromkeys(names))


def _language_fonts(fmt: CourtFormat) -> list[str]:
    """Chinese in Traditional characters, Japanese and Korean take their own CJK glyphs first:
    the same code points, drawn as each place writes them."""
    chain = font_chain(fmt)
    rules = []
    for family, tags in glyphs.CJK_SELECTORS.items():
        if family in chain:
            selector = ", ".join(f":lang({tag})" for tag in tags)
            rules.append(f"{selector} {{ font-family: {_families(fmt, tags[0])}; }}")
    return rules


def _rule(width: float) -> str:
    return f"{width:g}pt solid black" if width else "none"


# --- the page margins: header, footer, first-page labels, line numbers -------------------------

GRID_RULE = 0.5  # the lines of a `table.grid`


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _content(lines: list[Line]) -> str:
    """Filled band lines as a CSS `content` value: text, and counter(page) for page numbers."""
    return ' "\\A " '.join(
        " ".join(f"counter({p.name})" if isinstance(p, Counter) else _css_string(p) for p in line)
        or '""'
        for line in lines
    )


def _margin_box(fmt: CourtFormat, box: str, pattern: str, fields: dict, bold: bool = False) -> str:
    style = fmt.styles["footer"]
    slot = box.split("-")[1]
    rules = [f"content: {_content(fill(pattern, fields))}", f"font-family: {_families(fmt)}",
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


_EMPTY_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><!-- none of the machine's fonts: the project's are added one by one --></fontconfig>
"""


@cache
def project_fonts():
    """WeasyPrint's font configuration holding the project's font files and nothing else.

    fontconfig reads the configuration file FONTCONFIG_FILE names when WeasyPrint sets up; an
    empty one loads no fonts, no aliases and no rendering preferences of the machine's, and
    then each of the project's files is added. One per process, shared by every renderer."""
    from weasyprint.text.ffi import ffi, fontconfig, pangoft2
    from weasyprint.text.fonts import FontConfiguration

    files = glyphs.font_files()  # every file there, or a FontError saying what to install
    with tempfile.TemporaryDirectory(prefix="filings-fonts-") as folder:
        conf = os.path.join(folder, "fonts.conf")
        with open(conf, "w", encoding="utf-8") as stream:
            stream.write(_EMPTY_FONTCONFIG)
        before = os.environ.get("FONTCONFIG_FILE")
        os.environ["FONTCONFIG_FILE"] = conf
        try:
            config = FontConfiguration()
        finally:
            if before is None:
                del os.environ["FONTCONFIG_FILE"]
            else:
                os.environ["FONTCONFIG_FILE"] = before
    for path in files:
        if not fontconfig.FcConfigAppFontAddFile(config._config, str(path).encode()):
            raise glyphs.FontError(f"font file {path} could not be read")
    pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", config.font_map))
    return config


# Unicode's isolates: WeasyPrint lays out a line's bidirectional text with Pango but does not
# implement `unicode-bidi`, so an inline element's `dir` becomes these invisible characters.
_ISOLATES = {"rtl": "\u2067", "ltr": "\u2066"}
_POP_ISOLATE = "\u2069"
_INLINE = {"span", "b", "strong", "i", "em", "u", "ins", "del"}


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
    from weasyprint import CSS, HTML
    from weasyprint.html import UA_COUNTER_STYLE

    css = Path(vocabulary.__file__).with_name("vocabulary.css")
    sheet = CSS(string=css.read_text(encoding="utf-8"),
                counter_style=UA_COUNTER_STYLE)  # fmt: skip

    class VocabularyHTML(HTML):
        def _ua_stylesheets(self, forms: bool = False) -> list:
            return [sheet]

    return VocabularyHTML


class PdfRenderer:
    """Renders documents of one court format; set up once, reused for every document."""

    def __init__(self, fmt: CourtFormat) -> None:
        from weasyprint.urls import URLFetcher

        self.fmt = fmt
        self.font_config = project_fonts()
        # Documents hold no images or links: nothing is ever fetched, from anywhere.
        self.fetcher = URLFetcher(allowed_protocols=())
        self._css = {}  # parsed stylesheets, by the bands they print (a translation's own)

    def _stylesheet(self, fmt: CourtFormat):
        """The format's parsed stylesheet, `fmt` being this renderer's in some language."""
        from weasyprint import CSS

        key = (fmt.header, fmt.footer, fmt.first_page)
        if key not in self._css:
            self._css[key] = CSS(string=stylesheet(fmt), font_config=self.font_config,
                                 url_fetcher=self.fetcher)  # fmt: skip
        return self._css[key]

    def render(self, html: str, where: str = "document", *, variant: str | None = None,
               tags: bool | None = None, weasyprint_stylesheet: bool = False,
               ) -> tuple[bytes, int]:  # fmt: skip
        """The PDF's bytes and its page count.

        `variant` is one of WeasyPrint's PDF variants (`pdf/a-2b`, `pdf/ua-1`, …) and `tags`
        asks for a tagged PDF; the court format's name and the document's fields are kept in the
        PDF's document information (FilingsFormat, FilingsFields) for `filings.check`.
        `weasyprint_stylesheet` lays the document out under WeasyPrint's own user-agent
        stylesheet instead of `vocabulary.css` (for the test that the two agree).
        """
        from weasyprint import CSS, HTML

        layout = HTML if weasyprint_stylesheet else _vocabulary_html()
        if variant is not None and variant not in VARIANTS:
            raise RenderError(f"{where}: no PDF variant {variant!r}; the variants are: "
                              f"{', '.join(VARIANTS)}")  # fmt: skip
        root = lxml.html.document_fromstring(html)
        vocabulary.check(root, where)
        fields = document_fields(root)
        fmt = self.fmt.in_language(root.get("lang"))
        own = document_stylesheet(fmt, fields, where)
        sheets = [self._stylesheet(fmt)]
        if own:
            sheets.append(CSS(string=own, font_config=self.font_config, url_fetcher=self.fetcher))
        options = {"pdf_variant": variant} if variant else {}
        if tags is not None:
            options["pdf_tags"] = tags
        with _weasyprint_warnings_are_errors(where), warnings.catch_warnings():
            # WeasyPrint 70 leaves the sRGB profile of a PDF/A file open until the document goes.
            warnings.simplefilter("ignore", ResourceWarning)
            source = isolate_inline_directions(html)
            document = layout(string=source, url_fetcher=self.fetcher).render(
                stylesheets=sheets, font_config=self.font_config
            )
            document.metadata.custom = properties(self.fmt, fields)
            # The file identifier is the MD5 of the PDF's objects: the same document always gets
            # the same one, and no two documents share one.
            data = document.write_pdf(pdf_identifier=True, uncompressed_pdf=False,
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
