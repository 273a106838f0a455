"""Read a written PDF back and judge it: its pages read once (filings.check.reader), cut into
segments (filings.check.page), and measured by the court format's rules
(filings.check.page_rules), with the fonts it embeds (filings.check.fonts).

A segment in a page margin that reads as the format's header, footer or first-page label, or a
number of the pleading ruler, is page furniture; every other segment is text of the document and
must keep to the margins, the type size and the line spacing.
"""

from __future__ import annotations

import json
from pathlib import Path

from filings.check import reader
from filings.check.findings import Expected
from filings.check.fonts import fonts_and_glyphs
from filings.check.page import read_page
from filings.check.page_rules import judge
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.outputs.formats import CourtFormat


def info(path: Path, limits: Limits = DEFAULT_LIMITS) -> dict[str, str]:
    """The PDF's document information (where `filings render` records the format)."""
    with reader.opened(path, limits) as document:
        return _info(document)


def _info(document) -> dict[str, str]:
    return {
        k: v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
        for k, v in reader.metadata(document).items()
    }


def measure(
    path: Path,
    fmt: CourtFormat,
    *,
    leave_to_exceed: bool,
    expect: Expected,
    limits: Limits = DEFAULT_LIMITS,
):
    """Every page read once; the fonts from the same open document."""
    with reader.opened(path, limits) as document:
        fields = _recorded_fields(_info(document))
        read = reader.read_pages(document, limits)
        pages = [read_page(data, fmt, fields) for _, data in read]
        fonts = fonts_and_glyphs(path.name, fmt, [obj for obj, _ in read], [p.text for p in pages])
    return judge(path.name, pages, fields, fmt, leave_to_exceed, expect, fonts)


def _recorded_fields(values: dict[str, str]) -> dict[str, str]:
    try:
        return json.loads(values.get("FilingsFields") or "{}")
    except ValueError:
        return {}
