"""Header, footer and first-page label text: a format's patterns, filled from the document.

A pattern such as `{respondent}` or `Page {page} of {pages}` names fields. `page` and `pages` are
page numbers, filled in by WeasyPrint (CSS counters) or Word (PAGE and NUMPAGES fields). `title`
is the document's `<title>`. Every other field is one the document supplies in its HTML as
`<meta name="filings.NAME" content="…">`, so a template decides what its pages say and the format
decides where.
"""

from __future__ import annotations

import dataclasses
import json
import re
from dataclasses import dataclass

from filings.errors import TemplateError
from filings.outputs.formats import Band, CourtFormat

FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
META_PREFIX = "filings."
COUNTERS = ("page", "pages")


@dataclass(frozen=True)
class Counter:
    """A page number in a band: `page` (this page) or `pages` (how many)."""

    name: str


Line = list  # of str and Counter pieces


def document_fields(root) -> dict[str, str]:
    """The fields a rendered document supplies: its `filings.*` meta elements and its title."""
    fields = {}
    title = root.find(".//title")
    if title is not None and title.text_content().strip():
        fields["title"] = " ".join(title.text_content().split())
    for meta in root.iter("meta"):
        name = meta.get("name") or ""
        if name.startswith(META_PREFIX):
            fields[name[len(META_PREFIX) :]] = " ".join((meta.get("content") or "").split())
    return fields


# A copy's label (`<meta name="filings.copy" content="FILED UNDER SEAL">`): printed atop the
# centre of every page's header, whatever the format's own header says.
COPY = "copy"


def for_document(fmt: CourtFormat, lang: str | None, fields: dict[str, str]) -> CourtFormat:
    """The format as this document prints it: in its language, and with its copy's label (a
    sealed or public copy) at the top of the header's centre on every page."""
    return labelled(fmt.in_language(lang), fields)


def labelled(fmt: CourtFormat, fields: dict[str, str]) -> CourtFormat:
    """The format with the document's copy label atop its header's centre, when it has one."""
    if not fields.get(COPY):
        return fmt
    label = "{" + COPY + "}"
    center = label + (f"\n{fmt.header.center}" if fmt.header.center else "")
    return dataclasses.replace(fmt, header=dataclasses.replace(fmt.header, center=center))


def fill(pattern: str, fields: dict[str, str]) -> list[Line] | None:
    """The pattern's lines as pieces, or None when it names a field the document leaves out."""
    lines = []
    for text in pattern.split("\n"):
        line: Line = []
        for i, piece in enumerate(FIELD.split(text)):
            if i % 2 == 0:
                if piece:
                    line.append(piece)
            elif piece in COUNTERS:
                line.append(Counter(piece))
            elif fields.get(piece):
                line.append(fields[piece])
            else:
                return None
        lines.append(line)
    return lines


def resolve(fmt: CourtFormat, which: str, fields: dict[str, str], where: str) -> dict:
    """One band's slots, filled: {slot: lines}.

    Header and footer fields are required (a missing one is a TemplateError that says how to
    supply it); a first-page label whose field the document leaves out is simply not printed.
    """
    band: Band = getattr(fmt, which)
    out = {}
    for slot, pattern in band.slots.items():
        lines = fill(pattern, fields)
        if lines is not None:
            out[slot] = lines
        elif which != "first_page":
            missing = next(
                n for n in FIELD.findall(pattern) if n not in COUNTERS and not fields.get(n)
            )
            raise TemplateError(
                where,
                f"the {fmt.name} format's {which} prints {{{missing}}}; the document "
                f'must supply it as <meta name="{META_PREFIX}{missing}" content="…">',
            )
    return out


def needs_document(band: Band) -> bool:
    """Whether the band's text depends on the document (not just on page numbers)."""
    return any(n not in COUNTERS for p in band.slots.values() for n in FIELD.findall(p))


def properties(fmt: CourtFormat, fields: dict[str, str]) -> dict[str, str]:
    """What an output keeps for `filings.check` (PDF: document information; DOCX: custom
    properties): the format's name and the document's fields."""
    kept = {k: v for k, v in sorted(fields.items()) if k != "title"}
    return {"FilingsFormat": fmt.name, "FilingsFields": json.dumps(kept, ensure_ascii=False)}
