"""The built-in templates rendered for the fixtures, read back as a person would read them."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import unicodedata
from pathlib import Path

import docx
import pytest
from conftest import CASE, ROOT, ROSTER, write
from textof import docx_footer, docx_footnotes, docx_paragraphs, pdf_body, pdf_pages, squeeze

from filings.build import run as build

# Every fixture row through both renderers, once for the module: end to end.
pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("FILINGS_REGENERATE_GOLDEN") == "1"


@pytest.fixture(scope="session")
def built(tmp_path_factory, detainees):
    out = tmp_path_factory.mktemp("build")
    report = build.build(CASE, ROSTER, out)
    return out, report


def sample_people(detainees, which=("emergency", "released", "arabic")):
    """The fixture rows the golden files and cross-format checks look at."""
    picks = {
        "emergency": next(
            d
            for d in detainees
            if d.removal_date and d.custody_status == "detained" and d.preferred_language == "es"
        ),
        "released": next(d for d in detainees if d.custody_status == "released"),
        "arabic": next(d for d in detainees if d.preferred_language == "ar"),
        "final_order": next(
            d for d in detainees if d.proceedings == "final_order" and d.next_hearing_date
        ),
    }
    return [picks[w] for w in which]


def documents(out: Path, detainees):
    for person in sample_people(detainees):
        for template in ("stay-motion", "release-notice"):
            [pdf] = (out / template).glob(f"{person.a_number}-*.pdf")
            yield pdf
    yield out / "status-report" / "status-report.pdf"
    yield out / "omnibus-stay-motion" / "omnibus-stay-motion.pdf"  # Exhibit A: a long table
    yield out / "motion-to-seal" / "motion-to-seal.pdf"  # made as a public copy


def not_applicable(out: Path) -> set[tuple[str, str]]:
    """(template, A-number) of each document OUT/not-applicable.csv lists."""
    with (out / "not-applicable.csv").open(encoding="utf-8-sig", newline="") as f:
        return {(row["template"], row["a_number"]) for row in csv.DictReader(f)}


def test_every_fixture_row_gets_each_document_it_is_for_in_both_formats(built, detainees):
    """Every row is accounted for, for each template: both files, or listed as not applicable."""
    out, report = built
    assert [o.error for o in report.failed] == []
    skipped = not_applicable(out)
    for template in ("stay-motion", "release-notice", "eoir-stay-motion"):
        for person in detainees:
            found = sorted(p.suffix for p in (out / template).glob(f"{person.a_number}-*"))
            expected = [] if (template, person.a_number) in skipped else [".docx", ".pdf"]
            assert found == expected, (template, person.a_number)
        made = len(list((out / template).glob("*.pdf")))
        listed = sum(1 for t, _ in skipped if t == template)
        assert made + listed == len(detainees) == report.template_rows()[template]["rows"]
    assert sorted(p.name for p in (out / "status-report").iterdir()) == [
        "status-report.docx",
        "status-report.pdf",
    ]
    assert not list(out.rglob("*.tmp"))


EXHIBIT_HEADING = squeeze("No. Name A-number Facility Removal date Custody status")


def test_pdf_and_docx_hold_the_same_text_in_the_same_order(built, detainees):
    """The same words in the same order; a footnote, which Word keeps apart and the PDF prints
    at the foot of its page, once in each."""
    out, _ = built
    notes = 0
    for pdf in documents(out, detainees):
        from_docx = squeeze("".join(docx_paragraphs(pdf.with_suffix(".docx"))))
        from_pdf = squeeze(pdf_body(pdf))
        # A long table's heading row is printed atop each of its pages; Word's is one row.
        first = from_pdf.find(EXHIBIT_HEADING) + len(EXHIBIT_HEADING)
        from_pdf = from_pdf[:first] + from_pdf[first:].replace(EXHIBIT_HEADING, "")
        for note in docx_footnotes(pdf.with_suffix(".docx")):
            assert from_pdf.count(squeeze(note)) == 1, (pdf.name, note)
            from_pdf, notes = from_pdf.replace(squeeze(note), ""), notes + 1
        # pdftotext gives right-to-left lines in its own order (a notice's Arabic tagline wraps):
        # the same characters, and everything else in the same order.
        assert sorted(from_pdf) == sorted(from_docx), pdf.name
        assert comparable(from_pdf) == comparable(from_docx), pdf.name
    assert notes  # the stay motion has one


def test_names_print_exactly_as_the_roster_writes_them(built, detainees):
    out, _ = built
    for person in detainees:
        if ("stay-motion", person.a_number) in not_applicable(out):
            continue
        [pdf] = (out / "stay-motion").glob(f"{person.a_number}-*.pdf")
        text = squeeze(pdf_body(pdf))
        # A court filing names the person as DHS records the name (its Latin form, when given).
        assert squeeze(person.court_name) in text, person.a_number
        assert person.a_number_display in text
        assert squeeze(person.court_name) in squeeze(
            " ".join(docx_paragraphs(pdf.with_suffix(".docx")))
        )


def test_data_that_looks_like_markup_prints_as_written(tmp_path, detainees):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates" / "_shared", templates / "_shared")
    write(
        templates / "notes" / "template.yaml",
        "title: Notes\ndescription: The notes column\n"
        "kind: per-detainee\nformat: ndil\nmain: notes.html.j2\noutput: '{a_number}'\n",
    )
    write(
        templates / "notes" / "notes.html.j2",
        '{% extends "_shared/base.html.j2" %}'
        "{% block body %}<p>{{ detainee.notes }}</p>{% endblock %}",
    )
    [person] = [d for d in detainees if d.notes and "{{" in d.notes]
    roster = write(
        tmp_path / "roster.csv",
        "a_number,family_name,given_name,custody_status,notes\n"
        f'{person.a_number},X,Y,detained,"{person.notes.replace(chr(34), chr(34) * 2)}"\n',
    )
    report = build.build(CASE, roster, tmp_path / "out", templates_dirs=[templates])
    assert not report.failed
    pdf = tmp_path / "out" / "notes" / f"{person.a_number}.pdf"
    assert "Tom & Jerry's <b>bold</b> {{ 7*7 }}" in pdf_body(pdf)
    assert docx_paragraphs(pdf.with_suffix(".docx")) == [person.notes]


def test_every_page_is_numbered_page_x_of_y(built, detainees):
    out, _ = built
    # The omnibus motion is left out of the PDF/DOCX text comparisons: its exhibit's wrapped
    # cells extract in another order, and its header row repeats on each PDF page.
    omnibus = out / "omnibus-stay-motion" / "omnibus-stay-motion.pdf"
    for pdf in [*documents(out, detainees), omnibus]:
        pages = pdf_pages(pdf)
        for number, text in enumerate(pages, start=1):
            assert f"Page {number} of {len(pages)}" in text, (pdf.name, number)


@pytest.mark.parametrize("lang, words", [("es", "Página {} de {}"), ("fr", "Page {} sur {}")])
def test_a_notice_numbers_its_pages_in_the_readers_language_in_both_formats(
    built, detainees, lang, words
):
    """The notice format's footer has Spanish and French translations; a notice for a reader of
    either language numbers its pages in it, then in English (the notice holds both)."""
    out, _ = built
    person = next(p for p in detainees if p.preferred_language == lang)
    [pdf] = (out / "release-notice").glob(f"{person.a_number}-*.pdf")
    pages = pdf_pages(pdf)
    for number, text in enumerate(pages, start=1):
        footer = f"{words.format(number, len(pages))} / Page {number} of {len(pages)}"
        assert footer in text, (pdf.name, number)
    footer = docx_footer(pdf.with_suffix(".docx"))
    assert footer.startswith(words.format("PAGE", "NUMPAGES")), footer


GOLDEN_PEOPLE = {
    "eoir-stay-motion": ("emergency", "arabic", "final_order"),
    "status-report": (),
    "omnibus-stay-motion": (),
}


@pytest.mark.parametrize(
    "template",
    ["stay-motion", "release-notice", "status-report", "eoir-stay-motion", "omnibus-stay-motion"],
)
def test_golden_text(built, detainees, template):
    """The documents' words for a few fixture rows, checked against reviewed golden files."""
    out, _ = built
    which = GOLDEN_PEOPLE.get(template, ("emergency", "released", "arabic"))
    people = sample_people(detainees, which) if which else [None]
    for person in people:
        stem = f"{person.a_number}-*" if person else template
        [pdf] = (out / template).glob(f"{stem}.pdf")
        for kind, text in (
            ("pdf", "\n".join(pdf_pages(pdf))),
            (
                "docx",
                "\n".join(
                    docx_paragraphs(pdf.with_suffix(".docx"))
                    + docx_footnotes(pdf.with_suffix(".docx"))
                ),
            ),
        ):
            golden = GOLDEN / template / f"{pdf.stem}.{kind}.txt"
            if REGENERATE:
                golden.parent.mkdir(parents=True, exist_ok=True)
                golden.write_text(text + "\n", encoding="utf-8")
            assert text + "\n" == golden.read_text(encoding="utf-8"), golden.name


def test_docx_uses_the_pdf_fonts_and_sizes(built, detainees):
    out, _ = built
    pdf = out / "stay-motion" / next((out / "stay-motion").glob("*.pdf")).name
    document = docx.Document(str(pdf.with_suffix(".docx")))
    body = document.styles["Body Text"]
    assert (body.font.size.pt, body.paragraph_format.line_spacing.pt) == (12, 24)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    assert "Liberation-Serif" in fonts.stdout


@pytest.mark.libreoffice
def test_libreoffice_opens_each_docx_and_paginates_it_like_the_pdf(built, detainees, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.fail("LibreOffice is not installed; scripts/test installs it")
    out, _ = built
    pdfs = list(documents(out, detainees))
    docxs = [p.with_suffix(".docx") for p in pdfs]
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "lo"),
            *map(str, docxs),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for pdf in pdfs:
        converted = tmp_path / "lo" / pdf.name
        assert converted.exists(), f"LibreOffice could not open {pdf.with_suffix('.docx').name}"
        ours, theirs = len(pdf_pages(pdf)), len(pdf_pages(converted))
        assert ours == theirs, (pdf.name, ours, theirs)
        assert comparable(pdf_body(converted)) == comparable(pdf_body(pdf)), pdf.name


def comparable(text: str) -> str:
    """LibreOffice's PDFs store right-to-left runs in visual order, and some complex-script glyphs
    without their characters (as U+0001); compare all the rest exactly (marks on right-to-left
    letters and the punctuation between right-to-left sentences go with them)."""
    return "".join(
        c
        for c in squeeze(text)
        if unicodedata.category(c) != "Cc"
        and unicodedata.bidirectional(c) not in ("R", "AL", "NSM", "RLE", "RLO", "RLI", "PDF")
        and c not in "،.:"
    )


def table_pages(pages: list[str]) -> list[tuple[int, int]]:
    """Each count table's first and last page: its heading row, then its Total row."""
    flat = [" ".join(p.split()) for p in pages]
    spans = []
    for heading in (
        "Custody status Class members",
        "Risk assessment Class members",
        "Facility Class members",
        "Type of arrest People",
    ):
        first = next(n for n, text in enumerate(flat) if heading in text)
        after = [flat[first][flat[first].index(heading) :], *flat[first + 1 :]]
        last = first + next(n for n, text in enumerate(after) if "Total" in text)
        spans.append((first + 1, last + 1))
    return spans


@pytest.mark.libreoffice
def test_libreoffice_starts_and_ends_each_status_report_table_on_the_pdfs_pages(built, tmp_path):
    out, _ = built
    pdf = out / "status-report" / "status-report.pdf"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(pdf.with_suffix(".docx")),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    assert table_pages(pdf_pages(tmp_path / pdf.name)) == table_pages(pdf_pages(pdf))
