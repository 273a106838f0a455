"""Measure a PDF's laid-out pages (`filings.outputs.pdf.layout`, taken from WeasyPrint before the
file is written) against a court format's rules: the same rules, words and numbers as the check
of a written file (`filings.check.pdf`), at a fraction of its cost.

What only the written file can show (every font embedded, text that reads back as written) is
left to that check; `filings render` runs it on a sample of the documents (see `needs_read_back`
in filings.build.plan) and on every document this check finds at fault.
"""

from __future__ import annotations

from filings.check import page_rules
from filings.check.findings import Expected
from filings.check.page import laid_out_page
from filings.outputs.formats import CourtFormat
from filings.problems import Problem


def measure(
    layout, name: str, fmt: CourtFormat, *, leave_to_exceed: bool, expect: Expected
) -> list[Problem]:
    """Every rule of the format the laid-out document breaks; `name` is its file's name.
    `layout` is a `filings.outputs.pdf.layout.Layout`."""
    pages = [laid_out_page(page, fmt, layout.fields) for page in layout.pages]
    return page_rules.judge(name, pages, layout.fields, fmt, leave_to_exceed, expect)
