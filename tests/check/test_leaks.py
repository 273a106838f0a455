"""The leak check: a value the public copy must not hold is found wherever the file carries it,
one place at a time, in every form a document prints it in, and nowhere it is not."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.generic import NameObject, StreamObject, TextStringObject

from filings.check import Unreadable
from filings.check.leaks import Leak, find_leaks, forms
from filings.inputs.limits import Limits
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format

NDIL = load_format("ndil")
EOIR = load_format("eoir")  # its header prints {respondent} and {a_number}
A = "A-214-736-058"
REMOVED = {"a_number": forms("a_number", A), "arrest_place": forms("arrest_place", "Lakeshore")}
CLEAN = "<p>The court should stay the removal of the petitioner.</p>"
FIELDS = '<meta name="filings.respondent" content="Ana Pérez">'


def page(body: str = CLEAN, title: str = "Motion to stay removal", head: str = "") -> str:
    return (
        f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>{head}</head>'
        f"<body>{body}</body></html>"
    )


def pdf(html: str = "", fmt=NDIL) -> bytes:
    return convert("pdf", html or page(), fmt, Meta(where="doc"))[0]


def docx(html: str = "", fmt=NDIL, title: str = "Motion", author: str = "Counsel") -> bytes:
    meta = Meta(where="doc", title=title, author=author, date=dt.date(2025, 11, 14))
    return convert("docx", html or page(), fmt, meta)[0]


def places(kind: str, data: bytes, name: str = "", removed=None) -> list[str]:
    name = name or f"motion.{kind}"
    return [str(leak) for leak in find_leaks(kind, data, name, removed or REMOVED)]


# --- planted in one place at a time ----------------------------------------------------------


def with_pypdf(data: bytes, change) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def xmp(writer: PdfWriter) -> None:
    packet = (
        '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:description>'
        '<rdf:Alt><rdf:li xml:lang="x-default">Stay for A214736058</rdf:li></rdf:Alt>'
        '</dc:description></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    )
    stream = StreamObject()
    stream.set_data(packet.encode())
    stream[NameObject("/Type")] = NameObject("/Metadata")
    stream[NameObject("/Subtype")] = NameObject("/XML")
    writer._root_object[NameObject("/Metadata")] = writer._add_object(stream)


def renamed_bookmark(writer: PdfWriter) -> None:
    """The bookmark WeasyPrint made of the <h1>, retitled: the value in the outline alone."""
    outline = writer._root_object["/Outlines"].get_object()
    first = outline["/First"].get_object()
    assert first["/Title"] == "Argument"
    first[NameObject("/Title")] = TextStringObject("Argument for 214-736-058")


def link(writer: PdfWriter) -> None:
    writer.add_annotation(0, Link(rect=(72, 72, 144, 90), url="https://ex.test/?a=A214736058"))


PDF_PLANTS = {
    "text": (
        lambda: pdf(page(f"<p>The petitioner, {A}, asks for a stay.</p>")),
        ["PDF text, page 1"],
    ),
    "text, page 2": (
        lambda: pdf(page("<p>Paragraph.</p>" * 30 + f"<p>The petitioner, {A}.</p>")),
        ["PDF text, page 2"],
    ),
    "title": (lambda: pdf(page(title=f"Motion to stay, {A}")), ["PDF metadata: Title"]),
    "fields": (
        lambda: pdf(page(head=f'<meta name="filings.a_number" content="{A}">')),
        ["PDF metadata: FilingsFields"],
    ),
    "xmp": (lambda: with_pypdf(pdf(), xmp), ["PDF XMP metadata"]),
    "outline": (
        lambda: with_pypdf(pdf(page("<h1>Argument</h1>" + CLEAN)), renamed_bookmark),
        ["PDF outline"],
    ),
    "link": (lambda: with_pypdf(pdf(), link), ["PDF annotation, page 1"]),
}


@pytest.mark.parametrize("place", PDF_PLANTS)
def test_a_value_planted_in_one_place_of_a_pdf_is_found_there_alone(place):
    make, where = PDF_PLANTS[place]
    assert places("pdf", make()) == [f"a_number: found in the {w}" for w in where]


def test_an_h1_is_found_in_the_text_and_the_outline_it_becomes():
    data = pdf(page(f"<h1>Petitioner {A}</h1>" + CLEAN))
    assert places("pdf", data) == [
        "a_number: found in the PDF text, page 1",
        "a_number: found in the PDF outline",
    ]


def with_part(data: bytes, part: str, xml: str) -> bytes:
    """The DOCX with one part added or replaced, as someone editing the zip would."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for item in old.infolist():
            if item.filename != part:
                new.writestr(item, old.read(item))
        new.writestr(part, xml)
    return out.getvalue()


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
COMMENTS = (
    f'<?xml version="1.0"?><w:comments xmlns:w="{W}"><w:comment w:id="0" w:author="Clerk">'
    "<w:p><w:r><w:t>check A-214-</w:t></w:r><w:r><w:t>736-058</w:t></w:r></w:p>"
    "</w:comment></w:comments>"
)
APP = (
    '<?xml version="1.0"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
    '2006/extended-properties"><Company>Lakeshore &amp; Co</Company></Properties>'
)

DOCX_PLANTS = {
    "body": (lambda: docx(page(f"<p>The petitioner, {A}.</p>")), "word/document.xml", "a_number"),
    "split runs": (
        lambda: docx(page("<p>The petitioner, A-214-<b>736</b>-<i>05</i>8.</p>")),
        "word/document.xml",
        "a_number",
    ),
    "footnote": (
        lambda: docx(page(f'<p>Text.<span class="footnote">See {A}.</span></p>')),
        "word/footnotes.xml",
        "a_number",
    ),
    "core title": (lambda: docx(title=f"Motion, {A}"), "docProps/core.xml", "a_number"),
    "core author": (lambda: docx(author="Lakeshore Clinic"), "docProps/core.xml", "arrest_place"),
    "fields": (
        lambda: docx(page(head=f'<meta name="filings.a_number" content="{A}">')),
        "docProps/custom.xml",
        "a_number",
    ),
    "comments": (
        lambda: with_part(docx(), "word/comments.xml", COMMENTS),
        "word/comments.xml",
        "a_number",
    ),
    "app": (lambda: with_part(docx(), "docProps/app.xml", APP), "docProps/app.xml", "arrest_place"),
}


@pytest.mark.parametrize("place", DOCX_PLANTS)
def test_a_value_planted_in_one_part_of_a_docx_is_found_there_alone(place):
    make, part, field = DOCX_PLANTS[place]
    assert places("docx", make()) == [f"{field}: found in the DOCX {part}"]


def test_a_header_field_is_found_in_the_header_and_the_recorded_fields():
    """eoir's header prints {a_number}; the DOCX records its fields for `filings check` too."""
    data = docx(page(head=FIELDS + f'<meta name="filings.a_number" content="{A}">'), EOIR)
    found = places("docx", data)
    headers = [f for f in found if f.startswith("a_number: found in the DOCX word/header")]
    assert headers and found == [*headers, "a_number: found in the DOCX docProps/custom.xml"]


@pytest.mark.parametrize("kind, make", [("pdf", pdf), ("docx", docx)])
def test_the_file_name_is_searched(kind, make):
    assert places(kind, make(), f"stay-A214736058.{kind}") == ["a_number: found in the file name"]
    assert places(kind, make(), f"stay-{A[-3:]}.{kind}") == []


@pytest.mark.parametrize(
    "html",
    [
        page("<p>The petitioner, A-214-<b>736</b>-058.</p>"),
        page(head=f'<meta name="filings.a_number" content="{A}">'),
    ],
)
def test_an_html_copy_is_searched_in_its_text_and_attributes(html):
    assert places("html", html.encode()) == ["a_number: found in the HTML"]
    assert places("html", page().encode()) == []


@pytest.mark.parametrize("kind, make", [("pdf", pdf), ("docx", docx)])
def test_a_clean_document_has_no_leaks(kind, make):
    data = make(page(head=FIELDS + '<meta name="filings.a_number" content="A-XXX-XXX-058">'))
    assert places(kind, data) == []


# --- forms -------------------------------------------------------------------------------------


def test_forms_of_an_a_number():
    assert forms("a_number", A)[:4] == ("A-214-736-058", "A214736058", "214736058", "214-736-058")
    assert set(forms("a_number", "A214736058")) == set(forms("a_number", A))


def test_forms_of_an_eight_digit_a_number_with_and_without_its_leading_zero():
    found = forms("a_number", "A012345678")  # as the roster reader keeps it
    for form in ["A-12-345-678", "A12345678", "12345678", "12-345-678", "A-012-345-678"]:
        assert form in found


def test_forms_of_a_date():
    found = forms("arrest_date", dt.date(2025, 11, 14))
    for form in [
        "2025-11-14",
        "November 14, 2025",
        "Nov. 14, 2025",
        "11/14/2025",
        "14 de noviembre de 2025",
        "14 novembre 2025",
    ]:
        assert form in found
    assert "1er novembre 2025" in forms("arrest_date", dt.date(2025, 11, 1))


def test_a_coded_value_is_searched_as_the_words_it_prints_as():
    assert forms("risk_assessment", "high_risk") == (
        "high_risk",
        "High public-safety risk",
        "Alto riesgo para la seguridad pública",
    )


def test_text_is_searched_as_written_its_white_space_collapsed_and_short_values_not_at_all():
    assert forms("arrest_place", "  Lake \n Shore  ") == ("Lake Shore",)
    assert forms("notes", "no") == ()
    assert forms("notes", None) == ()


# --- matching ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "printed",
    [
        A,
        "A214736058",
        "214736058",
        "214-736-058",
        "A 214 736 058",
        "A-214-736-<br>058",
        "A214736<br>058",
    ],
)
def test_an_a_number_is_found_however_printed(printed):
    data = pdf(page(f"<p>The petitioner, {printed}, asks for a stay.</p>"))
    assert places("pdf", data) == ["a_number: found in the PDF text, page 1"]


@pytest.mark.parametrize("longer", ["123214736058", "2147360581", "A9214736058"])
def test_an_a_number_inside_a_longer_number_is_not_found(longer):
    data = pdf(page(f"<p>Receipt {longer} is on file.</p>"))
    assert places("pdf", data) == []


@pytest.mark.parametrize(
    "printed",
    [
        "2025-11-14",
        "November 14, 2025",
        "Nov. 14, 2025",
        "11/14/2025",
        "14 de noviembre de 2025",
        "14 novembre 2025",
        "NOVEMBER 14,\n2025",
    ],
)
def test_a_date_is_found_however_printed(printed):
    removed = {"arrest_date": forms("arrest_date", dt.date(2025, 11, 14))}
    data = pdf(page(f"<p>Arrested on {printed} near the river.</p>"))
    assert places("pdf", data, removed=removed) == ["arrest_date: found in the PDF text, page 1"]


def test_a_date_is_not_found_in_another_date():
    removed = {"arrest_date": forms("arrest_date", dt.date(2025, 1, 4))}
    data = pdf(page("<p>Filed 11/4/2025 and 1/14/2025.</p>"))
    assert places("pdf", data, removed=removed) == []


def test_text_is_found_whatever_its_case_and_unicode_form():
    removed = {"arrest_place": forms("arrest_place", unicodedata.normalize("NFD", "Peñasco Road"))}
    data = docx(page("<p>Arrested on PEÑASCO\n   ROAD.</p>"))
    assert places("docx", data, removed=removed) == [
        "arrest_place: found in the DOCX word/document.xml"
    ]


def test_a_leak_names_the_field_and_the_place_never_the_value():
    assert str(Leak("a_number", "PDF text, page 2")) == "a_number: found in the PDF text, page 2"


# --- hostile files -------------------------------------------------------------------------------


def looping_bookmark(writer: PdfWriter) -> None:
    """A bookmark that is its own next: an outline walked naively never ends."""
    outline = writer._root_object["/Outlines"].get_object()
    first = outline.raw_get("/First")  # the reference, not the object it names
    first.get_object()[NameObject("/Next")] = first
    first.get_object()[NameObject("/Title")] = TextStringObject("Lakeshore")


def test_a_looping_outline_is_read_once():
    data = with_pypdf(pdf(page("<h1>Argument</h1>" + CLEAN)), looping_bookmark)
    assert places("pdf", data) == ["arrest_place: found in the PDF outline"]


@pytest.mark.parametrize("kind, reason", [("pdf", "not a readable PDF"), ("docx", "not a zip")])
def test_a_file_that_cannot_be_read_is_unreadable_not_clean(kind, reason):
    with pytest.raises(Unreadable, match=reason):
        find_leaks(kind, b"garbage", f"motion.{kind}", REMOVED)


def test_a_pdf_stream_over_the_limit_is_refused_not_searched():
    with pytest.raises(Unreadable, match=r"more than 0\.001 MB.*pdf_stream_mb = 0\.001 MB"):
        find_leaks("pdf", pdf(), "motion.pdf", REMOVED, limits=Limits(pdf_stream_mb=0.001))
