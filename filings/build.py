"""Plan the documents, render the ones whose inputs changed in worker processes, write each
atomically into OUT, and keep the manifest of what was made from what."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from filings import __version__, listings, manifest, versions
from filings.errors import DataErrors, FilingsError
from filings.files import write_atomic
from filings.load import read_roster
from filings.render import RosterSummary, document_languages, render_html
from filings.templates import Template, discover, make_environment, output_name, search_path
from filings.templates import select as select_templates
from filings.validate import Case, Detainee, RosterCheck, check_roster, load_case

log = logging.getLogger(__name__)

OUTPUT_FORMATS = ("pdf", "docx")
# Each worker renders this many documents, then is replaced: WeasyPrint and its caches grow slowly.
TASKS_PER_WORKER = 400
CHUNK = 2  # documents sent to a worker at a time: small, so no worker idles at the end


@dataclass(frozen=True)
class Options:
    """How documents are written: part of every document's inputs."""

    formats: tuple[str, ...] = OUTPUT_FORMATS
    check: bool = True  # measure each output against its court format; fail it if it breaks one
    pdf_variant: str | None = None  # WeasyPrint's pdf_variant, e.g. "pdf/a-2b"


@dataclass(frozen=True)
class Job:
    """One document: a template, for one detainee or for the whole roster, and its inputs' hash."""

    template: Template
    detainee: Detainee | None = None
    inputs: str = ""

    @property
    def key(self) -> tuple[str, str | None]:
        return (self.template.name, self.detainee.a_number if self.detainee else None)


@dataclass
class Outcome:
    job: Job
    status: str = "rendered"  # rendered | unchanged | failed
    outputs: dict[str, dict] = field(default_factory=dict)  # format -> {path, sha256, pages}
    error: str | None = None
    needs_translation: bool = False  # in English only: no translation for the reader's language


@dataclass
class Report:
    """What a build did: every document's outcome, and files no current document accounts for."""

    outcomes: list[Outcome]
    roster: RosterCheck | None = None
    orphans: list[Path] = field(default_factory=list)
    pruned: bool = False
    packets: list[Path] = field(default_factory=list)
    # Documents in English only because the reader's language has no translation yet.
    needs_translation: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def files(self) -> list[str]:
        return [out["path"] for o in self.outcomes for out in o.outputs.values()]

    @property
    def failed_rows(self) -> set[str]:
        """A-numbers of accepted rows whose documents did not all render."""
        return {o.job.detainee.a_number for o in self.failed if o.job.detainee}

    @property
    def rows(self) -> tuple[int, int, int]:
        """Rows read, rendered and rejected (invalid, or a document failed): read = the others."""
        read = self.roster.rows_read if self.roster else 0
        rejected = (self.roster.rejected if self.roster else 0) + len(self.failed_rows)
        return read, read - rejected, rejected

    def summary(self) -> dict:
        read, rendered, rejected = self.rows
        return {"rows": read, "rows_rendered": rendered, "rows_rejected": rejected,
                "documents": len(self.outcomes), "rendered": self.count("rendered"),
                "unchanged": self.count("unchanged"), "failed": self.count("failed"),
                "needs_translation": len(self.needs_translation),
                "orphans": [str(p) for p in self.orphans], "pruned": self.pruned,
                "packets": [str(p) for p in self.packets]}  # fmt: skip


# --- inputs and plan ---------------------------------------------------------------------------


def load_inputs(case_path: Path, roster_path: Path, **read) -> tuple[Case, list[Detainee]]:
    """Read both inputs and insist every row is good; every problem is reported before stopping."""
    case, check = check_inputs(case_path, roster_path, **read)
    if check.errors:
        raise DataErrors(check.errors, roster_path.name)
    return case, check.detainees


def check_inputs(case_path: Path, roster_path: Path, encoding: str | None = None,
                 sheet: str | None = None) -> tuple[Case, RosterCheck]:  # fmt: skip
    """Read the case file (any problem stops) and check the roster row by row."""
    case = load_case(case_path)
    return case, check_roster(read_roster(roster_path, encoding=encoding, sheet=sheet))


def format_name(template: Template, case: Case) -> str:
    """`court` in a template's metadata means the court format the case file names."""
    return case.court["format"] if template.format == "court" else template.format


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else json.dumps(part, sort_keys=True, default=str)
        digest.update(hashlib.sha256(data if isinstance(data, bytes) else data.encode()).digest())
    return digest.hexdigest()


def _tree_hash(*folders: Path) -> str:
    """The content of every file under the folders, by relative path."""
    files = sorted(
        (p.relative_to(folder).as_posix(), p)
        for folder in folders
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    )
    return _hash(*[(name, hashlib.sha256(p.read_bytes()).hexdigest()) for name, p in files])


@cache
def code_fingerprint() -> str:
    """The filings version and its own source and formats: a change to either re-renders."""
    return _hash(__version__, _tree_hash(Path(__file__).parent))


def _record(detainee: Detainee) -> dict:
    """What of a record reaches a document (not where the row stood in the file)."""
    return {k: v for k, v in dataclasses.asdict(detainee).items() if k != "source"}


def plan(
    templates: Sequence[Template],
    case: Case,
    detainees: Sequence[Detainee],
    case_bytes: bytes,
    options: Options,
    folders: Sequence[Path] = (),
) -> list[Job]:
    """Per-detainee templates once per detainee, in roster order; per-roster ones once. Each job
    carries the hash of everything its output depends on (the template version too, since the
    documents record it)."""
    roster_hash = _hash(*[_record(d) for d in detainees])
    jobs = []
    shared = _tree_hash(*[f / "_shared" for f in search_path(folders) if (f / "_shared").is_dir()])
    for template in templates:
        base = _hash(code_fingerprint(), _tree_hash(template.folder), shared, case_bytes,
                     format_name(template, case), options.check, options.pdf_variant,
                     versions.describe(template.folder.parent))  # fmt: skip
        if template.kind == "per-detainee":
            jobs.extend(Job(template, d, _hash(base, _record(d))) for d in detainees)
        else:
            jobs.append(Job(template, None, _hash(base, roster_hash)))
    return jobs


def _check_formats(templates: Sequence[Template], case: Case, search: Sequence[Path]) -> None:
    """A broken court format is one error before anything renders, not one per document."""
    from filings.formats import load_format

    for template in templates:
        load_format(format_name(template, case), search)


def output_paths(job: Job, formats: Sequence[str]) -> dict[str, Path]:
    """Each format's file, relative to OUT."""
    d = job.detainee
    stem = output_name(job.template, d.a_number if d else None, d.family_name if d else "")
    return {kind: Path(job.template.name) / f"{stem}.{kind}" for kind in formats}


# --- rendering one document --------------------------------------------------------------------


@dataclass
class _Worker:
    """What each worker process sets up once and reuses for every document."""

    case: Case
    roster: RosterSummary
    out: Path
    options: Options
    templates_dirs: tuple[Path, ...]  # also where a team's own court formats are found
    env: object = None


_WORKER: _Worker | None = None


def _init_worker(worker: _Worker) -> None:
    global _WORKER
    worker.env = make_environment(worker.templates_dirs)
    _WORKER = worker


def _render_chunk(jobs: list[Job]) -> list[Outcome]:
    return [render_job(job, _WORKER) for job in jobs]


def render_job(job: Job, w: _Worker) -> Outcome:
    """Render one document to each format; any failure is kept in the outcome, not raised."""
    outcome = Outcome(job)
    paths = output_paths(job, w.options.formats)
    try:
        version = versions.describe(job.template.folder.parent)
        html = render_html(w.env, job.template, w.case, job.detainee, w.roster,
                           template_version=version)  # fmt: skip
        for kind, relative in paths.items():
            data, pages = _convert(kind, html, job, w)
            write_atomic(w.out / relative, data, w.out)
            if w.options.check:
                _check(kind, w.out / relative, job, w)
            outcome.outputs[kind] = {"path": relative.as_posix(), "pages": pages,
                                     "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
        languages = document_languages(job.template, job.detainee)
        outcome.needs_translation = bool(languages and languages.needs_translation)
    except FilingsError as exc:
        outcome.status, outcome.error = "failed", exc.message
        for relative in paths.values():  # a stale file from older inputs must not pass as current
            (w.out / relative).unlink(missing_ok=True)
        outcome.outputs = {}
    return outcome


def _convert(kind: str, html: str, job: Job, w: _Worker) -> tuple[bytes, int | None]:
    fmt_name, case = format_name(job.template, w.case), w.case
    where = f"{job.template.name} for {job.detainee.source if job.detainee else 'the roster'}"
    if kind == "pdf":
        from filings.pdf import renderer

        pdf = renderer(fmt_name, w.templates_dirs)
        return pdf.render(html, where, variant=w.options.pdf_variant)
    from filings.docx import render_docx
    from filings.formats import load_format

    title = job.template.title + (f": {job.detainee.full_name}" if job.detainee else "")
    data = render_docx(html, load_format(fmt_name, w.templates_dirs), title=title,
                       author=case.signer.name, lang="en-US", date=case.filing_date,
                       where=where)  # fmt: skip
    return data, None


def _check(kind: str, path: Path, job: Job, w: _Worker) -> None:
    """Measure the written file against its court format; a broken rule fails the document."""
    from filings.check import Expected, check_docx, check_pdf
    from filings.formats import load_format

    fmt = load_format(format_name(job.template, w.case), w.templates_dirs)
    d = job.detainee
    expect = Expected(d.a_number, d.custody_status == "detained") if d else None
    check = check_pdf if kind == "pdf" else check_docx
    findings = check(path, fmt, leave_to_exceed=w.case.page_limit_leave, expect=expect)
    if findings:
        raise FilingsError("\n".join(str(f) for f in findings))


def _run(jobs: list[Job], worker: _Worker, n_jobs: int) -> Iterator[Outcome]:
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


# --- the build ---------------------------------------------------------------------------------


def build(
    case_path: Path,
    roster_path: Path,
    out: Path,
    template_names: Sequence[str] = (),
    formats: Sequence[str] = OUTPUT_FORMATS,
    templates_dirs: Sequence[Path] = (),
    progress: Callable[[Outcome, int], None] | None = None,
    *,
    templates_ref: str | None = None,
    encoding: str | None = None,
    sheet: str | None = None,
    jobs: int | None = None,
    force: bool = False,
    prune: bool = False,
    packet: bool = False,
    check: bool = True,
    pdf_variant: str | None = None,
) -> Report:
    """Render every requested document whose inputs changed; failures never stop the others.

    With templates_ref, the first templates folder (the built-in one when none is given) is read
    as it was at that git tag or commit."""
    case, roster = check_inputs(case_path, roster_path, encoding, sheet)
    with tempfile.TemporaryDirectory(prefix="filings-ref-") as scratch:
        folders = tuple(templates_dirs)
        if templates_ref:
            folders = _at_ref(folders, templates_ref, Path(scratch))
        options = Options(tuple(formats), check, pdf_variant)
        report = _build(case, roster, case_path.read_bytes(), out, template_names, options,
                        folders, progress, jobs=jobs, force=force, prune=prune,
                        packet=packet)  # fmt: skip
    report.roster = roster
    listings.write_errors(out, report)
    listings.write_needs_translation(out, report)
    return report


def _at_ref(folders: tuple[Path, ...], ref: str, scratch: Path) -> tuple[Path, ...]:
    first = folders[0] if folders else search_path()[-1]
    return (versions.templates_at(ref, first, scratch), *folders[1:])


def _build(case, check, case_bytes, out, template_names, options, folders, progress, *,
           jobs, force, prune, packet) -> Report:  # fmt: skip
    detainees, formats = check.detainees, options.formats
    templates = select_templates(discover(folders), tuple(template_names))
    _check_formats(templates, case, search_path(folders))
    planned = plan(templates, case, detainees, case_bytes, options, folders)
    known = {} if force else manifest.load(out)
    todo, outcomes = [], {}
    for job in planned:
        entry = known.get(job.key)
        if job.detainee is None and check.rejected:
            outcomes[job.key] = _incomplete_roster(job, check.rejected, out, formats)
        elif manifest.is_current(entry, job.inputs, out, formats):
            outcomes[job.key] = Outcome(job, "unchanged", entry.outputs,
                                        needs_translation=entry.needs_translation)  # fmt: skip
        else:
            todo.append(job)
            continue
        if progress:
            progress(outcomes[job.key], len(planned))
    worker = _Worker(case, RosterSummary(detainees), out, options, search_path(folders))
    _remove_leftovers(out, templates)
    journal = manifest.Journal(out)
    try:
        for outcome in _run(todo, worker, jobs or os.cpu_count() or 1):
            outcomes[outcome.job.key] = outcome
            journal.add(_entry(outcome))
            if progress:
                progress(outcome, len(planned))
    finally:
        journal.close()
    report = Report([outcomes[job.key] for job in planned])
    manifest.write(out, [_entry(o) for o in report.outcomes])
    report.orphans = _orphans(out, templates, report)
    if prune:
        for path in report.orphans:
            path.unlink()
        report.pruned = True
    if packet:
        from filings.packet import write_packets

        report.packets = write_packets(out, report, templates)
    return report


def _incomplete_roster(job: Job, rejected: int, out: Path, formats: Sequence[str]) -> Outcome:
    """A document about the whole roster is refused while any row is rejected: its counts would
    silently leave people out."""
    for relative in output_paths(job, formats).values():
        (out / relative).unlink(missing_ok=True)
    return Outcome(
        job,
        "failed",
        error=(
            f"{job.template.name}: not rendered: {rejected} roster row(s) were rejected, and a "
            "document about the whole roster must count everyone; fix them "
            f"(see {listings.ERRORS_CSV})"
        ),
    )


def _entry(outcome: Outcome) -> manifest.Entry:
    template, a_number = outcome.job.key
    version = versions.describe(outcome.job.template.folder.parent)
    return manifest.Entry(template, a_number, outcome.job.inputs, version, outcome.status,
                          outcome.outputs, outcome.error, outcome.needs_translation)  # fmt: skip


def _remove_leftovers(out: Path, templates: Sequence[Template]) -> None:
    """Temporary files a killed run left behind (never a finished document)."""
    for template in templates:
        for tmp in (out / template.name).glob(".*.tmp"):
            tmp.unlink(missing_ok=True)


def _orphans(out: Path, templates: Sequence[Template], report: Report) -> list[Path]:
    """Documents in the templates' folders that no current roster row accounts for."""
    current = {out / p for p in report.files}
    found = []
    for template in templates:
        folder = out / template.name
        if folder.is_dir():
            found += [p for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".docx")
                      and p not in current and not p.name.startswith(".")]  # fmt: skip
    return found
