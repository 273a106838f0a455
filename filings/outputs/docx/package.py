"""The DOCX package around the document: its properties, told honestly, and its zip.

python-docx starts from a template that Word for Mac made: its `app.xml` names that Word and a
page count of 1, it carries a thumbnail, a bibliography part and a stale copy of its styles
(`stylesWithEffects.xml`). A filing says what made it and nothing it does not know.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from xml.sax.saxutils import escape, quoteattr

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml.ns import qn

import filings
from filings.outputs.formats import CourtFormat

EXTENDED_NS = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"

CUSTOM_PROPERTIES = "/docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the id Word gives user-defined properties


def core_properties(
    doc, title: str, author: str, date: dt.date, fmt: CourtFormat, lang: str
) -> None:
    when = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC)
    props = doc.core_properties
    props.title = fit(title, CORE_PROPERTY_CHARS)
    props.author = props.last_modified_by = fit(author, CORE_PROPERTY_CHARS)
    props.created = props.modified = when
    props.revision = 1
    props.language = lang
    props.category = fmt.name  # what `filings check` reads to know the format
    # Nothing the document does not say: no print date, no empty subject or keywords.
    core = doc.core_properties._element
    for name in ("cp:lastPrinted", "dc:subject", "cp:keywords", "dc:description"):
        for el in core.findall(qn(name)):
            core.remove(el)


# What the format allows in each text core property (title, author, ...), in characters.
CORE_PROPERTY_CHARS = 255


def fit(text: str, limit: int) -> str:
    """The text cut to `limit` characters, ending in an ellipsis when it was cut. The cut never
    parts a letter from its accents (a decomposed "ễ" keeps all three code points or none)."""
    if len(text) <= limit:
        return text
    cut = limit - 1
    while cut > 0 and unicodedata.combining(text[cut]):
        cut -= 1
    return text[:cut].rstrip() + "…"


def custom_properties(doc, values: dict[str, str]) -> None:
    """Word's custom document properties (File > Properties > Custom), for `filings check`."""
    items = "".join(
        f'<property fmtid="{FMTID}" pid="{pid}" name={quoteattr(name)}>'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), start=2)
    )
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{CUSTOM_NS}" xmlns:vt="{VT_NS}">{items}</Properties>'
    )
    package = doc.part.package
    part = Part(PackURI(CUSTOM_PROPERTIES), CUSTOM_CT, xml.encode(), package)
    package.relate_to(part, CUSTOM_RT)


def reproducible_zip(doc, date: dt.date) -> bytes:
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


def app_properties(doc) -> None:
    """`app.xml`: made by filings, at its version; no page count, which only Word can know."""
    xml = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<Properties xmlns="{EXTENDED_NS}"><Application>filings {filings.__version__}'
        f"</Application></Properties>"
    )
    package = doc.part.package
    [part] = [r.target_part for r in package.rels.values() if r.reltype == RT.EXTENDED_PROPERTIES]
    part._blob = xml.encode()


def drop_template_parts(doc) -> None:
    """No thumbnail (of a blank page), bibliography sources or stale copy of the template's
    styles; and no request that Word save a thumbnail."""
    package = doc.part.package
    for rid in [rid for rid, r in package.rels.items() if r.reltype == RT.THUMBNAIL]:
        package.rels.pop(rid)
    for rid, rel in list(doc.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS):
            doc.part.rels.pop(rid)
    settings = doc.settings.element
    for el in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(el)
