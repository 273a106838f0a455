"""The lists a clerk works from, written beside the documents: OUT/errors.csv (every rejected
row and failed document), OUT/needs-translation.csv (notices still waiting for a translation),
OUT/not-applicable.csv (documents a template's applies_to rules out, and why) and
OUT/needs-review.csv (rows whose name has no Latin-letter form for a court filing)."""

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
from filings.templating.render import document_languages

ERRORS_CSV = "errors.csv"


def write_errors(out: Path, report: Report) -> None:
    """OUT/errors.csv: every rejected row and why, and every document that failed; none, none."""
    problems = list(report.roster.problems)
    problems += [
        Problem(
            o.job.detainee.source if o.job.detainee else Location(o.job.template.name),
            o.error or "failed",
        )
        for o in report.failed
    ]
    if problems:
        write_problems(out / ERRORS_CSV, problems)
    else:
        remove(out / ERRORS_CSV, out)


NEEDS_TRANSLATION_CSV = "needs-translation.csv"
NEEDS_TRANSLATION_COLUMNS = (
    "file",
    "row",
    "a_number",
    "family_name",
    "given_name",
    "language",
    "language_name",
    "facility",
    "template",
    "reason",
    "files",
)


def write_needs_translation(out: Path, report: Report) -> None:
    """OUT/needs-translation.csv: each document of a translated template that is in English only
    (the reader's language has no current translation, or the roster records none), so a clerk
    can arrange an interpreter, with the reasons (`filings.templating.render`: also "tagline not
    reviewed"); the report keeps them too. No such document, no file."""
    report.needs_translation = [
        o for o in report.outcomes if o.status != "failed" and o.needs_translation
    ]
    rows = []
    for outcome in report.needs_translation:
        d = outcome.job.detainee
        files = " ".join(output["path"] for output in outcome.outputs.values())
        code = d.preferred_language or ""
        found = document_languages(outcome.job.template, d)
        rows.append(
            (
                d.source.file,
                d.source.row,
                d.a_number,
                d.family_name,
                d.given_name,
                code,
                language_name(code),
                d.facility or "",
                outcome.job.template.name,
                "; ".join(found.reasons) if found else "",
                files,
            )
        )
    _write_rows(out, NEEDS_TRANSLATION_CSV, NEEDS_TRANSLATION_COLUMNS, rows)


NOT_APPLICABLE_CSV = "not-applicable.csv"
NOT_APPLICABLE_COLUMNS = (
    "template",
    "file",
    "row",
    "a_number",
    "family_name",
    "given_name",
    "reason",
)


def write_not_applicable(out: Path, report: Report) -> None:
    """OUT/not-applicable.csv: each person a template's applies_to is not for, and why, so a
    clerk sees every row left without that document; none, no file."""
    rows = [
        (
            o.job.template.name,
            o.job.detainee.source.file,
            o.job.detainee.source.row,
            o.job.detainee.a_number,
            o.job.detainee.family_name,
            o.job.detainee.given_name,
            o.reason or "",
        )
        for o in report.not_applicable
    ]
    _write_rows(out, NOT_APPLICABLE_CSV, NOT_APPLICABLE_COLUMNS, rows)


NEEDS_REVIEW_CSV = "needs-review.csv"
NEEDS_REVIEW_COLUMNS = (
    "file",
    "row",
    "a_number",
    "family_name",
    "given_name",
    "reason",
    "templates",
)
NO_LATIN_NAME = (
    "name has no Latin-letter form as DHS records it; court filings need it (add "
    "family_name_latin and given_name_latin)"
)


def write_needs_review(out: Path, report: Report) -> None:
    """OUT/needs-review.csv: each row with a document made whose name has no Latin-letter form
    (no Latin letters, and no family_name_latin/given_name_latin): the document renders, but a
    court filing must match DHS's record of the name. Never transliterated; none, no file."""
    made: dict[str, list[str]] = {}
    for o in report.outcomes:
        if o.job.detainee and o.status in ("rendered", "unchanged"):
            made.setdefault(o.job.detainee.a_number, []).append(o.job.template.name)
    people = report.roster.detainees if report.roster else []
    report.needs_review = [d for d in people if d.a_number in made and not d.has_latin_name]
    rows = [
        (
            d.source.file,
            d.source.row,
            d.a_number,
            d.family_name,
            d.given_name,
            NO_LATIN_NAME,
            " ".join(made[d.a_number]),
        )
        for d in report.needs_review
    ]
    _write_rows(out, NEEDS_REVIEW_CSV, NEEDS_REVIEW_COLUMNS, rows)


def _write_rows(out: Path, name: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """A list for Excel (UTF-8 with BOM, no cell able to run as a formula); no rows, no file."""
    path = out / name
    if not rows:
        remove(path, out)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([excel_safe("" if v is None else str(v)) for v in row])
    write_atomic(path, buffer.getvalue().encode("utf-8-sig"), out)


def language_name(code: str) -> str:
    """`ht` -> Haitian Creole, `kjb` -> Qʼanjobʼal; any other code stays as it is."""
    return Locale("en").languages.get(code) or {"mam": "Mam", "kjb": "Qʼanjobʼal"}.get(code, code)


def write_problems(path: Path, problems: Iterable[Problem | DataError]) -> int:
    """Write the problems as a CSV for Excel (UTF-8 with BOM, so accents show); return how many."""
    problems = list(problems)
    write_atomic(path, problems_csv(problems).encode("utf-8-sig"), path.parent)
    return len(problems)
