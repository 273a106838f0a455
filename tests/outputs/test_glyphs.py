"""The project's own fonts: every script of a detention roster printed, nothing left to the
machine, and a character no font has refused before anything is rendered."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from conftest import CASE, write
from lxml import etree
from textof import docx_paragraphs, pdftotext, squeeze

from filings import glyphs
from filings.build import run as build
from filings.cli import main
from filings.errors import TemplateError
from filings.inputs.load import read_roster
from filings.inputs.validate import check_roster
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.outputs.pdf import RenderError
from filings.outputs.pdf.fonts import project_fonts

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADER = (
    "a_number,family_name,given_name,custody_status,preferred_language,country_of_citizenship,"
    "arrest_type\n"
)
# One name in each script (all fictional), each extracted verbatim from the PDF's text by pdftotext.
SCRIPTS = {
    "Latin": ("A100000001", "Peña Íñiguez", "José Luis", "es", "Mexico"),
    "Latin (Vietnamese)": ("A100000002", "Nguyễn", "Thị Thu Hương", "vi", "Vietnam"),
    "Arabic": ("A100000003", "حداد", "يوسف", "ar", "Syria"),
    "Arabic (Persian)": ("A100000004", "احمدی", "رحمت\u200cالله", "fa", "Afghanistan"),
    "Han (Simplified)": ("A100000005", "李", "晓梅", "zh", "China"),
    "Han (Traditional)": ("A100000006", "陳", "志豪", "zh", "Taiwan"),
    "Cyrillic": ("A100000007", "Ярошенко", "Олена", "uk", "Ukraine"),
    "Devanagari": ("A100000008", "वर्मा", "सुनील", "hi", "India"),
    "Ethiopic": ("A100000009", "ተስፋዬ", "መሰረት", "am", "Ethiopia"),
    "Hangul": ("A100000010", "김", "민준", "ko", "South Korea"),
    "Gurmukhi": ("A100000011", "ਸਿੰਘ", "ਗੁਰਪ੍ਰੀਤ", "pa", "India"),
    "Georgian": ("A100000012", "ბერიძე", "გიორგი", "ka", "Georgia"),
    "Armenian": ("A100000013", "Պետրոսյան", "Արամ", "hy", "Armenia"),
    "Khmer": ("A100000014", "សុខ", "ចាន់ធី", "km", "Cambodia"),
    "Myanmar": ("A100000015", "ထွန်း", "ဇော်မင်း", "my", "Myanmar"),
}


def roster_of(tmp_path, rows) -> str:
    lines = [
        ",".join((a, family, given, "detained", lang, country, "warrantless"))
        for a, family, given, lang, country in rows
    ]
    return write(tmp_path / "roster.csv", HEADER + "\n".join(lines) + "\n")


def visible(text: str) -> str:
    """The text without invisible format characters, which a PDF's text layer does not keep
    (a zero-width non-joiner shapes the letters around it and is drawn as nothing)."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def page(body: str, lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>T</title></head>'
        f"<body>{body}</body></html>"
    )


# --- the fonts ---------------------------------------------------------------------------------


def test_the_body_font_is_liberation_serif_2_and_covers_vietnamese():
    assert glyphs.version("Liberation Serif").startswith("Version 2.")
    vietnamese = "ĂăÂâĐđÊêÔôƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ"  # noqa: E501
    assert [c for c in vietnamese if ord(c) not in glyphs.coverage("Liberation Serif")] == []


def test_the_installed_fonts_are_the_pinned_versions():
    assert glyphs.pinned_mismatches() == []


@pytest.mark.parametrize("name", ["Liberation Serif", "Noto Naskh Arabic", "Noto Serif CJK KR"])
def test_a_familys_characters_are_what_fontconfig_reads_face_by_face(name):
    """One fc-query reads every file at once; each face of a collection keeps its own."""
    fam = glyphs.family(name)
    ranges = []
    for file in fam.files:
        path, face = glyphs.locate(file, fam)
        args = ["fc-query", "-i", str(face), "-f", "%{charset}", str(path)]
        for token in subprocess.run(
            args, capture_output=True, text=True, check=True
        ).stdout.split():
            first, _, last = token.partition("-")
            ranges.append((int(first, 16), int(last or first, 16)))
    assert glyphs.coverage(name) == glyphs.Coverage.merged(ranges)


def test_a_font_file_fontconfig_cannot_read_is_a_font_error_naming_it(tmp_path, monkeypatch):
    (tmp_path / "NotoSerifTamil-Bold.ttf").write_bytes(b"not a font")
    monkeypatch.setenv("FILINGS_FONT_DIRS", str(tmp_path))
    glyphs.fonts.forget()
    try:
        with pytest.raises(glyphs.FontError) as raised:
            glyphs.covered()
        assert raised.value.message == (
            f"fontconfig cannot read font file {tmp_path / 'NotoSerifTamil-Bold.ttf'}: "
            "not a font, or damaged"
        )
    finally:
        monkeypatch.undo()
        glyphs.fonts.forget()


@pytest.mark.parametrize(
    "folder", [b"with | bar, spaces and \xc3\xa9", b"latin-1 \xe9", b"-starts-like-an-option"]
)
def test_a_font_folder_of_any_name_is_read(tmp_path, monkeypatch, folder):
    """fc-query echoes each file's path: a '|' in it, bytes that are not UTF-8 (a folder copied
    from an older system), or a relative one that starts with '-', still find its faces."""
    system = glyphs.coverage("Noto Serif Tamil")
    copies = os.fsdecode(folder)
    (tmp_path / copies).mkdir()
    for file in glyphs.family("Noto Serif Tamil").files:
        shutil.copy(glyphs.locate(file)[0], tmp_path / copies / file)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("FILINGS_FONT_DIRS", copies)
    glyphs.fonts.forget()
    try:
        assert glyphs.locate("NotoSerifTamil-Bold.ttf")[0].parent == Path(copies)
        assert glyphs.coverage("Noto Serif Tamil") == system
    finally:
        monkeypatch.undo()
        glyphs.fonts.forget()


def test_weasyprint_is_given_the_projects_font_files_and_no_others():
    from weasyprint.text.ffi import ffi, fontconfig

    config = project_fonts()._config
    system = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetSystem)
    assert system == ffi.NULL or system.nfont == 0
    loaded = fontconfig.FcConfigGetFonts(config, fontconfig.FcSetApplication)
    files = set()
    string = ffi.new("FcChar8 **")
    for i in range(loaded.nfont):
        fontconfig.FcPatternGetString(loaded.fonts[i], b"file", 0, string)
        files.add(ffi.string(string[0]).decode())
    assert files == {str(p) for p in glyphs.font_files()}


def test_every_court_format_names_only_the_projects_fonts():
    for name in ("ndil", "notice", "eoir", "pleading"):
        fmt = load_format(name)
        for family in (
            fmt.font.family,
            fmt.font.complex_script,
            fmt.font.east_asian,
            *fmt.font.fallbacks,
        ):
            assert family in glyphs.FAMILIES, (name, family)


def test_a_character_no_font_has_fails_the_pdf_with_weasyprints_notdef_warning(caplog):
    with pytest.raises(RenderError) as exc:
        convert("pdf", page("<p>A grinning 😀 face</p>"), load_format("ndil"), Meta(where="doc"))
    assert exc.value.message.startswith("doc: WeasyPrint: .notdef glyph rendered")
    assert "(U+1F600)" in exc.value.message
    caplog.clear()  # the warning was the point; it failed the document


@pytest.mark.parametrize(
    "lang, family",
    [
        (None, "Noto Serif CJK SC"),
        ("zh", "Noto Serif CJK SC"),
        ("zh-Hans", "Noto Serif CJK SC"),
        ("zh-Hant", "Noto Serif CJK TC"),
        ("zh-TW", "Noto Serif CJK TC"),
        ("zh-HK", "Noto Serif CJK HK"),
        ("yue", "Noto Serif CJK HK"),
        ("ja", "Noto Serif CJK JP"),
        ("ko", "Noto Serif CJK KR"),
        ("es", "Noto Serif CJK SC"),
    ],
)
def test_the_language_picks_the_chinese_japanese_or_korean_glyphs(lang, family):
    fmt = load_format("notice")
    chain = glyphs.chain((fmt.font.family, *fmt.font.fallbacks), lang)
    latin = "Liberation Serif"
    assert glyphs.runs("For 陳志豪, A-1", chain) == [
        ("For ", latin),
        ("陳志豪", family),
        (", A-1", latin),
    ]


@pytest.mark.slow
def test_traditional_and_simplified_names_are_set_in_their_own_fonts(tmp_path):
    roster = roster_of(tmp_path, [SCRIPTS["Han (Simplified)"], SCRIPTS["Han (Traditional)"]])
    report = build.build(CASE, roster, tmp_path / "out", ["release-notice"], jobs=1)
    assert not report.failed
    expect = {
        "A100000005": ("李晓梅", "Noto-Serif-CJK-SC"),
        "A100000006": ("陳志豪", "Noto-Serif-CJK-TC"),
    }
    for a_number, (name, font) in expect.items():
        pdf = tmp_path / "out" / "release-notice" / f"{a_number}-release-notice.pdf"
        with pdfplumber.open(pdf) as document:
            name_fonts = {
                c["fontname"].split("+")[-1] for c in document.pages[0].chars if c["text"] in name
            }
        assert name_fonts == {font}
        runs = _runs(pdf.with_suffix(".docx"), name)
        region = font.rsplit("-", 1)[-1]
        assert {r["eastAsia_font"] for r in runs} == {f"Noto Serif CJK {region}"}
        assert {r["eastAsia"] for r in runs} == {"zh-CN" if region == "SC" else "zh-TW"}


# --- names in every script ---------------------------------------------------------------------


@pytest.mark.slow
def test_names_in_fifteen_scripts_print_verbatim_in_the_pdf_and_the_docx(tmp_path):
    roster = roster_of(tmp_path, SCRIPTS.values())
    report = build.build(CASE, roster, tmp_path / "out", ["release-notice", "stay-motion"], jobs=2)
    assert [o.error for o in report.failed] == []
    people = {d.a_number: d for d in check_roster(read_roster(roster)).detainees}
    for script, (a_number, *_) in SCRIPTS.items():
        name = people[a_number].full_name  # 李晓梅, Thị Thu Hương Nguyễn
        for template in ("release-notice", "stay-motion"):
            pdf = tmp_path / "out" / template / f"{a_number}-{template}.pdf"
            assert squeeze(visible(name)) in squeeze(visible(pdftotext(pdf))), (script, template)
            assert name in "\n".join(docx_paragraphs(pdf.with_suffix(".docx"))), (script, template)


# Names whose glyphs WeasyPrint 70 alone maps to other text (Kozea/WeasyPrint#2841): a vowel sign
# or reph shared between syllables.
SHARED_GLYPHS = ["विकास शर्मा", "किशोर", "মোহাম্মদ রহমান"]


def test_indic_names_with_split_vowels_extract_verbatim_from_the_pdf():
    html = page("".join(f"<p>{n}</p>" for n in SHARED_GLYPHS))
    data, _ = convert("pdf", html, load_format("notice"))
    with pdfplumber.open(io.BytesIO(data)) as document:
        text = document.pages[0].extract_text()
    assert [name for name in SHARED_GLYPHS if name not in text] == []


def test_a_right_to_left_name_is_isolated_and_marked_in_the_docx(tmp_path):
    roster = roster_of(tmp_path, [SCRIPTS["Arabic"]])
    report = build.build(CASE, roster, tmp_path / "out", ["release-notice"], jobs=1)
    assert not report.failed
    docx = tmp_path / "out" / "release-notice" / "A100000003-release-notice.docx"
    [run] = [r for r in _runs(docx, "يوسف") if "For" not in r["text"]][:1]
    assert run["text"] == "يوسف حداد"
    assert run["rtl"] and run["font"] == "Noto Naskh Arabic" and run["bidi"] == "ar-EG"
    assert "For: يوسف حداد, A-number A-100-000-003" in docx_paragraphs(docx)


@pytest.mark.slow
def test_every_run_of_the_docx_carries_its_language(tmp_path):
    roster = roster_of(tmp_path, [SCRIPTS["Devanagari"], SCRIPTS["Latin"]])
    report = build.build(CASE, roster, tmp_path / "out", ["release-notice"], jobs=1)
    assert not report.failed
    for a_number in ("A100000008", "A100000001"):
        docx = tmp_path / "out" / "release-notice" / f"{a_number}-release-notice.docx"
        runs = _runs(docx, "")
        assert runs and all(r["val"] for r in runs if r["text"].strip())
    hindi = _runs(tmp_path / "out" / "release-notice" / "A100000008-release-notice.docx", "सुनील")
    assert [(r["font"], r["val"], r["bidi"]) for r in hindi] == [
        ("Noto Serif Devanagari", "hi-IN", "hi-IN")
    ] * len(hindi)
    spanish = _runs(tmp_path / "out" / "release-notice" / "A100000001-release-notice.docx", "AVISO")
    assert {r["val"] for r in spanish} == {"es-US"}


def test_the_docx_walker_takes_dir_and_lang_on_blocks_and_spans():
    html = page(
        '<p dir="rtl" lang="ar">مرحبا <span lang="en" dir="ltr">A-1</span></p>'
        '<p lang="es">Hola <span lang="zh-Hant">陳</span></p>'
    )
    meta = Meta(title="T", author="A", date=__import__("datetime").date(2025, 11, 14))
    data, _ = convert("docx", html, load_format("notice"), meta)
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    first, second = body.iter(f"{W}p")
    assert first.find(f"{W}pPr/{W}bidi") is not None
    langs = [
        (r.findtext(f"{W}t"), r.find(f"{W}rPr/{W}lang").get(f"{W}val"))
        for p in (first, second)
        for r in p.iter(f"{W}r")
    ]
    assert langs == [("مرحبا ", "ar-EG"), ("A-1", "en-US"), ("Hola ", "es-US"), ("陳", "zh-TW")]


@pytest.mark.parametrize(
    "body, message",
    [
        ('<p dir="auto">a</p>', '<p dir="auto">: dir is ltr or rtl'),
        (
            '<p lang="not a tag">a</p>',
            '<p lang="not a tag">: not a language tag such as es or zh-Hant',
        ),
    ],
)
def test_a_bad_dir_or_lang_is_refused(body, message):
    with pytest.raises(TemplateError) as exc:
        date = __import__("datetime").date(2025, 11, 14)
        convert("docx", page(body), load_format("notice"), Meta(where="doc", date=date))
    assert exc.value.message == f"doc: line 1 of the rendered HTML: {message}"


def test_a_right_to_left_block_starts_at_the_right_margin_of_the_pdf():
    html = page('<p dir="rtl" lang="ar">مرحبا بكم</p><p>Left</p>')
    data, _ = convert("pdf", html, load_format("notice"))
    with pdfplumber.open(io.BytesIO(data)) as document:
        chars = document.pages[0].chars
    arabic = [c for c in chars if unicodedata.bidirectional(c["text"]) == "AL"]
    latin = [c for c in chars if c["text"] == "L"]
    assert max(c["x1"] for c in arabic) == pytest.approx(612 - 72, abs=1)
    assert latin[0]["x0"] == pytest.approx(72, abs=1)


# --- refused before rendering ------------------------------------------------------------------


def test_a_name_no_font_has_rejects_its_row_naming_row_column_and_code_point(tmp_path):
    roster = write(
        tmp_path / "roster.csv",
        HEADER + "A012345678,Peña,José,detained,es,Mexico\n"
        "A012345679,Smile😀,Ana,detained,es,Mexico\n",
    )
    result = CliRunner().invoke(main, ["validate", "--case", str(CASE), "--roster", str(roster)])
    assert result.exit_code == 1
    assert (
        "Error: roster.csv:3: family_name: U+1F600 GRINNING FACE is in no installed font"
        in result.output
    )
    check = check_roster(read_roster(roster))
    assert (check.accepted, check.rejected) == (1, 1)
    [problem] = check.problems
    assert (str(problem.location), problem.value) == ("roster.csv:3: family_name", "Smile😀")


@pytest.mark.parametrize(
    "value, char",
    [
        ("Ana\u202eanA", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("\u2066José\u2069", "U+2066 LEFT-TO-RIGHT ISOLATE"),
        ("Jo\u200bsé", "U+200B ZERO WIDTH SPACE"),
        ("\ufeffJosé", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("Jo\u200dsé", "U+200D ZERO WIDTH JOINER"),
        ("Jo\u200csé", "U+200C ZERO WIDTH NON-JOINER"),
        ("Jo\u00adsé", "U+00AD SOFT HYPHEN"),
    ],
)
def test_invisible_control_characters_are_row_errors_not_printed(tmp_path, value, char):
    roster = write(tmp_path / "roster.csv", HEADER + f"A012345678,{value},Ana,detained,es,Mexico\n")
    check = check_roster(read_roster(roster))
    assert check.rejected == 1
    problem = check.problems[0]  # an isolate's closing U+2069 is a second problem
    assert problem.message == f"{char} is an invisible control character; delete it"
    assert f"<{char.split()[0]}>" in problem.value  # written out in the errors CSV


@pytest.mark.parametrize("name", ["رحمت\u200cالله", "क्\u200dष", "ශ්\u200dර"])
def test_joiners_inside_the_scripts_that_spell_with_them_are_kept(tmp_path, name):
    roster = write(tmp_path / "roster.csv", HEADER + f"A012345678,X,{name},detained,fa,Iran\n")
    check = check_roster(read_roster(roster))
    assert check.rejected == 0 and check.detainees[0].given_name == name


def test_the_case_file_is_checked_character_by_character_too(tmp_path):
    text = CASE.read_text(encoding="utf-8")
    text = text.replace("Lakeshore Immigrant Defense Project\n", "Lakeshore\u202e Project\n", 1)
    case = write(tmp_path / "case.yaml", text)
    from filings.errors import DataErrors
    from filings.inputs.case_file import load_case

    with pytest.raises(DataErrors) as exc:
        load_case(case)
    [error] = exc.value.errors
    assert error.message.endswith(
        "counsel[0].firm: U+202E RIGHT-TO-LEFT OVERRIDE is an invisible control character; "
        "delete it"
    )
    assert error.message.startswith("case.yaml:")


# --- helpers -----------------------------------------------------------------------------------


def _runs(docx, containing: str) -> list[dict]:
    """Each run of the body whose text contains `containing`, with its font and language."""
    xml = zipfile.ZipFile(docx).read("word/document.xml")
    out = []
    for run in etree.fromstring(xml).iter(f"{W}r"):
        text = "".join(t.text or "" for t in run.iter(f"{W}t"))
        if not text or containing not in text:
            continue
        rpr = run.find(f"{W}rPr")
        fonts = rpr.find(f"{W}rFonts") if rpr is not None else None
        lang = rpr.find(f"{W}lang") if rpr is not None else None
        out.append(
            {
                "text": text,
                "font": fonts.get(f"{W}ascii") if fonts is not None else None,
                "eastAsia_font": fonts.get(f"{W}eastAsia") if fonts is not None else None,
                "rtl": rpr is not None and rpr.find(f"{W}rtl") is not None,
                "val": lang.get(f"{W}val") if lang is not None else None,
                "eastAsia": lang.get(f"{W}eastAsia") if lang is not None else None,
                "bidi": lang.get(f"{W}bidi") if lang is not None else None,
            }
        )
    return out
