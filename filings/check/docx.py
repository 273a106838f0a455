"""Measure a DOCX against a court format's rules by reading its XML.

A DOCX has no pages until a word processor lays it out, so what is checked here is what the file
itself sets: the paper and margins, the type size every run ends up with (run, paragraph style,
its base styles, the document defaults), the line spacing of body paragraphs, the fonts named, and
what the header and footer hold (the eoir A-number and DETAINED label, the pleading ruler). The
page count and glyph coverage are measured on the PDF. How the XML is read, and how a size or a
line pitch is resolved through the styles, is `check.docx_reader`'s.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from filings.check.docx_reader import NS, Docx, tag, text_of
from filings.check.findings import Expected, finding
from filings.check.report import digits, need, pt
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.outputs.formats import CourtFormat
from filings.problems import Problem

# The styles the line-spacing rule measures: body paragraphs. Lists, quotations, tables and
# signature blocks may be single-spaced, and the PDF check does not measure them either.
BODY_ROLES = ("Body Text",)
# The rFonts attributes that name a font, by name or through the theme (`hint` says only which
# slot some characters take, and names none).
FONT_SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")


def measure(
    path: Path, fmt: CourtFormat, *, expect: Expected, limits: Limits = DEFAULT_LIMITS
) -> list[Problem]:
    doc = Docx(path, limits)
    name = path.name
    paragraphs = list(doc.document.iter(tag("p")))
    found = _page(name, doc, fmt) + _sizes(name, doc, paragraphs, fmt)
    found += _pitch(name, doc, paragraphs, fmt) + _fonts(name, doc, paragraphs, fmt)
    found += _glyphs(name, paragraphs, fmt) + _eoir(name, doc, paragraphs, fmt, expect)
    return found + _ruler(name, doc, fmt)


def _page(name: str, doc: Docx, fmt: CourtFormat) -> list[Problem]:
    found = []
    size = doc.sect.find("w:pgSz", NS)
    width, height = int(size.get(tag("w"))) / 20, int(size.get(tag("h"))) / 20
    if fmt.rules.paper and (
        abs(width - fmt.rules.paper.value[0]) > 0.5 or abs(height - fmt.rules.paper.value[1]) > 0.5
    ):
        wanted = "{:g} × {:g} pt".format(*fmt.rules.paper.value)
        found.append(
            finding(
                name,
                "paper",
                "section 1",
                f"paper {width:.1f} × {height:.1f} pt",
                need(fmt, "paper", wanted),
            )
        )
    margins = doc.sect.find("w:pgMar", NS)
    minimum = fmt.rules.margins.value if fmt.rules.margins else fmt.margins
    for side, least in zip(("top", "right", "bottom", "left"), minimum, strict=True):
        value = abs(int(margins.get(tag(side)))) / 20
        if value < least - 0.5:
            found.append(
                finding(
                    name,
                    "margins",
                    "section 1",
                    f"{side} margin {pt(value)}",
                    need(fmt, "margins", f"a {side} margin of at least {least:g} pt"),
                )
            )
    return found


def _where(doc: Docx, index: int, paragraph) -> str:
    return f"paragraph {index} ({doc.style_name(doc.style_id(paragraph))})"


def _sizes(name: str, doc: Docx, paragraphs, fmt: CourtFormat) -> list[Problem]:
    rule = fmt.rules.body_size
    found = []
    for index, paragraph in enumerate(paragraphs, start=1):
        runs = [r for r in paragraph.findall(".//w:r", NS) if text_of(r).strip()]
        sizes = [doc.size(paragraph, r) for r in runs]
        if rule and sizes and min(sizes) < rule.value - 0.05:
            found.append(
                finding(
                    name,
                    "body_size",
                    _where(doc, index, paragraph),
                    f"text {pt(min(sizes))}",
                    need(fmt, "body_size", f"at least {rule.value:g} pt"),
                )
            )
    note_rule = fmt.rules.footnote_size
    if note_rule and doc.footnotes is not None:
        return found + _footnote_sizes(name, doc, note_rule.value, fmt)
    note = next(
        (
            s
            for s in doc.by_id.values()
            if s.find("w:name", NS) is not None
            and s.find("w:name", NS).get(tag("val")).lower() == "footnote text"
        ),
        None,
    )
    if note_rule and note is not None and (sz := note.find("w:rPr/w:sz", NS)) is not None:
        if int(sz.get(tag("val"))) / 2 < note_rule.value - 0.05:
            found.append(
                finding(
                    name,
                    "footnote_size",
                    "style Footnote Text",
                    f"footnotes {pt(int(sz.get(tag('val'))) / 2)}",
                    need(fmt, "footnote_size", f"at least {note_rule.value:g} pt"),
                )
            )
    return found


def _footnote_sizes(name: str, doc: Docx, least: float, fmt: CourtFormat) -> list[Problem]:
    """The type of each footnote's text (its number, a raised call, is not measured)."""
    found = []
    for note in doc.footnotes.findall("w:footnote", NS):
        if note.get(tag("type")) is not None:  # the separators
            continue
        for paragraph in note.iter(tag("p")):
            runs = [r for r in paragraph.findall(".//w:r", NS) if text_of(r).strip()]
            sizes = [doc.size(paragraph, r) for r in runs]
            if sizes and min(sizes) < least - 0.05:
                rule = need(fmt, "footnote_size", f"at least {least:g} pt")
                found.append(
                    finding(
                        name,
                        "footnote_size",
                        f"footnote {note.get(tag('id'))}",
                        f"footnotes {pt(min(sizes))}",
                        rule,
                    )
                )
    return found


def _pitch(name: str, doc: Docx, paragraphs, fmt: CourtFormat) -> list[Problem]:
    rule = fmt.rules.line_pitch
    if rule is None:
        return []
    found = []
    for index, paragraph in enumerate(paragraphs, start=1):
        style = doc.style_name(doc.style_id(paragraph))
        runs = [r for r in paragraph.findall(".//w:r", NS) if text_of(r).strip()]
        if style not in BODY_ROLES or not runs:
            continue
        pitch = doc.line(paragraph, max(doc.size(paragraph, r) for r in runs))
        if pitch < rule.value - 0.5:
            found.append(
                finding(
                    name,
                    "line_pitch",
                    _where(doc, index, paragraph),
                    f"line spacing {pt(pitch)}",
                    need(fmt, "line_pitch", f"at least {rule.value:g} pt"),
                )
            )
    return found


def _fonts(name: str, doc: Docx, paragraphs, fmt: CourtFormat) -> list[Problem]:
    """Every font the text names is one of the format's (a DOCX embeds none by default)."""
    allowed = {fmt.font.family, fmt.font.complex_script, fmt.font.east_asian, *fmt.font.fallbacks}
    used_styles = {doc.style_id(p) for p in paragraphs}
    sources = [("document defaults", doc.defaults)]
    sources += [
        (f"style {doc.style_name(s)}", st) for s in sorted(used_styles) for st in doc.chain(s)
    ]
    sources += [(f"paragraph {i}", p) for i, p in enumerate(paragraphs, start=1)]
    found, seen = [], set()
    for where, element in sources:
        for fonts in element.iter(tag("rFonts")) if element is not None else []:
            for attr, value in fonts.attrib.items():
                slot = etree.QName(attr).localname
                if slot.removesuffix("Theme").removesuffix("theme") not in FONT_SLOTS:
                    continue
                shown = f"theme font ({slot})" if slot.endswith("Theme") else value
                if (shown not in allowed or slot.endswith("Theme")) and shown not in seen:
                    seen.add(shown)
                    found.append(
                        finding(
                            name,
                            "fonts",
                            where,
                            f"font {shown}",
                            f"{fmt.name} sets {', '.join(sorted(allowed))}",
                        )
                    )
    return found


def _glyphs(name: str, paragraphs, fmt: CourtFormat) -> list[Problem]:
    found = []
    for index, paragraph in enumerate(paragraphs, start=1):
        if "\ufffd" in text_of(paragraph):
            found.append(
                finding(
                    name,
                    "glyphs",
                    f"paragraph {index}",
                    "a U+FFFD replacement character",
                    f"{fmt.name} needs the text as written",
                )
            )
    return found


def _first_page_body(paragraphs) -> str:
    text = []
    for paragraph in paragraphs:
        if text and paragraph.find("w:pPr/w:pageBreakBefore", NS) is not None:
            break
        text.append(text_of(paragraph))
        if any(b.get(tag("type")) == "page" for b in paragraph.iter(tag("br"))):
            break
    return "\n".join(text)


def _eoir(name: str, doc: Docx, paragraphs, fmt, expect: Expected) -> list[Problem]:
    found = []
    titled = doc.sect.find("w:titlePg", NS) is not None
    every = text_of(doc.headers["default"]) if "default" in doc.headers else ""
    first = text_of(doc.headers["first"]) if titled and "first" in doc.headers else every
    cover = first + "\n" + _first_page_body(paragraphs)
    rule = fmt.rules.a_number
    if rule and rule.value:
        wanted = digits(expect.a_number)[1:] if expect.a_number else None
        for where, text in (("header", every), ("first page", cover)):
            flat = re.sub(r"[\s\-.]", "", text)
            if not (wanted in flat if wanted else re.search(r"A\d{7,9}", flat)):
                found.append(
                    finding(
                        name,
                        "a_number",
                        where,
                        "no A-number",
                        need(fmt, "a_number", "the respondent's A-number on every page"),
                    )
                )
    label = fmt.rules.detained.value if fmt.rules.detained else None
    if label and expect.detained is not None:
        head = first if titled else every
        if expect.detained and label not in head:
            found.append(
                finding(
                    name,
                    "detained",
                    "first-page header",
                    f"no {label}",
                    need(fmt, "detained", f"{label} at the top right of the cover"),
                )
            )
        if not expect.detained and label in cover:
            found.append(
                finding(
                    name,
                    "detained",
                    "first page",
                    f"{label} on the cover",
                    f"the respondent is not in custody; {fmt.name} marks only those who are",
                )
            )
    return found


def _ruler(name: str, doc: Docx, fmt: CourtFormat) -> list[Problem]:
    """Pleading paper: a fixed ruler in every header, not Word's line numbering."""
    ruler = fmt.line_numbers
    if ruler is None:
        return []
    found = []
    if doc.sect.find("w:lnNumType", NS) is not None:
        found.append(
            finding(
                name,
                "line_numbers",
                "section 1",
                "Word line numbering (lnNumType)",
                need(fmt, "line_numbers", "a fixed ruler of line numbers"),
            )
        )
    wanted = "\n".join(str(n) for n in range(1, ruler.count + 1))
    for kind, header in sorted(doc.headers.items()):
        frames = [p for p in header.iter(tag("p")) if p.find("w:pPr/w:framePr", NS) is not None]
        numbers = [p for p in frames if text_of(p).strip() == wanted]
        where = f"{kind} header"
        if not numbers:
            found.append(
                finding(
                    name,
                    "line_numbers",
                    where,
                    "no ruler of line numbers",
                    need(
                        fmt,
                        "line_numbers",
                        f"the numbers 1 to {ruler.count} in a frame on every page",
                    ),
                )
            )
            continue
        frame = numbers[0].find("w:pPr/w:framePr", NS)
        spacing = numbers[0].find("w:pPr/w:spacing", NS)
        top = int(frame.get(tag("y"), "0")) / 20
        pitch = int(spacing.get(tag("line"), "0")) / 20 if spacing is not None else 0
        if abs(top - fmt.margins[0]) > 0.5 or abs(pitch - ruler.pitch) > 0.05:
            found.append(
                finding(
                    name,
                    "line_numbers",
                    where,
                    f"ruler at {pt(top)} from the top, lines {pt(pitch)} apart",
                    need(
                        fmt,
                        "line_numbers",
                        f"the ruler at the top margin, lines "
                        f"{ruler.pitch:g} pt apart like the text",
                    ),
                )
            )
    return found
