"""Small WordprocessingML helpers: elements in schema order, fonts, fields."""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from filings.glyphs import FAMILIES
from filings.outputs.formats import CourtFormat

# Child order inside Word's property elements, which Word (unlike LibreOffice) enforces.
RPR_ORDER = (
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish"
).split()
PPR_ORDER = (
    "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers "
    "pBdr shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE "
    "autoSpaceDN bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents "
    "suppressOverlap jc textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle "
    "rPr sectPr pPrChange"
).split()
TBLPR_ORDER = (
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW "
    "jc tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook"
).split()
TCPR_ORDER = (
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection "
    "tcFitText vAlign hideMark"
).split()


def put(parent, name: str, order: list[str]):
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


def twips(points: float) -> str:
    return str(round(points * 20))


def set_fonts(rpr, fmt: CourtFormat, size: float, lang: str | None = None) -> None:
    fonts = put(rpr, "rFonts", RPR_ORDER)
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
        put(rpr, tag, RPR_ORDER).set(qn("w:val"), str(round(size * 2)))
    if lang:
        # The document's language, and the ones Word assumes for Chinese, Japanese and Korean
        # text and for right-to-left and complex-script text, from the format's fonts for them.
        element = put(rpr, "lang", RPR_ORDER)
        element.set(qn("w:val"), lang)
        for attr, family in (("eastAsia", fmt.font.east_asian), ("bidi", fmt.font.complex_script)):
            known = FAMILIES.get(family)
            if known and known.language:
                element.set(qn(f"w:{attr}"), known.language)


def complex_script(rpr, bold: bool, italic: bool) -> None:
    """Bold and italic for Arabic and other complex scripts, which Word styles separately."""
    for name, on in (("bCs", bold), ("iCs", italic)):
        if on:
            put(rpr, name, RPR_ORDER)
        elif (el := rpr.find(qn(f"w:{name}"))) is not None:
            rpr.remove(el)


def field(paragraph, instruction: str, shown: str) -> None:
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


def border(ppr, side: str, style: str, width: float, space: float) -> None:
    """A paragraph border: `style` single or double, `width` and `space` in points."""
    borders = put(ppr, "pBdr", PPR_ORDER)
    el = OxmlElement(f"w:{side}")
    el.set(qn("w:val"), style)
    el.set(qn("w:sz"), str(round(width * 8)))
    el.set(qn("w:space"), str(round(space)))
    el.set(qn("w:color"), "000000")
    borders.append(el)
