"""HTML + court format -> one self-contained HTML file (reached through `filings.outputs.convert`).

The file holds the document, its court format's stylesheet inlined, and `@font-face` rules naming
the project's pinned font files by file:// URL, so WeasyPrint alone, given nothing but this file,
lays out the pages our PDF has. A template author can open it, a bug report can attach it, and an
outside benchmark can render our documents in a plain WeasyPrint loop.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

import lxml.html

from filings import glyphs
from filings.outputs.columns import long_tables, size_columns
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.bands import document_fields, for_document
from filings.outputs.pdf import isolate_inline_directions
from filings.outputs.pdf.css import document_stylesheet, stylesheet
from filings.outputs.pdf.fonts import font_chain
from filings.templating import vocabulary

if TYPE_CHECKING:
    from filings.outputs.convert import Meta


def render(html: str, fmt: CourtFormat, meta: Meta) -> tuple[bytes, None]:
    """The HTML file's bytes (UTF-8); pages are WeasyPrint's to count, so None."""
    root = lxml.html.document_fromstring(isolate_inline_directions(html))
    vocabulary.check(root, meta.where)
    fields = document_fields(root)
    size_columns(long_tables(root), fmt)
    own = for_document(fmt, root.get("lang"), fields)
    css = [
        *_font_faces(font_chain(fmt)),
        stylesheet(own),
        document_stylesheet(own, fields, meta.where),
    ]
    style = lxml.html.Element("style")
    style.text = "\n".join(c for c in css if c)
    head = root.find("head")
    if head is None:
        head = lxml.html.Element("head")
        root.insert(0, head)
    head.insert(0, style)
    return lxml.html.tostring(root, encoding="utf-8", doctype="<!DOCTYPE html>"), None


def _font_faces(chain: tuple[str, ...]) -> list[str]:
    return [rule for name in chain for rule in _family_faces(name)]


@cache
def _family_faces(name: str) -> tuple[str, ...]:
    """One @font-face per file of a family; a face inside a collection (CJK) has no URL of its
    own, and is left to the machine's fontconfig, which scripts/setup gives the same files."""
    fam = glyphs.family(name)
    rules = []
    for file in fam.files:
        if "#" in file:
            continue
        path, _ = glyphs.locate(file, fam)
        weight, style = _weight_style(path)
        rules.append(
            f'@font-face {{ font-family: "{fam.name}"; src: url("{path.as_uri()}"); '
            f"font-weight: {weight}; font-style: {style}; }}"
        )
    return tuple(rules)


def _weight_style(path) -> tuple[int, str]:
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), lazy=True)
    try:
        os2 = font["OS/2"]
        return os2.usWeightClass, "italic" if os2.fsSelection & 1 else "normal"
    finally:
        font.close()
