"""Render documents: in this process, or in a pool of spawned worker processes that each set up
once (the Jinja environment, fonts, stylesheets) and reuse it for every document."""

from __future__ import annotations

import hashlib
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from filings.build import files
from filings.build.files import OutputError, write_atomic
from filings.build.model import Job, Options, Outcome
from filings.build.plan import format_name, output_paths
from filings.check import Expected, check_docx, check_pdf
from filings.errors import FilingsError
from filings.inputs.validate import Case
from filings.outputs.convert import Meta, convert
from filings.outputs.formats import load_format
from filings.templating.render import RosterSummary, document_languages, render_html
from filings.templating.templates import make_environment

# Each worker renders this many documents, then is replaced: WeasyPrint and its caches grow slowly.
TASKS_PER_WORKER = 400
CHUNK = 2  # documents sent to a worker at a time: small, so no worker idles at the end

@dataclass
class Worker:
    """What each worker process sets up once and reuses for every document."""

    case: Case
    roster: RosterSummary
    out: Path
    options: Options
    templates_dirs: tuple[Path, ...]  # also where a team's own court formats are found
    env: object = None


_WORKER: Worker | None = None


def _init_worker(worker: Worker) -> None:
    global _WORKER
    worker.env = make_environment(worker.templates_dirs)
    _WORKER = worker


def _render_chunk(jobs: list[Job]) -> list[Outcome]:
    return [render_job(job, _WORKER) for job in jobs]


def render_job(job: Job, w: Worker) -> Outcome:
    """Render one document to each format; any failure is kept in the outcome, not raised."""
    outcome = Outcome(job)
    paths = output_paths(job, w.options.formats)
    try:
        html = render_html(w.env, job.template, w.case, job.detainee, w.roster,
                           template_version=job.version)  # fmt: skip
        for kind, relative in paths.items():
            data, pages = _convert(kind, html, job, w)
            write_atomic(w.out / relative, data, w.out)
            if w.options.check:
                _check(kind, w.out / relative, job, w)
            outcome.outputs[kind] = {"path": relative.as_posix(), "pages": pages,
                                     "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
        languages = document_languages(job.template, job.detainee)
        outcome.needs_translation = bool(languages and languages.needs_translation)
    except OutputError:
        raise  # a full disk or a read-only OUT: every other document would fail the same way
    except FilingsError as exc:
        outcome.status, outcome.error = "failed", exc.message
        for relative in paths.values():  # a stale file from older inputs must not pass as current
            files.remove(w.out / relative, w.out)
        outcome.outputs = {}
    return outcome


def _convert(kind: str, html: str, job: Job, w: Worker) -> tuple[bytes, int | None]:
    case = w.case
    where = f"{job.template.name} for {job.detainee.source if job.detainee else 'the roster'}"
    title = job.template.title + (f": {job.detainee.full_name}" if job.detainee else "")
    meta = Meta(where=where, title=title, author=case.signer.name, date=case.filing_date,
                pdf_variant=w.options.pdf_variant)  # fmt: skip
    return convert(kind, html, load_format(format_name(job.template, case), w.templates_dirs), meta)


def _check(kind: str, path: Path, job: Job, w: Worker) -> None:
    """Measure the written file against its court format; a broken rule fails the document."""
    fmt = load_format(format_name(job.template, w.case), w.templates_dirs)
    d = job.detainee
    expect = Expected(d.a_number, d.custody_status == "detained") if d else None
    check = check_pdf if kind == "pdf" else check_docx
    findings = check(path, fmt, leave_to_exceed=w.case.page_limit_leave, expect=expect)
    if findings:
        raise FilingsError("\n".join(str(f) for f in findings))


def run_jobs(jobs: list[Job], worker: Worker, n_jobs: int) -> Iterator[Outcome]:
    """Render the jobs, in this process for one job at a time, else in a pool of workers.

    Workers are replaced after TASKS_PER_WORKER documents by starting a fresh pool for each round
    of documents. (ProcessPoolExecutor's own max_tasks_per_child can hang for good when it
    replaces a worker on Python 3.11: seen here after exactly 400 documents a worker.)
    """
    if n_jobs <= 1 or len(jobs) <= 1:
        _init_worker(worker)
        for job in jobs:
            yield render_job(job, worker)
        return
    spawn = multiprocessing.get_context("spawn")  # clean workers: nothing inherited to grow
    per_round = n_jobs * TASKS_PER_WORKER
    for start in range(0, len(jobs), per_round):
        batch = jobs[start : start + per_round]
        chunks = [batch[i : i + CHUNK] for i in range(0, len(batch), CHUNK)]
        with ProcessPoolExecutor(max_workers=n_jobs, mp_context=spawn, initializer=_init_worker,
                                 initargs=(worker,)) as pool:  # fmt: skip
            for outcomes in pool.map(_render_chunk, chunks):
                yield from outcomes

