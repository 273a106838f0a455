"""HTML + court format -> DOCX, by walking the same HTML the PDF is made from.

Only the documented vocabulary is accepted (see README, "Template vocabulary"); anything else is a
TemplateError, so the DOCX can never silently drop what the PDF shows. Each element takes the same
role, and so the same style of the court format, as the CSS in `filings.pdf` gives it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field

import lxml.html
from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

from filings.errors import TemplateError
from filings.formats import CourtFormat, Style

# Role -> the Word style that carries it. Word's own names where Word has one, so the attorney's
# navigation pane and style gallery work as usual.
STYLE_NAMES = {
    "body": "Body Text",
    "compact": "Normal",
    "quote": "Quote",
    "table": "Table Text",
    "list": "List Paragraph",
    "title": "Title",
    "heading": "Heading 1",
    "subheading": "Heading 2",
    "footer": "Footer",
}
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER,
         "right": WD_ALIGN_PARAGRAPH.RIGHT, "justify": WD_ALIGN_PARAGRAPH.JUSTIFY}  # fmt: skip
BLOCK_CLASSES = {"center", "right", "noindent", "single", "indent"}
INLINE_TAGS = {"b", "strong", "i", "em", "u", "span", "br"}
CONTAINERS = {"section", "div", "body"}
SPACE = re.compile(r"[ \t\n\r\f]+")  # HTML white space; never the no-break space


@dataclass
class Segment:
    """A piece of a paragraph's text with its inline formatting; text '\n' is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    underline: bool = False
    small_caps: bool = False


@dataclass
class _Context:
    """What the enclosing elements say about the paragraphs inside them."""

    role: str | None = None
    extra_left: float = 0
    keep_together: bool = False
    classes: set[str] = field(default_factory=set)


def render_docx(html: str, fmt: CourtFormat, *, title: str, author: str, lang: str,
                date: dt.date, where: str = "document") -> bytes:  # fmt: skip
    """Build the DOCX for one rendered document; the same inputs give the same bytes."""
    doc = Document()
    _page_setup(doc, fmt)
    _define_styles(doc, fmt, lang)
    _footer(doc, fmt)
    walker = _Walker(doc, fmt, where)
    body = lxml.html.document_fromstring(html).find("body")
    walker.blocks(body, _Context())
    if walker.pending_break:
        raise TemplateError(f"{where}: a page break ends the document")
    _core_properties(doc, title, author, date)
    return _reproducible_zip(doc, date)


# Child order inside Word's property elements, which Word (unlike LibreOffice) enforces.
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
TCPR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark"
).split()


def _put(parent, name: str, order: list[str]):
    """The child `w:name` of parent, created in its schema position if missing."""
    existing = parent.find(qn(f"w:{name}"))
    if existing is not None:
        return existing
    child = OxmlElement(f"w:{name}")
    rank = order.index(name)
    for i, sibling in enumerate(parent):
        tag = etree.QName(sibling).localname
        if tag in order and order.index(tag) > rank:
            parent.insert(i, child)
            return child
    parent.append(child)
    return child


# --- page, styles, footer ----------------------------------------------------------------------


def _page_setup(doc, fmt: CourtFormat) -> None:
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Pt(fmt.width), Pt(fmt.height)
    top, right, bottom, left = fmt.margins
    section.top_margin, section.right_margin = Pt(top), Pt(right)
    section.bottom_margin, section.left_margin = Pt(bottom), Pt(left)
    footer = fmt.styles["footer"]
    # WeasyPrint centres the footer line in the bottom margin; Word measures from the page edge.
    section.footer_distance = Pt(max(bottom / 2 - footer.line / 2, 0))
    section.header_distance = Pt(top / 2)


def _set_fonts(rpr, fmt: CourtFormat, size: float, lang: str | None = None) -> None:
    fonts = _put(rpr, "rFonts", RPR_ORDER)
    for attr in list(fonts.attrib):
        del fonts.attrib[attr]  # drop theme fonts, which would override the names
    for slot, family in (
        ("ascii", fmt.font.family),
        ("hAnsi", fmt.font.family),
        ("cs", fmt.font.complex_script),
        ("eastAsia", fmt.font.east_asian),
    ):
        fonts.set(qn(f"w:{slot}"), family)
    for tag in ("sz", "szCs"):
        _put(rpr, tag, RPR_ORDER).set(qn("w:val"), str(round(size * 2)))
    if lang:
        _put(rpr, "lang", RPR_ORDER).set(qn("w:val"), lang)


def _complex_script(rpr, bold: bool, italic: bool) -> None:
    """Bold and italic for Arabic and other complex scripts, which Word styles separately."""
    for name, on in (("bCs", bold), ("iCs", italic)):
        if on:
            _put(rpr, name, RPR_ORDER)
        elif (el := rpr.find(qn(f"w:{name}"))) is not None:
            rpr.remove(el)


def _apply(style, st: Style, fmt: CourtFormat, lang: str | None = None) -> None:
    font = style.font
    font.bold, font.italic = st.bold, st.italic
    _complex_script(style.element.get_or_add_rPr(), st.bold, st.italic)
    font.color.rgb = None
    _set_fonts(style.element.get_or_add_rPr(), fmt, st.size, lang)
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


def _define_styles(doc, fmt: CourtFormat, lang: str) -> None:
    from docx.enum.style import WD_STYLE_TYPE

    styles = doc.styles
    # docDefaults carry the fonts too, so text outside any paragraph style still matches.
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(rpr, fmt, fmt.styles["compact"].size, lang)
    for role, name in STYLE_NAMES.items():
        try:
            style = styles[name]
        except KeyError:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"]
        _apply(style, fmt.styles[role], fmt, lang if role == "compact" else None)
        if name == "Title":  # Word's Title draws a rule under itself; ours is plain text
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) whose cached result LibreOffice and Word recompute."""

    def char(kind: str):
        run = paragraph.add_run()
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        run._r.append(el)

    char("begin")
    run = paragraph.add_run()
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run._r.append(instr)
    char("separate")
    paragraph.add_run(shown)
    char("end")


def _footer(doc, fmt: CourtFormat) -> None:
    paragraph = doc.sections[0].footer.paragraphs[0]
    paragraph.style = doc.styles["Footer"]
    for piece in re.split(r"(\{page\}|\{pages\})", fmt.footer):
        if piece == "{page}":
            _field(paragraph, "PAGE", "1")
        elif piece == "{pages}":
            _field(paragraph, "NUMPAGES", "1")
        elif piece:
            paragraph.add_run(piece)


# --- the walk ----------------------------------------------------------------------------------


class _Walker:
    def __init__(self, doc, fmt: CourtFormat, where: str) -> None:
        self.doc = doc
        self.fmt = fmt
        self.where = where
        self.pending_break = False
        top, right, bottom, left = fmt.margins
        self.text_width = fmt.width - left - right

    def fail(self, el, message: str):
        raise TemplateError(f"{self.where}: line {el.sourceline} of the rendered HTML: {message}")

    def classes(self, el, allowed: set[str]) -> set[str]:
        classes = set((el.get("class") or "").split())
        if unknown := classes - allowed:
            self.fail(
                el, f'<{el.tag} class="{" ".join(sorted(unknown))}"> is not in the vocabulary'
            )
        return classes

    # Blocks

    def blocks(self, parent, ctx: _Context, container=None) -> None:
        """Walk the block children of a container element."""
        if (parent.text or "").strip():
            self.fail(parent, f"text {parent.text.strip()[:30]!r} outside a paragraph")
        for el in parent:
            if not isinstance(el.tag, str):  # comments, processing instructions
                pass
            else:
                self.block(el, ctx, container)
            if (el.tail or "").strip():
                self.fail(el, f"text {el.tail.strip()[:30]!r} outside a paragraph")

    def block(self, el, ctx: _Context, container) -> None:
        tag = el.tag
        target = container if container is not None else self.doc
        if tag in ("h1", "h2", "h3"):
            classes = self.classes(el, {"center", "right"})
            role = {"h1": "title", "h2": "heading", "h3": "subheading"}[tag]
            self.paragraph(target, el, role, ctx, classes)
        elif tag == "p":
            classes = self.classes(el, BLOCK_CLASSES)
            role = ctx.role or ("compact" if "single" in classes else "body")
            self.paragraph(target, el, role, ctx, classes)
        elif tag in ("ol", "ul"):
            self.classes(el, set())
            self.list(target, el, ctx)
        elif tag == "table":
            if container is not None:
                self.fail(el, "a table inside a table")
            self.table(el, self.classes(el, {"grid", "caption"}))
        elif tag == "blockquote":
            self.classes(el, set())
            self.blocks(el, _Context("quote", ctx.extra_left, ctx.keep_together), container)
        elif tag == "div" and "page-break" in (el.get("class") or "").split():
            self.classes(el, {"page-break"})
            if len(el) or (el.text or "").strip():
                self.fail(el, "a page break holds nothing")
            self.pending_break = True
        elif tag == "div" and "signature" in (el.get("class") or "").split():
            self.classes(el, {"signature"})
            inner = _Context("compact", ctx.extra_left + self.text_width / 2, keep_together=True)
            self.blocks(el, inner, container)
            self.end_keep_together(target)
        elif tag in CONTAINERS:
            self.classes(el, set())
            self.blocks(el, ctx, container)
        else:
            self.fail(el, f"<{tag}> is not in the vocabulary")

    def paragraph(self, target, el, role: str, ctx: _Context, classes: set[str], prefix: str = ""):
        segments = self.inline(el)
        if not any(s.text.strip() or s.text == "\xa0" for s in segments):
            self.fail(el, f"an empty <{el.tag}>; write <p>&nbsp;</p> for a deliberate blank line")
        paragraph = target.add_paragraph(style=self.doc.styles[STYLE_NAMES[role]])
        self.format_paragraph(paragraph, role, ctx, classes)
        if prefix:
            paragraph.add_run(prefix)
        for seg in segments:
            run = paragraph.add_run()
            if seg.text == "\n":
                run.add_break()
                continue
            run.text = seg.text
            run.bold = seg.bold or None
            run.italic = seg.italic or None
            _complex_script(run._r.get_or_add_rPr(), seg.bold, seg.italic)
            run.underline = seg.underline or None
            run.font.small_caps = seg.small_caps or None
        return paragraph

    def format_paragraph(self, paragraph, role: str, ctx: _Context, classes: set[str]) -> None:
        pf = paragraph.paragraph_format
        style = self.fmt.styles[role]
        extra = ctx.extra_left + (36 if "indent" in classes else 0)
        if extra:
            pf.left_indent = Pt(style.left_indent + style.hanging + extra)
        if classes & {"center", "right", "noindent"}:
            pf.first_line_indent = Pt(0)
        for name in ("center", "right"):
            if name in classes:
                pf.alignment = ALIGN[name]
        if ctx.keep_together:
            pf.keep_with_next = True
        if self.pending_break:
            pf.page_break_before = True
            self.pending_break = False

    def end_keep_together(self, target) -> None:
        """A kept-together block's last paragraph does not keep with what follows."""
        paragraphs = target.paragraphs if hasattr(target, "paragraphs") else []
        if paragraphs:
            paragraphs[-1].paragraph_format.keep_with_next = None

    def list(self, target, el, ctx: _Context) -> None:
        for number, item in enumerate(el, start=1):
            if not isinstance(item.tag, str):
                continue
            if item.tag != "li":
                self.fail(item, f"<{item.tag}> inside a list; a list holds <li> only")
            self.classes(item, set())
            marker = f"{number}." if el.tag == "ol" else "\u2022"
            paragraph = self.paragraph(target, item, "list", ctx, set(), prefix=f"{marker}\t")
            style = self.fmt.styles["list"]
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Pt(style.left_indent + style.hanging + ctx.extra_left), WD_TAB_ALIGNMENT.LEFT
            )

    def table(self, el, classes: set[str]) -> None:
        rows = [r for r in el.iter("tr")]
        for part in el:
            if isinstance(part.tag, str) and part.tag not in ("thead", "tbody", "tr"):
                self.fail(part, f"<{part.tag}> inside a table")
        if not rows:
            self.fail(el, "a table with no rows")
        cells = [[c for c in row if isinstance(c.tag, str)] for row in rows]
        width = max(len(r) for r in cells)
        table = self.doc.add_table(rows=len(rows), cols=width)
        if "grid" in classes:
            table.style = self.doc.styles["Table Grid"]
        _table_layout(table, self.text_width, "caption" in classes)
        header_rows = {id(r) for r in el.iter("tr") if r.getparent().tag == "thead"}
        for r, (row_el, row_cells) in enumerate(zip(rows, cells, strict=True)):
            if id(row_el) in header_rows:
                _repeat_header(table.rows[r])
            for c, cell_el in enumerate(row_cells):
                self.cell(table.cell(r, c), cell_el, classes)
                if "grid" in classes and r < len(rows) - 1:
                    # Word keeps a table together by keeping each row with the next.
                    for paragraph in table.cell(r, c).paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        if self.pending_break:
            self.fail(el, "a page break right before a table; put a heading or paragraph first")
        # CSS gives every table 12pt below it; Word has no table spacing, so a spacer line does it.
        spacer = self.doc.add_paragraph(style=self.doc.styles["Normal"])
        spacer.paragraph_format.line_spacing = Pt(12)

    def cell(self, cell, el, table_classes: set[str]) -> None:
        if el.tag not in ("td", "th"):
            self.fail(el, f"<{el.tag}> inside a table row")
        classes = self.classes(el, {"parties", "number"} if "caption" in table_classes else set())
        bold = el.tag == "th"
        first = cell.paragraphs[0]
        has_blocks = any(isinstance(c.tag, str) and c.tag not in INLINE_TAGS for c in el)
        ctx = _Context("table")
        if has_blocks:
            self.blocks(el, ctx, container=cell)
        else:
            self.paragraph(cell, el, "table", ctx, set())
        first._p.getparent().remove(first._p)  # the empty paragraph python-docx starts a cell with
        if bold:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
        if "parties" in classes:
            _cell_border(cell, "right", 6)
            _cell_margins(cell, left=0, right=12)
        if "number" in classes:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            _cell_margins(cell, left=18, right=0)

    # Inline

    def inline(self, el) -> list[Segment]:
        """The element's text as formatted segments, white space collapsed as HTML does."""
        segments: list[Segment] = []
        self._collect(el, Segment(""), segments, top=True)
        return _collapse(segments)

    def _collect(self, el, fmt: Segment, out: list[Segment], top: bool = False) -> None:
        if not top:
            tag = el.tag
            if tag not in INLINE_TAGS:
                self.fail(el, f"<{tag}> inside a paragraph; only b, i, u, span and br may be")
            classes = self.classes(el, {"smallcaps"} if tag == "span" else set())
            if tag == "br":
                out.append(Segment("\n"))
                return
            fmt = Segment(
                "",
                bold=fmt.bold or tag in ("b", "strong"),
                italic=fmt.italic or tag in ("i", "em"),
                underline=fmt.underline or tag == "u",
                small_caps=fmt.small_caps or "smallcaps" in classes,
            )
        if el.text:
            out.append(_with(fmt, el.text))
        for child in el:
            if isinstance(child.tag, str):
                self._collect(child, fmt, out)
            if child.tail:  # a child's tail has this element's formatting, not the child's
                out.append(_with(fmt, child.tail))


def _with(fmt: Segment, text: str) -> Segment:
    return Segment(text, fmt.bold, fmt.italic, fmt.underline, fmt.small_caps)


def _collapse(segments: list[Segment]) -> list[Segment]:
    """HTML white space rules: runs of spaces become one, none at a line's start or end."""
    out: list[Segment] = []
    at_line_start = True
    for seg in segments:
        if seg.text == "\n":
            if out and out[-1].text.endswith(" "):
                out[-1].text = out[-1].text[:-1]
            out.append(seg)
            at_line_start = True
            continue
        text = SPACE.sub(" ", seg.text)
        if at_line_start or (out and out[-1].text.endswith(" ")):
            text = text.lstrip(" ")
        if text:
            out.append(Segment(text, seg.bold, seg.italic, seg.underline, seg.small_caps))
            at_line_start = False
    if out and out[-1].text != "\n":
        out[-1].text = out[-1].text.rstrip(" ")
    return [s for s in out if s.text]


# --- tables ------------------------------------------------------------------------------------


def _table_layout(table, text_width: float, caption: bool) -> None:
    tbl_pr = table._tbl.tblPr
    width = _put(tbl_pr, "tblW", TBLPR_ORDER)
    width.set(qn("w:w"), "5000")
    width.set(qn("w:type"), "pct")
    margins = _put(tbl_pr, "tblCellMar", TBLPR_ORDER)
    for side in ("left", "right"):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(4 * 20))
        m.set(qn("w:type"), "dxa")
        margins.append(m)
    if caption:
        fractions = [0.55, 0.45]
    else:
        fractions = [1 / len(table.columns)] * len(table.columns)
    for column, fraction in zip(table.columns, fractions, strict=True):
        for cell in column.cells:
            cell.width = Pt(text_width * fraction)


def _repeat_header(row) -> None:
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


def _cell_border(cell, side: str, eighths: int) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    borders = _put(tc_pr, "tcBorders", TCPR_ORDER)
    border = OxmlElement(f"w:{side}")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), str(eighths))
    border.set(qn("w:color"), "000000")
    borders.append(border)


def _cell_margins(cell, left: float, right: float) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    margins = _put(tc_pr, "tcMar", TCPR_ORDER)
    for side, value in (("left", left), ("right", right)):
        m = OxmlElement(f"w:{side}")
        m.set(qn("w:w"), str(round(value * 20)))
        m.set(qn("w:type"), "dxa")
        margins.append(m)


# --- package -----------------------------------------------------------------------------------


def _core_properties(doc, title: str, author: str, date: dt.date) -> None:
    when = dt.datetime(date.year, date.month, date.day, tzinfo=dt.timezone.utc)
    props = doc.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.created = props.modified = when
    props.last_printed = when
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.subject = ""
    props.category = ""


def _reproducible_zip(doc, date: dt.date) -> bytes:
    """Save with every zip entry stamped with the document's date: same inputs, same bytes."""
    raw = io.BytesIO()
    doc.save(raw)
    stamp = (max(date.year, 1980), date.month, date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


__all__ = ["render_docx", "etree"]
