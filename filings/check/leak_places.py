"""Where a public copy's text can be found, place by place, for the leak check
(`filings.check.leaks`): its file name; a PDF's text page by page, its annotations, document
information, XMP metadata and outline; every XML part of a DOCX, each paragraph's runs joined; an
HTML copy's text and attributes. Each place is one piece of text a value is searched in; a value
never runs from one place into the next."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager

from lxml import etree
from pdfminer.pdfdocument import PDFDocument, PDFPasswordIncorrect
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psexceptions import PSException
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from filings.check.findings import over_limit, short, unreadable
from filings.check.package import Package
from filings.check.reader import PdfminerException, metadata, read_pages
from filings.check.streams import BoundedParser, StreamTooLarge
from filings.inputs.limits import Limits

SEPARATE = "\x00"  # between pieces of a place that no value may run across (never white space)


def places(kind: str, data: bytes, file_name: str, limits: Limits) -> Iterator[tuple[str, str]]:
    yield "file name", file_name
    if kind == "pdf":
        yield from _pdf_places(data, file_name, limits)
    elif kind == "docx":
        yield from _docx_places(data, file_name, limits)
    elif kind == "html":
        yield "HTML", _html(data)
    else:
        raise ValueError(f"no leak check for {kind!r} files; the kinds are pdf, docx and html")


def _with_json(pieces: list[str]) -> str:
    """The pieces, and the strings inside any that is JSON (FilingsFields escapes quotes)."""
    out = list(pieces)
    for piece in pieces:
        if piece[:1] in ("{", "["):
            try:
                out += _strings(json.loads(piece))
            except ValueError:
                pass
    return SEPARATE.join(out)


def _strings(value, depth: int = 0) -> list[str]:
    """Every string inside a decoded PDF or JSON value (lists, dicts, names, byte strings), at
    most 8 levels down (a hostile file's objects may refer to themselves)."""
    value = resolve1(value)
    if depth > 8:
        return []
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v, depth + 1)]
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v, depth + 1)]
    if isinstance(value, PSLiteral):
        return [str(value.name)]
    if isinstance(value, bytes):
        return [
            value[3:].decode("utf-8", "replace")
            if value[:3] == b"\xef\xbb\xbf"
            else decode_text(value)
        ]
    return [value] if isinstance(value, str) else []


def _html(data: bytes) -> str:
    """An HTML copy's text as a browser's search sees it, tags between, and its attributes."""
    root = etree.fromstring(data, etree.HTMLParser(no_network=True))
    if root is None:
        return ""
    attributes = [v for element in root.iter() for v in getattr(element, "attrib", {}).values()]
    return _with_json([root.xpath("string()"), *attributes])


# --- PDF -----------------------------------------------------------------------------------------


@contextmanager
def _pdf(data: bytes, name: str, limits: Limits) -> Iterator[PDFDocument]:
    """The parsed document, no stream unpacked past `limits.pdf_stream_mb` (as reader.opened,
    for bytes not yet written)."""
    try:
        yield PDFDocument(BoundedParser(io.BytesIO(data), limits.pdf_stream_bytes), password="")
    except PDFPasswordIncorrect:
        raise unreadable(name, "PDF", "encrypted (password-protected)") from None
    except StreamTooLarge as exc:
        what = "its content unpacks" if exc.whole_page else "a stream unpacks"
        mb = limits.pdf_stream_mb
        measured = f"{what} to more than {mb:g} MB"
        where = f"page {exc.page}" if exc.page else ""
        raise over_limit(name, where, measured, "pdf_stream_mb", mb) from None
    except PdfminerException as exc:
        raise unreadable(name, "PDF", short(exc.__cause__ or exc)) from None
    except (PSException, EOFError) as exc:
        raise unreadable(name, "PDF", short(exc)) from None


def _pdf_places(data: bytes, name: str, limits: Limits) -> Iterator[tuple[str, str]]:
    with _pdf(data, name, limits) as document:
        for obj, page in read_pages(document, limits):
            yield f"PDF text, page {page.page_number}", _page_text(page.chars)
            annotations = [s for a in _resolved_list(obj.annots) for s in _annotation(a)]
            yield f"PDF annotation, page {page.page_number}", _with_json(annotations)
        for key, value in metadata(document).items():
            yield f"PDF metadata: {short(Exception(key))}", _with_json(_strings(value))
        yield "PDF XMP metadata", _xmp(document)
        yield "PDF outline", SEPARATE.join(_outline(document))


def _page_text(chars: list[dict]) -> str:
    """The page's glyphs as text: a new line where the baseline moves or the text goes back
    left, a space where a gap wider than a fifth of the type size stands between two glyphs."""
    out, before = [], None
    for char in chars:
        if before is not None:
            size = max(char["size"], before["size"], 1)
            if abs(char["top"] - before["top"]) > size / 2 or char["x1"] <= before["x0"]:
                out.append("\n")
            elif char["x0"] - before["x1"] > size / 5:
                out.append(" ")
        out.append(char["text"])
        before = char
    return "".join(out)


def _resolved_list(value) -> list:
    value = resolve1(value)
    return [resolve1(v) for v in value] if isinstance(value, list) else []


def _annotation(annotation) -> list[str]:
    """What an annotation says: its own strings (Contents, T, …) and its action's (a URI)."""
    if not isinstance(annotation, dict):
        return []
    own = [s for k, v in annotation.items() if k not in ("P", "Parent") for s in _shallow(v)]
    action = resolve1(annotation.get("A"))
    return own + (
        [s for v in action.values() for s in _shallow(v)] if isinstance(action, dict) else []
    )


def _shallow(value) -> list[str]:
    """A value's strings without following references (an annotation points to its page)."""
    return [] if isinstance(value, (PDFObjRef, dict)) else _strings(value)


def _xmp(document: PDFDocument) -> str:
    stream = resolve1(document.catalog.get("Metadata"))
    if not isinstance(stream, PDFStream):
        return ""
    raw = stream.get_data()
    try:
        return _joined(etree.fromstring(raw, _XML))
    except etree.XMLSyntaxError:
        return raw.decode("utf-8", "replace")


def _outline(document: PDFDocument) -> Iterator[str]:
    """Every bookmark's title and action, walked without recursion and never twice (a hostile
    outline may loop, or nest deeper than Python's stack)."""
    root = resolve1(document.catalog.get("Outlines"))
    todo = [root.get("First")] if isinstance(root, dict) else []
    seen: set = set()
    while todo:
        ref = todo.pop()
        key = ref.objid if isinstance(ref, PDFObjRef) else id(ref)
        entry = resolve1(ref)
        if key in seen or not isinstance(entry, dict):
            continue
        seen.add(key)
        yield from _strings(entry.get("Title"))
        yield from _annotation({"A": entry.get("A")})
        todo += [entry[k] for k in ("Next", "First") if k in entry]


# --- DOCX and XML -------------------------------------------------------------------------------

_XML = etree.XMLParser(
    resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False
)
# Word elements that stand for a character between runs.
_CHARACTERS = {"tab": " ", "br": " ", "cr": " ", "noBreakHyphen": "-", "softHyphen": ""}


def _docx_places(data: bytes, name: str, limits: Limits) -> Iterator[tuple[str, str]]:
    stream = io.BytesIO(data)
    stream.name = name  # Package names the file in its messages by its `name`
    with Package(stream, limits) as package:
        parts = package.zip.namelist()
        yield "DOCX part names", SEPARATE.join(parts)
        for part in parts:
            if part.lower().endswith((".xml", ".rels")):
                yield f"DOCX {short(Exception(part))}", _joined(package.xml(part))


def _joined(root) -> str:
    """An XML tree's text as pieces: each paragraph's runs joined (a value split over runs is
    whole again), every element's own text, and every attribute value (alt text, a link)."""
    pieces = []
    for element in root.iter():
        if not isinstance(element.tag, str):  # comments and processing instructions
            continue
        pieces += element.attrib.values()
        pieces += [t for t in (element.text, element.tail) if t and t.strip()]
        if etree.QName(element).localname == "p":
            pieces.append(_paragraph(element))
    return _with_json(pieces)


def _paragraph(paragraph) -> str:
    out = []
    for element in paragraph.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        if local in _CHARACTERS:
            out.append(_CHARACTERS[local])
        elif len(element) == 0 and element.text:
            out.append(element.text)
    return "".join(out)
