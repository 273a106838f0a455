"""Which text each glyph of a shaped run stands for, the glyphs in the order they are drawn.

The one part of the text layer that is about text rather than about WeasyPrint: it takes what
HarfBuzz reports for a run (each glyph's cluster and advance) and returns each glyph's text, so
it is tested on its own, with no font and no PDF. `substitutes` asks it for every run it draws.
"""

from __future__ import annotations

import unicodedata


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
