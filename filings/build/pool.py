"""Render the jobs in worker processes, watched over by this (the parent) process.

Each worker gets one document at a time, so the parent always knows which document each worker
is on. That is what lets one document fail alone, whatever happens to it:
- it takes longer than `render_seconds`: its worker is killed and replaced. A kill is the only
  stop that holds for work stuck in C (a huge integer, a layout loop), where no signal handler
  and no Python-level timeout ever runs;
- its worker dies (a crash, the memory bound, a kill from outside): it fails with how the worker
  ended, and a new worker takes the next document.
`--jobs 1` is one such worker, so the same limits hold there too, and the command itself never
runs a template.
"""

from __future__ import annotations

import math
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait

from filings.build import processes, workers
from filings.build.files import OutputError
from filings.build.model import Job, Outcome
from filings.errors import FilingsError

# Each worker renders this many documents, then is replaced: WeasyPrint and its caches grow slowly.
TASKS_PER_WORKER = 400
START_SECONDS = 120  # for a worker to import and set up; its documents' time starts after


class WorkerStartError(FilingsError):
    """No worker process could be set up: nothing can render."""


@dataclass
class _Slot:
    """One worker process, and the document it is rendering, if any."""

    process: multiprocessing.process.BaseProcess
    conn: multiprocessing.connection.Connection
    deadline: float  # to be ready, then to finish the document in hand; idle: none
    ready: bool = False
    job: Job | None = None
    done: int = 0


def run_jobs(jobs: list[Job], worker: workers.Worker, n_jobs: int) -> Iterator[Outcome]:
    """Render the jobs in up to n_jobs workers; yield each document's outcome as it finishes.

    Closing the iterator (or an exception, Ctrl-C among them) stops every worker at once: a
    document in hand is then not finished, and its files are removed."""
    pending, slots = deque(jobs), []
    try:
        while pending or any(s.job for s in slots):
            while len(slots) < min(n_jobs, len(pending) + sum(bool(s.job) for s in slots)):
                slots.append(_start(worker))
            for slot in slots:
                if slot.ready and slot.job is None and pending:
                    slot.job, slot.deadline = pending.popleft(), _after(worker)
                    slot.conn.send(slot.job)
            yield from _collect(slots, worker)
    finally:
        for slot in slots:  # every idle worker is told at once, so they exit together
            if slot.job is None:
                _tell(slot, None)
        for slot in slots:
            _stop(slot, worker)


def _after(worker: workers.Worker) -> float:
    return time.monotonic() + worker.limits.render_seconds


def _start(worker: workers.Worker) -> _Slot:
    # forked from the fork server (`processes`): a clean process that inherits nothing to grow,
    # and no lock held mid-fork; it takes this process's folder, environment and umask
    ours, theirs = multiprocessing.Pipe()
    # workers._init_worker is looked up now, so a test can stand in its own set-up
    process = processes.start(
        workers.serve,
        (theirs, worker, workers._init_worker, processes.Surroundings.here()),
        "filings-render",
    )
    theirs.close()
    return _Slot(process, ours, time.monotonic() + START_SECONDS)


def _collect(slots: list[_Slot], worker: workers.Worker) -> Iterator[Outcome]:
    """Wait for a worker to speak, die or run out of time, and deal with each that did."""
    first = min(s.deadline for s in slots)
    timeout = None if first == math.inf else max(0.0, first - time.monotonic())
    ready = set(wait([s.conn for s in slots] + [s.process.sentinel for s in slots], timeout))
    for slot in list(slots):
        if slot.conn in ready or slot.process.sentinel in ready:
            yield from _hear(slot, slots, worker)
        elif time.monotonic() >= slot.deadline:
            slots.remove(slot)
            _kill(slot)
            if slot.job is None:
                raise WorkerStartError(f"a worker process did not start in {START_SECONDS} s")
            seconds = f"{worker.limits.render_seconds:g}"
            yield _lost(slot, f"took longer than {seconds} s (limit render_seconds)", worker)


def _hear(slot: _Slot, slots: list[_Slot], worker: workers.Worker) -> Iterator[Outcome]:
    try:
        kind, value = slot.conn.recv() if slot.conn.poll() else ("gone", None)
    except (EOFError, OSError):
        kind, value = "gone", None
    if kind == "ready":
        slot.ready, slot.deadline = True, math.inf
    elif kind == "done":
        slot.job, slot.done, slot.deadline = None, slot.done + 1, math.inf
        yield value
        if slot.done >= TASKS_PER_WORKER:
            slots.remove(slot)
            _stop(slot, worker)
    elif kind == "broken":
        raise WorkerStartError(f"a worker process could not start: {value}")
    elif kind == "stop":  # the worker could not write into OUT: nor could any other
        slot.job = None  # nothing of it was written, and its earlier files stand
        raise OutputError(value)
    else:  # the worker is gone
        slots.remove(slot)
        slot.process.join()
        if not slot.ready:
            raise WorkerStartError(f"a worker process could not start ({_ending(slot)})")
        if slot.job is not None:
            reason = f"the process rendering it stopped unexpectedly ({_ending(slot)})"
            yield _lost(slot, reason, worker)


def _lost(slot: _Slot, reason: str, worker: workers.Worker) -> Outcome:
    return workers.failed(slot.job, reason, worker.out, worker.options.formats)


def _ending(slot: _Slot) -> str:
    code = slot.process.exitcode
    if code is not None and code < 0:
        return f"killed by {signal.Signals(-code).name}"
    return f"exit code {code}"


def _kill(slot: _Slot) -> None:
    slot.process.kill()
    slot.process.join()
    slot.conn.close()


def _tell(slot: _Slot, message) -> None:
    try:
        slot.conn.send(message)
    except OSError:  # it is gone: how is found out when it is joined
        pass


def _stop(slot: _Slot, worker: workers.Worker) -> None:
    """Let an idle worker exit; kill a busy one (its document is not finished: no files stay)."""
    if slot.job is None and slot.process.is_alive():
        _tell(slot, None)
        slot.process.join(5)
    if slot.process.is_alive():
        _kill(slot)
    slot.conn.close()
    if slot.job is not None:
        workers.discard(slot.job, worker.out, worker.options.formats)
