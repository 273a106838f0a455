"""What WeasyPrint laid out, measured before the PDF is written: each page's size, its text (one
piece per text box: text, box, baseline, type size), its vertical rules and its images.

`filings.check` measures these against a court format's rules exactly as it measures the glyphs
it reads back from a written PDF, in the same units (points from the page's top-left corner) and
with the same keys, so one set of rules serves both. Walking the laid-out boxes costs a few
milliseconds a document, where reading the PDF back costs tens.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from weasyprint.formatting_structure import boxes
from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango
from weasyprint.text.fonts import get_font_description

from filings import glyphs

PT = 0.75  # points per CSS pixel, WeasyPrint's unit
DEFAULT_DESCENT = -0.2  # should Pango find no font (it always finds one)
# (family, weight, style, stretch) -> the font's descent per em; a process has few fonts.
_DESCENTS: dict[tuple, float] = {}


@dataclass
class LaidOutPage:
    """One page in the terms of `filings.check.reader.PageData` (points, from the top left)."""

    page_number: int
    width: float
    height: float
    # one per text box: text, x0, x1, top, bottom, size, baseline (as the reader's glyphs)
    chars: list[dict] = field(default_factory=list)
    rules: list[tuple[float, float, float]] = field(default_factory=list)  # x, top, bottom
    images: int = 0


@dataclass
class Layout:
    """A document's laid-out pages, and the fields its PDF records (FilingsFields)."""

    pages: list[LaidOutPage]
    fields: dict[str, str]


def measure(document, fields: dict[str, str]) -> Layout:
    """The pages of a WeasyPrint `Document` (from `HTML.render()`), measured."""
    pages = []
    for number, page in enumerate(document.pages, start=1):
        laid = LaidOutPage(number, page.width * PT, page.height * PT)
        for box in page._page_box.descendants():
            if box.style["visibility"] != "visible":
                continue
            if isinstance(box, boxes.TextBox):
                _text(box, laid)
            elif isinstance(box, boxes.ReplacedBox):
                laid.images += 1
            else:
                _borders(box, laid)
        pages.append(laid)
    return Layout(pages, fields)


def _text(box, page: LaidOutPage) -> None:
    """The text box as one piece, its box the glyphs' (the font's descent below the baseline and
    one em above it), as a PDF reader measures each glyph."""
    size = box.style["font_size"] * PT
    if not box.text.strip() or size < 1e-6:  # WeasyPrint draws neither
        return
    baseline = (box.position_y + box.baseline) * PT
    low = baseline - _descent(box) * size
    x0 = box.position_x * PT
    page.chars.append(
        {
            "text": box.text,
            "x0": x0,
            "x1": x0 + box.width * PT,
            "top": low - size,
            "bottom": low,
            "size": size,
            "baseline": round(baseline, 1),
            "upright": True,
        }
    )


def _descent(box) -> float:
    """The descent per em of the font that draws the box, as WeasyPrint writes it in the PDF's
    font descriptor (whole thousandths; negative, below the baseline).

    WeasyPrint has let go of the box's Pango layout by now (drawing sets it up again), so the
    font is found as Pango finds it: the first family of the box's that has its first letter. A
    box is drawn in one family: `lines.exact_pitch` puts each fallback family's run in a box of
    its own."""
    style = box.style
    first = next((c for c in box.text if not c.isspace()), " ")
    order = glyphs.chain(tuple(style["font_family"]), style["lang"])
    family = glyphs.runs(first, order)[0][1]
    key = (family, style["font_weight"], style["font_style"], style["font_stretch"])
    if key not in _DESCENTS:
        _DESCENTS[key] = _font_descent(style, family)
    return _DESCENTS[key]


def _font_descent(style, family: str) -> float:
    description = get_font_description(style)
    name = ffi.new("char[]", family.encode())
    pango.pango_font_description_set_family(description, name)
    em = pango.pango_font_description_get_size(description) * FROM_UNITS
    font_map = style.font_config.font_map
    context = ffi.gc(pango.pango_font_map_create_context(font_map), gobject.g_object_unref)
    font = pango.pango_font_map_load_font(font_map, context, description)
    if font == ffi.NULL or not em:
        return DEFAULT_DESCENT
    metrics = pango.pango_font_get_metrics(font, ffi.NULL)
    descent = pango.pango_font_metrics_get_descent(metrics) * FROM_UNITS
    gobject.g_object_unref(font)
    return -round(descent / em * 1000) / 1000


def _borders(box, page: LaidOutPage) -> None:
    """A box's left and right borders, as the vertical rules a PDF reader finds."""
    left, right = getattr(box, "border_left_width", 0), getattr(box, "border_right_width", 0)
    if not (left or right):
        return
    x, top = box.border_box_x() * PT, box.border_box_y() * PT
    bottom = top + box.border_height() * PT
    if left:
        page.rules.append((x, top, bottom))
    if right:
        page.rules.append((x + (box.border_width() - right) * PT, top, bottom))
