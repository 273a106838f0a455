"""A PDF page as the rules see it: its glyphs grouped into segments, and which segments are page
furniture (the format's header, footer and first-page labels, the pleading ruler) and which are
text of the document.

A segment is the glyphs that share a baseline with no wide gap between them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter

from filings.check import reader
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.bands import COUNTERS, FIELD, labelled

GAP = 12  # points of empty space that split a baseline into separate segments
SLACK = 0.5  # points of measuring tolerance


@dataclass(eq=False)
class Segment:
    """Glyphs on one baseline, left to right; coordinates from the page's top-left corner.
    Its measures are read once the segment is complete, and kept."""

    chars: list = field(default_factory=list)

    @cached_property
    def text(self) -> str:
        return "".join(c["text"] for c in self.chars)

    @cached_property
    def x0(self) -> float:
        return min(c["x0"] for c in self.chars)

    @cached_property
    def x1(self) -> float:
        return max(c["x1"] for c in self.chars)

    @cached_property
    def top(self) -> float:
        return min(c["top"] for c in self.chars)

    @cached_property
    def bottom(self) -> float:
        return max(c["bottom"] for c in self.chars)

    @property
    def baseline(self) -> float:
        return self.chars[0]["baseline"]

    @cached_property
    def ink(self) -> list:
        """The glyphs that print something (not spaces)."""
        return [c for c in self.chars if c["text"].strip()]

    @cached_property
    def size(self) -> float:
        return min((c["size"] for c in self.ink), default=0)


@dataclass
class Page:
    number: int
    width: float
    height: float
    body: list[Segment]
    furniture: list[Segment]  # header, footer, first-page labels
    ruler: list[Segment]  # pleading line numbers
    text: str  # every glyph, furniture included
    images: int
    vertical_rules: list[tuple[float, float, float]]  # x, top, bottom of vertical lines


def _baselines(chars, height: float) -> list:
    """The upright glyphs, each with its baseline from the top of the page (pdfminer gives the
    text matrix's origin)."""
    upright = []
    for c in chars:
        if not c.get("upright", True):
            continue
        c["baseline"] = round(height - c["matrix"][5], 1)
        upright.append(c)
    return upright


def _segments(chars) -> list[Segment]:
    lines: dict[float, list] = {}
    for c in chars:
        lines.setdefault(c["baseline"], []).append(c)
    segments = []
    for baseline in sorted(lines):
        current = Segment()
        for c in sorted(lines[baseline], key=itemgetter("x0")):
            if current.chars and c["x0"] - current.chars[-1]["x1"] > GAP:
                segments.append(current)
                current = Segment()
            current.chars.append(c)
        segments.append(current)
    return [s for s in segments if s.text.strip()]


def read_page(page, fmt: CourtFormat, fields: dict) -> Page:
    """`page` is a reader.PageData, or a pdfplumber page (the same keys and attributes)."""
    own = isinstance(page, reader.PageData)  # its glyphs are ours to annotate; pdfplumber's not
    chars = page.chars if own else [dict(c) for c in page.chars]
    height = float(page.height)
    # Vertical lines, and the left edges of tall rectangles (WeasyPrint strokes a border as a
    # rectangle clipped to the side it draws).
    rules = [(e["x0"], e["top"], e["bottom"]) for e in (*page.lines, *page.rects, *page.curves)]
    text = "".join(c["text"] for c in chars)
    upright = _baselines(chars, height)
    number, width, images = page.page_number, float(page.width), len(page.images)
    return _page(number, width, height, upright, text, rules, images, fmt, fields)


def laid_out_page(page, fmt: CourtFormat, fields: dict) -> Page:
    """`page` is a `filings.outputs.pdf.layout.LaidOutPage`: its text boxes stand for glyphs."""
    text = "".join(c["text"] for c in page.chars)
    number, width, height = page.page_number, page.width, page.height
    return _page(number, width, height, page.chars, text, page.rules, page.images, fmt, fields)


def _page(number, width, height, chars, text, rules, images, fmt, fields) -> Page:
    """The page's segments sorted into the document's text, its furniture and its ruler."""
    header = _band_patterns(fmt, "header", fields, number == 1)
    footer = _band_patterns(fmt, "footer", fields, False)
    top, _, bottom, left = fmt.margins
    body, furniture, ruler = [], [], []
    for seg in _segments(chars):
        line = " ".join(seg.text.split())
        if fmt.line_numbers and line.isdigit() and seg.x1 < left - fmt.line_numbers.gap / 2:
            ruler.append(seg)
        elif seg.bottom <= top + SLACK and _matches(header, line):
            furniture.append(seg)
        elif seg.top >= height - bottom - SLACK and _matches(footer, line):
            furniture.append(seg)
        else:
            body.append(seg)
    tall = [r for r in rules if r[2] - r[1] > 36]
    return Page(number, width, height, body, furniture, ruler, text, images, tall)


def _matches(patterns: list[re.Pattern], text: str) -> bool:
    """A header or footer line, read in logical order: a PDF stores right-to-left text (an
    Arabic name in a running header) in the order it is drawn, so that order is tried too."""
    logical = _logical(text)
    return any(p.fullmatch(text) or p.fullmatch(logical) for p in patterns)


RTL_RUN = re.compile(
    r"[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+(?:\s+[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]+)*"
)


def _logical(text: str) -> str:
    """Visual order back to logical order for each run of right-to-left letters."""
    return RTL_RUN.sub(lambda m: m.group(0)[::-1], text)


def _band_patterns(fmt: CourtFormat, which: str, fields: dict, first: bool) -> list[re.Pattern]:
    """What the band can print, in any of the format's languages, line by line, with the
    recorded fields filled in where known."""
    patterns = []
    for variant in (labelled(v, fields) for v in fmt.variants):
        patterns += getattr(variant, which).slots.values()
        if first:
            patterns += variant.first_page.slots.values()
    out = []
    for line in (line for pattern in patterns for line in pattern.split("\n")):
        parts = []
        for i, piece in enumerate(FIELD.split(line)):
            if i % 2 == 0:
                parts.append(_words(piece))
            elif piece in COUNTERS:
                parts.append(r"\d+")
            elif fields.get(piece):
                parts.append(_words(fields[piece]))
                out.append(_pieces_of(fields[piece]))  # a long value wraps onto several lines
            else:
                parts.append(r".+?")
        out.append(re.compile("".join(parts)))
    return out


def _words(text: str) -> str:
    return r"\s*" + r"\s*".join(re.escape(w) for w in text.split()) + r"\s*"


def _pieces_of(text: str) -> re.Pattern:
    """Any run of whole words of `text`."""
    words = [re.escape(w) for w in text.split()]
    runs = [
        r"\s*".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, len(words) + 1)
    ]
    return re.compile("|".join(runs) or "$^")
