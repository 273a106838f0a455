"""The PDF's text layer: search and copy find every name exactly as the roster spells it."""

from __future__ import annotations

import csv
import io
import subprocess
import unicodedata

import pytest
from conftest import ROSTER
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTTextLine
from test_glyphs import SCRIPTS, SHARED_GLYPHS, page, visible

from filings.outputs.convert import convert
from filings.outputs.formats import load_format
from filings.outputs.pdf import text_layer
from filings.outputs.pdf.glyph_text import run_texts
from filings.outputs.pdf.weasyprint_internals import ORIGINAL, TextLayerError, check_internals


def _roster_names() -> list[tuple[str, str]]:
    with ROSTER.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return [
        (row[key], row["preferred_language"] or "en")
        for row in rows
        for key in ("family_name", "given_name")
    ]


# Every name of the fixture roster and of tests/test_glyphs.py, with its language.
NAMES = [
    *_roster_names(),
    *((name, lang) for _, family, given, lang, _ in SCRIPTS.values() for name in (family, given)),
    *((name, "und") for name in SHARED_GLYPHS),
    ("عبد الله", "ar"),
    ("رحمت\u200cالله", "fa"),
    ("क्\u200dष", "hi"),
    ("ශ්\u200dර", "si"),
]


def _rtl(text: str) -> bool:
    return any(unicodedata.bidirectional(c) in ("R", "AL") for c in text)


def _document(names) -> bytes:
    paragraphs = "".join(
        f'<p lang="{lang}"{" dir=rtl" if _rtl(name) else ""}>{name}</p>' for name, lang in names
    )
    return convert("pdf", page(paragraphs), load_format("notice"))[0]


def pdftotext_lines(data: bytes) -> list[str]:
    """poppler's reading of the text layer, line by line, in logical order."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout
    return [visible(line) for line in out.decode().splitlines()]  # without its bidi marks


def pdfminer_lines(data: bytes) -> list[str]:
    """pdfminer's reading of each glyph's text, line by line. pdfminer implements no bidi: it
    lists a line's characters left to right, so a right-to-left line is reversed to read it.
    Its layout analysis adds spaces where it guesses from the gaps between glyphs; only the
    glyphs' own text is kept (a space is a glyph too). Invisible format characters are left out
    on both sides, as in test_glyphs: a joiner inside a ligature is kept, a ZWNJ drawn as
    nothing is not."""
    lines = []

    def walk(element):
        if isinstance(element, LTTextLine):
            text = visible("".join(c.get_text() for c in element if isinstance(c, LTChar)))
            lines.append(text[::-1] if _rtl(text) else text)
        elif hasattr(element, "__iter__"):
            for child in element:
                walk(child)

    for page_layout in extract_pages(io.BytesIO(data)):
        walk(page_layout)
    return lines


def test_every_name_reads_back_verbatim_with_pdftotext_and_pdfminer():
    data = _document(NAMES)
    for read in (pdftotext_lines, pdfminer_lines):
        lines = set(read(data))
        assert [name for name, _ in NAMES if visible(name) not in lines] == [], read.__name__


def test_a_shared_glyph_is_drawn_unchanged_under_its_substitute_id():
    """The same pixels and the same glyph boxes with WeasyPrint's own text layer as with ours."""
    names = [(n, "und") for n in SHARED_GLYPHS] + [("عبد الله", "ar"), ("वर्मा सुनील", "hi")]
    ours = _document(names)
    text_layer.uninstall()
    try:
        theirs = _document(names)
    finally:
        text_layer.install()
    assert ours != theirs  # substitutes were drawn
    assert _raster(ours) == _raster(theirs)
    assert _boxes(ours) == _boxes(theirs)


def test_a_latin_document_is_byte_for_byte_weasyprints_own():
    names = [(name, lang) for name, lang in _roster_names() if name.isascii() or lang == "es"]
    ours = _document(names)
    text_layer.uninstall()
    try:
        theirs = _document(names)
    finally:
        text_layer.install()
    assert ours == theirs


def test_a_changed_weasyprint_internal_stops_the_pdf_with_what_to_do(monkeypatch):
    text_layer.install()  # as by any renderer: WeasyPrint's own Font.clean is kept aside
    monkeypatch.setitem(ORIGINAL, "clean", lambda self, to_unicode: None)
    with pytest.raises(TextLayerError) as exc:
        check_internals()
    assert exc.value.message.endswith(
        "changed weasyprint.pdf.fonts.Font.clean, which filings/outputs/pdf/text_layer.py "
        "adapts to keep the PDF's text layer exact (Kozea/WeasyPrint#2841); update that module, "
        "or remove it if this WeasyPrint fixes Kozea/WeasyPrint#2841"
    )
    assert exc.value.message.startswith("WeasyPrint 70.")


@pytest.mark.parametrize(
    "text, clusters, widths, rtl, expected",
    [
        # One glyph per letter, and a ligature: each glyph its own letters.
        ("Aﬁb", [0, 1, 4], [5, 9, 5], False, ["A", "ﬁ", "b"]),
        ("fin", [0, 2], [9, 5], False, ["fi", "n"]),
        # कि: the vowel sign drawn before its consonant, both one cluster; in drawn order.
        ("कि", [0, 0], [4, 8], False, ["क", "ि"]),
        # को as one cluster of three glyphs (ে ক া): the last ones take a letter each.
        ("কো", [0, 0, 0], [4, 8, 4], False, ["", "ক", "ো"]),
        # A mark that does not move the pen is read with its letter (Khmer សុ).
        ("សុ", [0, 3], [9, 0], False, ["សុ", ""]),
        # الله: alef, then lam-lam-heh as one glyph; drawn right to left, read reversed.
        ("الله", [2, 0], [9, 4], True, ["هلل", "ا"]),
    ],
)
def test_each_glyph_stands_for_its_own_text(text, clusters, widths, rtl, expected):
    assert run_texts(text.encode(), clusters, widths, rtl) == expected


def _raster(data: bytes) -> bytes:
    return subprocess.run(
        ["pdftoppm", "-r", "40", "-gray", "-"], input=data, capture_output=True, check=True
    ).stdout


def _boxes(data: bytes) -> list[tuple]:
    boxes = []

    def walk(element):
        if isinstance(element, LTChar):
            boxes.append(tuple(round(v, 3) for v in element.bbox))
        elif hasattr(element, "__iter__"):
            for child in element:
                walk(child)

    for page_layout in extract_pages(io.BytesIO(data)):
        walk(page_layout)
    return boxes
