"""Word's own list numbering: `numbering.xml` and the `w:numPr` of list paragraphs.

The numbers are Word's, not text, so an attorney who inserts an item sees the list renumber.
Each level's number format and indent come from `filings.outputs.formats.roles.LIST_LEVELS` and
the court format's `list` style, as the PDF's CSS counters do. Every `ol` and `ul` the walker
meets is a list instance of its own (`w:num` with a start override), so each restarts at 1; a
nested list of the same kind as its parent shares the parent's instance at the next level, as a
list Word made does.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from filings.outputs.docx.ooxml import PPR_ORDER, put, twips
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.roles import LIST_LEVELS, LIST_STYLES

_ABSTRACT = {"ol": 0, "ul": 1, "outline": 2}  # abstractNumId of each kind
_STYLE_NUM = {"ol": 1, "ul": 2}  # the instance the List Number / List Bullet styles start


def level_indent(fmt: CourtFormat, depth: int) -> tuple[float, float]:
    """The text's left edge and the hanging number's width at a depth, in points."""
    style = fmt.styles["list"]
    return style.left_indent + style.hanging * (depth + 1), style.hanging


class Numbering:
    """The document's numbering part, written afresh: its own definitions and nothing else."""

    def __init__(self, doc, fmt: CourtFormat) -> None:
        self.fmt = fmt
        self.root = doc.part.numbering_part.element
        for child in list(self.root):
            self.root.remove(child)
        for kind in _ABSTRACT:
            self.root.append(self._abstract(kind))
        self.next_id = 1
        for kind in _STYLE_NUM:
            self.new(kind)
        _link_styles(doc, self)

    def _abstract(self, kind: str):
        abstract = OxmlElement("w:abstractNum")
        abstract.set(qn("w:abstractNumId"), str(_ABSTRACT[kind]))
        _child(abstract, "multiLevelType", "multilevel")
        for depth, (word_format, text, _) in enumerate(LIST_LEVELS[kind]):
            level = OxmlElement("w:lvl")
            level.set(qn("w:ilvl"), str(depth))
            _child(level, "start", "1")
            _child(level, "numFmt", word_format)
            _child(level, "lvlText", text.replace("{}", f"%{depth + 1}"))
            _child(level, "lvlJc", "left")
            ppr = OxmlElement("w:pPr")
            left, hanging = level_indent(self.fmt, depth)
            ind = put(ppr, "ind", PPR_ORDER)
            ind.set(qn("w:left"), twips(left))
            ind.set(qn("w:hanging"), twips(hanging))
            level.append(ppr)
            abstract.append(level)
        return abstract

    def new(self, kind: str) -> int:
        """A new list instance of `kind` (ol, ul), numbered from 1 at every level."""
        num_id, self.next_id = self.next_id, self.next_id + 1
        num = OxmlElement("w:num")
        num.set(qn("w:numId"), str(num_id))
        _child(num, "abstractNumId", str(_ABSTRACT[kind]))
        for depth in range(len(LIST_LEVELS[kind])):
            override = OxmlElement("w:lvlOverride")
            override.set(qn("w:ilvl"), str(depth))
            _child(override, "startOverride", "1")
            num.append(override)
        self.root.append(num)
        return num_id

    def number(self, paragraph, num_id: int, depth: int) -> None:
        """Make a paragraph an item of list instance `num_id` at `depth`."""
        num_pr = put(paragraph._p.get_or_add_pPr(), "numPr", PPR_ORDER)
        _child(num_pr, "ilvl", str(depth))
        _child(num_pr, "numId", str(num_id))


def _child(parent, name: str, value: str) -> None:
    el = OxmlElement(f"w:{name}")
    el.set(qn("w:val"), value)
    parent.append(el)


def _link_styles(doc, numbering: Numbering) -> None:
    """List Number and List Bullet number their paragraphs as in Word; no other style of the
    template names a numbering instance (its own are gone), so nothing dangles."""
    for style in doc.styles.element.findall(qn("w:style")):
        ppr = style.find(qn("w:pPr"))
        if ppr is not None and (old := ppr.find(qn("w:numPr"))) is not None:
            ppr.remove(old)
    for kind, name in LIST_STYLES.items():
        if kind not in _STYLE_NUM:  # an outline's paragraphs are List Number's, numbered apiece
            continue
        ppr = doc.styles[name].element.get_or_add_pPr()
        num_pr = put(ppr, "numPr", PPR_ORDER)
        _child(num_pr, "numId", str(_STYLE_NUM[kind]))
