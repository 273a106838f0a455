"""The errors CSV a clerk sorts and fixes in Excel: one row per problem found in the inputs."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from filings.errors import DataError
from filings.problems import Problem

COLUMNS = ("file", "sheet", "row", "cell", "column", "value", "problem", "severity")
# OWASP's CSV-injection guidance: a cell starting with one of these is a formula to Excel.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def problem_row(problem: Problem) -> dict[str, str]:
    """One errors-CSV row: where, which column, the value at fault, what is wrong."""
    where = problem.location
    row = where.row
    return {
        "file": where.file,
        "sheet": where.sheet or "",
        "row": "" if row is None else str(row),
        "cell": where.cell or "",
        "column": where.field or "",
        "value": problem.value or "",
        "problem": problem.message,
        "severity": problem.severity,
    }


def excel_safe(text: str) -> str:
    """Prefix a cell that Excel would run as a formula with `'`, so it shows as text."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def problems_csv(problems: Iterable[Problem | DataError]) -> str:
    """The problems as CSV text for Excel, one row each, no cell able to run as a formula."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for problem in problems:
        if isinstance(problem, DataError):
            problem = Problem.of(problem)
        writer.writerow({k: excel_safe(v) for k, v in problem_row(problem).items()})
    return buffer.getvalue()
