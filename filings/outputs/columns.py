"""A long table's column widths, from its contents, the same in every output.

A count table has equal columns in both outputs. A long listing (`table.grid.long`, such as an
exhibit of hundreds of people) cannot: at equal widths an A-number, which has no break
opportunity, runs into the next cell. Its columns are sized here instead, as CSS's automatic
table layout sizes them (each column between its longest word and its longest line, the space
left shared out by how much more each would take), from the project's own font metrics. The PDF
gets the shares as `<col>` widths under a fixed layout, the DOCX as its grid, so both break the
same lines and take the same pages; no renderer sizes the columns by itself.
"""

from __future__ import annotations

import lxml.html
from lxml import etree

from filings.glyphs.fonts import advances
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.roles import CELL_PADDING, GRID_RULE

LONG = ("grid", "long")  # the classes of a table sized here


def is_long(classes: set[str] | frozenset[str]) -> bool:
    return all(c in classes for c in LONG)


def long_tables(root) -> list:
    """The document's tables sized by their contents."""
    return [t for t in root.iter("table") if is_long(set((t.get("class") or "").split()))]


def with_column_widths(html: str, fmt: CourtFormat) -> str:
    """The HTML with each long table's shares as `<col>` widths (for the PDF and HTML outputs)."""
    if "long" not in html:
        return html
    root = lxml.html.document_fromstring(html)
    tables = long_tables(root)
    if not tables:
        return html
    size_columns(tables, fmt)
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def size_columns(tables: list, fmt: CourtFormat) -> None:
    """Give each table a `<colgroup>` of its shares, in place."""
    for table in tables:
        group = etree.Element("colgroup")
        for share in shares(table, fmt):
            etree.SubElement(group, "col", style=f"width: {share * 100:.4f}%")
        table.insert(0, group)


def shares(table, fmt: CourtFormat) -> list[float]:
    """Each column's share of the table's width (they add up to 1)."""
    rows = [[c for c in row if isinstance(c.tag, str)] for row in table.iter("tr")]
    count = max((len(r) for r in rows), default=0)
    lows, highs = [0.0] * count, [0.0] * count
    size = fmt.styles["table"].size
    edge = 2 * CELL_PADDING + GRID_RULE
    for row in rows:
        for i, cell in enumerate(row):
            text = " ".join(cell.text_content().split())
            bold = cell.tag == "th"
            words = text.split(" ") if text else [""]
            lows[i] = max(
                lows[i], max(_width(w, fmt.font.family, size, bold) for w in words) + edge
            )
            highs[i] = max(highs[i], _width(text, fmt.font.family, size, bold) + edge)
    return _distribute(lows, highs, fmt.text_width)


def _distribute(lows: list[float], highs: list[float], width: float) -> list[float]:
    """CSS's automatic layout, in short: every column at its widest line if that fits, the space
    left shared in proportion; else each at its longest word, plus a share of what is left in
    proportion to how much more it would take; else (no room even for that) in proportion."""
    if not lows:
        return []
    if sum(highs) <= width:
        widths = [h + (width - sum(highs)) * h / sum(highs) for h in highs]
    elif sum(lows) <= width:
        more = [h - lo for lo, h in zip(lows, highs, strict=True)]
        widths = [
            lo + (width - sum(lows)) * m / sum(more) for lo, m in zip(lows, more, strict=True)
        ]
    else:
        widths = [lo * width / sum(lows) for lo in lows]
    return [w / width for w in widths]


def _width(text: str, name: str, size: float, bold: bool) -> float:
    """The text's advance width in points, set in the family's regular or bold face (a
    character the face lacks counts half an em: a fallback font draws it)."""
    widths, em = advances(name, "Bold" if bold else "Regular")
    half = em // 2
    return sum(widths.get(ord(c), half) for c in text) * size / em
