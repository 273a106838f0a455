"""The walk of the rendered HTML into Word paragraphs, lists and tables.

Each element takes the role, and so the Word style, that `filings.outputs.formats.roles` gives it,
as the PDF's stylesheet does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from filings.outputs.columns import is_long, shares
from filings.outputs.docx.inline import Segment, collapse, with_text
from filings.outputs.docx.notes import Notes, link
from filings.outputs.docx.numbering import Numbering, level_indent
from filings.outputs.docx.ooxml import PPR_ORDER, complex_script, put
from filings.outputs.docx.page import ALIGN
from filings.outputs.docx.scripts import Scripts, attributes, right_to_left
from filings.outputs.docx.tables import (
    cell_border,
    cell_margins,
    keep_whole,
    repeat_header,
    table_layout,
)
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.bands import META_PREFIX
from filings.outputs.formats.roles import (
    GRID_RULE,
    LIST_STYLES,
    WORD_STYLES,
    list_kind,
    role_of,
)
from filings.templating import vocabulary
from filings.templating.vocabulary import CONTAINERS, INLINE


@dataclass
class Context:
    """What the enclosing elements say about the paragraphs inside them."""

    role: str | None = None
    extra_left: float = 0
    keep_together: bool = False
    classes: set[str] = field(default_factory=set)
    lang: str | None = None  # the nearest enclosing `lang`
    rtl: bool = False  # the nearest enclosing `dir` says rtl


class Walker:
    def __init__(
        self, doc, fmt: CourtFormat, where: str, author: str, date: dt.date, scripts: Scripts
    ) -> None:
        self.doc = doc
        self.fmt = fmt
        self.scripts = scripts
        self.where = where
        self.author, self.date, self.revision = author, date, 0
        self.pending_break = False
        self.numbering = Numbering(doc, fmt)
        self.notes = Notes(doc, fmt)
        top, right, bottom, left = fmt.margins
        self.text_width = fmt.width - left - right

    def fail(self, el, message: str):
        raise vocabulary.located(el, message, self.where)

    def classes(self, el, allowed: set[str]) -> set[str]:
        """The element's classes, where only `allowed` may be used (`filings.templating.vocabulary`
        has checked them against the element; this is where it stands in the document)."""
        classes = _classes(el)
        if unknown := classes - allowed:
            self.fail(
                el, f'<{el.tag} class="{" ".join(sorted(unknown))}"> is not in the vocabulary'
            )
        return classes

    # Blocks

    def blocks(self, parent, ctx: Context, container=None) -> None:
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

    def scoped(self, el, ctx: Context) -> Context:
        """The context inside an element that sets `lang` or `dir`."""
        lang, direction = attributes(el)
        if lang is None and direction is None:
            return ctx
        rtl = ctx.rtl if direction is None else direction == "rtl"
        return dataclasses.replace(ctx, lang=lang or ctx.lang, rtl=rtl)

    def block(self, el, ctx: Context, container) -> None:
        tag = el.tag
        target = container if container is not None else self.doc
        ctx = self.scoped(el, ctx)
        if tag in ("h1", "h2", "h3"):
            self.paragraph(target, el, role_of(tag), ctx, _classes(el))
        elif tag == "p":
            classes = _classes(el)
            role = ctx.role or role_of("p.single" if "single" in classes else "p")
            self.paragraph(target, el, role, ctx, classes)
        elif tag in ("ol", "ul"):
            self.list(target, el, ctx)
        elif tag == "table":
            if container is not None:
                self.fail(el, "a table inside a table")
            self.table(el, _classes(el), ctx)
        elif tag == "blockquote":
            self.blocks(el, dataclasses.replace(ctx, role=role_of("blockquote p")), container)
        elif tag == "div" and "page-break" in (el.get("class") or "").split():
            self.classes(el, {"page-break"})
            if len(el) or (el.text or "").strip():
                self.fail(el, "a page break holds nothing")
            self.pending_break = True
        elif tag == "div" and "signature" in (el.get("class") or "").split():
            self.classes(el, {"signature"})
            self.keep_with_previous(target)
            inner = dataclasses.replace(
                ctx,
                role=role_of(".signature p"),
                keep_together=True,
                extra_left=ctx.extra_left + self.text_width / 2,
            )
            self.blocks(el, inner, container)
            self.end_keep_together(target)
        elif tag == "meta" and (el.get("name") or "").startswith(META_PREFIX):
            pass  # a field for the header or footer (filings.outputs.formats.bands), not body text
        elif tag in CONTAINERS:
            self.blocks(el, ctx, container)
        else:
            self.fail(el, f"<{tag}> is not in the vocabulary")

    def paragraph(
        self,
        target,
        el,
        role: str,
        ctx: Context,
        classes: set[str],
        style: str | None = None,
        skip=(),
    ):
        """A paragraph of the element's inline content (but the `skip` children) in its role's
        style, or in `style`."""
        segments = self.inline(el, ctx, skip)
        if not any(s.text.strip() or s.text == "\xa0" for s in segments):
            self.fail(el, f"an empty <{el.tag}>; write <p>&nbsp;</p> for a deliberate blank line")
        paragraph = target.add_paragraph(style=self.doc.styles[style or WORD_STYLES[role]])
        self.format_paragraph(paragraph, role, ctx, classes)
        self.fill(paragraph, segments)
        return paragraph

    def fill(self, paragraph, segments: list[Segment]) -> None:
        """The paragraph's runs, line breaks, footnote calls (and their notes) and links."""
        for seg in segments:
            if seg.note is not None:
                self.fill(self.notes.call(paragraph), seg.note)
            elif seg.br:
                paragraph.add_run().add_break()
            else:
                for text, family in self.scripts.pieces(seg.text, seg.lang):
                    self.run(paragraph, seg, text, family)

    def run(self, paragraph, seg: Segment, text: str, family: str) -> None:
        """One run: the segment's formatting, and the font, language and direction of its text."""
        run = paragraph.add_run()
        run.text = text
        run.bold = seg.bold or None
        run.italic = seg.italic or None
        complex_script(run._r.get_or_add_rPr(), seg.bold, seg.italic)
        run.underline = seg.underline or None
        run.font.small_caps = seg.small_caps or None
        self.scripts.mark(run, text, family, seg.lang, seg.rtl)
        if seg.change:
            self.track(run, seg.change)
        if seg.link:
            link(self.notes.owner(paragraph), run, seg.link)

    def track(self, run, change: str) -> None:
        """Wrap the run in Word's tracked insertion or deletion, attributed to the author."""
        self.revision += 1
        mark = OxmlElement(f"w:{change}")
        mark.set(qn("w:id"), str(self.revision))
        mark.set(qn("w:author"), self.author)
        mark.set(qn("w:date"), f"{self.date.isoformat()}T00:00:00Z")
        run._r.addprevious(mark)
        mark.append(run._r)
        if change == "del":
            for text in run._r.findall(qn("w:t")):
                text.tag = qn("w:delText")

    def format_paragraph(self, paragraph, role: str, ctx: Context, classes: set[str]) -> None:
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
            pf.keep_with_next = pf.keep_together = True
        if ctx.rtl:
            right_to_left(paragraph)
        if self.pending_break:
            pf.page_break_before = True
            self.pending_break = False

    def keep_with_previous(self, target) -> None:
        """A signature block starts on the page that holds the end of the text before it (the
        PDF's `break-before: avoid`): the paragraph before it keeps with it, unless a page
        break comes between."""
        body = self.doc.element.body if target is self.doc else target._element
        previous = [el for el in body if el.tag in (qn("w:p"), qn("w:tbl"))]
        if previous and previous[-1].tag == qn("w:p") and not self.pending_break:
            put(previous[-1].get_or_add_pPr(), "keepNext", PPR_ORDER)

    def end_keep_together(self, target) -> None:
        """A kept-together block's last paragraph does not keep with what follows."""
        paragraphs = target.paragraphs if hasattr(target, "paragraphs") else []
        if paragraphs:
            paragraphs[-1].paragraph_format.keep_with_next = None

    def list(self, target, el, ctx: Context, depth: int = 0, num: int | None = None) -> None:
        """A list's items as Word list paragraphs; a list inside an item is its next level."""
        kind = list_kind(el.tag, _classes(el))
        num = num or self.numbering.new(kind)
        for item in el:
            if not isinstance(item.tag, str):
                continue
            if item.tag != "li":
                self.fail(item, f"<{item.tag}> inside a list; a list holds <li> only")
            inner = self.scoped(item, ctx)
            nested = _nested_lists(item, self.fail)
            paragraph = self.paragraph(
                target, item, role_of("li"), inner, set(), style=LIST_STYLES[kind], skip=nested
            )
            self.numbering.number(paragraph, num, depth)
            left, hanging = level_indent(self.fmt, depth)
            if depth or ctx.extra_left:  # the list style's indent is the first level's
                pf = paragraph.paragraph_format
                pf.left_indent, pf.first_line_indent = Pt(left + ctx.extra_left), Pt(-hanging)
            for n, sub in enumerate(nested):
                same = sub.tag == el.tag and n == 0  # Word's own shape: one instance, a level down
                self.list(target, sub, inner, depth + 1, num if same else None)

    def table(self, el, classes: set[str], ctx: Context) -> None:
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
        parties = self.fmt.caption.parties_width / 100 if "caption" in classes else None
        table_layout(
            table,
            self.text_width,
            parties,
            "grid" in classes,
            self.fmt.line_numbers is not None,
            shares(el, self.fmt) if is_long(classes) else None,
        )
        header_rows = {id(r) for r in el.iter("tr") if r.getparent().tag == "thead"}
        for r, (row_el, row_cells) in enumerate(zip(rows, cells, strict=True)):
            if is_long(classes):  # a person's row is read whole, as in the PDF
                keep_whole(table.rows[r])
            if id(row_el) in header_rows:
                repeat_header(table.rows[r])
            for c, cell_el in enumerate(row_cells):
                self.cell(table.cell(r, c), cell_el, classes, ctx)
                if "grid" in classes and "long" not in classes and r < len(rows) - 1:
                    # Word keeps a table together by keeping each row with the next.
                    for paragraph in table.cell(r, c).paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
        if self.pending_break:
            self.fail(el, "a page break right before a table; put a heading or paragraph first")
        # CSS gives every table space below it; Word has no table spacing, so a spacer line does it.
        if self.fmt.table_after:
            spacer = self.doc.add_paragraph(style=self.doc.styles["Normal"])
            spacer.paragraph_format.line_spacing = Pt(self.fmt.table_after)

    def cell(self, cell, el, table_classes: set[str], outer: Context) -> None:
        if el.tag not in ("td", "th"):
            self.fail(el, f"<{el.tag}> inside a table row")
        classes = self.classes(el, {"parties", "number"} if "caption" in table_classes else set())
        bold = el.tag == "th"
        first = cell.paragraphs[0]
        has_blocks = any(isinstance(c.tag, str) and c.tag not in INLINE for c in el)
        role = role_of(".parallel p" if "parallel" in table_classes else f"{el.tag} p")
        ctx = self.scoped(el, Context(role, lang=outer.lang, rtl=outer.rtl))
        if has_blocks:
            self.blocks(el, ctx, container=cell)
        else:
            self.paragraph(cell, el, role_of(el.tag), ctx, set())
        first._p.getparent().remove(first._p)  # the empty paragraph python-docx starts a cell with
        if self.fmt.line_numbers and "grid" in table_classes:
            # On ruled paper a row is whole lines: the grid's rule width comes off the text.
            line = Pt(self.fmt.styles["table"].line - GRID_RULE)
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.line_spacing = line
        if bold:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.bold = True
        if "parties" in classes and self.fmt.caption.rule:
            cell_border(cell, "right", round(self.fmt.caption.rule * 8))
            cell_margins(cell, left=0, right=12)
        if "number" in classes and self.fmt.line_numbers is None:  # on ruled paper: on a line
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if "number" in classes:
            cell_margins(cell, left=18, right=0)

    # Inline

    def inline(self, el, ctx: Context, skip=()) -> list[Segment]:
        """The element's text as formatted segments, white space collapsed as HTML does."""
        segments: list[Segment] = []
        self._collect(el, Segment("", lang=ctx.lang), segments, top=True, skip=skip)
        return collapse(segments)

    def _collect(self, el, fmt: Segment, out: list[Segment], top: bool = False, skip=()) -> None:
        if not top:
            tag = el.tag
            if tag not in INLINE:
                self.fail(el, f"<{tag}> inside a paragraph; only b, i, u, span and br may be")
            classes = _classes(el)
            if tag == "br":
                out.append(Segment("", br=True))
                return
            lang, direction = attributes(el)
            if "footnote" in classes:  # its own text, from the paragraph's language
                note: list[Segment] = []
                self._collect(el, Segment("", lang=fmt.lang, rtl=fmt.rtl), note, top=True)
                if not any(s.text.strip() for s in note):
                    self.fail(el, "an empty footnote")
                out.append(Segment("", note=collapse(note)))
                return
            fmt = Segment(
                "",
                bold=fmt.bold or tag in ("b", "strong"),
                italic=fmt.italic or tag in ("i", "em"),
                underline=fmt.underline or tag == "u",
                small_caps=fmt.small_caps or "smallcaps" in classes,
                change=tag if tag in ("ins", "del") else fmt.change,
                lang=lang or fmt.lang,
                rtl=fmt.rtl if direction is None else direction == "rtl",
                link=el.get("href") if tag == "a" else fmt.link,
            )
        if el.text:
            out.append(with_text(fmt, el.text))
        for child in el:
            if any(child is s for s in skip):
                continue  # a nested list: its own paragraphs, and no text after it
            if isinstance(child.tag, str):
                self._collect(child, fmt, out)
            if child.tail:  # a child's tail has this element's formatting, not the child's
                out.append(with_text(fmt, child.tail))


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _nested_lists(item, fail) -> list:
    """The lists inside a list item, which follow all of its text."""
    lists = [c for c in item if isinstance(c.tag, str) and c.tag in ("ol", "ul")]
    if lists:
        after = list(lists[0].itersiblings())
        for el in [lists[0], *after]:
            if isinstance(el.tag, str) and el.tag not in ("ol", "ul"):
                fail(el, f"<{el.tag}> after a nested list; an item's text comes before its lists")
            if (el.tail or "").strip():
                fail(el, f"text {el.tail.strip()[:30]!r} after a nested list")
    return lists
