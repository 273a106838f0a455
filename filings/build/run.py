"""Plan the documents, render the ones whose inputs changed in worker processes, write each
atomically into OUT, and keep the manifest of what was made from what."""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from filings.build import files, listings, manifest, versions
from filings.build.model import OUTPUT_FORMATS, Job, Options, Outcome, Report
from filings.build.packet import PACKETS, write_packets
from filings.build.plan import check_formats, check_inputs, output_paths, plan
from filings.build.workers import Worker, run_jobs
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
    pdf_variant: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> Report:
    """Render every requested document whose inputs changed; failures never stop the others.

    With templates_ref, the first templates folder (the built-in one when none is given) is read
    as it was at that git tag or commit."""
    case, roster = check_inputs(case_path, roster_path, encoding, sheet, limits=limits,
                                templates_dirs=templates_dirs)  # fmt: skip
    with files.locked(out), tempfile.TemporaryDirectory(prefix="filings-ref-") as scratch:
        folders, pinned = tuple(templates_dirs), {}
        if templates_ref:
            folders, pinned = _at_ref(folders, templates_ref, Path(scratch))
        options = Options(tuple(formats), check, pdf_variant)
        report = _build(case, roster, case_path.read_bytes(), out, template_names, options,
                        folders, pinned, progress, jobs=jobs, force=force, prune=prune,
                        packet=packet)  # fmt: skip
        report.roster = roster
        listings.write_errors(out, report)
        listings.write_needs_translation(out, report)
    return report


def _at_ref(folders: tuple[Path, ...], ref: str,
            scratch: Path) -> tuple[tuple[Path, ...], dict[Path, str]]:  # fmt: skip
    """The folders with the first one read at ref, and that copy's version."""
    first = folders[0] if folders else search_path()[-1]
    copy, version = versions.templates_at(ref, first, scratch)
    return (copy, *folders[1:]), {copy: version}


def _build(case, check, case_bytes, out, template_names, options, folders, pinned, progress, *,
           jobs, force, prune, packet) -> Report:  # fmt: skip
    detainees, formats = check.detainees, options.formats
    templates = select_templates(discover(folders), tuple(template_names))
    check_formats(templates, case, search_path(folders))
    planned = plan(templates, case, detainees, case_bytes, options, folders, pinned)
    previous = manifest.load(out)
    known = {} if force else previous.entries
    todo, outcomes = [], {}
    for job in planned:
        entry = known.get(job.key)
        if job.detainee is None and check.rejected:
            outcomes[job.key] = _incomplete_roster(job, check.rejected, out, formats)
        elif manifest.is_current(entry, job.inputs, output_paths(job, formats), out):
            outcomes[job.key] = Outcome(job, "unchanged", entry.outputs,
                                        needs_translation=entry.needs_translation)  # fmt: skip
        else:
            todo.append(job)
            continue
        if progress:
            progress(outcomes[job.key], len(planned))
    worker = Worker(case, RosterSummary(detainees), out, options, search_path(folders))
    _remove_leftovers(out, templates)
    journal = manifest.Journal(out)
    try:
        for outcome in run_jobs(todo, worker, jobs or os.cpu_count() or 1):
            outcomes[outcome.job.key] = outcome
            journal.add(_entry(outcome))
            if progress:
                progress(outcome, len(planned))
    finally:
        journal.close()
    report = Report([outcomes[job.key] for job in planned], warnings=previous.warnings)
    entries = [_entry(o) for o in report.outcomes]
    manifest.write(out, manifest.merge(previous, entries, {t.name for t in templates}))
    report.orphans = _orphans(out, templates, report)
    if prune:
        for path in report.orphans:
            files.remove(path, out)
        report.pruned = True
    if packet:
        report.packets = write_packets(out, report, templates)
    return report


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


def _entry(outcome: Outcome) -> manifest.Entry:
    template, a_number = outcome.job.key
    return manifest.Entry(template, a_number, outcome.job.inputs, outcome.job.version,
                          outcome.status, outcome.outputs, outcome.error,
                          outcome.needs_translation)  # fmt: skip


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
        found += [p for p in files.listdir(out / template.name, out)
                  if p.suffix in (".pdf", ".docx") and p not in current
                  and not p.name.startswith(".")]  # fmt: skip
    return found
