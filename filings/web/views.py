"""What each page shows, read from the core's own records (RosterCheck, Problem, Report), and the
one Jinja environment the pages are written with: plain autoescaped HTML, not the documents'
sandbox."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from filings.build import files, manifest
from filings.build.listings import ERRORS_CSV, NEEDS_TRANSLATION_CSV, language_name
from filings.build.model import Outcome, Report
from filings.errors import DataError, DataErrors, FilingsError, Location
from filings.inputs.problems import Problem
from filings.web.security import CSRF_FIELD, csrf_token, set_csrf_cookie

PAGES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(request: Request, name: str, status: int = 200, **context) -> HTMLResponse:
    """A page, with this browser's CSRF token in every form it holds."""
    token, fresh = csrf_token(request)
    html = PAGES.get_template(name).render(
        path=request.url.path, csrf=token, csrf_field=CSRF_FIELD, **context
    )
    response = HTMLResponse(html, status)
    if fresh:
        set_csrf_cookie(response, token)
    return response


# --- the roster's problems, as `filings validate` words them ------------------------------------


@dataclass(frozen=True)
class Line:
    """One row of the problems table: where, which column, what is wrong."""

    severity: str
    place: str
    column: str
    problem: str


def problem_lines(problems: list[Problem]) -> list[Line]:
    return [_line(p.location, p.message, p.severity) for p in problems]


def error_lines(error: FilingsError) -> list[Line]:
    """A roster that could not be read at all: each of its problems, located where it can be."""
    errors = error.errors if isinstance(error, DataErrors) else [error]
    return [
        _line(e.location, e.problem, "error")
        if isinstance(e, DataError)
        else Line("error", "", "", e.message)
        for e in errors
    ]


def _line(location: Location | str, message: str, severity: str) -> Line:
    if isinstance(location, Location):
        return Line(severity, location.place, location.field or "", message)
    return Line(severity, str(location), "", message)


# --- the results ---------------------------------------------------------------------------------


@dataclass
class Person:
    a_number: str
    display: str
    name: str
    source: str
    documents: list[Outcome] = field(default_factory=list)


def people(report: Report) -> list[Person]:
    """Each person's documents, in roster order."""
    found: dict[str, Person] = {}
    for outcome in report.outcomes:
        d = outcome.job.detainee
        if d is not None:
            person = found.setdefault(
                d.a_number, Person(d.a_number, d.a_number_display, d.full_name, str(d.source))
            )
            person.documents.append(outcome)
    return list(found.values())


def roster_documents(report: Report) -> list[Outcome]:
    return [o for o in report.outcomes if o.job.detainee is None]


@dataclass(frozen=True)
class Listing:
    """A list the clerk works from after a render: its title, what it means, its documents."""

    key: str
    title: str
    note: str
    outcomes: list[Outcome]


# The Report's lists, in the order the page shows them. A list the core adds to the Report (such
# as documents that do not apply to a person, or need a lawyer's review) is one more row here.
LISTS = (
    ("failed", "Failed", "Not written. Each says where the problem is: fix it and render again."),
    (
        "needs_translation",
        "Needs translation",
        "Written in English only: there is no "
        "translation yet for the reader's language. Arrange an interpreter.",
    ),
    ("not_applicable", "Not applicable", "Not written, because they do not apply."),
    ("needs_review", "Needs review", "Written, but a lawyer should read them before filing."),
)


def listings(report: Report) -> list[Listing]:
    return [
        Listing(key, title, note, list(getattr(report, key)))
        for key, title, note in LISTS
        if hasattr(report, key)
    ]


def detail(key: str, outcome: Outcome) -> str:
    """What a list says of one document."""
    if key == "needs_translation" and outcome.job.detainee is not None:
        return f"reader's language: {language_name(outcome.job.detainee.preferred_language)}"
    return outcome.error or ""


PAGES.globals.update(detail=detail)


# --- files a page hands out ----------------------------------------------------------------------

LISTED_BESIDE = (manifest.MANIFEST_CSV, ERRORS_CSV, NEEDS_TRANSLATION_CSV)


def listed(out: Path, report: Report | None = None) -> list[str]:
    """The files in OUT the page may hand out: every file the manifest lists, this render's
    packets, and the lists written beside them. Nothing else in OUT is ever served."""
    paths = [
        o["path"] for entry in manifest.load(out).entries.values() for o in entry.outputs.values()
    ]
    if report is not None:
        paths += [p.relative_to(out).as_posix() for p in report.packets]
    return sorted(set(paths)) + list(LISTED_BESIDE)


class _Sink:
    """A write-only stream whose bytes are taken away as they come: a ZIP written on the fly."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def write(self, data: bytes) -> int:
        return self.buffer.write(data)

    def flush(self) -> None:
        pass

    def take(self) -> bytes:
        data = self.buffer.getvalue()
        self.buffer.seek(0)
        self.buffer.truncate()
        return data


def zip_stream(out: Path) -> Iterator[bytes]:
    """A ZIP of every document the manifest lists, and manifest.csv, streamed a file at a time."""
    sink = _Sink()
    wanted = [p for p in listed(out) if p not in (ERRORS_CSV, NEEDS_TRANSLATION_CSV)]
    with zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in wanted:
            data = files.read_bytes(out / relative, out)
            if data is not None:
                archive.writestr(
                    zipfile.ZipInfo(relative, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
                )
                yield sink.take()
    yield sink.take()
