"""Measure a PDF's pages (read once by filings.check.reader) against a court format's rules.

Text is read glyph by glyph and grouped into segments: the glyphs that share a baseline with no
wide gap between them. A segment in a page margin that reads as the format's header, footer or
first-page label, or a number of the pleading ruler, is page furniture; every other segment is
text of the document and must keep to the margins, the type size and the line spacing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from pathlib import Path

from filings.check import reader
from filings.check.findings import Expected, Finding
from filings.check.fonts import fonts_and_glyphs
from filings.check.report import digits, merge_pages, need, pt
from filings.outputs.formats import CourtFormat
from filings.outputs.formats.bands import COUNTERS, FIELD

GAP = 12  # points of empty space that split a baseline into separate segments
SLACK = 0.5  # points of measuring tolerance
EDGE_SLACK = 1.0  # a glyph's box reaches a little past its ink (the font's full ascent)


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


def info(path: Path) -> dict[str, str]:
    """The PDF's document information (where `filings render` records the format)."""
    with reader.opened(path) as document:
        return _info(document)


def _info(document) -> dict[str, str]:
    return {k: v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
            for k, v in reader.metadata(document).items()}  # fmt: skip


def measure(path: Path, fmt: CourtFormat, *, leave_to_exceed: bool, expect: Expected):
    """Every page read once; the fonts from the same open document."""
    with reader.opened(path) as document:
        fields = _recorded_fields(_info(document))
        read = reader.read_pages(document)
        pages = [_read_page(data, fmt, fields) for _, data in read]
        fonts = fonts_and_glyphs(path.name, fmt, [obj for obj, _ in read], [p.text for p in pages])
    name = path.name
    found = []
    for page in pages:
        found += _paper(name, page, fmt) + _margins(name, page, fmt) + _sizes(name, page, fmt)
        found += _pitch(name, page, fmt) + _extractable(name, page, fmt)
        found += _ruler(name, page, fmt) + _a_number(name, page, fmt, expect)
    found += _detained(name, pages, fmt, expect) + _page_limit(name, pages, fmt, leave_to_exceed)
    found += fonts
    return merge_pages(found)


def _recorded_fields(values: dict[str, str]) -> dict[str, str]:
    try:
        return json.loads(values.get("FilingsFields") or "{}")
    except ValueError:
        return {}


# --- reading a page ----------------------------------------------------------------------------


def _segments(chars, height: float) -> list[Segment]:
    lines: dict[float, list] = {}
    for c in chars:
        if not c.get("upright", True):
            continue
        # The glyph's baseline from the top of the page (pdfminer gives the text matrix's origin).
        c["baseline"] = round(height - c["matrix"][5], 1)
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


def _read_page(page, fmt: CourtFormat, fields: dict) -> Page:
    """`page` is a reader.PageData, or a pdfplumber page (the same keys and attributes)."""
    own = isinstance(page, reader.PageData)  # its glyphs are ours to annotate; pdfplumber's not
    chars = page.chars if own else [dict(c) for c in page.chars]
    segments = _segments(chars, float(page.height))
    header = _band_patterns(fmt, "header", fields, page.page_number == 1)
    footer = _band_patterns(fmt, "footer", fields, False)
    top, _, bottom, left = fmt.margins
    body, furniture, ruler = [], [], []
    for seg in segments:
        text = " ".join(seg.text.split())
        if fmt.line_numbers and text.isdigit() and seg.x1 < left - fmt.line_numbers.gap / 2:
            ruler.append(seg)
        elif seg.bottom <= top + SLACK and _matches(header, text):
            furniture.append(seg)
        elif seg.top >= page.height - bottom - SLACK and _matches(footer, text):
            furniture.append(seg)
        else:
            body.append(seg)
    # Vertical lines, and the left edges of tall rectangles (WeasyPrint strokes a border as a
    # rectangle clipped to the side it draws).
    rules = [(e["x0"], e["top"], e["bottom"]) for e in (*page.lines, *page.rects, *page.curves)
             if e["bottom"] - e["top"] > 36]  # fmt: skip
    return Page(page.page_number, float(page.width), float(page.height), body, furniture, ruler,
                "".join(c["text"] for c in chars), len(page.images), rules)  # fmt: skip


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
    for variant in fmt.variants:
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


# --- the rules ---------------------------------------------------------------------------------


def _paper(name: str, page: Page, fmt: CourtFormat) -> list[Finding]:
    rule = fmt.rules.paper
    if rule is None:
        return []
    width, height = rule.value
    if abs(page.width - width) <= SLACK and abs(page.height - height) <= SLACK:
        return []
    measured = f"paper {page.width:.1f} × {page.height:.1f} pt"
    return [Finding(name, "paper", f"page {page.number}", measured,
                    need(fmt, "paper", f"{width:g} × {height:g} pt"))]  # fmt: skip


def _margins(name: str, page: Page, fmt: CourtFormat) -> list[Finding]:
    """Every glyph of the document's text inside the margins; furniture inside the page."""
    rule = fmt.rules.margins
    minimum = rule.value if rule else fmt.margins
    chars = [c for s in page.body for c in s.ink]
    found = []
    if chars:
        distances = {
            "top": min(c["top"] for c in chars),
            "right": page.width - max(c["x1"] for c in chars),
            "bottom": page.height - max(c["bottom"] for c in chars),
            "left": min(c["x0"] for c in chars),
        }
        for side, least in zip(("top", "right", "bottom", "left"), minimum, strict=True):
            if distances[side] < least - EDGE_SLACK:
                found.append(Finding(
                    name, "margins", f"page {page.number}",
                    f"text {pt(distances[side])} from the {side} edge",
                    need(fmt, "margins", f"a {side} margin of at least {least:g} pt"),
                ))  # fmt: skip
    for seg in page.furniture + page.ruler:
        if seg.x0 < 0 or seg.top < 0 or seg.x1 > page.width or seg.bottom > page.height:
            found.append(Finding(name, "margins", f"page {page.number}",
                                 f"{seg.text.strip()[:30]!r} runs off the page",
                                 need(fmt, "margins", "every line on the page")))  # fmt: skip
    return found


def _sizes(name: str, page: Page, fmt: CourtFormat) -> list[Finding]:
    """The smallest type of the text; smaller type below all the body-size text is a footnote."""
    body_rule, note_rule = fmt.rules.body_size, fmt.rules.footnote_size
    if body_rule is None or not page.body:
        return []
    small = [s for s in page.body if s.size < body_rule.value - 0.05 and not _call(s, page.body)]
    if not small:
        return []
    full = [s for s in page.body if s.size >= body_rule.value - 0.05]
    notes_only = note_rule and full and min(s.top for s in small) > max(s.bottom for s in full)
    least = min(s.size for s in small)
    where = f"page {page.number}"
    if notes_only:
        if least >= note_rule.value - 0.05:
            return []
        return [
            Finding(
                name,
                "footnote_size",
                where,
                f"footnote text {pt(least)}",
                need(fmt, "footnote_size", f"at least {note_rule.value:g} pt"),
            )
        ]
    return [Finding(name, "body_size", where, f"body text {pt(least)}",
                    need(fmt, "body_size", f"at least {body_rule.value:g} pt"))]  # fmt: skip


def _call(seg: Segment, body: list[Segment]) -> bool:
    """A footnote's number, raised beside larger text (its call in the text, or its number at
    the foot of the page): not a size of the text."""
    return seg.text.strip().isdigit() and any(
        o.size > seg.size + 0.5 and o.baseline > seg.baseline and o.top < seg.bottom
        for o in body
        if o.top < seg.bottom and seg.top < o.bottom
    )


def _pitch(name: str, page: Page, fmt: CourtFormat) -> list[Finding]:
    """Baseline to baseline within paragraphs: a full line at the text's left edge followed by a
    line that starts at that edge. Quotations, lists, tables and signature blocks are indented or
    narrower, so they are not measured (the rules let them be single-spaced)."""
    rule = fmt.rules.line_pitch
    if rule is None or len(page.body) < 2:
        return []
    left, right = fmt.margins[3], page.width - fmt.margins[1]
    indent = fmt.styles["body"].first_indent
    gaps = []
    for upper, lower in zip(page.body, page.body[1:], strict=False):
        full = (
            upper.x1 >= left + 0.75 * (right - left) and left - 1 <= upper.x0 <= left + indent + 1
        )
        if (
            full
            and abs(lower.x0 - left) <= 1
            and 0 < lower.baseline - upper.baseline < 3 * rule.value
        ):
            gaps.append(lower.baseline - upper.baseline)
    if not gaps or min(gaps) >= rule.value - SLACK:
        return []
    return [Finding(name, "line_pitch", f"page {page.number}",
                    f"body lines {pt(min(gaps))} apart",
                    need(fmt, "line_pitch", f"at least {rule.value:g} pt"))]  # fmt: skip


def _extractable(name: str, page: Page, fmt: CourtFormat) -> list[Finding]:
    if page.text.strip():
        return []
    what = "only an image, no text" if page.images else "no text"
    return [
        Finding(
            name,
            "text",
            f"page {page.number}",
            what,
            f"{fmt.name} needs text-searchable pages made from the document, not scans",
        )
    ]


def _page_limit(name: str, pages: list[Page], fmt: CourtFormat, leave: bool) -> list[Finding]:
    rule = fmt.rules.page_limit
    if rule is None or leave or len(pages) <= rule.value:
        return []
    return [Finding(name, "page_limit", "", f"{len(pages)} pages",
                    need(fmt, "page_limit", f"at most {rule.value} without leave of court "
                         "(page_limit_leave: true in the case file records leave)"))]  # fmt: skip


def _a_number(name: str, page: Page, fmt: CourtFormat, expect: Expected) -> list[Finding]:
    rule = fmt.rules.a_number
    if rule is None or not rule.value:
        return []
    flat = re.sub(r"[\s\-.]", "", page.text)
    if expect.a_number:
        wanted = digits(expect.a_number)
        present = wanted[1:] in flat or wanted.lstrip("A0") in flat
        shown = expect.a_number
    else:
        present = bool(re.search(r"A\d{7,9}", flat))
        shown = "an A-number"
    if present:
        return []
    return [Finding(name, "a_number", f"page {page.number}", f"{shown} is not on the page",
                    need(fmt, "a_number", "the respondent's A-number on every page"))]  # fmt: skip


def _detained(name: str, pages: list[Page], fmt: CourtFormat, expect: Expected) -> list[Finding]:
    rule = fmt.rules.detained
    if rule is None or expect.detained is None or not pages:
        return []
    cover = pages[0]
    label = rule.value
    hits = [s for s in cover.body + cover.furniture if label in s.text]
    where = "page 1"
    if expect.detained and not hits:
        return [Finding(name, "detained", where, f"no {label} on the cover",
                        need(fmt, "detained", f"{label} at the top right of the cover when the "
                                              "respondent is in custody"))]  # fmt: skip
    if not expect.detained and hits:
        return [
            Finding(
                name,
                "detained",
                where,
                f"{label} on the cover",
                f"the respondent is not in custody; {fmt.name} marks only those who are",
            )
        ]
    top_right = [s for s in hits if s.x0 >= cover.width / 2 and s.bottom <= fmt.margins[0] + 72]
    if expect.detained and not top_right:
        seg = hits[0]
        return [
            Finding(
                name,
                "detained",
                where,
                f"{label} at {pt(seg.x0)} from the left, {pt(seg.top)} from the top",
                need(fmt, "detained", f"{label} at the top right of the cover"),
            )
        ]
    return []


def _ruler(name: str, page: Page, fmt: CourtFormat) -> list[Finding]:
    """Pleading paper: numbers 1 to N down the left margin, evenly spaced, beside a vertical rule,
    and every line of text on a numbered line."""
    ruler = fmt.line_numbers
    if ruler is None:
        return []
    rule = fmt.rules.line_numbers
    count, per_inch = rule.value if rule else (ruler.count, 3)
    where = f"page {page.number}"
    numbers = [int(s.text.strip()) for s in page.ruler]
    if numbers != list(range(1, count + 1)):
        shown = f"{len(numbers)} line numbers" + (
            f" ({numbers[0]}-{numbers[-1]})" if numbers else ""
        )
        return [
            Finding(
                name,
                "line_numbers",
                where,
                shown,
                need(fmt, "line_numbers", f"the numbers 1 to {count} on every page"),
            )
        ]
    found = []
    baselines = [s.baseline for s in page.ruler]
    steps = [b - a for a, b in zip(baselines, baselines[1:], strict=False)]
    if max(steps) - min(steps) > SLACK or max(steps) > 72 / per_inch + SLACK:
        found.append(Finding(name, "line_numbers", where,
                             f"line numbers {pt(min(steps))} to {pt(max(steps))} apart",
                             need(fmt, "line_numbers", f"at least {per_inch} numbers an inch, "
                                                       "evenly spaced")))  # fmt: skip
    off = [s for s in page.body
           if min(abs(s.baseline - b) for b in baselines) > 1 and not _call(s, page.body)]
    if off:
        worst = max(off, key=lambda s: min(abs(s.baseline - b) for b in baselines))
        distance = min(abs(worst.baseline - b) for b in baselines)
        found.append(Finding(name, "line_numbers", where,
                             f"{len(off)} line(s) of text off the numbered lines (first: "
                             f"{worst.text.strip()[:24]!r}, {pt(distance)} off)",
                             need(fmt, "line_numbers", "text on the numbered lines")))  # fmt: skip
    numbers_end = max(s.x1 for s in page.ruler)
    text_start = min((s.x0 for s in page.body), default=fmt.margins[3])
    if not any(numbers_end <= x <= text_start for x, _, _ in page.vertical_rules):
        found.append(
            Finding(
                name,
                "line_numbers",
                where,
                "no vertical rule beside the numbers",
                need(fmt, "line_numbers", "a rule between the numbers and the text"),
            )
        )
    return found
