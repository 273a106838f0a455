"""A firm's Word styles over the court format's (`--reference-docx`, as pandoc users know it).

Each paragraph style our DOCX writes (one per role, `filings.outputs.formats.roles`, and the
header) that the firm's styles part defines, matched by Word's style name, takes the look that
style has in the firm's document: the run and paragraph properties it sets, through its `basedOn`
chain and the firm's document defaults, replace the format's one by one. What the firm leaves
unset stays the format's, and so does what is structure rather than look (numbering, outline
level, language, hidden text, frames) and a font named only by the firm's theme (Word's "+Body"),
which our package does not carry. Whether the result keeps the court's rules is for
`filings.check.reference` to say before any document is made; the PDF never reads any of this.
"""

from __future__ import annotations

import copy

from docx import Document
from docx.oxml.ns import qn
from lxml import etree

from filings.outputs.docx.ooxml import PPR_ORDER, RPR_ORDER, put
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.roles import LIST_STYLES, WORD_STYLES

# The paragraph styles a reference may restyle: those `page.define_styles` writes.
STYLES = tuple(dict.fromkeys([*WORD_STYLES.values(), *LIST_STYLES.values(), "Header"]))
# Properties that are the document's structure, not a look: never taken from the firm.
NOT_TAKEN = frozenset(
    "pStyle numPr outlineLvl framePr rPr sectPr pPrChange "
    "rStyle lang vanish specVanish webHidden rPrChange".split()
)
# Attributes that go together: where the firm sets one of a group, the firm's replace the group
# (a `line` without its `lineRule` is Word's "auto", not the format's "exact").
GROUPS = {
    "rFonts": (
        ("ascii", "asciiTheme"),
        ("hAnsi", "hAnsiTheme"),
        ("eastAsia", "eastAsiaTheme"),
        ("cs", "cstheme"),
        ("hint",),
    ),
    "spacing": (
        ("before", "beforeLines", "beforeAutospacing"),
        ("after", "afterLines", "afterAutospacing"),
        ("line", "lineRule"),
    ),
    "ind": (
        ("left", "start", "leftChars", "startChars"),
        ("right", "end", "rightChars", "endChars"),
        ("firstLine", "hanging", "firstLineChars", "hangingChars"),
    ),
}
THEME_FONTS = frozenset({"asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"})

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def apply(doc, styles: bytes) -> list[str]:
    """Give the document's styles the firm's looks; the names of the styles that took one."""
    firm = Firm(styles)
    taken = []
    for name in STYLES:
        theirs = firm.style(name)
        if theirs is None:
            continue
        ours = doc.styles[name].element
        ppr, rpr = firm.looks(theirs)
        overlay(ours.get_or_add_pPr(), ppr, PPR_ORDER)
        overlay(ours.get_or_add_rPr(), rpr, RPR_ORDER)
        taken.append(name)
    return taken


def styled(fmt: CourtFormat, styles: bytes, lang: str = "en-US"):
    """Our styles part for `fmt` with the firm's looks, and the names of the styles that took
    one: what the checker measures before any document is made."""
    from filings.outputs.docx import page  # page imports the notes and numbering parts

    doc = Document()
    page.define_styles(doc, fmt, lang)
    return doc.styles.element, apply(doc, styles)


class Firm:
    """The firm's styles part: its paragraph styles by Word's name and by id, its defaults."""

    def __init__(self, styles: bytes) -> None:
        root = etree.fromstring(styles, _PARSER)
        paragraph = [s for s in root.findall(qn("w:style")) if s.get(qn("w:type")) == "paragraph"]
        self.by_id = {s.get(qn("w:styleId")): s for s in paragraph}
        self.by_name = {_name(s).lower(): s for s in paragraph if _name(s)}
        self.defaults = root.find(qn("w:docDefaults"))

    def style(self, name: str):
        return self.by_name.get(name.lower())

    def looks(self, style) -> tuple:
        """The paragraph and run properties the style has in the firm's document: the defaults,
        then each base from the farthest, then the style's own."""
        chain, seen = [], set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            chain.append(style)
            based = style.find(qn("w:basedOn"))
            style = self.by_id.get(based.get(qn("w:val"))) if based is not None else None
        ppr, rpr = etree.Element(qn("w:pPr")), etree.Element(qn("w:rPr"))
        if self.defaults is not None:
            overlay(ppr, self.defaults.find(f"{qn('w:pPrDefault')}/{qn('w:pPr')}"), PPR_ORDER)
            overlay(rpr, self.defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}"), RPR_ORDER)
        for each in reversed(chain):
            overlay(ppr, each.find(qn("w:pPr")), PPR_ORDER)
            overlay(rpr, each.find(qn("w:rPr")), RPR_ORDER)
        return ppr, rpr


def _name(style) -> str:
    name = style.find(qn("w:name"))
    return name.get(qn("w:val"), "") if name is not None else ""


def overlay(target, source, order: list[str]) -> None:
    """Each property `source` sets replaces the one in `target`, in Word's schema order;
    grouped attributes (fonts, spacing, indents) are replaced group by group."""
    if source is None:
        return
    for prop in source:
        if not isinstance(prop.tag, str):  # a comment
            continue
        name = etree.QName(prop).localname
        if name in NOT_TAKEN or name not in order or etree.QName(prop).namespace != _W:
            continue
        if name in GROUPS:
            _merge(put(target, name, order), prop, GROUPS[name])
        else:
            target.replace(put(target, name, order), copy.deepcopy(prop))


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _merge(ours, theirs, groups) -> None:
    """The firm's attributes replace each group they touch; a theme font only clears its slot
    (Word shows the theme's font there, which our package does not carry)."""
    given = {etree.QName(a).localname: v for a, v in theirs.attrib.items()}
    for group in groups:
        if not any(a in given for a in group):
            continue
        for attr in group:
            ours.attrib.pop(qn(f"w:{attr}"), None)
            if attr in given and attr not in THEME_FONTS:
                ours.set(qn(f"w:{attr}"), given[attr])
