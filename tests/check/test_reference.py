"""A firm's reference DOCX is measured against the court format before its styles are used."""

from __future__ import annotations

import datetime as dt
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from refdocx import write_reference

from filings.check import Unreadable, check_docx, measure_reference, read_reference
from filings.inputs.limits import Limits
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format

NDIL = load_format("ndil")


def problems(path, fmt=NDIL) -> list[str]:
    return [str(p) for p in measure_reference(read_reference(path), fmt)]


def test_a_reference_within_the_rules_has_no_problems(tmp_path):
    assert problems(write_reference(tmp_path / "firm.docx")) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            dict(size=11),
            "firm.docx: style Body Text: text 11.0 pt; ndil needs at least 12 pt (LR 5.2(c))",
        ),
        (
            dict(line=18),
            "firm.docx: style Body Text: line spacing 18.0 pt; "
            "ndil needs at least 24 pt (LR 5.2(c), double spacing)",
        ),
    ],
)
def test_a_reference_style_that_breaks_a_rule_is_named_with_the_rule(tmp_path, change, message):
    assert problems(write_reference(tmp_path / "firm.docx", **change)) == [message]


def test_each_style_that_takes_a_broken_look_from_its_base_is_named(tmp_path):
    """Normal at 10 pt: every style of ours the firm bases on Normal without a size of its own."""
    found = problems(write_reference(tmp_path / "firm.docx", normal_size=10))
    assert found == [
        f"firm.docx: style {name}: text 10.0 pt; ndil needs at least 12 pt (LR 5.2(c))"
        for name in ("List Number", "Normal", "Quote", "List Bullet")
    ]


def test_a_font_the_format_does_not_set_is_named_with_the_fonts_it_does(tmp_path):
    found = problems(write_reference(tmp_path / "firm.docx", font="Times New Roman"))
    assert [p.split("; ")[0] for p in found] == [
        f"firm.docx: style {name}: font Times New Roman"
        for name in (
            "Body Text",
            "List Number",
            "Normal",
            "Quote",
            "Footer",
            "List Bullet",
            "Header",
        )
    ]
    assert (
        found[0]
        .split("; ")[1]
        .startswith("ndil sets Liberation Serif, Noto Naskh Arabic, Noto Serif, ")
    )


def zipped(path, parts: dict[str, str]):
    with zipfile.ZipFile(path, "w") as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            lambda p: p.write_text("not a zip"),
            "notes.docx: is not a readable DOCX (not a zip file)",
        ),
        (
            lambda p: zipped(p, {"xl/workbook.xml": "<workbook/>"}),
            "notes.docx: is not a readable DOCX (no word/document.xml)",
        ),
        (
            lambda p: zipped(p, {"word/document.xml": "<document/>"}),
            "notes.docx: is not a readable DOCX (no word/styles.xml)",
        ),
        (
            lambda p: zipped(p, {"word/document.xml": "<d/>", "word/styles.xml": "<styles"}),
            "notes.docx: is not a readable DOCX (word/styles.xml: line 1: "
            "Couldn't find end of Start Tag styles line 1)",
        ),
    ],
)
def test_a_file_that_is_no_docx_is_one_located_line(tmp_path, make, message):
    path = tmp_path / "notes.docx"
    make(path)
    with pytest.raises(Unreadable) as caught:
        read_reference(path)
    assert str(caught.value) == message


def test_a_reference_over_the_unzipped_limit_is_refused_before_it_is_read(tmp_path):
    path = zipped(
        tmp_path / "big.docx", {"word/document.xml": "<d/>", "word/styles.xml": " " * 4096}
    )
    with pytest.raises(Unreadable) as caught:
        read_reference(path, Limits(unzipped_mb=0.001))
    assert str(caught.value).startswith("big.docx: 0.0 MB once unzipped (word/styles.xml 0.0 MB)")


def test_a_font_hint_is_no_font(tmp_path):
    """Word's `w:hint` says which slot east Asian punctuation takes; its value names no font."""
    path = write_reference(tmp_path / "firm.docx")
    document = docx.Document(str(path))
    document.styles["Body Text"].element.rPr.rFonts.set(qn("w:hint"), "eastAsia")
    document.save(str(path))
    assert problems(path) == []


def test_a_docx_in_a_hinted_reference_style_passes_the_checker(tmp_path):
    path = write_reference(tmp_path / "firm.docx")
    document = docx.Document(str(path))
    document.styles["Body Text"].element.rPr.rFonts.set(qn("w:hint"), "eastAsia")
    document.save(str(path))
    html = (
        '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body><p>A</p></body></html>'
    )
    meta = Meta(date=dt.date(2025, 11, 14), reference_styles=read_reference(path).styles)
    out = tmp_path / "motion.docx"
    out.write_bytes(convert("docx", html, NDIL, meta)[0])
    assert check_docx(out, NDIL) == []
