"""Render one document in a worker process: the child's side of the pool (see build.pool).

Each worker sets up once (the Jinja environment, fonts, stylesheets) and reuses it for every
document. Whatever goes wrong while one document renders fails that document alone: a
FilingsError keeps its own located message; any other exception becomes one located line.
"""

from __future__ import annotations

import ctypes
import hashlib
import multiprocessing
import os
import resource
import signal
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from filings.build import files, processes
from filings.build.files import OutputError, write_atomic
from filings.build.model import Job, Options, Outcome
from filings.build.plan import format_name, output_paths
from filings.check import Expected, check_docx, check_layout, check_pdf
from filings.check.leaks import court_text, public_leaks
from filings.errors import FilingsError
from filings.inputs.limits import DEFAULT as DEFAULT_LIMITS
from filings.inputs.limits import Limits
from filings.inputs.records import Case, Detainee
from filings.inputs.redaction import Policy, redact
from filings.outputs.convert import Meta, Rendered, convert
from filings.outputs.formats import load_format
from filings.problems import Problem
from filings.templating.render import RosterSummary, document_languages, render_html
from filings.templating.templates import make_environment

# The kinds a court format's rules are measured on; an HTML file is laid out by whoever opens it.
CHECKED = ("pdf", "docx")
REASON_CHARS = 200  # of an unexpected exception's message: a reason, not a dump


@dataclass
class Worker:
    """What each worker process sets up once and reuses for every document. Workers see
    nothing of the parent's state: everything they need, the limits too, travels in here."""

    case: Case
    roster: RosterSummary
    out: Path
    options: Options
    templates_dirs: tuple[Path, ...]  # also where a team's own court formats are found
    limits: Limits = field(default_factory=lambda: DEFAULT_LIMITS)
    debug: bool = False  # an unexpected error's traceback goes into its document's error
    env: object = None
    court_text: str | None = None  # the case file's text, for the leak check (`court_text`)
    public_roster: RosterSummary | None = None  # the roster as public copies show it


def _init_worker(worker: Worker) -> None:
    worker.env = make_environment(worker.templates_dirs)


def _bound_memory(limits: Limits) -> None:
    """Past render_memory_mb an allocation fails with MemoryError, which fails the document in
    hand, instead of the machine swapping or the kernel killing whatever it picks."""
    hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    soft = limits.render_memory_bytes
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def serve(conn, worker: Worker, init=_init_worker, surroundings=None) -> None:
    """A worker process's life: take the command's surroundings (`processes.Surroundings`), set
    up, say so, then render each job the parent sends until it sends None or goes away."""
    _exit_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        if surroundings is not None:
            surroundings.enter()
            from filings.build import preload  # the fork server's: imported, and set up

            preload.refit()
        init(worker)
        _bound_memory(worker.limits)  # after the set-up: the limit is for rendering
    except BaseException as exc:  # noqa: BLE001 - the parent reports it for every document
        conn.send(("broken", _reason(exc, worker.debug)))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        try:
            outcome = render_job(job, worker)
        except OutputError as exc:  # OUT is full or read-only: the parent stops the whole run
            conn.send(("stop", exc.message))
            return
        conn.send(("done", outcome))


def _exit_with_parent() -> None:
    """Die with the parent, however it dies (even SIGKILL): never render on for nobody. Linux
    has the kernel send SIGKILL, which also stops work stuck in C; elsewhere a thread watches.
    A worker forked from the fork server has the server as its parent there, which ends with
    the command once the worker lets go of it (`processes.leave_server`)."""
    parent = multiprocessing.parent_process()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        if parent is not None:
            threading.Thread(target=_watch, args=(parent,), daemon=True).start()
    processes.leave_server()  # after prctl: a server ending from now on takes this process too
    if parent is not None and not parent.is_alive():  # it died before prctl took effect
        sys.exit(1)


def _watch(parent) -> None:
    parent.join()
    os._exit(1)


def where(job: Job) -> str:
    """The document, for messages: `stay-motion for roster.csv:3`."""
    return f"{job.template.name} for {job.detainee.source if job.detainee else 'the roster'}"


def failed(job: Job, reason: str, out: Path, formats) -> Outcome:
    """The document failed for this reason; its files are gone."""
    discard(job, out, formats)
    return Outcome(job, "failed", error=f"{where(job)}: not rendered: {reason}")


def discard(job: Job, out: Path, formats) -> None:
    """Remove a failed document's files: a stale one from older inputs would pass as current, and
    a temporary one left by a killed render is no document."""
    for relative in output_paths(job, formats).values():
        files.remove(out / relative, out)
        for tmp in files.listdir((out / relative).parent, out):
            if tmp.name.startswith(f".{relative.name}.") and tmp.name.endswith(".tmp"):
                files.remove(tmp, out)


def render_job(job: Job, w: Worker) -> Outcome:
    """Render one document to each format; any failure is kept in the outcome, not raised."""
    outcome = Outcome(job)
    paths = output_paths(job, w.options.formats)
    try:
        person, roster = as_copy(job, w)
        html = render_html(
            w.env,
            job.template,
            w.case,
            person,
            roster,
            template_version=job.version,
            copy=job.copy,
        )
        for kind, relative in paths.items():
            rendered = convert_job(kind, html, job, w, person)
            data, pages = rendered
            if job.copy == "public":
                refuse_leaks(kind, data, relative.name, job, w)
            write_atomic(w.out / relative, data, w.out)
            outcome.outputs[kind] = {
                "path": relative.as_posix(),
                "pages": pages,
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            if w.options.check and kind in CHECKED:
                outcome.outputs[kind]["checked"] = _check(
                    kind, w.out / relative, rendered, job, w, person
                )
        languages = document_languages(job.template, job.detainee)
        outcome.needs_translation = bool(languages and languages.needs_translation)
    except OutputError:
        raise  # a full disk or a read-only OUT: every other document would fail the same way
    except FilingsError as exc:
        discard(job, w.out, w.options.formats)
        return Outcome(job, "failed", error=exc.message)
    except MemoryError:
        mb = w.limits.render_memory_mb
        return failed(
            job,
            f"needed more than {mb} MB of memory (limit render_memory_mb)",
            w.out,
            w.options.formats,
        )
    except Exception as exc:  # noqa: BLE001 - one document's fault, whatever it is, is its own
        return failed(job, _reason(exc, w.debug), w.out, w.options.formats)
    return outcome


def _reason(exc: BaseException, debug: bool) -> str:
    """`ValueError: first line of its message`, short and printable; the traceback with debug."""
    lines = str(exc).strip().splitlines()
    text = "".join(c if c.isprintable() else " " for c in (lines[0] if lines else ""))
    if len(text) > REASON_CHARS:
        text = text[: REASON_CHARS - 1] + "…"
    reason = type(exc).__name__ + (f": {text}" if text else "")
    if debug:
        reason += "\n" + "".join(traceback.format_exception(exc)).rstrip()
    return reason


def as_copy(job: Job, w: Worker) -> tuple[Detainee | None, RosterSummary]:
    """The record and the roster as this copy shows them: a public copy's redacted by the case
    file's policy before the template sees them (`filings.inputs.redaction`)."""
    if job.copy != "public":
        return job.detainee, w.roster
    policy = w.case.redaction or Policy()
    if w.public_roster is None:  # once per worker, not once per document
        people = w.roster.detainees
        w.public_roster = RosterSummary([redact(d, policy) for d in people], people)
    return (redact(job.detainee, policy) if job.detainee else None), w.public_roster


def refuse_leaks(kind: str, data: bytes, name: str, job: Job, w: Worker) -> None:
    """A public copy holding a value the policy removed, anywhere it leaves the machine (text,
    metadata, outline, parts, file name), fails: `filings.check.leaks`."""
    people = [job.detainee] if job.detainee else list(w.roster.detainees)
    policy = w.case.redaction or Policy()
    if w.court_text is None:  # once per worker
        w.court_text = court_text(w.case)
    if found := public_leaks(kind, data, name, people, policy, w.court_text):
        raise FilingsError(f"{where(job)}: public copy not written: {found}")


def convert_job(
    kind: str, html: str, job: Job, w: Worker, person: Detainee | None = None
) -> Rendered:
    """One document's HTML as a file of `kind`, titled and dated as every build writes it (the
    web page's live preview converts through here too); a PDF to be checked, with its layout;
    `person` as the copy shows them."""
    case = w.case
    person = person or job.detainee
    title = job.template.title + (f": {person.full_name}" if person else "")
    meta = Meta(
        where=where(job),
        title=title,
        author=case.signer.name,
        date=case.filing_date,
        pdf_variant=w.options.pdf_variant,
        layout=w.options.check and kind == "pdf",
        reference_styles=w.options.reference.styles if w.options.reference else None,
    )
    return convert(kind, html, load_format(format_name(job.template, case), w.templates_dirs), meta)


def _check(
    kind: str, path: Path, rendered: Rendered, job: Job, w: Worker, d: Detainee | None
) -> str:
    """Measure the document against its court format; a broken rule fails the document. Every
    PDF is measured as laid out; the written file is read back too when the job is in the sample
    (`plan.sample_read_backs`) or the layout broke a rule. What was measured, for the manifest:
    "layout", "layout+file", or "file" (a DOCX, whose XML is its layout). `d`: the person as the
    copy shows them (a public copy's A-number masked)."""
    fmt = load_format(format_name(job.template, w.case), w.templates_dirs)
    expect = Expected(d.a_number, d.custody_status == "detained") if d else None
    leave = w.case.page_limit_leave
    if kind == "docx":
        findings, checked = check_docx(path, fmt, leave_to_exceed=leave, expect=expect), "file"
    else:
        findings = check_layout(
            rendered.layout, path.name, fmt, leave_to_exceed=leave, expect=expect
        )
        checked = "layout"
        if job.read_back or findings:
            read = check_pdf(path, fmt, leave_to_exceed=leave, expect=expect)
            findings, checked = _with_file(read, findings), "layout+file"
    if findings:
        raise FilingsError("\n".join(str(f) for f in findings))
    return checked


def _with_file(read: list[Problem], laid_out: list[Problem]) -> list[Problem]:
    """The file's findings, and those of any rule the layout broke that the file did not (the two
    measure a rule a tenth of a point apart at most; where both break it, the file's words win)."""
    shown = {f.rule for f in read}
    return read + [f for f in laid_out if f.rule not in shown]
