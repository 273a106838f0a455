"""The WeasyPrint internals the text layer replaces or relies on, kept aside and checked.

`text_layer` replaces three WeasyPrint functions and relies on how four others treat a font's
`to_unicode` map. This module keeps WeasyPrint's own functions aside (`ORIGINAL`) and checks,
before any is replaced, that each is still the code the adaptation was written for: its
parameters and the lines it relies on. A release that changed one raises TextLayerError naming
it, rather than write a PDF whose text layer may be wrong. It is its own module so that the
drawing and writing halves (`substitutes`) and the installer (`text_layer`) share these without
importing each other.
"""

from __future__ import annotations

import inspect
from pathlib import Path

from filings.errors import FilingsError

ISSUE = "Kozea/WeasyPrint#2841"


class TextLayerError(FilingsError):
    """The installed WeasyPrint is not the one this adaptation was written for."""


# WeasyPrint's own functions while ours replace them: draw, clean and build.
ORIGINAL: dict[str, object] = {}
GLYPH_INFO_SIZE = 20  # bytes of a PangoGlyphInfo; check_internals makes sure
# Pango's PANGO_GLYPH_EMPTY (0x0FFFFFFF) and PANGO_GLYPH_UNKNOWN_FLAG (0x10000000) and above: no
# real glyph, and no OpenType font has more than 65,535.
SPECIAL_GLYPHS = 0x0FFFFFFF


def _internals() -> list[tuple[str, object, tuple[str, ...], tuple[str, ...]]]:
    """(name, function, its parameters, text its source must hold) for each internal relied on."""
    from weasyprint.draw import text
    from weasyprint.pdf import fonts, stream
    from weasyprint.text import line_break

    # Once installed, WeasyPrint's own functions are the ones kept aside.
    draw = ORIGINAL.get("draw", text.draw_first_line)
    clean = ORIGINAL.get("clean", fonts.Font.clean)
    build = ORIGINAL.get("build", fonts._build_vector_font_dictionary)
    return [
        # Draws a line's glyphs; a glyph already in `to_unicode` keeps the text it has there.
        (
            "weasyprint.draw.text.draw_first_line",
            draw,
            ("stream", "textbox", "text_overflow", "block_ellipsis", "matrix"),
            (
                "if glyph_id not in font.to_unicode:",
                "first_line.runs[0]",
                "if glyph_id in font.widths:",
                "pango_layout_set_single_paragraph_mode",
                "if text_overflow == 'ellipsis' or block_ellipsis != 'none':",
                "if pango.pango_version() < 14802 or font.png:",
            ),
        ),
        (
            "weasyprint.pdf.fonts.Font.__init__",
            fonts.Font.__init__,
            ("self", "pango_font", "description", "font_size"),
            (
                "self.to_unicode = {}",
                "self.widths = {}",
                "self.missing = {}",
                "self.glyph_count = ",
            ),
        ),
        # Subsets the font file to the glyph ids that are the keys of `to_unicode`.
        (
            "weasyprint.pdf.fonts.Font.clean",
            clean,
            ("self", "to_unicode", "hinting"),
            ("self.subset(to_unicode, hinting)",),
        ),
        (
            "weasyprint.pdf.fonts._build_vector_font_dictionary",
            build,
            ("font_dictionary", "pdf", "font", "widths", "compress", "reference", "pdf_version"),
            ("'CIDToGIDMap': '/Identity'", "pdf.add_object(subfont_dictionary)"),
        ),
        # Writes every key of `to_unicode` into the font's ToUnicode map.
        (
            "weasyprint.pdf.fonts.build_fonts_dictionary",
            fonts.build_fonts_dictionary,
            ("pdf", "fonts", "compress", "subset", "options"),
            (
                "to_unicode = font.to_unicode",
                "font_widths = font.widths",
                "_build_vector_font_dictionary(",
            ),
        ),
        (
            "weasyprint.pdf.stream.Stream.add_font",
            stream.Stream.add_font,
            ("self", "pango_font"),
            ("self._fonts[key]",),
        ),
        (
            "weasyprint.text.line_break.Layout.get_first_line",
            line_break.Layout.get_first_line,
            ("self",),
            ("pango_layout_get_line_readonly(self.layout, 0)",),
        ),
    ]


def check_internals() -> None:
    """Raise TextLayerError if a WeasyPrint internal the text layer adapts is not as it expects."""
    import weasyprint
    from weasyprint.text.ffi import ffi, pango

    layout = (
        ffi.sizeof("PangoGlyphInfo"),
        ffi.offsetof("PangoGlyphInfo", "geometry"),
        ffi.offsetof("PangoGlyphGeometry", "width"),
        pango.PANGO_GLYPH_EMPTY,
        pango.PANGO_GLYPH_UNKNOWN_FLAG,
    )
    if layout != (GLYPH_INFO_SIZE, 4, 0, SPECIAL_GLYPHS, SPECIAL_GLYPHS + 1):
        raise TextLayerError(changed(weasyprint.__version__, "Pango's PangoGlyphInfo"))
    for name, function, params, needles in _internals():
        found = tuple(inspect.signature(function).parameters)
        # The function's module, read as text: once per worker, faster than inspect.getsource.
        source = Path(inspect.getsourcefile(function)).read_text(encoding="utf-8")
        if found != params or not all(needle in source for needle in needles):
            raise TextLayerError(changed(weasyprint.__version__, name))


def changed(version: str, name: str) -> str:
    """What to do about a changed internal; it names text_layer.py, where the adaptation starts."""
    return (
        f"WeasyPrint {version} changed {name}, which filings/outputs/pdf/text_layer.py adapts "
        f"to keep the PDF's text layer exact ({ISSUE}); update that module, or remove it "
        f"if this WeasyPrint fixes {ISSUE}"
    )
