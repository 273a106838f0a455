"""Substitute glyph ids: given to a glyph as its line is drawn, sent back to it as the font is
written.

The first text a glyph is drawn with keeps the glyph's id; other text gets a substitute id past
the font's last glyph (`Identities`, one per font file). `draw_first_line` gives each run's
glyphs their ids as WeasyPrint draws the line; `clean` keeps substitutes out of the font subset,
and `build_vector_font_dictionary` writes the CIDToGIDMap that draws each substitute as its real
glyph. These three replace WeasyPrint's own functions (`text_layer.install`).
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass, field

from filings.outputs.pdf.glyph_text import run_texts
from filings.outputs.pdf.weasyprint_internals import (
    GLYPH_INFO_SIZE,
    ISSUE,
    ORIGINAL,
    SPECIAL_GLYPHS,
    TextLayerError,
    changed,
)


@dataclass
class Identities:
    """One font file's substitute glyph ids, shared by every Font object drawing that file."""

    first: int  # the first id past the font's glyphs
    aliases: dict[tuple[int, str], int] = field(default_factory=dict)  # (glyph, text) -> id
    glyph_of: dict[int, int] = field(default_factory=dict)  # substitute id -> real glyph


# --- drawing: each glyph gets the id that reads back as its text --------------------------------


def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's draw_first_line, each run's glyphs given their text-layer ids as it asks
    for the run's font (so that the font is looked up once, as before)."""
    draw = ORIGINAL["draw"]
    if (
        not textbox.text.strip()
        or textbox.style["font_size"] < 1e-6
        or text_overflow == "ellipsis"
        or block_ellipsis != "none"
    ):
        # Nothing drawn, or a line WeasyPrint shortens before drawing (court documents have no
        # ellipsis); it is drawn as WeasyPrint would.
        return draw(stream, textbox, text_overflow, block_ellipsis, matrix)
    from weasyprint.text.ffi import pango

    # As draw_first_line does first; then its get_first_line returns this same line.
    pango.pango_layout_set_single_paragraph_mode(textbox.pango_layout.layout, True)
    line = _Line(stream, textbox, textbox.pango_layout.get_first_line()[0])
    stream.add_font = line.add_font
    try:
        return draw(stream, textbox, text_overflow, block_ellipsis, matrix)
    finally:
        del stream.add_font
        for glyph_info, glyph in line.swapped:
            glyph_info.glyph = glyph


class _Line:
    """One line being drawn: its runs not yet given their ids, and the glyphs swapped."""

    def __init__(self, stream, textbox, first_line) -> None:
        from weasyprint.text.ffi import ffi

        self.stream, self.textbox = stream, textbox
        self.utf8 = textbox.pango_layout.text.encode()
        self.pending = []
        self.swapped: list = []
        run = first_line.runs[0]
        while run != ffi.NULL:
            self.pending.append(run.data)
            run = run.next

    def add_font(self, pango_font):
        """Stream.add_font, first giving every run drawn in this font its ids."""
        font, font_size = type(self.stream).add_font(self.stream, pango_font)
        ids = _identities(self.stream, font)
        mine = [g for g in self.pending if g.item.analysis.font == pango_font]
        self.pending = [g for g in self.pending if g.item.analysis.font != pango_font]
        if ids is not None:
            for glyph_item in mine:
                self._assign(glyph_item, font, ids, font_size)
        return font, font_size

    def _assign(self, glyph_item, font, ids: Identities, font_size: float) -> None:
        """Record each glyph's text, with a substitute id where its glyph already reads back
        as other text."""
        from weasyprint.text.ffi import ffi

        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        # PangoGlyphInfo is five 32-bit fields: glyph, width, x and y offsets, attributes.
        fields = memoryview(ffi.buffer(glyphs.glyphs, count * GLYPH_INFO_SIZE)).cast("i")
        glyph_ids = fields[0::5].tolist()
        item = glyph_item.item
        texts = run_texts(
            self.utf8[item.offset : item.offset + item.length],
            ffi.unpack(glyphs.log_clusters, count),
            fields[1::5].tolist(),
            item.analysis.level % 2,
        )
        to_unicode = font.to_unicode
        if list(map(to_unicode.get, glyph_ids)) == texts:
            return  # every glyph already reads back as its text: most runs
        for i, (glyph, text) in enumerate(zip(glyph_ids, texts, strict=True)):
            known = to_unicode.get(glyph)
            if known == text or glyph >= SPECIAL_GLYPHS:
                continue  # a special glyph is drawn as nothing, or as .notdef (which fails)
            if known is None:
                to_unicode[glyph] = text
                continue
            alias = _alias(font, ids, glyph, text)
            if alias != glyph:
                if alias not in font.widths:
                    font.widths[alias] = self._width(item.analysis.font, font, glyph, font_size)
                glyphs.glyphs[i].glyph = alias
                self.swapped.append((glyphs.glyphs[i], glyph))

    def _width(self, pango_font, font, glyph: int, font_size: float) -> int:
        """The glyph's advance in thousandths of an em, as draw_first_line computes it."""
        from weasyprint.text.ffi import FROM_UNITS, pango

        if glyph not in font.widths:
            if pango.pango_version() < 14802:
                font_size = self.textbox.style["font_size"]
            stream = self.stream
            pango.pango_font_get_glyph_extents(
                pango_font, glyph, stream.ink_rect, stream.logical_rect
            )
            width = stream.logical_rect.width * 1000 * FROM_UNITS / font_size
            font.widths[glyph] = round(width)
        return font.widths[glyph]


def _identities(stream, font) -> Identities | None:
    """The font's substitute ids, or None where a substitute cannot be drawn: a bitmap or colour
    font (looked up by glyph id) or a CFF font (no CIDToGIDMap) keeps WeasyPrint's text layer."""
    ids = font.__dict__.get("_filings_identities", False)
    if ids is not False:
        return ids
    ids = None
    if not (font.bitmap or font.png or font.svg or font.colr or font.type == "otf"):
        # Fonts of one file share one PDF font (by `hash`): share its ids and maps as well.
        for other in stream._fonts.values():
            shared = other.__dict__.get("_filings_identities")
            if shared is not None and other.hash == font.hash and other is not font:
                for mine, theirs in (
                    (font.to_unicode, other.to_unicode),
                    (font.widths, other.widths),
                ):
                    for key, value in mine.items():
                        theirs.setdefault(key, value)
                font.to_unicode, font.widths, ids = other.to_unicode, other.widths, shared
                break
        else:
            ids = Identities(first=font.glyph_count)
    font._filings_identities = ids
    return ids


def _alias(font, ids: Identities, glyph: int, text: str) -> int:
    """The substitute id that draws `glyph` and reads back as `text`."""
    key = (glyph, text)
    if key in ids.aliases:
        return ids.aliases[key]
    alias = ids.first + len(font.missing) + len(ids.aliases)
    while alias in font.missing.values():
        alias += 1
    if alias > 0xFFFF:
        return glyph  # no id left: the glyph keeps its first text, as in WeasyPrint
    ids.aliases[key] = alias
    ids.glyph_of[alias] = glyph
    font.to_unicode[alias] = text
    return alias


# --- writing: substitutes stay out of the font file and draw their real glyph ------------------


def _aliases_of(font) -> Identities | None:
    ids = font.__dict__.get("_filings_identities")
    return ids if ids is not None and ids.aliases else None


def clean(self, to_unicode, hinting):
    """Font.clean, subsetting the font to its real glyphs only."""
    ids = _aliases_of(self)
    if ids is not None:
        to_unicode = {g: t for g, t in to_unicode.items() if g not in ids.glyph_of}
    return ORIGINAL["clean"](self, to_unicode, hinting)


def build_vector_font_dictionary(
    font_dictionary, pdf, font, widths, compress, reference, pdf_version
):
    """WeasyPrint's CIDFont, with a CIDToGIDMap sending each substitute id to its real glyph."""
    build = ORIGINAL["build"]
    ids = _aliases_of(font)
    if ids is None:
        return build(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
    if widths is not font.widths:
        raise TextLayerError(
            f"{font.family}: a whole embedded font has no room for the text "
            f"layer's substitute glyphs ({ISSUE})"
        )
    added = []
    pdf.add_object = lambda obj: (added.append(obj), type(pdf).add_object(pdf, obj))[1]
    try:
        build(font_dictionary, pdf, font, widths, compress, reference, pdf_version)
    finally:
        del pdf.add_object
    cid_fonts = [o for o in added if isinstance(o, dict) and o.get("CIDToGIDMap") == "/Identity"]
    if len(cid_fonts) != 1:
        import weasyprint

        raise TextLayerError(changed(weasyprint.__version__, "the CIDFont it writes"))
    cid_fonts[0]["CIDToGIDMap"] = _cid_to_gid(pdf, ids, compress)


def _cid_to_gid(pdf, ids: Identities, compress: bool) -> bytes:
    """A CIDToGIDMap stream: each id its own glyph, each substitute id its real glyph."""
    import pydyf

    gids = array("H", range(max(ids.glyph_of) + 1))
    for alias, glyph in ids.glyph_of.items():
        gids[alias] = glyph
    if sys.byteorder == "little":
        gids.byteswap()  # the PDF's map is big-endian
    stream = pydyf.Stream([gids.tobytes()], compress=compress)
    pdf.add_object(stream)
    return stream.reference
