"""The PDF's stylesheet from a court format: page, margins' text, ruler, and each role of the
vocabulary (the table in `filings.outputs.formats.roles`)."""

from __future__ import annotations

from filings.outputs.formats import CourtFormat, Style
from filings.outputs.formats.bands import Counter, Line, fill, needs_document, resolve
from filings.outputs.formats.roles import (
    CELL_PADDING,
    ELEMENT_ROLES,
    GRID_PADDING,
    GRID_RULE,
    LIST_LEVELS,
    LIST_SELECTORS,
    separator_height,
)
from filings.outputs.pdf.fonts import families, language_fonts
from filings.outputs.pdf.lines import FALLBACK


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
    family = families(fmt)
    half = (fmt.width - left - right) / 2
    list_style = fmt.styles["list"]
    half_separator = (separator_height(fmt) - 0.5) / 2
    css = [
        f"@page {{ size: {fmt.width}pt {fmt.height}pt;"
        f" margin: {top}pt {right}pt {bottom}pt {left}pt;{_ruler_page(fmt)}"
        f"{_static_bands(fmt)} }}",
        f"html {{ font-family: {family}; color: black; }}",
        *language_fonts(fmt),
        "body { margin: 0; }",
        # Right-to-left blocks (dir="rtl"); WeasyPrint's own stylesheet leaves `direction` alone.
        "[dir=rtl] { direction: rtl; } [dir=ltr] { direction: ltr; }",
        "h1, h2, h3 { break-after: avoid; }",
        "ol, ul { margin: 0; padding: 0; list-style: none; }",
        "ol { counter-reset: item; } ol > li { counter-increment: item; }",
        *_list_markers(list_style),
        f"table {{ border-collapse: collapse; width: 100%; margin: 0 0 {fmt.table_after:g}pt 0; }}",
        f"td, th {{ vertical-align: top; padding: 0 {CELL_PADDING}pt; text-align: start; }}",
        f"table.grid td, table.grid th {{ border: {GRID_RULE}pt solid black;"
        f" padding: {GRID_PADDING}pt {CELL_PADDING}pt; }}",
        # A count table stays on one page when it fits (the DOCX keeps its rows together too).
        # Its columns are equal, as in the DOCX's grid: Word does not lay out by content.
        "table.grid { break-inside: avoid; table-layout: fixed; }",
        # A long listing (an exhibit of hundreds of rows) runs on from page to page instead, its
        # columns sized by their contents (`filings.outputs.columns`, as `<col>` widths): equal
        # columns would push an A-number into the next cell. The DOCX's grid has the same widths.
        "table.grid.long { break-inside: auto; table-layout: fixed; }",
        # vocabulary.css, our user-agent stylesheet, knows no columns: these are the sizes above.
        "colgroup { display: table-column-group; } col { display: table-column; }",
        "table.grid.long tr { break-inside: avoid; }",  # a person's row is read whole
        f"table.caption td.parties {{ width: {fmt.caption.parties_width:g}%;"
        f" border-right: {_rule(fmt.caption.rule)}; padding: 0 12pt 0 0; }}",
        "table.caption td.number { vertical-align: middle; padding: 0 0 0 18pt; }",
        "blockquote { margin: 0; }",
        # A signature block is never alone at the top of a page: it stays whole and with the end
        # of the text before it (WeasyPrint carries the last lines of that text over with it).
        f".signature {{ margin-left: {half}pt; break-inside: avoid; break-before: avoid; }}",
        # Two languages side by side: equal columns, a section beside its translation.
        "table.parallel { table-layout: fixed; }",
        ".page-break { break-before: page; }",
        "b, strong { font-weight: bold; } i, em { font-style: italic; }",
        # Text in a fallback font keeps the line's exact pitch (`filings.outputs.pdf.lines`).
        f".{FALLBACK} {{ line-height: 0; }}",
        # A footnote: its call raised in the text, its number raised before its text at the
        # foot of the page under a rule, as Word's footnotes are.
        ".footnote { float: footnote; list-style-position: inside; }",
        # Raised numbers take no height of their own: lines keep the format's exact pitch, as
        # Word's exact line spacing keeps them.
        "::footnote-call { font-size: 67%; line-height: 0; }",
        '.footnote::footnote-marker { content: counter(footnote) " "; vertical-align: super;'
        " font-size: 67%; line-height: 0; }",
        # A rule over the notes, in the middle of a line as Word's separator (which is the same
        # rule, 2 inches long).
        f"@page {{ @footnote {{ margin-top: {half_separator:g}pt;"
        f" padding-top: {half_separator:g}pt; border-top: 0.5pt solid black; }} }}",
        # A link prints as the text around it (the PDF's link is live all the same).
        "a { color: inherit; text-decoration: none; }",
        ".smallcaps { font-variant: small-caps; }",
        # A redline's changes (filings diff): insertions underlined, deletions struck.
        "ins { text-decoration: underline; color: #1f4e9c; }",
        "del { text-decoration: line-through; color: #b00020; }",
    ]
    css += [
        f"{selectors} {{ {_declarations(fmt.styles[role])} }}" for selectors, role in ELEMENT_ROLES
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


def _list_markers(style: Style) -> list[str]:
    """Each level's number (`LIST_LEVELS`, as Word's numbering has them) hanging in the indent;
    an item's lists start one hanging indent in from its text, and the space after a paragraph
    of the list style comes between an item's text and its list, as in Word."""
    box = f"display: inline-block; width: {style.hanging}pt; text-indent: 0;"
    css = [
        f"li li {{ margin-left: {style.hanging}pt; }}",
        f"li > ol, li > ul {{ margin-top: {style.after}pt; }}",
    ]
    for kind, levels in LIST_LEVELS.items():
        for depth, (_, label, counter) in enumerate(levels):
            content = _css_string(label)
            if counter:
                before, _, after = label.partition("{}")
                count = "counter(item)" if counter == "decimal" else f"counter(item, {counter})"
                pieces = [_css_string(before) if before else "", count, _css_string(after)]
                content = " ".join(p for p in pieces if p)
            if kind == "outline":  # its own levels, wherever it is: more specific than li ol
                selector = LIST_SELECTORS[kind] + " > li > ol" * depth + " > li::before"
            else:
                selector = "li " * depth + f"{kind} > li::before"
            css.append(f"{selector} {{ content: {content}; {box} }}")
    return css


def _rule(width: float) -> str:
    return f"{width:g}pt solid black" if width else "none"


# --- the page margins: header, footer, first-page labels, line numbers -------------------------


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
    rules = [
        f"content: {_content(fill(pattern, fields))}",
        f"font-family: {families(fmt)}",
        f"font-size: {style.size}pt",
        f"line-height: {style.line}pt",
    ]
    if "\n" in pattern:
        rules.append("white-space: pre-line")
    if slot != "center":
        rules.append(f"text-align: {slot}")
    if bold:
        rules.append("font-weight: bold")
    band = fmt.header if box.startswith("top") else fmt.footer
    if band.rule and slot == "center":
        side = "bottom" if box.startswith("top") else "top"
        rules += [
            f"width: {fmt.text_width:g}pt",
            f"border-{side}: {_rule(band.rule)}",
            f"padding-{side}: 2pt",
        ]
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
    return (
        f" margin-left: {x:g}pt; border-left: {width:g}pt {style} black;"
        f" padding-left: {fmt.line_numbers.gap:g}pt;"
    )


def _ruler_box(fmt: CourtFormat) -> str:
    """The line numbers: one margin box, its lines at the body's exact line height, so each
    number shares its baseline with a line of text."""
    ruler = fmt.line_numbers
    if ruler is None:
        return ""
    numbers = "\\A ".join(str(n) for n in range(1, ruler.count + 1))
    body = fmt.styles["body"]
    return (
        f' @left-top {{ content: "{numbers}"; white-space: pre; text-align: right;'
        f" vertical-align: top; font-family: {families(fmt)}; font-size: {body.size}pt;"
        f" line-height: {ruler.pitch:g}pt; padding-right: {ruler.gap:g}pt; }}"
    )


def _ruled_tables(fmt: CourtFormat) -> list[str]:
    """On ruled paper a table's rows are whole lines: a grid's rule width comes off the text."""
    if fmt.line_numbers is None:
        return []
    line = fmt.styles["table"].line - GRID_RULE
    return [
        # A centred case number would fall between the numbered lines.
        "table.caption td.number { vertical-align: top; }",
        f"table.grid td, table.grid th {{ padding: 0 {CELL_PADDING}pt; }}",
        "table.grid td, table.grid th, table.grid td p, table.grid th p"
        f" {{ line-height: {line:g}pt; }}",
        f"table.grid {{ margin-bottom: {fmt.table_after - GRID_RULE:g}pt; }}",
    ]
