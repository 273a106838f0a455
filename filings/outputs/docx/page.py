"""The DOCX's page from the court format: size and margins, Word styles, header, footer,
first-page labels and the pleading ruler."""

from __future__ import annotations

from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Pt

from filings.outputs.docx.notes import LINK_STYLE, REFERENCE_STYLE
from filings.outputs.docx.ooxml import (
    PPR_ORDER,
    border,
    complex_script,
    field,
    put,
    set_fonts,
    twips,
)
from filings.outputs.formats import SLOTS, CourtFormat, Style
from filings.outputs.formats.bands import Counter, resolve
from filings.outputs.formats.roles import LIST_STYLES, WORD_STYLES

ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}


def _rows(band) -> int:
    return max((p.count("\n") + 1 for p in band.slots.values()), default=0)


def page_setup(doc, fmt: CourtFormat) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Pt(fmt.width), Pt(fmt.height)
    top, right, bottom, left = fmt.margins
    section.top_margin, section.right_margin = Pt(top), Pt(right)
    section.bottom_margin, section.left_margin = Pt(bottom), Pt(left)
    line = fmt.styles["footer"].line
    # WeasyPrint centres the header and footer in their margins; Word measures from the page edge.
    section.footer_distance = Pt(max(bottom / 2 - _rows(fmt.footer) * line / 2, 0))
    rows = max(_rows(fmt.header), _rows(fmt.first_page))
    section.header_distance = Pt(top / 2 - rows * line / 2 if rows else top / 2)


def _apply(style, st: Style, fmt: CourtFormat, lang: str | None = None) -> None:
    font = style.font
    font.bold, font.italic = st.bold, st.italic
    complex_script(style.element.get_or_add_rPr(), st.bold, st.italic)
    font.color.rgb = None
    set_fonts(style.element.get_or_add_rPr(), fmt, st.size, lang)
    pf = style.paragraph_format
    pf.alignment = ALIGN[st.align]
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(st.line)
    pf.space_before, pf.space_after = Pt(0), Pt(st.after)
    pf.left_indent = Pt(st.left_indent + st.hanging)
    pf.right_indent = Pt(st.right_indent)
    pf.first_line_indent = Pt(st.first_indent - st.hanging)
    pf.widow_control = True
    pf.keep_with_next = style.name.startswith(("Heading", "Title"))
    # Word's list styles drop the space between paragraphs of one style; the PDF keeps it.
    ppr = style.element.get_or_add_pPr()
    for contextual in ppr.findall(qn("w:contextualSpacing")):
        ppr.remove(contextual)


def define_styles(doc, fmt: CourtFormat, lang: str) -> None:
    styles = doc.styles
    # docDefaults carry the fonts too, so text outside any paragraph style still matches.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(rpr, fmt, fmt.styles["compact"].size, lang)
    names = [
        *((role, name) for role, name in WORD_STYLES.items()),
        ("header", "Header"),
        *(("list", name) for name in LIST_STYLES.values() if name != WORD_STYLES["list"]),
    ]
    for role, name in names:
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        # The header takes the footer's look; footnotes get Word's own footnote style.
        _apply(
            style,
            fmt.styles["footer" if role == "header" else role],
            fmt,
            lang if role == "compact" else None,
        )
        if name == "Title":  # Word's Title draws a rule under itself; ours is plain text
            ppr = style.element.get_or_add_pPr()
            for rule in ppr.findall(qn("w:pBdr")):
                ppr.remove(rule)
    for name, superscript in ((REFERENCE_STYLE, True), (LINK_STYLE, None)):
        # A footnote's number is raised, as the PDF's call; a link looks like the text around
        # it, as in the PDF (a filing is printed in black).
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        style.font.superscript = superscript


# --- header, footer, first-page labels ---------------------------------------------------------


def bands(doc, fmt: CourtFormat, fields: dict[str, str], where: str) -> None:
    """The header and footer on every page; the first page's labels in a header of its own."""
    section = doc.sections[0]
    header = resolve(fmt, "header", fields, where)
    footer = resolve(fmt, "footer", fields, where)
    labels = resolve(fmt, "first_page", fields, where)
    styles = doc.styles
    _write_band(section.footer, footer, fmt, "footer", styles)
    if header or fmt.line_numbers:
        _write_band(section.header, header, fmt, "header", styles)
        ruler(section.header, fmt)
    if labels:
        section.different_first_page_header_footer = True
        first = {**header, **labels}
        _write_band(section.first_page_header, first, fmt, "header", styles, set(labels))
        ruler(section.first_page_header, fmt)
        _write_band(section.first_page_footer, footer, fmt, "footer", styles)


def _write_band(
    part, slots: dict, fmt: CourtFormat, which: str, styles, bold: set[str] = frozenset()
) -> None:
    """One paragraph per line; slots at the left edge, a centre tab and a right tab."""
    style = styles["Footer" if which == "footer" else "Header"]
    rows = max((len(lines) for lines in slots.values()), default=0)
    centred = set(slots) == {"center"}
    paragraphs = []
    for row in range(max(rows, 1)):
        paragraph = part.paragraphs[0] if row == 0 else part.add_paragraph()
        paragraph.style = style
        paragraphs.append(paragraph)
        if not centred:
            pf = paragraph.paragraph_format
            pf.alignment = WD_ALIGN_PARAGRAPH.LEFT
            pf.tab_stops.add_tab_stop(Pt(fmt.text_width / 2), WD_TAB_ALIGNMENT.CENTER)
            pf.tab_stops.add_tab_stop(Pt(fmt.text_width), WD_TAB_ALIGNMENT.RIGHT)
        for n, slot in enumerate(SLOTS):
            if not centred and n:
                paragraph.add_run("\t")
            lines = slots.get(slot, [])
            if row < len(lines):
                _pieces(paragraph, lines[row], slot in bold)
    band = getattr(fmt, which)
    if band.rule and rows:
        edge = paragraphs[0] if which == "footer" else paragraphs[-1]
        side = "top" if which == "footer" else "bottom"
        border(edge._p.get_or_add_pPr(), side, "single", band.rule, 2)


def _pieces(paragraph, line: list, bold: bool) -> None:
    for piece in line:
        if isinstance(piece, Counter):
            field(paragraph, "PAGE" if piece.name == "page" else "NUMPAGES", "1")
        else:
            run = paragraph.add_run(piece)
            run.bold = bold or None


def ruler(part, fmt: CourtFormat) -> None:
    """Pleading paper's line numbers: a frame anchored in the header, fixed to the page at the
    top margin, one number per line at the body's exact line height, the rule at its right.

    Not Word's line numbering (`w:lnNumType`), which counts the text's lines rather than drawing
    a fixed ruler, and which LibreOffice and Word place differently."""
    numbers = fmt.line_numbers
    if numbers is None:
        return
    x_rule, _ = fmt.ruler_rule
    paragraph = part.add_paragraph()
    part._element.insert(0, paragraph._p)  # before the band's text
    ppr = paragraph._p.get_or_add_pPr()
    frame = put(ppr, "framePr", PPR_ORDER)
    for name, value in (
        ("w", twips(x_rule)),
        ("h", twips(numbers.count * numbers.pitch)),
        ("hRule", "exact"),
        ("wrap", "around"),
        ("hAnchor", "page"),
        ("vAnchor", "page"),
        ("x", "0"),
        ("y", twips(fmt.margins[0])),
    ):
        frame.set(qn(f"w:{name}"), value)
    pf = paragraph.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(numbers.pitch)
    pf.space_before = pf.space_after = Pt(0)
    pf.left_indent = pf.first_line_indent = Pt(0)
    pf.right_indent = Pt(numbers.gap)
    style = "double" if numbers.rule == "double" else "single"
    border(ppr, "right", style, 0.75, numbers.gap)
    run = paragraph.add_run()
    set_fonts(run._r.get_or_add_rPr(), fmt, fmt.styles["body"].size)
    for n in range(1, numbers.count + 1):
        if n > 1:
            run.add_break()
        run.add_text(str(n))
