"""The PDF's text layer: every glyph drawn reads back as exactly the text it was drawn for.

Search and copy in a PDF read the text layer (each font's ToUnicode map), not the drawing.
WeasyPrint 70 maps each glyph to the text it was first drawn with (Kozea/WeasyPrint#2841): a glyph
shared between different text, such as an Indic vowel sign that belongs to several syllables,
then reads back as its first text everywhere, and a name extracts with a letter missing or
changed. As Kozea/WeasyPrint#2869 proposes, every (glyph, text) pair gets its own identity here:
the first text a glyph is drawn with keeps the glyph's id; other text gets a substitute id past
the font's last glyph, which the CIDFont's CIDToGIDMap sends back to the real glyph, so the page
is drawn exactly as before and no font file changes.

Chinese, Japanese and Korean fonts (CFF outlines: a CIDFont without a CIDToGIDMap), bitmap and
colour fonts cannot take a substitute id and keep WeasyPrint's own text layer; their glyphs each
stand for one character.

Right-to-left runs are drawn left to right, and readers put them back in logical order by
reversing their characters; so a glyph that stands for several letters there (the lam-lam-heh
ligature of الله) carries them in drawn order, and عبد الله no longer reads back as عبد اهلل.

The adaptation is three modules besides this one, which installs it: `weasyprint_internals`
(WeasyPrint's functions kept aside, and the check that they are still the ones it was written
for), `glyph_text` (which text each glyph of a run stands for) and `substitutes` (the substitute
ids, given as a line is drawn and sent back to their glyphs as the font is written).

Drop this module and those three when WeasyPrint ships the fix (pyproject.toml pins
weasyprint>=70,<71). `install` first checks each WeasyPrint internal it relies on, and raises
TextLayerError naming the one a release changed rather than write a PDF whose text layer may be
wrong.
"""

from __future__ import annotations

from filings.outputs.pdf.substitutes import (
    build_vector_font_dictionary,
    clean,
    draw_first_line,
)
from filings.outputs.pdf.weasyprint_internals import ORIGINAL, check_internals


def install() -> None:
    """Give every PDF WeasyPrint writes in this process an exact text layer; idempotent."""
    if ORIGINAL:
        return
    check_internals()
    from weasyprint.draw import text
    from weasyprint.pdf import fonts

    ORIGINAL.update(
        draw=text.draw_first_line, clean=fonts.Font.clean, build=fonts._build_vector_font_dictionary
    )
    text.draw_first_line = draw_first_line
    fonts.Font.clean = clean
    fonts._build_vector_font_dictionary = build_vector_font_dictionary


def uninstall() -> None:
    """Put WeasyPrint's own functions back (for the tests that compare with them)."""
    if not ORIGINAL:
        return
    from weasyprint.draw import text
    from weasyprint.pdf import fonts

    text.draw_first_line = ORIGINAL["draw"]
    fonts.Font.clean = ORIGINAL["clean"]
    fonts._build_vector_font_dictionary = ORIGINAL["build"]
    ORIGINAL.clear()
