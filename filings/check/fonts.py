"""Fonts and glyphs of a PDF: every font embedded, no character drawn as a missing glyph.

Read from the fonts' own dictionaries rather than from extracted text: a page that draws a .notdef
glyph can defeat text extraction altogether, so its font's widths (which list the glyphs used) are
where the missing glyph shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from pdfminer.pdftypes import resolve1

from filings.check.findings import finding
from filings.outputs.formats import CourtFormat
from filings.problems import Problem


def fonts_and_glyphs(
    file: str, fmt: CourtFormat, pages: Sequence, texts: list[str]
) -> list[Problem]:
    """Every font embedded; no glyph drawn as .notdef (glyph 0) nor text mapped to U+FFFD.

    `pages` are pdfminer's PDFPage objects of an open document (the checker's own, so the file
    is parsed once); `texts` the text of each page."""
    fonts: dict[str, tuple[dict, int]] = {}
    for number, page in enumerate(pages, start=1):
        for font in (resolve1((page.resources or {}).get("Font")) or {}).values():
            font = resolve1(font)
            fonts.setdefault(str(resolve1(font.get("BaseFont"))), (font, number))
    found = [
        f
        for name, (font, number) in sorted(fonts.items(), key=lambda kv: kv[1][1])
        for f in _font_findings(file, fmt, name, font, number)
    ]
    for number, text in enumerate(texts, start=1):
        if "\ufffd" in text or "(cid:" in text:
            found.append(
                finding(
                    file,
                    "glyphs",
                    f"page {number}",
                    "characters with no Unicode text (U+FFFD or a bare glyph id)",
                    f"{fmt.name} needs text that reads as written",
                )
            )
    return found


def _font_findings(file: str, fmt: CourtFormat, name: str, font: dict, page: int):
    shown = name.strip("/'").split("+")[-1]
    where = f"page {page}"
    subtype = str(resolve1(font.get("Subtype")))
    if "Type3" in subtype:  # glyphs drawn by the PDF itself
        return
    target = font
    if "Type0" in subtype:
        target = resolve1(resolve1(font.get("DescendantFonts"))[0])
        if _uses_cid_zero(resolve1(target.get("W")) or []):
            yield finding(
                file,
                "glyphs",
                where,
                f"font {shown} draws its .notdef glyph (glyph 0)",
                f"{fmt.name} needs a glyph for every character; a font that has them "
                "must be installed",
            )
    descriptor = resolve1(target.get("FontDescriptor")) or {}
    if not any(k in descriptor for k in ("FontFile", "FontFile2", "FontFile3")):
        yield finding(
            file,
            "fonts",
            where,
            f"font {shown} is not embedded",
            f"{fmt.name} needs every font embedded, so the filing prints and reads "
            "the same everywhere",
        )


def _uses_cid_zero(widths: list) -> bool:
    """Whether a CID font's widths (which WeasyPrint and most writers give for the glyphs they
    use) include CID 0, which with an identity map is the .notdef glyph."""
    widths = [resolve1(w) for w in widths]
    i = 0
    while i < len(widths) - 1:
        first = widths[i]
        if isinstance(widths[i + 1], list):
            if first <= 0 < first + len(widths[i + 1]):
                return True
            i += 2
        else:
            if first <= 0 <= widths[i + 1]:
                return True
            i += 3
    return False
