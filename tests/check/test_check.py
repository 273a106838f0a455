"""The checker measures what was rendered against the court format's rules."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pypdf
import pytest
from textof import docx_paragraphs, pdf_pages, squeeze

from filings.check import Expected, check_docx, check_files, check_pdf
from filings.check.page import read_page
from filings.check.page_rules import _call
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.templating.render import RosterSummary, render_html
from filings.templating.templates import discover, make_environment

BROKEN = Path(__file__).parent / "formats" / "broken"  # a templates folder with only _formats/


def in_immigration_court(person):
    """The row with what the eoir template is for: a final order, a motion to reopen, the
    person's court and attorney there (rendered directly, past the template's applies_to)."""
    return dataclasses.replace(
        person,
        immigration_court="Chicago",
        attorney="okafor",
        proceedings="final_order",
        motion_to_reopen_date=person.arrest_date,
    )


@pytest.fixture(scope="module")
def render(tmp_path_factory, case, detainees):
    out = tmp_path_factory.mktemp("checked")
    env, templates = make_environment(), discover()

    def render(template: str, fmt: str, person=None, search=(), case_file=case) -> Path:
        html = render_html(env, templates[template], case_file, person, RosterSummary(detainees))
        stem = out / f"{template}-{fmt}-{person.a_number if person else 'roster'}"
        meta = Meta(where=stem.name, title="T", author="A", date=case.filing_date)
        data, _ = convert("pdf", html, load_format(fmt, search), meta)
        stem.with_suffix(".pdf").write_bytes(data)
        docx, _ = convert("docx", html, load_format(fmt, search), meta)
        stem.with_suffix(".docx").write_bytes(docx)
        return stem.with_suffix(".pdf")

    return render


@pytest.fixture(scope="module")
def emergency(detainees):
    return next(d for d in detainees if d.removal_date and d.custody_status == "detained")


@pytest.fixture(scope="module")
def released(detainees):
    return next(d for d in detainees if d.custody_status == "released")


@pytest.mark.parametrize(
    "template, fmt",
    [("stay-motion", "ndil"), ("release-notice", "notice"), ("status-report", "ndil")],
)
def test_the_documents_pass_in_their_formats_in_pdf_and_docx(render, emergency, template, fmt):
    pdf = render(template, fmt, None if template == "status-report" else emergency)
    results = check_files([pdf, pdf.with_suffix(".docx")])  # the format is read from the files
    assert {p.name: [str(f) for f in found] for p, found in results.items()} == {
        pdf.name: [],
        pdf.with_suffix(".docx").name: [],
    }


def test_a_broken_format_is_caught_with_the_page_and_the_value(render, emergency):
    pdf = render("stay-motion", "ndil-broken", emergency, search=[BROKEN])
    found = [str(f) for f in check_pdf(pdf, load_format("ndil"))]
    assert any(
        f.startswith(f"{pdf.name}: pages 1-")
        and f.endswith(": body text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))")
        for f in found
    )
    left = re.escape(
        ": text 36.0 pt from the left edge; ndil needs a left margin of at least 72 pt (LR 5.2(c))"
    )
    assert any(re.fullmatch(rf"{re.escape(pdf.name)}: pages 1-.*{left}", f) for f in found)
    # The broken copy keeps the N.D. Ill. rules, so the file's own format name catches it too.
    inferred = [f.rule for f in check_files([pdf], search=[BROKEN])[pdf]]
    assert {"body_size", "margins"} <= set(inferred)
    docx = [str(f) for f in check_docx(pdf.with_suffix(".docx"), load_format("ndil"))]
    assert (
        f"{pdf.stem}.docx: section 1: left margin 36.0 pt; "
        "ndil needs a left margin of at least 72 pt (LR 5.2(c))"
    ) in docx
    assert any("(Body Text): text 11.0 pt; ndil needs at least 12 pt" in f for f in docx)


def test_the_page_limit_holds_unless_the_case_file_records_leave(render, emergency):
    pdf = render("stay-motion", "ndil", emergency)
    tight = dataclasses.replace(
        load_format("ndil"),
        rules=dataclasses.replace(
            load_format("ndil").rules,
            page_limit=dataclasses.replace(load_format("ndil").rules.page_limit, value=2),
        ),
    )
    found = [str(f) for f in check_pdf(pdf, tight)]
    assert found == [
        f"{pdf.name}: {len(pdf_pages(pdf))} pages; ndil needs at most 2 without leave "
        "of court (page_limit_leave: true in the case file records leave) (LR 7.1; "
        "more pages need leave of court)"
    ]
    assert check_pdf(pdf, tight, leave_to_exceed=True) == []


def test_the_eoir_cover_names_the_respondent_and_marks_detention(render, case, emergency):
    pdf = render("eoir-stay-motion", "eoir", in_immigration_court(emergency))
    pages = pdf_pages(pdf)
    cover = squeeze(pages[0])
    for text in (
        "EMERGENCY MOTION TO STAY REMOVAL",
        emergency.full_name,
        emergency.a_number_display,
        "IMMIGRATION COURT",
        "CHICAGO, ILLINOIS",
        "DETAINED",
    ):
        assert squeeze(text) in cover, text
    with pdfplumber.open(pdf) as opened:
        page = read_page(opened.pages[0], load_format("eoir"), {})
    [label] = [s for s in page.furniture if s.text == "DETAINED"]
    assert label.x0 > page.width / 2 and label.bottom < 72  # the top right, above the text
    assert len(pages) > 1 and all(emergency.a_number_display in text for text in pages)
    text = squeeze("".join(pages))
    for part in (
        "ORDER OF THE IMMIGRATION JUDGE",
        "[ ] GRANTED",
        "[ ] DENIED",
        "PROOF OF SERVICE",
        "Office of the Principal Legal Advisor",
        "8 C.F.R. § 1003.23(b)(1)(v)",
    ):
        assert squeeze(part) in text, part
    expect = Expected(a_number=emergency.a_number, detained=True)
    assert check_pdf(pdf, load_format("eoir"), expect=expect) == []
    assert check_docx(pdf.with_suffix(".docx"), load_format("eoir"), expect=expect) == []
    assert check_files([pdf, pdf.with_suffix(".docx")]) == {pdf: [], pdf.with_suffix(".docx"): []}
    wrong = [
        f.rule
        for f in check_pdf(
            pdf, load_format("eoir"), expect=Expected("A-999-999-999", detained=False)
        )
    ]
    assert wrong.count("a_number") == 1 and "detained" in wrong  # every page, merged; the label


def test_a_released_respondent_has_no_detained_label(render, case, released):
    pdf = render("eoir-stay-motion", "eoir", in_immigration_court(released))
    assert "DETAINED" not in pdf_pages(pdf)[0]
    assert "MOTION TO STAY REMOVAL" in pdf_pages(pdf)[0]
    assert check_files([pdf, pdf.with_suffix(".docx")]) == {pdf: [], pdf.with_suffix(".docx"): []}


def test_pleading_paper_numbers_28_lines_on_every_page_with_the_text_on_them(render, emergency):
    pdf = render("stay-motion", "pleading", emergency)
    fmt = load_format("pleading")
    with pdfplumber.open(pdf) as opened:
        pages = [read_page(p, fmt, {}) for p in opened.pages]
    for page in pages:
        assert [int(s.text) for s in page.ruler] == list(range(1, 29))
        numbered = {round(s.baseline, 1) for s in page.ruler}
        assert page.body, page.number  # all() of no lines would pass
        lines = [s for s in page.body if not _call(s, page.body)]  # a raised footnote number
        assert all(round(s.baseline, 1) in numbered for s in lines), page.number
    assert check_files([pdf, pdf.with_suffix(".docx")]) == {pdf: [], pdf.with_suffix(".docx"): []}
    assert "<w:lnNumType" not in _xml(pdf.with_suffix(".docx"), "word/document.xml")


@pytest.mark.slow
@pytest.mark.libreoffice
def test_libreoffice_lays_the_pleading_docx_out_on_its_ruler(render, emergency, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed; scripts/test installs it")
    docx = render("stay-motion", "pleading", emergency).with_suffix(".docx")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    converted = tmp_path / f"{docx.stem}.pdf"
    assert check_files([converted], "pleading") == {converted: []}


def test_a_pdf_a_2b_document_still_passes_and_keeps_its_text(case, emergency, tmp_path, detainees):
    html = render_html(
        make_environment(), discover()["stay-motion"], case, emergency, RosterSummary(detainees)
    )
    data, _ = convert("pdf", html, load_format("ndil"), Meta(where="pdf/a", pdf_variant="pdf/a-2b"))
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(data)
    assert check_files([pdf]) == {pdf: []}
    assert squeeze(emergency.full_name) in squeeze("".join(pdf_pages(pdf)))
    # No PDF/A validator installs from PyPI or Debian (veraPDF is Java, packaged for neither):
    # what is checked instead is the PDF/A identification, the output intent and (above) the fonts.
    root = pypdf.PdfReader(pdf).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert re.search(rb"pdfaid:part(>|=\")2", xmp) and re.search(
        rb"pdfaid:conformance(>|=\")B", xmp
    )
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"


def test_a_missing_glyph_and_an_image_only_page_are_reported(tmp_path):
    from weasyprint import HTML

    pdf = tmp_path / "bad.pdf"
    HTML(
        string='<html><body style="font-family: Liberation Serif"><p>x \ue000</p>'
        '<p style="break-before: page"></p>&nbsp;</body></html>'
    ).write_pdf(pdf)
    rules = {f.rule for f in check_pdf(pdf, load_format("ndil"))}
    assert {"glyphs", "paper"} <= rules


def test_files_that_cannot_be_checked_say_why(tmp_path):
    text = tmp_path / "notes.txt"
    text.write_text("x")
    bare = tmp_path / "bare.pdf"
    from weasyprint import HTML

    HTML(string="<p>x</p>").write_pdf(bare)
    results = check_files([text, bare])
    assert [str(f) for f in results[text]] == [
        "notes.txt: a .txt file; filings check reads .pdf and .docx files"
    ]
    assert [str(f) for f in results[bare]] == [
        "bare.pdf: no court format recorded in the file; name one with --format"
    ]


def _xml(path: Path, part: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read(part).decode()


def test_the_docx_records_its_format_and_fields(render, case, emergency):
    pdf = render("eoir-stay-motion", "eoir", in_immigration_court(emergency))
    docx = pdf.with_suffix(".docx")
    assert "<cp:category>eoir</cp:category>" in _xml(docx, "docProps/core.xml")
    assert emergency.a_number_display in _xml(docx, "docProps/custom.xml")
    assert "DETAINED" in _xml(docx, "word/header2.xml") + _xml(docx, "word/header1.xml")
    assert emergency.full_name in " ".join(docx_paragraphs(docx))


GLYPH_KEYS = ("text", "x0", "x1", "top", "bottom", "size", "upright", "matrix")


def _glyphs(pages) -> list[list[dict]]:
    return [[{k: c[k] for k in GLYPH_KEYS} for c in page.chars] for page in pages]


@pytest.mark.slow
def test_the_checkers_reader_gives_the_glyphs_pdfplumber_gives(render, case, emergency, detainees):
    """filings.check.reader computes upright glyph boxes in one loop instead of through pdfplumber;
    every box must still be the very float pdfplumber gives, in every format and script."""
    from filings.check import reader

    def ours(pdf):
        with reader.opened(pdf) as document:
            return _glyphs(page for _, page in reader.read_pages(document))

    def pdfplumbers(pdf):
        with pdfplumber.open(pdf) as opened:
            return _glyphs(opened.pages)

    arabic = next(d for d in detainees if d.preferred_language == "ar")
    pdfs = [
        render("stay-motion", "pleading", emergency),
        render("eoir-stay-motion", "eoir", in_immigration_court(emergency)),
        render("release-notice", "notice", arabic),
        render("status-report", "ndil"),
    ]
    for pdf in pdfs:
        assert ours(pdf) == pdfplumbers(pdf), pdf.name


def _pdf_with_text_operators(path: Path) -> Path:
    """A page with what WeasyPrint never writes: character and word spacing, horizontal
    scaling, a rise, kerning, a scaled and a mirrored text matrix, a media box off the origin."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, RectangleObject

    writer = PdfWriter()
    page = writer.add_blank_page(612, 792)
    page.mediabox = RectangleObject((10, 20, 622, 812))
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )
    page[NameObject("/Resources")] = DictionaryObject(
        {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
    )
    content = DecodedStreamObject()
    content.set_data(
        b"BT /F1 12 Tf 72 700 Td 2 Tc 3 Tw 90 Tz 1.5 Ts"
        b" [(Pe\\361a y) -250 (Ruiz) 400 (A 1)] TJ ET\n"
        b"BT /F1 1 Tf 11 0 0 13 80 600 Tm (Scaled text) Tj T* (next line) ' ET\n"
        b"BT /F1 12 Tf -1 0 0 1 500 500 Tm (mirrored) Tj ET\n"
        b"q 1 0 0 1 30 -40 cm BT /F1 10 Tf 100 300 Td (moved by the CTM) Tj ET Q\n"
    )
    page[NameObject("/Contents")] = writer._add_object(content)
    with open(path, "wb") as stream:
        writer.write(stream)
    return path


def test_the_readers_own_arithmetic_matches_pdfplumber_for_every_text_operator(tmp_path):
    from filings.check import reader

    pdf = _pdf_with_text_operators(tmp_path / "operators.pdf")
    with reader.opened(pdf) as document:
        ours = _glyphs(page for _, page in reader.read_pages(document))
    with pdfplumber.open(pdf) as opened:
        theirs = _glyphs(opened.pages)
    assert "".join(c["text"] for c in theirs[0]).startswith("Peña yRuizA 1Scaled")
    assert ours == theirs


def test_footnotes_under_the_courts_size_are_found_in_both_formats(case, emergency, tmp_path):
    """LR 5.2(c): footnotes at least 11-point. The stay motion's footnote, set at 10 points,
    is found in the PDF (at the foot of its page) and in the DOCX (in footnotes.xml); its raised
    number is not text of another size."""
    ndil = load_format("ndil")
    small = dataclasses.replace(ndil.styles["footnote"], size=10)
    fmt = dataclasses.replace(ndil, styles={**ndil.styles, "footnote": small})
    html = render_html(
        make_environment(), discover()["stay-motion"], case, emergency, RosterSummary([emergency])
    )
    meta = Meta(where="fn", title="T", author="A", date=case.filing_date)
    found = []
    for kind in ("pdf", "docx"):
        path = tmp_path / f"fn.{kind}"
        path.write_bytes(convert(kind, html, fmt, meta)[0])
        found += [str(f) for f in (check_pdf if kind == "pdf" else check_docx)(path, ndil)]
    need = "ndil needs at least 11 pt (LR 5.2(c))"
    assert found == [
        f"fn.pdf: page 2: footnote text 10.0 pt; {need}",
        f"fn.docx: footnote 1: footnotes 10.0 pt; {need}",
    ]
