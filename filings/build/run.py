"""Plan the documents, render the ones whose inputs changed in worker processes, write each
atomically into OUT, and keep the manifest of what was made from what."""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from filings.build import files, listings, manifest, versions
from filings.build.executor import Executor, make_executor
from filings.build.model import OUTPUT_FORMATS, Job, Options, Outcome, Report
from filings.build.packet import PACKETS, write_packets
from filings.build.plan import (
    SEALED,
    check_formats,
    check_inputs,
    check_reference,
    check_rules,
    output_paths,
    plan,
    sample_read_backs,
    screen,
)
from filings.build.pool import run_jobs
from filings.build.workers import Worker, failed
from filings.errors import FilingsError
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.templating.render import RosterSummary
from filings.templating.templates import Template, discover, search_path
from filings.templating.templates import select as select_templates

log = logging.getLogger(__name__)


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
    read_back: str = "sample",
    pdf_variant: str | None = None,
    reference_docx: Path | None = None,
    limits: Limits = DEFAULT_LIMITS,
    debug: bool = False,
    scheduler: str | None = None,
    copies: Sequence[str] = (),
) -> Report:
    """Render every requested document whose inputs changed; failures never stop the others.

    With templates_ref, the first templates folder (the built-in one when none is given) is read
    as it was at that git tag or commit. With scheduler (a Dask scheduler's address, e.g.
    tcp://host:8786) the documents render on that cluster instead of this machine's workers.
    With reference_docx (a firm's Word document) each DOCX takes its styles' looks, once they
    are found to keep every court format's rules; the PDFs are not affected."""
    case, roster = check_inputs(
        case_path, roster_path, encoding, sheet, limits=limits, templates_dirs=templates_dirs
    )
    with files.locked(out), tempfile.TemporaryDirectory(prefix="filings-ref-") as scratch:
        folders, pinned = tuple(templates_dirs), {}
        if templates_ref:
            folders, pinned = _at_ref(folders, templates_ref, Path(scratch))
        ref = None
        if reference_docx:  # python-docx is imported for a reference only
            from filings.check.reference import read_reference

            ref = read_reference(reference_docx, limits)
        options = Options(tuple(formats), check, read_back, pdf_variant=pdf_variant, reference=ref)
        # run_jobs is looked up now, so a test can stand in its own pool
        executor = make_executor(jobs or os.cpu_count() or 1, scheduler, run_jobs)
        report = _build(
            case,
            roster,
            case_path.read_bytes(),
            out,
            template_names,
            options,
            folders,
            pinned,
            progress,
            executor,
            force=force,
            prune=prune,
            packet=packet,
            limits=limits,
            debug=debug,
            copies=copies,
        )
        report.roster = roster
        listings.write_errors(out, report)
        listings.write_needs_translation(out, report)
        listings.write_not_applicable(out, report)
        listings.write_needs_review(out, report)
    return report


def _at_ref(
    folders: tuple[Path, ...], ref: str, scratch: Path
) -> tuple[tuple[Path, ...], dict[Path, str]]:
    """The folders with the first one read at ref, and that copy's version."""
    first = folders[0] if folders else search_path()[-1]
    copy, version = versions.templates_at(ref, first, scratch)
    return (copy, *folders[1:]), {copy: version}


def _build(
    case,
    check,
    case_bytes,
    out,
    template_names,
    options,
    folders,
    pinned,
    progress,
    executor: Executor,
    *,
    force,
    prune,
    packet,
    limits,
    debug,
    copies=(),
) -> Report:
    detainees, formats = check.detainees, options.formats
    templates = select_templates(discover(folders), tuple(template_names))
    check_formats(templates, case, search_path(folders))
    check_reference(templates, case, search_path(folders), options.reference)
    check_rules(templates, case)
    planned = plan(templates, case, detainees, case_bytes, options, folders, pinned, copies)
    previous = manifest.load(out)
    known = {} if force else previous.entries
    todo, outcomes = [], {}
    for job in planned:
        entry = known.get(job.key)
        if (screened := _screened(job, case, out, formats)) is not None:
            outcomes[job.key] = screened
        elif job.detainee is None and check.rejected:
            outcomes[job.key] = _incomplete_roster(job, check.rejected, out, formats)
        elif manifest.is_current(entry, job.inputs, output_paths(job, formats), out):
            outcomes[job.key] = Outcome(
                job, "unchanged", entry.outputs, needs_translation=entry.needs_translation
            )
        else:
            todo.append(job)
            continue
        if progress:
            progress(outcomes[job.key], len(planned))
    todo = sample_read_backs(todo, case, options, limits.read_back_every)
    worker = Worker(
        case,
        RosterSummary(detainees),
        out,
        options,
        search_path(folders),
        limits=limits,
        debug=debug,
    )
    _remove_leftovers(out, templates)

    def record(outcome: Outcome) -> None:
        outcomes[outcome.job.key] = outcome
        journal.add(_entry(outcome))
        if progress:
            progress(outcome, len(planned))

    journal = manifest.Journal(out)
    try:
        if todo:  # nothing changed: no worker, no cluster, is even asked
            executor.start(worker)
            _render(todo, executor, worker, record)
    finally:
        journal.close()
        executor.close()
    report = Report([outcomes[job.key] for job in planned], warnings=previous.warnings)
    entries = [_entry(o) for o in report.outcomes]
    manifest.write(out, manifest.merge(previous, entries, {t.name for t in templates}))
    report.orphans = _orphans(out, templates, report)
    if prune:
        for path in report.orphans:
            files.remove(path, out)
        report.pruned = True
    if packet:
        report.packets = write_packets(out, report, templates, case)
    return report


class Stopped(FilingsError):
    """The run was stopped (Ctrl-C, SIGTERM) before every document was rendered."""

    def __init__(self, signum: int, done: int, total: int) -> None:
        name = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        super().__init__(
            f"stopped by {name}: {done} of {total} documents finished and recorded; "
            f"run the same command again to render the other {total - done}"
        )
        self.exit_code = 128 + signum  # as the shell reports a command a signal stopped


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled exactly as Ctrl-C is."""


def _render(
    todo: list[Job], executor: Executor, worker: Worker, record: Callable[[Outcome], None]
) -> None:
    """Render the documents, recording each as it finishes. Every document is accounted for: a
    fault in the pool itself fails the ones not yet done, with its reason, and a stop (Ctrl-C,
    SIGTERM) leaves only finished documents, each recorded, before it is reported."""
    done: set = set()
    try:
        with _sigterm_as_interrupt(), contextlib.closing(executor.run(todo)) as run:
            for outcome in run:
                record(outcome)
                done.add(outcome.job.key)
    except KeyboardInterrupt as exc:
        signum = signal.SIGTERM if isinstance(exc, _Terminated) else signal.SIGINT
        raise Stopped(signum, len(done), len(todo)) from None
    except files.OutputError:
        raise  # OUT cannot be written: the run stops, every finished document recorded
    except Exception as exc:  # noqa: BLE001 - never lose the run: the rest fail with the reason
        log.debug("the render pool failed", exc_info=True)
        reason = exc.message if isinstance(exc, FilingsError) else f"{type(exc).__name__}: {exc}"
        for job in todo:
            if job.key not in done:
                record(failed(job, reason, worker.out, worker.options.formats))


@contextlib.contextmanager
def _sigterm_as_interrupt():
    """While documents render, SIGTERM (a `kill`, a service stopping) stops the run as Ctrl-C
    does, instead of ending the process with files and workers unaccounted for."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set a handler; the caller's own handling stands
        return

    def terminate(signum, frame):
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _incomplete_roster(job: Job, rejected: int, out: Path, formats: Sequence[str]) -> Outcome:
    """A document about the whole roster is refused while any row is rejected: its counts would
    silently leave people out."""
    for relative in output_paths(job, formats).values():
        files.remove(out / relative, out)
    return Outcome(
        job,
        "failed",
        error=(
            f"{job.template.name}: not rendered: {rejected} roster row(s) were rejected, and a "
            "document about the whole roster must count everyone; fix them "
            f"(see {listings.ERRORS_CSV})"
        ),
    )


def _screened(job: Job, case, out: Path, formats: Sequence[str]) -> Outcome | None:
    """The outcome of a person's document the template's applies_to rules out (not applicable:
    an earlier file of it is left for the orphan list), or that the case file cannot support
    (failed: an earlier file must not pass as current)."""
    found = screen(job, case)
    if found is None:
        return None
    status, text = found
    if status == "failed":
        for relative in output_paths(job, formats).values():
            files.remove(out / relative, out)
        return Outcome(job, status, error=text)
    return Outcome(job, status, reason=text)


def _entry(outcome: Outcome) -> manifest.Entry:
    template, a_number, copy = outcome.job.key
    return manifest.Entry(
        template,
        a_number,
        outcome.job.inputs,
        outcome.job.version,
        outcome.status,
        outcome.outputs,
        outcome.error or outcome.reason,
        outcome.needs_translation,
        copy,
    )


def _remove_leftovers(out: Path, templates: Sequence[Template]) -> None:
    """Temporary files a killed run left behind (never a finished document)."""
    for folder in (out, out / PACKETS, *(out / t.name for t in templates)):
        for path in files.listdir(folder, out):
            if path.name.startswith(".") and path.name.endswith(".tmp"):
                files.remove(path, out)


def _orphans(out: Path, templates: Sequence[Template], report: Report) -> list[Path]:
    """Documents in the templates' folders that no current roster row accounts for (none in a
    folder that is a link leading out of OUT: those files are not ours to list or delete)."""
    current = {out / p for p in report.files}
    found = []
    for template in templates:
        found += [
            p
            for folder in (out / template.name, out / template.name / SEALED)
            for p in files.listdir(folder, out)
            if p.suffix in (".pdf", ".docx", ".html")
            and p not in current
            and not p.name.startswith(".")
        ]
    return found
