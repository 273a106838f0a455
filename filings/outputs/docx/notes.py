"""Word's footnotes and links: a `footnotes.xml` part with its separators, a
`w:footnoteReference` in the text, and `w:hyperlink` with its relationship.

The footnotes part is made with the first footnote, so a document without one is as before.
"""

from __future__ import annotations

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.text.paragraph import Paragraph

from filings.outputs.docx.ooxml import twips
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.roles import separator_height

REFERENCE_STYLE = "Footnote Reference"  # Word's names; `page.define_styles` makes them
TEXT_STYLE = "Footnote Text"
LINK_STYLE = "Hyperlink"

# Word's two separators: the short rule above the notes, and the full one where a note goes on;
# each a line of exactly the height the PDF's rule above its notes takes (`separator_height`).
_SEPARATORS = (
    '<w:footnotes {ns}><w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing'
    ' w:after="0" w:line="{line}" w:lineRule="exact"/></w:pPr><w:r><w:separator/></w:r></w:p>'
    '</w:footnote><w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing'
    ' w:after="0" w:line="{line}" w:lineRule="exact"/></w:pPr><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:footnote></w:footnotes>"
)
_SETTINGS_ORDER_AFTER = ("endnotePr", "compat", "docVars", "rsids")  # footnotePr comes before


class Notes:
    """The document's footnotes, numbered in the order their calls appear."""

    def __init__(self, doc, fmt: CourtFormat) -> None:
        self.doc, self.fmt = doc, fmt
        self.part: XmlPart | None = None
        self.count = 0

    def _part(self) -> XmlPart:
        if self.part is None:
            package = self.doc.part.package
            line = twips(separator_height(self.fmt))
            element = parse_xml(_SEPARATORS.format(ns=nsdecls("w", "r"), line=line))
            self.part = XmlPart(PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, element, package)
            self.doc.part.relate_to(self.part, RT.FOOTNOTES)
            _settings_separators(self.doc.settings.element)
        return self.part

    def call(self, paragraph) -> Paragraph:
        """Put the next footnote's call at the end of `paragraph`; the note's paragraph, which
        starts with its number, for the caller to fill."""
        part = self._part()
        self.count += 1
        run = paragraph.add_run(style=self.doc.styles[REFERENCE_STYLE])
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(self.count))
        run._r.append(reference)
        note = OxmlElement("w:footnote")
        note.set(qn("w:id"), str(self.count))
        part.element.append(note)
        p = OxmlElement("w:p")
        note.append(p)
        body = Paragraph(p, self.doc._body)
        body.style = self.doc.styles[TEXT_STYLE]
        mark = body.add_run(style=self.doc.styles[REFERENCE_STYLE])
        mark._r.append(OxmlElement("w:footnoteRef"))
        body.add_run(" ")
        return body

    def owner(self, paragraph):
        """The part whose relationships a paragraph's links go in."""
        root = paragraph._p.getroottree().getroot()
        return self.part if self.part is not None and root is self.part.element else self.doc.part


def link(part, run, url: str) -> None:
    """Make the run (or the tracked change holding it) part of a link to `url`; a run next to
    a link to the same address joins it."""
    r_id = part.relate_to(url, RT.HYPERLINK, is_external=True)
    element = run._r
    if element.getparent().tag in (qn("w:ins"), qn("w:del")):
        element = element.getparent()
    previous = element.getprevious()
    joins = previous is not None and previous.tag == qn("w:hyperlink")
    if joins and previous.get(qn("r:id")) == r_id:
        previous.append(element)
        return
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    element.addprevious(hyperlink)
    hyperlink.append(element)


def _settings_separators(settings) -> None:
    """settings.xml names the separators, as Word writes it."""
    pr = OxmlElement("w:footnotePr")
    for note_id in ("-1", "0"):
        el = OxmlElement("w:footnote")
        el.set(qn("w:id"), note_id)
        pr.append(el)
    after = [c for c in settings if c.tag in {qn(f"w:{n}") for n in _SETTINGS_ORDER_AFTER}]
    if after:
        after[0].addprevious(pr)
    else:
        settings.append(pr)
