"""A court format's rules, measured on a document's pages: paper, margins, type size, line
pitch, extractable text, the pleading ruler, the A-number and DETAINED label, the page limit.

The pages come from the written PDF (`filings.check.pdf`, read back) or from WeasyPrint's layout
before writing (`filings.check.layout`); both are judged here, by the same rules in the same
words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from filings.check.findings import Expected, finding
from filings.check.page import SLACK, Page, Segment
from filings.check.report import digits, merge_pages, need, pt
from filings.outputs.formats import CourtFormat
from filings.problems import Problem

EDGE_SLACK = 1.0  # a glyph's box reaches a little past its ink (the font's full ascent)


def judge(
    name: str,
    pages: list[Page],
    fields: dict,
    fmt: CourtFormat,
    leave_to_exceed: bool,
    expect: Expected,
    more: list[Problem] = (),
) -> list[Problem]:
    """The rules measured on the pages, whether read back from the file or laid out; `more`
    are findings measured elsewhere (the file's fonts), merged with them."""
    found = []
    for page in pages:
        found += _paper(name, page, fmt) + _margins(name, page, fmt) + _sizes(name, page, fmt)
        found += _pitch(name, page, fmt) + _extractable(name, page, fmt)
        found += _ruler(name, page, fmt) + _a_number(name, page, fmt, expect)
    found += _detained(name, pages, fmt, expect)
    found += _page_limit(name, _brief(pages, fields), fmt, leave_to_exceed)
    found += more
    return merge_pages(found)


# --- the rules ---------------------------------------------------------------------------------


def _paper(name: str, page: Page, fmt: CourtFormat) -> list[Problem]:
    rule = fmt.rules.paper
    if rule is None:
        return []
    width, height = rule.value
    if abs(page.width - width) <= SLACK and abs(page.height - height) <= SLACK:
        return []
    measured = f"paper {page.width:.1f} × {page.height:.1f} pt"
    return [
        finding(
            name,
            "paper",
            f"page {page.number}",
            measured,
            need(fmt, "paper", f"{width:g} × {height:g} pt"),
        )
    ]


def _margins(name: str, page: Page, fmt: CourtFormat) -> list[Problem]:
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
                found.append(
                    finding(
                        name,
                        "margins",
                        f"page {page.number}",
                        f"text {pt(distances[side])} from the {side} edge",
                        need(fmt, "margins", f"a {side} margin of at least {least:g} pt"),
                    )
                )
    for seg in page.furniture + page.ruler:
        if seg.x0 < 0 or seg.top < 0 or seg.x1 > page.width or seg.bottom > page.height:
            found.append(
                finding(
                    name,
                    "margins",
                    f"page {page.number}",
                    f"{seg.text.strip()[:30]!r} runs off the page",
                    need(fmt, "margins", "every line on the page"),
                )
            )
    return found


def _sizes(name: str, page: Page, fmt: CourtFormat) -> list[Problem]:
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
            finding(
                name,
                "footnote_size",
                where,
                f"footnote text {pt(least)}",
                need(fmt, "footnote_size", f"at least {note_rule.value:g} pt"),
            )
        ]
    return [
        finding(
            name,
            "body_size",
            where,
            f"body text {pt(least)}",
            need(fmt, "body_size", f"at least {body_rule.value:g} pt"),
        )
    ]


def _call(seg: Segment, body: list[Segment]) -> bool:
    """A footnote's number, raised beside larger text (its call in the text, or its number at
    the foot of the page): not a size of the text."""
    return seg.text.strip().isdigit() and any(
        o.size > seg.size + 0.5 and o.baseline > seg.baseline and o.top < seg.bottom
        for o in body
        if o.top < seg.bottom and seg.top < o.bottom
    )


def _pitch(name: str, page: Page, fmt: CourtFormat) -> list[Problem]:
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
    return [
        finding(
            name,
            "line_pitch",
            f"page {page.number}",
            f"body lines {pt(min(gaps))} apart",
            need(fmt, "line_pitch", f"at least {rule.value:g} pt"),
        )
    ]


def _extractable(name: str, page: Page, fmt: CourtFormat) -> list[Problem]:
    if page.text.strip():
        return []
    what = "only an image, no text" if page.images else "no text"
    return [
        finding(
            name,
            "text",
            f"page {page.number}",
            what,
            f"{fmt.name} needs text-searchable pages made from the document, not scans",
        )
    ]


@dataclass
class Brief:
    """The pages a page limit counts, and the heading they end before (if any)."""

    pages: list[Page]
    ends_before: str | None = None


def _brief(pages: list[Page], fields: dict) -> Brief:
    """The brief without its exhibits: the pages before the first page whose first line of text
    is the heading the document names in `<meta name="filings.exhibit_starts" content="…">` (kept
    in FilingsFields). A document that names none, or whose heading is not found, counts whole."""
    marker = " ".join(str(fields.get("exhibit_starts") or "").split())
    for i, page in enumerate(pages if marker else ()):
        if page.body and " ".join(page.body[0].text.split()) == marker:
            return Brief(pages[:i], marker)
    return Brief(pages)


def _page_limit(name: str, brief: Brief, fmt: CourtFormat, leave: bool) -> list[Problem]:
    rule, pages = fmt.rules.page_limit, brief.pages
    if rule is None or leave or len(pages) <= rule.value:
        return []
    before = f" before {brief.ends_before}" if brief.ends_before else ""
    return [
        finding(
            name,
            "page_limit",
            "",
            f"{len(pages)} pages{before}",
            need(
                fmt,
                "page_limit",
                f"at most {rule.value} without leave of court "
                "(page_limit_leave: true in the case file records leave)",
            ),
        )
    ]


def _a_number(name: str, page: Page, fmt: CourtFormat, expect: Expected) -> list[Problem]:
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
    return [
        finding(
            name,
            "a_number",
            f"page {page.number}",
            f"{shown} is not on the page",
            need(fmt, "a_number", "the respondent's A-number on every page"),
        )
    ]


def _detained(name: str, pages: list[Page], fmt: CourtFormat, expect: Expected) -> list[Problem]:
    rule = fmt.rules.detained
    if rule is None or expect.detained is None or not pages:
        return []
    cover = pages[0]
    label = rule.value
    hits = [s for s in cover.body + cover.furniture if label in s.text]
    where = "page 1"
    if expect.detained and not hits:
        return [
            finding(
                name,
                "detained",
                where,
                f"no {label} on the cover",
                need(
                    fmt,
                    "detained",
                    f"{label} at the top right of the cover when the respondent is in custody",
                ),
            )
        ]
    if not expect.detained and hits:
        return [
            finding(
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
            finding(
                name,
                "detained",
                where,
                f"{label} at {pt(seg.x0)} from the left, {pt(seg.top)} from the top",
                need(fmt, "detained", f"{label} at the top right of the cover"),
            )
        ]
    return []


def _ruler(name: str, page: Page, fmt: CourtFormat) -> list[Problem]:
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
            finding(
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
        found.append(
            finding(
                name,
                "line_numbers",
                where,
                f"line numbers {pt(min(steps))} to {pt(max(steps))} apart",
                need(fmt, "line_numbers", f"at least {per_inch} numbers an inch, evenly spaced"),
            )
        )
    off = [
        s
        for s in page.body
        if min(abs(s.baseline - b) for b in baselines) > 1 and not _call(s, page.body)
    ]
    if off:
        worst = max(off, key=lambda s: min(abs(s.baseline - b) for b in baselines))
        distance = min(abs(worst.baseline - b) for b in baselines)
        found.append(
            finding(
                name,
                "line_numbers",
                where,
                f"{len(off)} line(s) of text off the numbered lines (first: "
                f"{worst.text.strip()[:24]!r}, {pt(distance)} off)",
                need(fmt, "line_numbers", "text on the numbered lines"),
            )
        )
    numbers_end = max(s.x1 for s in page.ruler)
    text_start = min((s.x0 for s in page.body), default=fmt.margins[3])
    if not any(numbers_end <= x <= text_start for x, _, _ in page.vertical_rules):
        found.append(
            finding(
                name,
                "line_numbers",
                where,
                "no vertical rule beside the numbers",
                need(fmt, "line_numbers", "a rule between the numbers and the text"),
            )
        )
    return found
