from __future__ import annotations

import datetime as dt
import io
import re

import pypdf
import pytest

from filings.errors import FilingsError
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.outputs.pdf import _renderer, _weasyprint_warnings_are_errors
from filings.outputs.pdf.css import stylesheet


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'


def test_the_stylesheet_comes_from_the_court_format():
    css = stylesheet(load_format("ndil"))
    assert "size: 612pt 792pt; margin: 72pt 72pt 72pt 72pt" in css
    assert "p { font-size: 12pt; line-height: 24pt;" in css
    assert 'content: "Page " counter(page) " of " counter(pages);' in css


def test_a_pdf_has_the_court_page_embedded_fonts_and_page_numbers():
    data, pages = convert(
        "pdf", page("<p>Nguyễn Thị Hương, José Peña, يوسف حداد, 李明华</p>"), load_format("ndil")
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
    descriptors = list(_descriptors(pdf))
    assert len(descriptors) >= 3  # one a font, at least; all() of none would pass
    assert all("/FontFile2" in d or "/FontFile3" in d for d in descriptors)


def test_each_pdf_has_its_own_identifier_derived_from_its_content():
    """Document systems tell PDFs apart by the trailer's /ID: a motion for one person must not
    share it with another's, and the same inputs must give the same file."""

    def identifier(body):
        data, _ = convert("pdf", page(body), load_format("ndil"))
        return pypdf.PdfReader(io.BytesIO(data)).trailer["/ID"]

    first, again, other = (
        identifier("<p>Ana Peña</p>"),
        identifier("<p>Ana Peña</p>"),
        identifier("<p>Luis Peña</p>"),
    )
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]


def test_nothing_is_fetched_and_a_warning_fails_the_document():
    """The vocabulary has no way to name a URL; should WeasyPrint ever meet one, the renderer's
    fetcher refuses it and the warning fails the document."""
    from weasyprint import HTML

    r = _renderer(load_format("ndil"))
    html = page('<p style="background: url(http://example.com/a.png)">x</p>')
    with pytest.raises(FilingsError) as exc, _weasyprint_warnings_are_errors("test doc"):
        HTML(string=html, url_fetcher=r.fetcher).render(font_config=r.font_config)
    assert exc.value.message.startswith("test doc: WeasyPrint: Failed to load image")


@pytest.mark.parametrize(
    "body, why",
    [
        (
            '<p style="color: white">x</p>',
            "<p style>: the style attribute is not in the vocabulary",
        ),
        (
            '<table class="grid"><tr><td colspan="2">x</td></tr></table>',
            "<td colspan>: the colspan attribute is not in the vocabulary",
        ),
        ('<p id="a">x</p>', "<p id>: the id attribute is not in the vocabulary"),
        ('<p class="fancy">x</p>', '<p class="fancy"> is not in the vocabulary'),
        ('<td class="center">x</td>', '<td class="center"> is not in the vocabulary'),
        ('<p dir="auto">x</p>', '<p dir="auto">: dir is ltr or rtl'),
        (
            '<p><span lang="not a tag">x</span></p>',
            '<span lang="not a tag">: not a language tag such as es or zh-Hant',
        ),
        (
            '<p><a href="http://example.org">x</a></p>',
            "<a href='http://example.org'>: a link is mailto: or https:",
        ),
        (
            '<p><a href="javascript:alert(1)">x</a></p>',
            "<a href='javascript:alert(1)'>: a link is mailto: or https:",
        ),
        (
            '<p><a href="file:///etc/passwd">x</a></p>',
            "<a href='file:///etc/passwd'>: a link is mailto: or https:",
        ),
        ('<p><a href="mailto:">x</a></p>', "<a href='mailto:'>: not an address"),
        (
            '<p><a href="https://a.org/x y">x</a></p>',
            "<a href='https://a.org/x y'>: not an address",
        ),
        ("<p><a>x</a></p>", "<a> without href: a link needs its address"),
        (
            '<p><span href="https://a.org">x</span></p>',
            "<span href>: the href attribute is not in the vocabulary",
        ),
        (
            '<p>a<span class="footnote">b<span class="footnote">c</span></span></p>',
            "a footnote inside a footnote",
        ),
        (
            "<ul><li>1<ul><li>2<ul><li>3<ul><li>4<ul><li>5</li></ul></li></ul></li></ul></li></ul>"
            "</li></ul>",
            "a list nested more than 4 deep",
        ),
    ],
)
def test_what_would_change_the_pdf_but_not_the_docx_is_refused_by_both(body, why):
    """WeasyPrint applies a style attribute, a colspan or a class the stylesheet happens to
    match, where the DOCX has no such thing: both renderers refuse them, with the same words."""
    expected = f"test doc: line 1 of the rendered HTML: {why}"
    with pytest.raises(FilingsError) as pdf:
        convert("pdf", page(body), load_format("ndil"), Meta(where="test doc"))
    with pytest.raises(FilingsError) as word:
        convert(
            "docx",
            page(body),
            load_format("ndil"),
            Meta(where="test doc", title="T", author="A", date=dt.date(2025, 11, 14)),
        )
    assert pdf.value.message == word.value.message == expected


@pytest.mark.parametrize(
    "html",
    [
        page("<p>x</p><hr>"),
        page("<pre>12   34</pre>"),
        page("<p>10 m<sup>2</sup></p>"),
        page("<p>x</p>").replace("<title>", '<link rel="stylesheet" href="a.css"><title>'),
        page("<p>x</p>").replace("<title>", "<style>p { color: red }</style><title>"),
    ],
)
def test_an_element_outside_the_vocabulary_fails_the_pdf_as_it_fails_the_docx(html):
    """The PDF is laid out under vocabulary.css, which styles the vocabulary only: an element
    outside it is refused, never printed unstyled (a superscript 2 on the baseline reads as 2)."""
    with pytest.raises(FilingsError) as exc:
        convert("pdf", html, load_format("ndil"), Meta(where="test doc"))
    assert re.fullmatch(
        r"test doc: line 1 of the rendered HTML: <\w+> is not in the vocabulary", exc.value.message
    )


def _fonts(pdf):
    for p in pdf.pages:
        for font in p["/Resources"]["/Font"].values():
            yield font.get_object()


def _descriptors(pdf):
    for font in _fonts(pdf):
        for descendant in font.get("/DescendantFonts", []):
            yield descendant.get_object()["/FontDescriptor"].get_object()


# --- the user-agent stylesheet: vocabulary.css, not WeasyPrint's own ------------------------------

EVERY_ELEMENT = """
<h1>Motion to Stay Removal</h1><h2 class="center">Argument</h2><h3>A. The decree</h3>
<p>Body with <b>bold</b>, <strong>strong</strong>, <i>italic</i>, <em>emphasis</em>,
<u>underline</u>, <span class="smallcaps">Small Capitals</span>,
a name <span dir="rtl">يوسف حداد</span> (A123-456-789),
<br>after a line break, <ins>inserted words</ins> and <del>deleted words</del>.</p>
<p class="single noindent">Single-spaced.</p><p class="center">Centred.</p>
<p class="right">Right.</p><p class="indent">Indented.</p>
<ol><li>First item.</li><li>Second item.<ol><li>A nested item.<ul><li>A bullet in it.</li>
</ul></li></ol></li></ol><ul><li>A bullet.</li></ul>
<p>A footnote.<span class="footnote">Its <i>text</i>, with <a href="https://example.org/a">a
link</a>.</span> An e-mail: <a href="mailto:name@example.org">name@example.org</a>.</p>
<blockquote><p>A quotation, single-spaced and indented.</p></blockquote>
<table class="grid"><thead><tr><th>Status</th><th>Count</th></tr></thead>
<tbody><tr><td>Detained</td><td>12</td></tr><tr><td><p>Released</p></td><td>3</td></tr></tbody></table>
<section><div class="signature"><p class="single">/s/ Counsel Name</p></div></section>
<div class="page-break"></div><p dir="rtl">فقرة من اليمين إلى اليسار.</p><p>Last.</p>
"""
EOIR_FIELDS = (
    '<meta name="filings.respondent" content="Ana Peña">'
    '<meta name="filings.a_number" content="A123-456-789">'
    '<meta name="filings.custody" content="DETAINED">'
)


@pytest.mark.parametrize("name", ["ndil", "eoir", "pleading", "notice"])
def test_every_element_of_the_vocabulary_lays_out_as_under_weasyprints_own_stylesheet(name):
    """vocabulary.css keeps only WeasyPrint's rules that can touch the vocabulary (it renders a
    fifth faster): the PDF must be the same, byte for byte."""
    html = page(EVERY_ELEMENT).replace("<title>T</title>", f"<title>T</title>{EOIR_FIELDS}")
    ours, pages = convert("pdf", html, load_format(name))
    theirs, _ = convert("pdf", html, load_format(name), Meta(weasyprint_stylesheet=True))
    assert pages == 2
    assert ours == theirs


@pytest.mark.slow
def test_the_fixture_documents_lay_out_as_under_weasyprints_own_stylesheet(case, detainees):
    from filings.build.plan import format_name
    from filings.templating.render import RosterSummary, render_html
    from filings.templating.templates import discover, make_environment

    env, summary = make_environment(), RosterSummary(detainees)
    for template in discover().values():
        rule = template.applies_to  # only the people the template is for
        fits = [d for d in detainees if not (rule and rule.reasons(d, case))]
        people = {d.preferred_language: d for d in fits}  # one reader of each language
        rows = people.values() if template.kind == "per-detainee" else [None]
        fmt = load_format(format_name(template, case))
        for person in rows:
            html = render_html(env, template, case, person, summary)
            theirs = Meta(weasyprint_stylesheet=True)
            assert convert("pdf", html, fmt)[0] == convert("pdf", html, fmt, theirs)[0], (
                template.name,
                person and person.a_number,
            )


def test_nested_list_numbers_footnotes_and_links_in_the_pdf():
    """The PDF numbers a nested list as Word's numbering does (1., a., (1), (a)), puts a
    footnote at the foot of the page and makes live links."""
    body = (
        "<ol><li>one<ol><li>one a<ol><li>deep<ol><li>deepest</li></ol></li></ol></li></ol>"
        "</li><li>two</li></ol><p>Text.<span class='footnote'>The note.</span></p>"
        "<p><a href='mailto:a@b.example'>a@b.example</a></p>"
    )
    data, _ = convert("pdf", page(body), load_format("ndil"))
    reader = pypdf.PdfReader(io.BytesIO(data))
    lines = reader.pages[0].extract_text().splitlines()
    assert lines[:7] == [
        "1. one",
        "a. one a",
        "(1) deep",
        "(a) deepest",
        "2. two",
        "Text.1",
        "a@b.example",
    ]
    assert lines[7:] == ["1 The note.", "Page 1 of 1"]
    [link] = [a.get_object() for a in reader.pages[0]["/Annots"]]
    assert link["/A"]["/URI"] == "mailto:a@b.example"
