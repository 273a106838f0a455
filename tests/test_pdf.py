from __future__ import annotations

import io

import pypdf
import pytest

from filings.errors import FilingsError
from filings.formats import load_format
from filings.pdf import renderer, stylesheet


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'


def test_the_stylesheet_comes_from_the_court_format():
    css = stylesheet(load_format("ndil"))
    assert "size: 612pt 792pt; margin: 72pt 72pt 72pt 72pt" in css
    assert "p { font-size: 12pt; line-height: 24pt;" in css
    assert 'content: "Page " counter(page) " of " counter(pages) ""' in css


def test_a_pdf_has_the_court_page_embedded_fonts_and_page_numbers():
    data, pages = renderer("ndil").render(
        page("<p>Nguyễn Thị Hương, José Peña, يوسف حداد, 李明华</p>")
    )
    pdf = pypdf.PdfReader(io.BytesIO(data))
    assert pages == len(pdf.pages) == 1
    box = pdf.pages[0].mediabox
    assert (float(box.width), float(box.height)) == (612, 792)
    text = pdf.pages[0].extract_text()
    assert "Nguyễn Thị Hương, José Peña" in text and "李明华" in text
    assert "Page 1 of 1" in text
    fonts = {f["/BaseFont"].split("+", 1)[1] for f in _fonts(pdf)}
    assert fonts >= {"Liberation-Serif", "Noto-Naskh-Arabic", "Noto-Serif-CJK-SC"}
    assert all("/FontFile2" in d or "/FontFile3" in d for d in _descriptors(pdf))


def test_nothing_is_fetched_and_a_warning_fails_the_document():
    with pytest.raises(FilingsError) as exc:
        renderer("ndil").render(page('<p>x</p><link rel="stylesheet" href="http://example.com/a.css">'),
                                where="test doc")  # fmt: skip
    assert exc.value.message.startswith("test doc: WeasyPrint: Failed to load stylesheet")


def _fonts(pdf):
    for p in pdf.pages:
        for font in p["/Resources"]["/Font"].values():
            yield font.get_object()


def _descriptors(pdf):
    for font in _fonts(pdf):
        for descendant in font.get("/DescendantFonts", []):
            yield descendant.get_object()["/FontDescriptor"].get_object()
