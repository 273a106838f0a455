"""Plan the documents, render the ones whose inputs changed in worker processes, write each
atomically into OUT, and keep the manifest of what was made from what."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from filings import __version__, manifest
from filings.errors import DataErrors, FilingsError
from filings.load import read_roster
from filings.render import RosterSummary, render_html
from filings.templates import BUILTIN_TEMPLATES, Template, discover, make_environment, output_name
from filings.templates import select as select_templates
from filings.validate import Case, Detainee, load_case, validate_roster

log = logging.getLogger(__name__)

OUTPUT_FORMATS = ("pdf", "docx")
# Each worker renders this many documents, then is replaced: WeasyPrint and its caches grow slowly.
TASKS_PER_WORKER = 400
CHUNK = 4  # documents sent to a worker at a time


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


@dataclass
class Report:
    """What a build did: every document's outcome, and files no current document accounts for."""

    outcomes: list[Outcome]
    orphans: list[Path] = field(default_factory=list)
    pruned: bool = False
    packets: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def files(self) -> list[str]:
        return [out["path"] for o in self.outcomes for out in o.outputs.values()]

    def summary(self) -> dict:
        return {"documents": len(self.outcomes), "rendered": self.count("rendered"),
                "unchanged": self.count("unchanged"), "failed": self.count("failed"),
                "orphans": [str(p) for p in self.orphans], "pruned": self.pruned,
                "packets": [str(p) for p in self.packets]}  # fmt: skip


# --- inputs and plan ---------------------------------------------------------------------------


def load_inputs(case_path: Path, roster_path: Path) -> tuple[Case, list[Detainee]]:
    """Read and check both inputs; every problem in the roster is reported before stopping."""
    case = load_case(case_path)
    detainees, errors = validate_roster(read_roster(roster_path))
    if errors:
        raise DataErrors(errors, roster_path.name)
    return case, detainees


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


def plan(templates: Sequence[Template], case: Case, detainees: Sequence[Detainee],
         case_bytes: bytes, formats: Sequence[str]) -> list[Job]:  # fmt: skip
    """Per-detainee templates once per detainee, in roster order; per-roster ones once. Each job
    carries the hash of everything its output depends on."""
    roster_hash = _hash(*[_record(d) for d in detainees])
    jobs = []
    for template in templates:
        shared = template.folder.parent / "_shared"
        base = _hash(code_fingerprint(), _tree_hash(template.folder, shared), case_bytes,
                     format_name(template, case), sorted(formats))  # fmt: skip
        if template.kind == "per-detainee":
            jobs.extend(Job(template, d, _hash(base, _record(d))) for d in detainees)
        else:
            jobs.append(Job(template, None, _hash(base, roster_hash)))
    return jobs


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
    formats: tuple[str, ...]
    templates_dir: Path
    env: object = None


_WORKER: _Worker | None = None


def _init_worker(worker: _Worker) -> None:
    global _WORKER
    worker.env = make_environment(worker.templates_dir)
    _WORKER = worker


def _render_chunk(jobs: list[Job]) -> list[Outcome]:
    return [render_job(job, _WORKER) for job in jobs]


def render_job(job: Job, w: _Worker) -> Outcome:
    """Render one document to each format; any failure is kept in the outcome, not raised."""
    outcome = Outcome(job)
    paths = output_paths(job, w.formats)
    try:
        html = render_html(w.env, job.template, w.case, job.detainee, w.roster)
        for kind, relative in paths.items():
            data, pages = _convert(kind, html, job, w.case)
            write_atomic(w.out / relative, data, w.out)
            outcome.outputs[kind] = {"path": relative.as_posix(), "pages": pages,
                                     "sha256": hashlib.sha256(data).hexdigest()}  # fmt: skip
    except FilingsError as exc:
        outcome.status, outcome.error = "failed", exc.message
        for relative in paths.values():  # a stale file from older inputs must not pass as current
            (w.out / relative).unlink(missing_ok=True)
        outcome.outputs = {}
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


def _run(jobs: list[Job], worker: _Worker, n_jobs: int) -> Iterator[Outcome]:
    """Render the jobs, in this process for one job at a time, else in a pool of workers."""
    if n_jobs <= 1 or len(jobs) <= 1:
        _init_worker(worker)
        for job in jobs:
            yield render_job(job, worker)
        return
    chunks = [jobs[i : i + CHUNK] for i in range(0, len(jobs), CHUNK)]
    with ProcessPoolExecutor(max_workers=n_jobs, initializer=_init_worker, initargs=(worker,),
                             max_tasks_per_child=TASKS_PER_WORKER // CHUNK) as pool:  # fmt: skip
        for outcomes in pool.map(_render_chunk, chunks):
            yield from outcomes


# --- the build ---------------------------------------------------------------------------------


def build(
    case_path: Path,
    roster_path: Path,
    out: Path,
    template_names: Sequence[str] = (),
    formats: Sequence[str] = OUTPUT_FORMATS,
    templates_dir: Path | None = None,
    progress: Callable[[Outcome, int], None] | None = None,
    *,
    jobs: int | None = None,
    force: bool = False,
    prune: bool = False,
    packet: bool = False,
) -> Report:
    """Render every requested document whose inputs changed; failures never stop the others."""
    case, detainees = load_inputs(case_path, roster_path)
    templates_dir = templates_dir or BUILTIN_TEMPLATES
    templates = select_templates(discover(templates_dir), tuple(template_names))
    planned = plan(templates, case, detainees, case_path.read_bytes(), formats)
    version = manifest.template_version(templates_dir)
    known = {} if force else manifest.load(out)
    todo, outcomes = [], {}
    for job in planned:
        entry = known.get(job.key)
        if manifest.is_current(entry, job.inputs, out, formats):
            outcomes[job.key] = Outcome(job, "unchanged", entry.outputs)
            if progress:
                progress(outcomes[job.key], len(planned))
        else:
            todo.append(job)
    worker = _Worker(case, RosterSummary(detainees), out, tuple(formats), templates_dir)
    _remove_leftovers(out, templates)
    journal = manifest.Journal(out)
    try:
        for outcome in _run(todo, worker, jobs or os.cpu_count() or 1):
            outcomes[outcome.job.key] = outcome
            journal.add(_entry(outcome, version))
            if progress:
                progress(outcome, len(planned))
    finally:
        journal.close()
    report = Report([outcomes[job.key] for job in planned])
    manifest.write(out, [_entry(o, version) for o in report.outcomes])
    report.orphans = _orphans(out, templates, report)
    if prune:
        for path in report.orphans:
            path.unlink()
        report.pruned = True
    if packet:
        from filings.packet import write_packets

        report.packets = write_packets(out, report, templates)
    return report


def _entry(outcome: Outcome, version: str) -> manifest.Entry:
    template, a_number = outcome.job.key
    return manifest.Entry(template, a_number, outcome.job.inputs, version, outcome.status,
                          outcome.outputs, outcome.error)  # fmt: skip


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
