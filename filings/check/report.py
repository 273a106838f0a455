"""Wording shared by the PDF and DOCX checks: what a rule asks, and findings merged across pages."""

from __future__ import annotations

import re
from collections.abc import Iterable

from filings.check.findings import finding
from filings.outputs.formats import CourtFormat
from filings.problems import Problem


def need(fmt: CourtFormat, rule: str, text: str) -> str:
    """`ndil needs at least 12 pt (LR 5.2(c))`: the format's name, the demand, the rule's source."""
    source = getattr(fmt.rules, rule).source if getattr(fmt.rules, rule, None) else None
    return f"{fmt.name} needs {text}" + (f" ({source})" if source else "")


def pt(value: float) -> str:
    return f"{value:.1f} pt"


def digits(text: str) -> str:
    """An A-number in any common spelling (`A-012-345-678`, `A 12345678`) as `A012345678`."""
    found = re.sub(r"[^0-9]", "", text)
    return "A" + found.zfill(9) if found else ""


def merge_pages(findings: Iterable[Problem]) -> list[Problem]:
    """One finding for the same problem on several pages: `pages 1-3, 6`."""
    groups: dict[tuple, list[int]] = {}
    order: list[tuple] = []
    others: list[Problem] = []
    for f in findings:
        match = re.fullmatch(r"page (\d+)", f.location.part or "")
        if not match:
            others.append(f)
            continue
        key = (f.location.file, f.rule, f.message, f.required)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(int(match.group(1)))
    merged = [finding(k[0], k[1], _pages(groups[k]), k[2], k[3]) for k in order]
    return sorted(merged + others, key=lambda f: (_first_page(f.location.part or ""), f.rule))


def _pages(numbers: list[int]) -> str:
    numbers = sorted(set(numbers))
    if len(numbers) == 1:
        return f"page {numbers[0]}"
    runs, start = [], numbers[0]
    for prev, cur in zip(numbers, numbers[1:] + [None], strict=True):
        if cur != prev + 1 if cur is not None else True:
            runs.append(f"{start}" if start == prev else f"{start}-{prev}")
            start = cur
    return "pages " + ", ".join(runs)


def _first_page(where: str) -> int:
    match = re.search(r"\d+", where)
    return int(match.group()) if match and where.startswith("page") else 0
