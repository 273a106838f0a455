"""A Word table laid out as the PDF's CSS lays it out: full width, padded cells, their borders."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from filings.outputs.docx.ooxml import TBLPR_ORDER, TCPR_ORDER, put, twips
from filings.outputs.formats.roles import CELL_PADDING, GRID_PADDING, GRID_RULE


def table_layout(
    table,
    text_width: float,
    caption: float | None,
    grid: bool,
    ruled: bool,
    shares: list[float] | None = None,
) -> None:
    """Full width in fixed columns (the caption's parties column at its share, a long table's
    at the shares its contents give them (`filings.outputs.columns`), others equal, as the
    PDF's `table-layout: fixed`), the grid in the cells' widths, the PDF's padding and rules."""
    tbl_pr = table._tbl.tblPr
    width = put(tbl_pr, "tblW", TBLPR_ORDER)
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    # Word (in this file's compatibility mode) and LibreOffice hang a table's left border into the
    # margin by the cells' left padding; indenting by that padding puts it on the margin, as in CSS.
    indent = put(tbl_pr, "tblInd", TBLPR_ORDER)
    indent.set(qn("w:w"), str(CELL_PADDING * 20))
    indent.set(qn("w:type"), "dxa")
    if grid:
        _grid_borders(put(tbl_pr, "tblBorders", TBLPR_ORDER))
    put(tbl_pr, "tblLayout", TBLPR_ORDER).set(qn("w:type"), "fixed")
    margins = put(tbl_pr, "tblCellMar", TBLPR_ORDER)
    # A grid's cells have the PDF's 1 pt above and below, but on ruled paper, where a row is
    # whole lines.
    vertical = GRID_PADDING if grid and not ruled else 0
    for side, value in (
        ("top", vertical),
        ("left", CELL_PADDING),
        ("bottom", vertical),
        ("right", CELL_PADDING),
    ):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), twips(value))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    if caption:
        fractions = [caption, 1 - caption]
    elif shares:
        fractions = shares
    else:
        fractions = [1 / len(table.columns)] * len(table.columns)
    columns = table._tbl.tblGrid.findall(qn("w:gridCol"))
    for column, col, fraction in zip(table.columns, columns, fractions, strict=True):
        col.set(qn("w:w"), twips(text_width * fraction))
        for cell in column.cells:
            cell.width = Pt(text_width * fraction)


def _grid_borders(borders) -> None:
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "single")
        el.set(qn("w:sz"), str(round(GRID_RULE * 8)))
        el.set(qn("w:space"), "0")
        el.set(qn("w:color"), "000000")
        borders.append(el)


def repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def keep_whole(row) -> None:
    """The row is never split across pages (w:cantSplit, which comes before w:tblHeader)."""
    row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def cell_border(cell, side: str, eighths: int) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = put(tc_pr, "tcBorders", TCPR_ORDER)
    border = OxmlElement(f"w:{side}")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), str(eighths))
    border.set(qn("w:color"), "000000")
    borders.append(border)


def cell_margins(cell, left: float, right: float) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    margins = put(tc_pr, "tcMar", TCPR_ORDER)
    for side, value in (("left", left), ("right", right)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(round(value * 20)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
