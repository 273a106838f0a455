"""The lists a clerk works from, written beside the documents: OUT/errors.csv (every rejected
row and failed document) and OUT/needs-translation.csv (notices still waiting for a translation)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

from babel import Locale

from filings.build.files import remove, write_atomic
from filings.build.model import Report
from filings.errors import DataError, Location
from filings.inputs.problems import excel_safe, problems_csv
from filings.problems import Problem

ERRORS_CSV = "errors.csv"


def write_errors(out: Path, report: Report) -> None:
    """OUT/errors.csv: every rejected row and why, and every document that failed; none, none."""
    problems = list(report.roster.problems)
    problems += [Problem(o.job.detainee.source if o.job.detainee else Location(o.job.template.name),
                         o.error or "failed") for o in report.failed]  # fmt: skip
    if problems:
        write_problems(out / ERRORS_CSV, problems)
    else:
        remove(out / ERRORS_CSV, out)


NEEDS_TRANSLATION_CSV = "needs-translation.csv"
NEEDS_TRANSLATION_COLUMNS = ("file", "row", "a_number", "family_name", "given_name", "language",
                             "language_name", "facility", "template", "files")  # fmt: skip


def write_needs_translation(out: Path, report: Report) -> None:
    """OUT/needs-translation.csv: each document of a translated template that is in English only
    because the reader's language has no translation yet, so a clerk can arrange an interpreter;
    the report keeps them too. No such document, no file."""
    report.needs_translation = [
        o for o in report.outcomes if o.status != "failed" and o.needs_translation
    ]
    path = out / NEEDS_TRANSLATION_CSV
    if not report.needs_translation:
        remove(path, out)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(NEEDS_TRANSLATION_COLUMNS)
    for outcome in report.needs_translation:
        d = outcome.job.detainee
        files = " ".join(output["path"] for output in outcome.outputs.values())
        row = (d.source.file, d.source.row, d.a_number, d.family_name, d.given_name,
               d.preferred_language, language_name(d.preferred_language), d.facility or "",
               outcome.job.template.name, files)  # fmt: skip
        writer.writerow([excel_safe(str(v)) for v in row])
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"), out)


def language_name(code: str) -> str:
    """`ht` -> Haitian Creole, `kjb` -> Qʼanjobʼal; any other code stays as it is."""
    return Locale("en").languages.get(code) or {"mam": "Mam", "kjb": "Qʼanjobʼal"}.get(code, code)


def write_problems(path: Path, problems: Iterable[Problem | DataError]) -> int:
    """Write the problems as a CSV for Excel (UTF-8 with BOM, so accents show); return how many."""
    problems = list(problems)
    write_atomic(path, problems_csv(problems).encode("utf-8-sig"), path.parent)
    return len(problems)
