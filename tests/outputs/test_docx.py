from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import docx
import lxml.html
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree
from textof import docx_footnotes, docx_paragraphs, pdf_body

from filings.errors import TemplateError
from filings.outputs.columns import shares, with_column_widths
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format

NDIL = load_format("ndil")


def page(body: str) -> str:
    return f'<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>{body}</body></html>'


def build(body: str, fmt=NDIL) -> docx.document.Document:
    meta = Meta(where="doc", title="Title", author="Author", date=dt.date(2025, 11, 14))
    data, _ = convert("docx", page(body), fmt, meta)
    return docx.Document(io.BytesIO(data))


def runs(paragraph):
    return [(r.text, bool(r.bold), bool(r.italic), bool(r.underline)) for r in paragraph.runs]


def test_white_space_collapses_as_in_html_and_formatting_carries():
    d = build("<p>\n  Hello   <b>bold\n text</b> and <i>it</i><u>u</u>.<br>\n next </p>")
    [p] = d.paragraphs
    assert p.text == "Hello bold text and itu.\nnext"
    assert runs(p)[:5] == [
        ("Hello ", False, False, False),
        ("bold text", True, False, False),
        (" and ", False, False, False),
        ("it", False, True, False),
        ("u", False, False, True),
    ]


@pytest.mark.parametrize("between", ["\n", " ", "\n  ", ""])
def test_a_line_break_is_one_break_whatever_white_space_follows_it(between):
    """A newline alone after a <br>, before the next element, is white space, not a second
    break (a notice's "Date:" and "From:" lines stood a blank line apart in Word)."""
    d = build(f"<p><b>Date:</b> November 14, 2025<br>{between}<b>From:</b> Lakeshore</p>")
    [p] = d.paragraphs
    assert p.text == "Date: November 14, 2025\nFrom: Lakeshore"


def test_no_break_spaces_are_kept():
    d = build("<p>&nbsp;</p><p>A\u00a0B</p>")
    assert [p.text for p in d.paragraphs] == ["\u00a0", "A\u00a0B"]


def test_escaped_markup_in_text_stays_text():
    d = build("<p>Tom &amp; Jerry&#39;s &lt;b&gt;bold&lt;/b&gt; {{ 7*7 }}</p>")
    assert d.paragraphs[0].text == "Tom & Jerry's <b>bold</b> {{ 7*7 }}"
    assert not any(r.bold for r in d.paragraphs[0].runs)


@pytest.mark.parametrize(
    "body, message",
    [
        ('<p>a <img src="x"></p>', "<img> is not in the vocabulary"),
        ("<h2>a <div>b</div></h2>", "<div> inside a paragraph; only b, i, u, span and br may be"),
        ('<p class="fancy">a</p>', '<p class="fancy"> is not in the vocabulary'),
        ("<p></p>", "an empty <p>; write <p>&nbsp;</p> for a deliberate blank line"),
        ("<marquee>a</marquee>", "<marquee> is not in the vocabulary"),
        ("<div>loose text</div>", "text 'loose text' outside a paragraph"),
        ("<ol><p>x</p></ol>", "<p> inside a list; a list holds <li> only"),
        ("<ol><li>a<ol><li>b</li></ol> c</li></ol>", "text 'c' after a nested list"),
        (
            "<ol><li>a<ol><li>b</li></ol><b>c</b></li></ol>",
            "<b> after a nested list; an item's text comes before its lists",
        ),
        (
            "<ul><li>1<ul><li>2<ul><li>3<ul><li>4<ul><li>5</li></ul></li></ul></li></ul></li></ul>"
            "</li></ul>",
            "a list nested more than 4 deep",
        ),
    ],
)
def test_anything_outside_the_vocabulary_is_refused(body, message):
    with pytest.raises(TemplateError) as exc:
        build(body)
    assert exc.value.message == f"doc: line 1 of the rendered HTML: {message}"


def test_the_court_format_sets_the_page():
    section = build("<p>x</p>").sections[0]
    assert (section.page_width, section.page_height) == (Pt(612), Pt(792))
    margins = (section.top_margin, section.right_margin, section.bottom_margin, section.left_margin)
    assert margins == (Pt(72),) * 4


def test_body_text_is_12_point_liberation_serif_double_spaced():
    d = build("<p>Body</p>")
    style = d.paragraphs[0].style
    assert style.name == "Body Text"
    assert style.font.size == Pt(12)
    assert style.paragraph_format.line_spacing == Pt(24)
    fonts = style.element.rPr.find(docx.oxml.ns.qn("w:rFonts"))
    assert fonts.get(docx.oxml.ns.qn("w:ascii")) == "Liberation Serif"
    assert fonts.get(docx.oxml.ns.qn("w:eastAsia")) == "Noto Serif CJK SC"
    assert fonts.get(docx.oxml.ns.qn("w:cs")) == "Noto Naskh Arabic"


def test_roles_map_to_word_styles():
    d = build(
        "<h1>T</h1><h2>H</h2><h3>S</h3><p class='single'>c</p><ol><li>one</li></ol>"
        "<ul><li>dot</li></ul>"
    )
    assert [(p.style.name, p.text) for p in d.paragraphs] == [
        ("Title", "T"),
        ("Heading 1", "H"),
        ("Heading 2", "S"),
        ("Normal", "c"),
        ("List Number", "one"),
        ("List Bullet", "dot"),
    ]


NESTED = (
    "<ol><li>one</li><li>two<ol><li>two a</li><li>two b<ul><li>dot</li></ul></li></ol>"
    "</li><li>three<ol><li>three a</li></ol></li></ol><ol><li>again</li></ol>"
)


def test_list_numbers_are_words_own_and_each_list_restarts(tmp_path):
    """Word numbers the items (numbering.xml, w:numPr), so inserting one renumbers the list; the
    labels Word shows are the PDF's (test_outputs compares them for the built-in templates)."""
    path = tmp_path / "list.docx"
    build(NESTED).save(path)
    assert docx_paragraphs(path) == [
        "1.\tone",
        "2.\ttwo",
        "a.\ttwo a",
        "b.\ttwo b",
        "\u2022\tdot",
        "3.\tthree",
        "a.\tthree a",
        "1.\tagain",
    ]
    d = docx.Document(str(path))
    assert all(p._p.pPr.numPr is not None for p in d.paragraphs)
    assert "1." not in "".join(p.text for p in d.paragraphs)


OUTLINE = (
    '<ol class="outline"><li>One<ol><li>Two<ol><li>Three<ol><li>Four</li></ol></li></ol></li>'
    "<li>Two b</li></ol></li><li>One b</li></ol><ol><li>Flat</li><li>Flat b</li></ol>"
)
OUTLINE_LABELS = ["I.", "A.", "1.", "a.", "B.", "II.", "1.", "2."]


def test_an_outline_numbers_i_a_1_a_in_both_outputs_and_a_flat_list_stays_1_2(tmp_path):
    """`<ol class="outline">` is a brief's legal outline; a plain list (a court order's
    paragraphs) still numbers 1., 2., 3. Word's numbers and the PDF's agree."""
    path = tmp_path / "outline.docx"
    build(OUTLINE).save(path)
    assert [p.split("\t")[0] for p in docx_paragraphs(path)] == OUTLINE_LABELS
    meta = Meta(where="doc", title="Title", author="Author", date=dt.date(2025, 11, 14))
    pdf, _ = convert("pdf", page(OUTLINE), NDIL, meta)
    (tmp_path / "outline.pdf").write_bytes(pdf)
    lines = [line.split()[0] for line in pdf_body(tmp_path / "outline.pdf").splitlines() if line]
    assert lines == OUTLINE_LABELS


def test_nested_items_indent_one_level_further_and_list_styles_keep_their_spacing():
    d = build(NESTED)
    lefts = [p.paragraph_format.left_indent for p in d.paragraphs]
    assert lefts[:5] == [None, None, Pt(108), Pt(108), Pt(144)]
    for name in ("List Number", "List Bullet"):
        assert d.styles[name].element.pPr.find(qn("w:contextualSpacing")) is None, name


def test_every_numbering_instance_the_document_names_exists(tmp_path):
    d = build(NESTED)
    numbering = d.part.numbering_part.element
    defined = {n.get(qn("w:numId")) for n in numbering.findall(qn("w:num"))}
    abstracts = {a.get(qn("w:abstractNumId")) for a in numbering.findall(qn("w:abstractNum"))}
    named = {
        n.get(qn("w:val"))
        for part in (d.element, d.styles.element)
        for n in part.iter(qn("w:numId"))
    }
    assert named and named <= defined
    used = {n.find(qn("w:abstractNumId")).get(qn("w:val")) for n in numbering.findall(qn("w:num"))}
    assert used <= abstracts


def test_the_footer_numbers_pages_with_fields():
    footer = build("<p>x</p>").sections[0].footer
    xml = footer._element.xml
    assert "PAGE" in xml and "NUMPAGES" in xml
    assert footer.paragraphs[0].text.startswith("Page ")


def test_a_page_break_starts_the_next_paragraph_on_a_new_page():
    d = build('<p>one</p><div class="page-break"></div><h2>two</h2>')
    assert [bool(p.paragraph_format.page_break_before) for p in d.paragraphs] == [False, True]


def test_tables_keep_their_cells_in_order():
    d = build(
        "<table class='grid'><thead><tr><th>Status</th><th>Count</th></tr></thead>"
        "<tbody><tr><td>Detained</td><td>24</td></tr></tbody></table>"
    )
    [table] = d.tables
    assert [[c.text for c in row.cells] for row in table.rows] == [
        ["Status", "Count"],
        ["Detained", "24"],
    ]
    runs = table.rows[0].cells[0].paragraphs[0].runs
    assert runs and all(r.bold for r in runs)  # a header cell with no run would pass all() alone


def test_the_same_html_gives_the_same_bytes():
    body = page("<h1>T</h1><p>x</p>")
    meta = Meta(title="T", author="A", date=dt.date(2025, 11, 14))
    assert convert("docx", body, NDIL, meta) == convert("docx", body, NDIL, meta)


def test_core_properties_come_from_the_data_not_the_clock():
    props = build("<p>x</p>").core_properties
    assert props.created == props.modified
    assert props.created.date() == dt.date(2025, 11, 14)
    assert (props.title, props.author) == ("Title", "Author")


@pytest.mark.parametrize(
    "given,kept",
    [
        ("T" * 255, "T" * 255),  # exactly the limit: untouched
        ("T" * 300, "T" * 254 + "…"),
        ("T" * 250 + "    " + "U" * 9, "T" * 250 + "…"),  # no space before the ellipsis
        ("T" * 253 + "e\u0302\u0303" + "U" * 9, "T" * 253 + "…"),  # a decomposed ễ stays whole
    ],
)
def test_core_properties_are_cut_to_what_the_format_allows(given, kept):
    meta = Meta(where="test", title=given, author=given, date=dt.date(2025, 11, 14))
    data, _ = convert("docx", page("<p>x</p>"), NDIL, meta)
    props = docx.Document(io.BytesIO(data)).core_properties
    assert (props.title, props.author, props.last_modified_by) == (kept, kept, kept)


def test_a_footnote_is_a_word_footnote_with_its_separators_and_styles(tmp_path):
    path = tmp_path / "note.docx"
    build('<p>Text.<span class="footnote">See <i>Nken</i>.</span> More.</p>').save(path)
    d = docx.Document(str(path))
    [ref] = d.element.body.iter(qn("w:footnoteReference"))
    assert ref.get(qn("w:id")) == "1"
    assert ref.getparent().find(f"{qn('w:rPr')}/{qn('w:rStyle')}").get(qn("w:val")) == (
        d.styles["Footnote Reference"].style_id
    )
    assert d.styles["Footnote Reference"].font.superscript
    assert docx_paragraphs(path) == ["Text.1 More."]
    assert docx_footnotes(path) == ["1 See Nken."]
    [part] = [r.target_part for r in d.part.rels.values() if r.reltype.endswith("/footnotes")]
    notes = etree.fromstring(part.blob).findall(qn("w:footnote"))
    assert [(n.get(qn("w:type")), n.get(qn("w:id"))) for n in notes] == [
        ("separator", "-1"),
        ("continuationSeparator", "0"),
        (None, "1"),
    ]
    [p] = notes[2].findall(qn("w:p"))
    assert p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}").get(qn("w:val")) == "FootnoteText"
    assert p.find(f".//{qn('w:footnoteRef')}") is not None
    assert [r.text for r in p.iter(qn("w:t"))] == [" ", "See ", "Nken", "."]
    pr = d.settings.element.find(qn("w:footnotePr"))
    assert [f.get(qn("w:id")) for f in pr] == ["-1", "0"]


def test_a_document_without_footnotes_has_no_footnotes_part():
    d = build("<p>x</p>")
    assert not [r for r in d.part.rels.values() if r.reltype.endswith("/footnotes")]
    assert d.settings.element.find(qn("w:footnotePr")) is None


@pytest.mark.parametrize("href", ["mailto:a@b.example", "https://example.org/a?b=c"])
def test_a_link_is_a_word_hyperlink_to_its_address(href):
    d = build(f'<p>Write to <a href="{href}">the <b>clerk</b></a>.</p>')
    [link] = d.element.body.iter(qn("w:hyperlink"))
    rel = d.part.rels[link.get(qn("r:id"))]
    assert (rel.is_external, rel.target_ref) == (True, href)
    assert "".join(t.text for t in link.iter(qn("w:t"))) == "the clerk"
    assert d.paragraphs[0].text == "Write to the clerk."


FULL = (
    "<h1>T</h1><p>Body.<span class='footnote'>A <a href='https://example.org'>note</a>.</span>"
    "</p>" + NESTED + "<table class='grid'><thead><tr><th>A</th><th>B</th></tr></thead>"
    "<tbody><tr><td>1</td><td>2</td></tr></tbody></table><div class='signature'>"
    "<p>Respectfully submitted,</p><p><a href='mailto:a@b.example'>a@b.example</a></p></div>"
)


def test_the_package_is_valid_ooxml_and_says_what_made_it(tmp_path):
    """A schema-aware validator (openxml-audit, offline) finds nothing; python-docx reads it back;
    app.xml names filings with no page count; no thumbnail or part of python-docx's template
    that says something untrue (a Mac Word, a blank page's preview, stale styles)."""
    from openxml_audit import OpenXmlValidator
    from openxml_audit.errors import FileFormat

    import filings

    path = tmp_path / "full.docx"
    path.write_bytes(
        convert("docx", page(FULL), NDIL, Meta(title="T", author="A", date=dt.date(2025, 11, 14)))[
            0
        ]
    )
    result = OpenXmlValidator(file_format=FileFormat.OFFICE_2010).validate(path)
    assert (result.error_count, result.warning_count) == (0, 0)
    docx.Document(str(path))
    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        app = z.read("docProps/app.xml").decode()
    assert f"<Application>filings {filings.__version__}</Application>" in app
    assert "Pages" not in app and "Microsoft" not in app
    assert not names & {
        "docProps/thumbnail.jpeg",
        "word/stylesWithEffects.xml",
        "customXml/item1.xml",
    }
    assert {"word/footnotes.xml", "word/numbering.xml", "docProps/core.xml"} <= names


LONG_TABLE = (
    '<table class="grid long"><thead><tr><th>No.</th><th>Name</th><th>A-number</th>'
    "<th>Facility</th></tr></thead><tbody>"
    "<tr><td>1</td><td>Kevin Alexander Mendoza Reyes</td><td>A-233-017-592</td>"
    "<td>Jefferson County Jail (Illinois)</td></tr></tbody></table>"
)


def test_a_long_tables_columns_follow_its_contents_in_both_outputs():
    """An A-number has no break opportunity: its column is at least as wide as it (at equal
    widths it ran into the next cell), and Word's grid has the shares the PDF's columns have."""
    table = lxml.html.fragment_fromstring(LONG_TABLE)
    fractions = shares(table, NDIL)
    grid = build(LONG_TABLE).tables[0]._tbl.tblGrid.findall(qn("w:gridCol"))
    widths = [int(col.get(qn("w:w"))) / 20 for col in grid]
    assert [round(w / NDIL.text_width, 3) for w in widths] == [round(f, 3) for f in fractions]
    assert fractions[0] < fractions[2] and widths[2] > 80  # "A-233-017-592" is ~75 pt at 12 pt
    cols = re.findall(r'<col style="width: ([\d.]+)%">', with_column_widths(page(LONG_TABLE), NDIL))
    assert [round(float(c) / 100, 3) for c in cols] == [round(f, 3) for f in fractions]
