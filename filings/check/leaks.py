"""The leak check: is a value the public copy must not hold anywhere in the file that leaves?

A redaction that only covers the text a reader sees is the classic failure: the value is still
in the text layer, the document information, the XMP packet, a bookmark, a link, a Word comment
or the file's name. `find_leaks` searches all of those, each place as a whole string, for every
form of every removed value (`forms`): an A-number with and without its dashes and its A, a date
as each language the project writes prints it. Text is compared as a reader's search would:
Unicode compatibility-normalised (NFKC), invisible format characters dropped, case folded, white
space collapsed. A leak names the field and the place, never the value: the value is what must
not leak, into a terminal or a log either.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from babel.dates import format_date
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
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.normalize import normalize_a_number
from filings.inputs.redaction import removed_values
from filings.templating.filters import LABELS, long_date

MIN_LENGTH = 4  # a shorter value ("Ana", "MX") would be found in every document
HYPHENS = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212-"  # "-" last: literal in a [class]
SEPARATE = "\x00"  # between pieces of a place that no value may run across (never white space)


# --- the forms a value is printed in -----------------------------------------------------------


def forms(field: str, value) -> tuple[str, ...]:
    """Every form a document could print a removed value in, for searching.

    An A-number (the field `a_number`, or a value written as one) with and without its dashes
    and its A, 8- and 7-digit ones also without their leading zeros: `A-214-736-058`,
    `A214736058`, `214736058`, `214-736-058`. A date (or an ISO date's text): ISO, `November
    14, 2025`, `Nov. 14, 2025`, `Nov 14, 2025`, `11/14/2025`, `11/14/25`, `14 November 2025`,
    `14 de noviembre de 2025`, `14 novembre 2025`. A roster code (`high_risk`): itself and its
    printed labels. Other text as written, its white space collapsed. A value shorter than
    `MIN_LENGTH` (4) characters has no forms: it is not searched, as it would match everywhere.
    """
    if value is None:
        return ()
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return _date_forms(value)
    text = " ".join(str(value).split())
    if len(text) < MIN_LENGTH:
        return ()
    if a_number := _a_number(field, text):
        return _a_number_forms(a_number)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return _date_forms(dt.date.fromisoformat(text))
        except ValueError:
            pass
    labels = [words[text] for words in LABELS.values() if text in words]
    return _unique([text, *labels])


def _a_number(field: str, text: str) -> str | None:
    """`A012345678` when the value is an A-number: in an A-number field, or written with its A."""
    if "a_number" not in field.lower() and not re.fullmatch(r"[Aa][\s-]?\d[\d\s-]{5,}", text):
        return None
    try:
        return normalize_a_number(text)
    except ValueError:
        return None


def _a_number_forms(a_number: str) -> tuple[str, ...]:
    significant = a_number[1:].lstrip("0")
    out = []
    for width in range(9, max(len(significant), 7) - 1, -1):
        digits = significant.zfill(width)
        grouped = "-".join(digits[max(0, i - 3) : i] for i in range(len(digits), 0, -3)[::-1])
        out += [f"A-{grouped}", f"A{digits}", digits, grouped]
    return _unique(out)


def _date_forms(day: dt.date) -> tuple[str, ...]:
    month = format_date(day, "MMMM", locale="en_US")
    abbr = format_date(day, "MMM", locale="en_US")
    out = [
        day.isoformat(),
        long_date({}, day, "en"),
        f"{abbr}. {day.day}, {day.year}" if abbr != month else "",
        f"{abbr} {day.day}, {day.year}",
        f"Sept. {day.day}, {day.year}" if day.month == 9 else "",
        f"{day.month}/{day.day}/{day.year}",
        f"{day:%m/%d/%Y}",
        f"{day.month}/{day.day}/{day:%y}",
        f"{day.day} {month} {day.year}",
        long_date({}, day, "es"),
        long_date({}, day, "fr"),
        format_date(day, "long", locale="fr"),  # "1 novembre", as well as the "1er" we print
    ]
    return _unique(form for form in out if form)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


# --- matching ----------------------------------------------------------------------------------

_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]")
_DIGIT_FORM = re.compile(f"(?:a[ {HYPHENS}]?)?\\d[\\d {HYPHENS}]*")
# Between two digits of a number: nothing, white space (a line break), or a hyphen with white
# space on either side (one the document prints, or one a PDF put at a line's end).
_BETWEEN_DIGITS = f"(?:\\s?[{HYPHENS}]\\s?|\\s)?"


def normalized(text: str) -> str:
    """Text as searched: NFKC (so a no-break space, a ligature or a full-width digit is the
    plain one), invisible marks dropped (soft hyphens, direction marks), case folded, white
    space collapsed to one space."""
    text = _INVISIBLE.sub("", unicodedata.normalize("NFKC", text))
    text = unicodedata.normalize("NFKC", text.casefold())
    return re.sub(r"\s+", " ", text)


def _pattern(form: str) -> str | None:
    text = normalized(form).strip()
    if len(text) < MIN_LENGTH:
        return None
    if _DIGIT_FORM.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) >= MIN_LENGTH:  # a run of digits, not inside a longer one
            return "(?<!\\d)" + _BETWEEN_DIGITS.join(digits) + "(?!\\d)"
    out = []
    for char in text:
        if char == " ":
            out.append(" ?")  # a PDF's line may end without a space glyph
        elif char in HYPHENS:
            out.append(f"[{HYPHENS}] ?")
        else:
            out.append(re.escape(char))
    start = "(?<!\\w)" if re.match(r"\w", text) else ""
    end = "(?!\\w)" if re.match(r"\w", text[-1]) else ""
    return start + "".join(out) + end


def _compiled(field_forms) -> re.Pattern | None:
    patterns = _unique(p for p in map(_pattern, field_forms) if p)
    return re.compile("|".join(patterns)) if patterns else None


# --- the leaks -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Leak:
    """A removed value found in a public copy: the roster field it belongs to and the place."""

    field: str  # "a_number"
    where: str  # "PDF text, page 3", "PDF metadata: Title", "DOCX word/header1.xml", "file name"

    def __str__(self) -> str:
        return f"{self.field}: found in the {self.where}"


def find_leaks(
    kind: str,
    data: bytes,
    file_name: str,
    removed: dict[str, tuple[str, ...]],
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> list[Leak]:
    """Every (field, place) of one written public copy (`kind` pdf, docx or html) that holds a
    removed value (`removed`: field -> its `forms`), in the order of the places: the file name;
    a PDF's text page by page with its annotations, its document information key by key, its
    XMP packet and its outline; every XML part of a DOCX and the parts' names. A file that
    cannot be read raises `Unreadable`, as `filings check` does."""
    patterns = {field: p for field, fs in removed.items() if (p := _compiled(fs))}
    leaks: list[Leak] = []
    if not patterns:
        return leaks
    for where, text in _places(kind.lower().lstrip("."), data, file_name, limits):
        haystack = normalized(text)
        for field, pattern in patterns.items():
            leak = Leak(field, where)
            if leak not in leaks and pattern.search(haystack):
                leaks.append(leak)
    return leaks


def _places(kind: str, data: bytes, file_name: str, limits: Limits) -> Iterator[tuple[str, str]]:
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


# --- what a public copy must not hold ----------------------------------------------------------


def court_text(case) -> str:
    """Everything the case file says, as the search compares text."""
    return normalized(json.dumps(dataclasses.asdict(case), default=str, ensure_ascii=False))


def removed_forms(person, policy, court: str = "") -> dict[str, tuple[str, ...]]:
    """Each value the policy removed from the person's record, in every form it could print in,
    less any form the court's own text holds (`court_text`: the order's release terms speak of
    "a high public-safety risk", which is not that person's assessment). A coded value (a risk
    assessment: `pending`, `high_risk`) is a category many people share, which a count table
    prints by right; redaction keeps the person's own out of the record, and it is not searched."""
    codes = {code for words in LABELS.values() for code in words}
    return {
        name: tuple(form for form in forms(name, value) if normalized(form) not in court)
        for name, value in removed_values(person, policy).items()
        if not (isinstance(value, str) and value in codes)
    }


def removed_from(people, policy, court: str = "") -> dict[str, tuple[str, ...]]:
    """`removed_forms` for a document about several people, each searched in one pass: a field
    is named with its person's row (`notes (roster.csv:7)`)."""
    found = {}
    for person in people:
        for name, shown in removed_forms(person, policy, court).items():
            found[f"{name} ({person.source})" if len(people) > 1 else name] = shown
    return found
