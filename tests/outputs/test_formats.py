"""Court formats as data: loading, a team's own formats, and errors that name the file and key."""

from __future__ import annotations

import docx
import pytest
from conftest import write

from filings.errors import FormatError, TemplateError
from filings.outputs.docx import page
from filings.outputs.formats import formats, load_format
from filings.outputs.formats.bands import resolve

NDIL = """\
name: {name}
title: T
page: {{width: 612, height: 792, margin_top: 72, margin_right: 72, margin_bottom: 72,
        margin_left: 72}}
font: {{family: Liberation Serif, complex_script: Noto Naskh Arabic, east_asian: Noto Serif CJK SC}}
footer: "Page {{page}} of {{pages}}"
styles:
  body:       {{size: {size}, line: 24}}
  title:      {{size: 12, line: 24}}
  heading:    {{size: 12, line: 24}}
  subheading: {{size: 12, line: 24}}
  list:       {{size: 12, line: 24}}
  compact:    {{size: 12, line: 14}}
  quote:      {{size: 12, line: 14}}
  table:      {{size: 12, line: 14}}
  footer:     {{size: 11, line: 14}}
"""


def test_the_built_in_formats_load():
    assert {"ndil", "notice", "eoir", "pleading"} <= set(formats())
    ndil = load_format("ndil")
    assert ndil.styles["footnote"].size == 11
    assert ndil.rules.footnote_size.value == 11 and ndil.rules.footnote_size.source == "LR 5.2(c)"
    assert ndil.page_limit == 15 and "LR 7.1" in ndil.rules.page_limit.source
    assert ndil.footer.center == "Page {page} of {pages}"
    pleading = load_format("pleading")
    assert (pleading.line_numbers.count, pleading.line_numbers.pitch) == (28, 24)
    assert pleading.line_numbers.count * pleading.line_numbers.pitch == pleading.text_height


def test_a_templates_folder_may_bring_its_own_formats_found_first(tmp_path):
    write(tmp_path / "_formats" / "ndil.yaml", NDIL.format(name="ndil", size=14))
    write(tmp_path / "_formats" / "team.yaml", NDIL.format(name="team", size=13))
    assert load_format("ndil", search=[tmp_path]).styles["body"].size == 14
    assert load_format("team", search=[tmp_path]).styles["body"].size == 13
    assert load_format("ndil").styles["body"].size == 12
    assert "team" in formats([tmp_path])


@pytest.mark.parametrize(
    "change, message",
    [
        (
            ("{{size: {size}, line: 24}}", "{{size: twelve, line: 24}}"),
            ":8: styles.body.size: 'twelve' is not a number",
        ),
        (
            ("name: {name}\n", "name: {name}\ncolour: red\n"),
            ":2: colour: unknown setting; the settings here are: name, title, page",
        ),
        (("margin_top: 72, ", ""), ":3: page.margin_top: is missing"),
        (
            ('footer: "Page {{page}} of {{pages}}"', "footer: {{left: x, rule: 1}}"),
            ":6: footer.rule: a rule needs the text in `center` only",
        ),
        (
            ("footer: ", "translations: {{es: {{fotter: x}}}}\nfooter: "),
            ":6: translations.es.fotter: unknown setting; the settings here are: header, footer",
        ),
        (
            ("footer: ", "translations: {{espanol: {{footer: x}}}}\nfooter: "),
            ":6: translations.espanol: not a language tag such as es or zh-Hant",
        ),
    ],
)
def test_a_broken_format_file_is_named_with_its_line_and_key(tmp_path, change, message):
    old, new = change
    text = NDIL.replace(old, new, 1).format(name="bad", size=12)
    write(tmp_path / "_formats" / "bad.yaml", text)
    with pytest.raises(FormatError) as exc:
        load_format("bad", search=[tmp_path])
    assert exc.value.message.startswith(f"{tmp_path / '_formats' / 'bad.yaml'}")
    assert message in exc.value.message
    # The place as data too: the file, the line and the key the message starts with.
    at = exc.value.location
    assert (at.file, at.line) == (str(tmp_path / "_formats" / "bad.yaml"), int(message[1]))
    assert message.startswith(f":{at.line}: {at.field}: ")


def test_a_ruled_format_keeps_every_line_on_the_ruler(tmp_path):
    text = NDIL.format(name="ruled", size=12).replace(
        "footer: ", "line_numbers: {count: 27, pitch: 24}\nfooter: ", 1
    )
    write(tmp_path / "_formats" / "ruled.yaml", text)
    with pytest.raises(FormatError) as exc:
        load_format("ruled", search=[tmp_path])
    assert "styles.compact.line: 14 is not a multiple of line_numbers.pitch 24" in exc.value.message


def test_an_unknown_format_lists_the_formats_there_are():
    with pytest.raises(FormatError) as exc:
        load_format("../ndil")
    assert exc.value.message.startswith("no court format named '../ndil'; the formats are: eoir")


def _headers(fmt, fields: dict[str, str]) -> tuple[list[str], list[str] | None]:
    """The DOCX's header text, and its first page's (None when the first page has no own)."""
    doc = docx.Document()
    page.bands(doc, fmt, fields, "doc")
    section = doc.sections[0]
    first = [p.text for p in section.first_page_header.paragraphs]
    return [p.text for p in section.header.paragraphs], (
        first if section.different_first_page_header_footer else None
    )


def test_header_fields_come_from_the_document_and_labels_only_when_supplied():
    eoir = load_format("eoir")
    fields = {"respondent": "Ana Ruiz", "a_number": "A-012-345-672"}
    detained = _headers(eoir, {**fields, "custody": "DETAINED"})
    assert detained == (["Ana Ruiz\t\tA-012-345-672"], ["Ana Ruiz\t\tDETAINED"])
    assert _headers(eoir, fields) == (["Ana Ruiz\t\tA-012-345-672"], None)
    with pytest.raises(TemplateError) as exc:
        resolve(eoir, "header", {"respondent": "Ana Ruiz"}, "doc")
    assert exc.value.message == (
        "doc: the eoir format's header prints {a_number}; the document must supply it as "
        '<meta name="filings.a_number" content="…">'
    )


def test_a_translation_gives_the_bands_of_documents_in_its_language(tmp_path):
    text = NDIL.format(name="two", size=12).replace(
        "footer: ", 'translations: {es: {footer: "Página {page} de {pages}"}}\nfooter: ', 1
    )
    write(tmp_path / "_formats" / "two.yaml", text)
    fmt = load_format("two", search=[tmp_path])
    assert fmt.in_language("es").footer.center == "Página {page} de {pages}"
    assert fmt.in_language("es-MX").footer.center == "Página {page} de {pages}"
    assert fmt.in_language("ES").footer.center == "Página {page} de {pages}"
    for other in ("en", "fr", None):
        assert fmt.in_language(other) is fmt
    assert [v.footer.center for v in fmt.variants] == [
        "Page {page} of {pages}",
        "Página {page} de {pages}",
    ]
