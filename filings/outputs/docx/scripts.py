"""Text in every script, as Word needs it: each run in the font the PDF draws it with, marked
with its language (so Word proofs Spanish as Spanish and Arabic as Arabic) and, for right-to-left
text, its direction.

The PDF gets the same choices from WeasyPrint and Pango: the court format's families in order,
the first one that has a character draws it (`filings.glyphs.runs`), and the text's language picks
among the Chinese, Japanese and Korean families.
"""

from __future__ import annotations

from docx.oxml.ns import qn

from filings import glyphs
from filings.outputs.docx.ooxml import PPR_ORDER, RPR_ORDER, put
from filings.outputs.formats import CourtFormat


def attributes(el) -> tuple[str | None, str | None]:
    """An element's `lang` and `dir` (`filings.templating.vocabulary` has checked both)."""
    return el.get("lang"), el.get("dir")


class Scripts:
    """Runs of one document: its families in order, and the document's language."""

    def __init__(self, fmt: CourtFormat, lang: str) -> None:
        self.fmt = fmt
        self.families = tuple(dict.fromkeys((fmt.font.family, *fmt.font.fallbacks)))
        self.lang = lang

    def pieces(self, text: str, lang: str | None) -> list[tuple[str, str]]:
        """The text cut where the family that draws it changes."""
        return glyphs.runs(text, glyphs.chain(self.families, lang or self.lang))

    def mark(self, run, text: str, family: str, lang: str | None, rtl: bool) -> None:
        """Set a run's font (when not the body's), language and direction."""
        rpr = run._r.get_or_add_rPr()
        if family != self.fmt.font.family:
            fonts = put(rpr, "rFonts", RPR_ORDER)
            for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
                fonts.set(qn(f"w:{slot}"), family)
        if rtl or glyphs.has_rtl(text):
            put(rpr, "rtl", RPR_ORDER)
        word = glyphs.run_language(lang or self.lang, family)
        element = put(rpr, "lang", RPR_ORDER)
        element.set(qn("w:val"), word)
        if family in glyphs.CJK_FAMILIES:
            element.set(qn("w:eastAsia"), word)
        elif glyphs.FAMILIES[family].script:
            element.set(qn("w:bidi"), word)


def right_to_left(paragraph) -> None:
    """A right-to-left paragraph: it starts at the right, and Word's `left` becomes its start."""
    put(paragraph._p.get_or_add_pPr(), "bidi", PPR_ORDER)


def document_language(root, default: str) -> str:
    """Word's language for the document: the HTML's `lang`, else `default`."""
    lang = root.get("lang")
    return glyphs.word_language(lang) if lang else default
