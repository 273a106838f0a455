"""The one conversion seam, and the one table of element -> style role both renderers read."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from filings.outputs.convert import RENDERERS, Meta, convert
from filings.outputs.formats import OPTIONAL_ROLES, ROLES, load_format
from filings.outputs.formats.roles import ELEMENT_ROLES, WORD_STYLES, role_of
from filings.outputs.pdf.css import stylesheet

HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>T</title></head><body>'
    '<h1>Title</h1><p>Body</p><p class="single">Compact</p><blockquote><p>Quote</p>'
    "</blockquote><ol><li>Item</li></ol></body></html>"
)
META = Meta(where="doc", title="T", author="A", date=dt.date(2025, 11, 14))


def test_each_kind_is_rendered_behind_the_one_seam():
    pdf, pages = convert("pdf", HTML, load_format("ndil"), META)
    word, none = convert("docx", HTML, load_format("ndil"), META)
    assert pdf.startswith(b"%PDF") and pages == 1
    assert word.startswith(b"PK") and none is None
    assert set(RENDERERS) == {"pdf", "docx", "html"}


def test_an_unknown_kind_or_a_docx_without_a_date_is_a_programming_error():
    with pytest.raises(ValueError, match="no renderer for 'odt'; the kinds are: pdf, docx, html"):
        convert("odt", HTML, load_format("ndil"), META)
    with pytest.raises(ValueError, match="a DOCX needs meta.date"):
        convert("docx", HTML, load_format("ndil"), Meta())


def test_every_role_of_the_table_is_a_style_of_the_format_and_has_a_word_style():
    assert set(WORD_STYLES) == {*ROLES, *OPTIONAL_ROLES}
    assert {role for _, role in ELEMENT_ROLES} <= {*ROLES, *OPTIONAL_ROLES}
    assert role_of("h1") == "title" and role_of(".signature p") == "compact"


@pytest.mark.parametrize("selectors, role", ELEMENT_ROLES)
def test_the_pdf_stylesheet_gives_each_row_of_the_table_its_roles_style(selectors, role):
    fmt = load_format("ndil")
    size = fmt.styles[role].size
    assert f"{selectors} {{ font-size: {size}pt;" in stylesheet(fmt)


def test_the_docx_gives_each_element_the_word_style_of_its_role():
    data, _ = convert("docx", HTML, load_format("ndil"), META)
    styles = [p.style.name for p in docx.Document(io.BytesIO(data)).paragraphs]
    roles = ["h1", "p", "p.single", "blockquote p", "li"]
    assert styles == [WORD_STYLES[role_of(s)] for s in roles]
