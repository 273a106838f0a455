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

Drop this module when WeasyPrint ships the fix (pyproject.toml pins weasyprint>=70,<71).
`install` first checks each WeasyPrint internal it relies on, and raises TextLayerError naming
the one a release changed rather than write a PDF whose text layer may be wrong.
"""

from __future__ import annotations

import inspect
import sys
import unicodedata
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from filings.errors import FilingsError

ISSUE = "Kozea/WeasyPrint#2841"


class TextLayerError(FilingsError):
    """The installed WeasyPrint is not the one this adaptation was written for."""


@dataclass
class Identities:
    """One font file's substitute glyph ids, shared by every Font object drawing that file."""

    first: int  # the first id past the font's glyphs
    aliases: dict[tuple[int, str], int] = field(default_factory=dict)  # (glyph, text) -> id
    glyph_of: dict[int, int] = field(default_factory=dict)  # substitute id -> real glyph


_ORIGINAL: dict[str, object] = {}
GLYPH_INFO_SIZE = 20  # bytes of a PangoGlyphInfo; check_internals makes sure
# Pango's PANGO_GLYPH_EMPTY (0x0FFFFFFF) and PANGO_GLYPH_UNKNOWN_FLAG (0x10000000) and above: no
# real glyph, and no OpenType font has more than 65,535.
SPECIAL_GLYPHS = 0x0FFFFFFF


def install() -> None:
    """Give every PDF WeasyPrint writes in this process an exact text layer; idempotent."""
    if _ORIGINAL:
        return
    check_internals()
    from weasyprint.draw import text
    from weasyprint.pdf import fonts

    _ORIGINAL.update(
        draw=text.draw_first_line, clean=fonts.Font.clean, build=fonts._build_vector_font_dictionary
    )
    text.draw_first_line = _draw_first_line
    fonts.Font.clean = _clean
    fonts._build_vector_font_dictionary = _build_vector_font_dictionary


def uninstall() -> None:
    """Put WeasyPrint's own functions back (for the tests that compare with them)."""
    if not _ORIGINAL:
        return
    from weasyprint.draw import text
    from weasyprint.pdf import fonts

    text.draw_first_line = _ORIGINAL["draw"]
    fonts.Font.clean = _ORIGINAL["clean"]
    fonts._build_vector_font_dictionary = _ORIGINAL["build"]
    _ORIGINAL.clear()


# --- what WeasyPrint must still be -------------------------------------------------------------


def _internals() -> list[tuple[str, object, tuple[str, ...], tuple[str, ...]]]:
    """(name, function, its parameters, text its source must hold) for each internal relied on."""
    from weasyprint.draw import text
    from weasyprint.pdf import fonts, stream
    from weasyprint.text import line_break

    # Once installed, WeasyPrint's own functions are the ones kept aside.
    draw = _ORIGINAL.get("draw", text.draw_first_line)
    clean = _ORIGINAL.get("clean", fonts.Font.clean)
    build = _ORIGINAL.get("build", fonts._build_vector_font_dictionary)
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
    """Raise TextLayerError if a WeasyPrint internal this module adapts is not as it expects."""
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
        raise TextLayerError(_changed(weasyprint.__version__, "Pango's PangoGlyphInfo"))
    for name, function, params, needles in _internals():
        found = tuple(inspect.signature(function).parameters)
        # The function's module, read as text: once per worker, faster than inspect.getsource.
        source = Path(inspect.getsourcefile(function)).read_text(encoding="utf-8")
        if found != params or not all(needle in source for needle in needles):
            raise TextLayerError(_changed(weasyprint.__version__, name))


def _changed(version: str, name: str) -> str:
    return (
        f"WeasyPrint {version} changed {name}, which filings/outputs/pdf/text_layer.py adapts "
        f"to keep the PDF's text layer exact ({ISSUE}); update that module, or remove it "
        f"if this WeasyPrint fixes {ISSUE}"
    )


# --- drawing: each glyph gets the id that reads back as its text --------------------------------


def _draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
    """WeasyPrint's draw_first_line, each run's glyphs given their text-layer ids as it asks
    for the run's font (so that the font is looked up once, as before)."""
    draw = _ORIGINAL["draw"]
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


def run_texts(utf8: bytes, clusters: list[int], widths: list[int], rtl: bool) -> list[str]:
    """The text each glyph of a shaped run stands for, the glyphs in the order they are drawn.

    `utf8` is the run's text, `clusters` each glyph's first byte in it (HarfBuzz's clusters),
    `widths` each glyph's advance. Read in drawn order, the texts spell the run's text, reversed
    in a right-to-left run, as readers reverse such a run's characters to read it.

    Where one cluster is drawn with several glyphs (an Indic syllable with a split vowel or a
    reph), its text is spread over the glyphs that advance the pen, one character each for the
    last ones and the rest on the first: pdftotext takes a glyph that reads back as nothing but
    moves the pen for a gap between words. A mark drawn over its letter (zero advance: a Khmer or
    Myanmar sign, an Arabic vowel) is read with that letter, as pdftotext would otherwise move it.
    """
    if not rtl and all(widths) and clusters == sorted(set(clusters)):
        # One glyph per cluster, the pen moving at each: most of every document.
        if len(clusters) == len(utf8) and utf8.isascii():
            return list(utf8.decode())
        ends = [*clusters[1:], len(utf8)]
        return [utf8[a:b].decode() for a, b in zip(clusters, ends, strict=True)]
    texts = [""] * len(clusters)
    for first, last, start, end in _units(utf8, clusters, widths, rtl):
        text = utf8[start:end].decode()
        if rtl:
            text = text[::-1]
        carriers = [i for i in range(first, last) if widths[i]] or [first]
        carriers = carriers[-len(text) :] if text else carriers[:1]
        head = len(text) - len(carriers) + 1
        texts[carriers[0]] = text[:head]
        for i, char in zip(carriers[1:], text[head:], strict=True):
            texts[i] = char
    return texts


def _units(utf8: bytes, clusters: list[int], widths: list[int], rtl: bool) -> list[tuple]:
    """(first glyph, past the last glyph, first byte, past the last byte) of each unit of text.

    HarfBuzz's clusters are runs of equal values in `clusters`, rising in a left-to-right run and
    falling in a right-to-left one; a cluster of marks that do not advance the pen joins the unit
    before it in reading order."""
    bounds = [i for i in range(len(clusters)) if i == 0 or clusters[i] != clusters[i - 1]]
    spans = list(zip(bounds, [*bounds[1:], len(clusters)], strict=True))
    if rtl:
        spans.reverse()  # reading order
    units: list[list[int]] = []
    for first, last in spans:
        start = clusters[first]
        if units and not any(widths[first:last]) and _is_mark(utf8, start):
            units[-1][0] = min(units[-1][0], first)
            units[-1][1] = max(units[-1][1], last)
            continue
        if units:
            units[-1][3] = start
        units.append([first, last, start, len(utf8)])
    return [tuple(unit) for unit in units]


def _is_mark(utf8: bytes, start: int) -> bool:
    lead = utf8[start]
    if lead < 0x80:
        return False
    size = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    return unicodedata.category(utf8[start : start + size].decode())[0] == "M"


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


def _clean(self, to_unicode, hinting):
    """Font.clean, subsetting the font to its real glyphs only."""
    ids = _aliases_of(self)
    if ids is not None:
        to_unicode = {g: t for g, t in to_unicode.items() if g not in ids.glyph_of}
    return _ORIGINAL["clean"](self, to_unicode, hinting)


def _build_vector_font_dictionary(
    font_dictionary, pdf, font, widths, compress, reference, pdf_version
):
    """WeasyPrint's CIDFont, with a CIDToGIDMap sending each substitute id to its real glyph."""
    build = _ORIGINAL["build"]
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

        raise TextLayerError(_changed(weasyprint.__version__, "the CIDFont it writes"))
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
