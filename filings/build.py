"""Plan the documents, render each to its formats, write them atomically into OUT."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from filings.errors import DataErrors, FilingsError
from filings.load import read_roster
from filings.render import RosterSummary, render_html
from filings.templates import BUILTIN_TEMPLATES, Template, discover, make_environment, output_name
from filings.templates import select as select_templates
from filings.validate import Case, Detainee, load_case, validate_roster

log = logging.getLogger(__name__)

OUTPUT_FORMATS = ("pdf", "docx")


@dataclass(frozen=True)
class Job:
    """One document: a template, for one detainee or for the whole roster."""

    template: Template
    detainee: Detainee | None = None

    @property
    def label(self) -> str:
        who = self.detainee.a_number if self.detainee else "roster"
        return f"{self.template.name} {who}"


@dataclass
class Outcome:
    job: Job
    paths: list[Path] = field(default_factory=list)
    pages: dict[str, int] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Report:
    """What a build did: every document's outcome."""

    outcomes: list[Outcome]

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.error]

    @property
    def files(self) -> list[Path]:
        return [p for o in self.outcomes for p in o.paths]


def load_inputs(case_path: Path, roster_path: Path) -> tuple[Case, list[Detainee]]:
    """Read and check both inputs; every problem in the roster is reported before stopping."""
    case = load_case(case_path)
    detainees, errors = validate_roster(read_roster(roster_path))
    if errors:
        raise DataErrors(errors, roster_path.name)
    return case, detainees


def plan(templates: Sequence[Template], detainees: Sequence[Detainee]) -> list[Job]:
    """Per-detainee templates once per detainee, in roster order; per-roster ones once."""
    jobs = []
    for template in templates:
        if template.kind == "per-detainee":
            jobs.extend(Job(template, d) for d in detainees)
        else:
            jobs.append(Job(template))
    return jobs


def format_name(template: Template, case: Case) -> str:
    """`court` in a template's metadata means the court format the case file names."""
    return case.court["format"] if template.format == "court" else template.format


def render_job(job: Job, case: Case, roster: RosterSummary, out: Path, formats: Sequence[str],
               env=None) -> Outcome:  # fmt: skip
    """Render one document to each requested format; any failure is kept in the outcome."""
    outcome = Outcome(job)
    env = env or make_environment(job.template.folder.parent)
    try:
        html = render_html(env, job.template, case, job.detainee, roster)
        d = job.detainee
        stem = output_name(job.template, d.a_number if d else None, d.family_name if d else "")
        folder = out / job.template.name
        for kind in formats:
            data, pages = _convert(kind, html, job, case)
            path = folder / f"{stem}.{kind}"
            write_atomic(path, data, out)
            outcome.paths.append(path)
            if pages is not None:
                outcome.pages[kind] = pages
    except FilingsError as exc:
        outcome.error = exc.message
    return outcome


def _convert(kind: str, html: str, job: Job, case: Case) -> tuple[bytes, int | None]:
    fmt_name = format_name(job.template, case)
    where = f"{job.template.name} for {job.detainee.source if job.detainee else 'the roster'}"
    if kind == "pdf":
        from filings.pdf import renderer

        return renderer(fmt_name).render(html, where)
    from filings.docx import render_docx
    from filings.formats import load_format

    title = job.template.title + (f": {job.detainee.full_name}" if job.detainee else "")
    data = render_docx(html, load_format(fmt_name), title=title, author=case.signer.name,
                       lang="en-US", date=case.filing_date, where=where)  # fmt: skip
    return data, None


def write_atomic(path: Path, data: bytes, root: Path) -> None:
    """Write through a temporary file in the same folder, then rename: never a half-written file."""
    resolved = path.resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise FilingsError(f"{path}: refusing to write outside {root}")
    resolved.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=resolved.parent, prefix=f".{resolved.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as stream:
            stream.write(data)
        os.replace(tmp, resolved)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def build(
    case_path: Path,
    roster_path: Path,
    out: Path,
    template_names: Sequence[str] = (),
    formats: Sequence[str] = OUTPUT_FORMATS,
    templates_dir: Path | None = None,
    progress: Callable[[Outcome, int], None] | None = None,
) -> Report:
    """Render every requested document; failures are collected, never stop the others."""
    case, detainees = load_inputs(case_path, roster_path)
    templates_dir = templates_dir or BUILTIN_TEMPLATES
    templates = select_templates(discover(templates_dir), tuple(template_names))
    roster = RosterSummary(detainees)
    env = make_environment(templates_dir)
    outcomes = []
    jobs = plan(templates, detainees)
    for job in jobs:
        outcome = render_job(job, case, roster, out, formats, env)
        if outcome.error:
            log.debug("failed: %s", job.label)
        outcomes.append(outcome)
        if progress:
            progress(outcome, len(jobs))
    return Report(outcomes)
