"""A firm's reference DOCX (`filings render --reference-docx`), read as a hostile file and
measured against the court format's rules before any document takes its styles.

What is measured is our own styles part as the firm's looks leave it (`outputs.docx.reference`),
style by style, with the checker's own lookups and wording, so a reference accepted here gives
documents that `filings check` accepts:

    firm.docx: style Body Text: text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from filings.check.docx import BODY_ROLES, FONT_SLOTS
from filings.check.docx_reader import NS, Docx, tag
from filings.check.findings import finding, short, unreadable
from filings.check.package import Package
from filings.check.report import need, pt
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.outputs.docx import reference
from filings.outputs.formats import CourtFormat
from filings.problems import Problem

# Styles in the page margins, which no rule on the text's type measures.
MARGIN_STYLES = ("Header", "Footer")
FOOTNOTE_STYLE = "Footnote Text"


@dataclass(frozen=True)
class Reference:
    """A firm's reference DOCX: its name (as errors show it) and its styles part."""

    name: str
    styles: bytes  # word/styles.xml, as parsed (no entities, no DTD)

    @property
    def sha256(self) -> str:
        """What decides the DOCX: a changed styles part is a changed input of every document."""
        return hashlib.sha256(self.styles).hexdigest()


def read_reference(path: Path, limits: Limits = DEFAULT_LIMITS) -> Reference:
    """The styles of a Word document; Unreadable (one located line) for any other file."""
    path = Path(path)
    try:
        with Package(path, limits) as package:
            package.xml("word/document.xml", required=True)  # a Word document, not any zip
            styles = package.xml("word/styles.xml", required=True)
    except OSError as exc:
        raise unreadable(path.name, "DOCX", short(exc)) from None
    return Reference(path.name, etree.tostring(styles))


def measure_reference(ref: Reference, fmt: CourtFormat) -> list[Problem]:
    """Every rule of the format a style taken from the firm would break, in the order our
    styles are written."""
    root, taken = reference.styled(fmt, ref.styles)
    doc = Docx.of_styles(root)
    found = []
    for name in taken:
        style_id = next(
            i for i, s in doc.by_id.items() if doc.style_name(i).lower() == name.lower()
        )
        found += _style(ref.name, doc, style_id, name, fmt)
    return found


def _style(file: str, doc: Docx, style_id: str, name: str, fmt: CourtFormat) -> list[Problem]:
    where = f"style {name}"
    paragraph = etree.fromstring(
        f'<w:p xmlns:w="{NS["w"]}"><w:pPr><w:pStyle w:val="{style_id}"/></w:pPr><w:r/></w:p>'
    )
    size = doc.size(paragraph, paragraph.find("w:r", NS))
    found = []
    rule = "footnote_size" if name == FOOTNOTE_STYLE else "body_size"
    least = getattr(fmt.rules, rule)
    if name not in MARGIN_STYLES and least and size < least.value - 0.05:
        what = "footnotes" if rule == "footnote_size" else "text"
        found.append(
            finding(
                file,
                rule,
                where,
                f"{what} {pt(size)}",
                need(fmt, rule, f"at least {least.value:g} pt"),
            )
        )
    pitch_rule = fmt.rules.line_pitch
    pitch = doc.line(paragraph, size)
    if name in BODY_ROLES and pitch_rule and pitch < pitch_rule.value - 0.5:
        found.append(
            finding(
                file,
                "line_pitch",
                where,
                f"line spacing {pt(pitch)}",
                need(fmt, "line_pitch", f"at least {pitch_rule.value:g} pt"),
            )
        )
    return found + _fonts(file, doc.by_id[style_id], where, fmt)


def _fonts(file: str, style, where: str, fmt: CourtFormat) -> list[Problem]:
    """The fonts the style names are the format's (the checker's `fonts` rule)."""
    allowed = {fmt.font.family, fmt.font.complex_script, fmt.font.east_asian, *fmt.font.fallbacks}
    named = dict.fromkeys(
        value
        for fonts in style.iter(tag("rFonts"))
        for slot, value in fonts.attrib.items()
        if etree.QName(slot).localname in FONT_SLOTS
    )
    return [
        finding(
            file, "fonts", where, f"font {font}", f"{fmt.name} sets {', '.join(sorted(allowed))}"
        )
        for font in named
        if font not in allowed
    ]
