"""Exact line pitch in the PDF for text drawn in a fallback font, as Word keeps it.

WeasyPrint sets a line of mixed fonts by the tallest font's ascent and deepest descent: a line
holding an Arabic name in Noto Naskh Arabic is 25.4 points where the format says 24, so a page of
such lines ends earlier than the same page in Word, whose exact line spacing ignores the font.
Each run a fallback family draws (`filings.glyphs.runs`, the same cut the DOCX makes) is put in a
span with no line height of its own: its glyphs print as before, and the line keeps its pitch.
"""

from __future__ import annotations

import lxml.html

from filings import glyphs
from filings.outputs.formats import CourtFormat

FALLBACK = "filings-fallback"  # added after the vocabulary check; styled by `css.stylesheet`
_SKIP = frozenset({"head", "title", "meta"})


def exact_pitch(html: str, fmt: CourtFormat) -> str:
    """The HTML with every fallback-font run of its body in a `FALLBACK` span."""
    if _body_draws_all(html, fmt.font.family):  # as for most rosters: nothing to wrap
        return html
    root = lxml.html.document_fromstring(html)
    families = tuple(dict.fromkeys((fmt.font.family, *fmt.font.fallbacks)))
    changed = False
    for el in list(root.find("body").iter()):
        if not isinstance(el.tag, str) or el.tag in _SKIP:
            continue
        langs = el.xpath("ancestor-or-self::*[@lang][1]/@lang")
        order = glyphs.chain(families, langs[0] if langs else None)
        children = list(el)
        changed |= _wrap_text(el, order)
        for child in children:
            changed |= _wrap_tail(child, order)
    if not changed:
        return html
    return lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _body_draws_all(html: str, body: str) -> bool:
    """Whether the body family has every character of the page (and of its markup: a superset),
    so that no run is a fallback's. The body family draws ASCII."""
    if html.isascii():
        return True
    drawn = glyphs.coverage(body)
    return all(ord(char) in drawn for char in set(html) if not char.isascii())


def _pieces(text: str, order: tuple[str, ...]) -> list[tuple[str, bool]] | None:
    """The text's runs, each with whether a fallback family draws it; None when none does."""
    if text.isascii() or not text.strip():
        return None
    runs = []
    for piece, family in glyphs.runs(text, order):
        if family == order[0] or not piece.strip():
            runs.append((piece, False))
            continue
        # White space stays outside the span, where the line may break as before.
        core = piece.strip()
        start = piece.index(core)
        runs += [(piece[:start], False), (core, True), (piece[start + len(core) :], False)]
    runs = [(piece, fallback) for piece, fallback in runs if piece]
    return runs if any(fallback for _, fallback in runs) else None


def _span(text: str):
    span = lxml.html.Element("span", {"class": FALLBACK})
    span.text = text
    return span


def _wrap_text(el, order) -> bool:
    pieces = _pieces(el.text or "", order)
    if pieces is None:
        return False
    el.text = ""
    _place(pieces, el, first=True)
    return True


def _wrap_tail(child, order) -> bool:
    pieces = _pieces(child.tail or "", order)
    if pieces is None:
        return False
    child.tail = ""
    _place(pieces, child, first=False)
    return True


def _place(pieces, anchor, first: bool) -> None:
    """Put the pieces back where the text was: fallback pieces in spans, the rest as text. With
    `first`, the text was the anchor's own (the first span becomes its first child); else it was
    the anchor's tail (spans follow the anchor)."""
    last = None if first else anchor
    for piece, fallback in pieces:
        if fallback:
            span = _span(piece)
            if last is None:
                anchor.insert(0, span)
            else:
                last.addnext(span)
            last = span
        elif last is None:
            anchor.text += piece
        else:
            last.tail = (last.tail or "") + piece
