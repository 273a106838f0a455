"""Render on a Dask cluster (`filings render --scheduler tcp://HOST:PORT`).

The documents go to a running Dask distributed scheduler instead of this machine's pool; this
process stays the only writer: a Dask worker renders and checks each document in a scratch folder
of its own and sends back the files' bytes, which are written atomically into OUT here, then
journalled and kept in the manifest exactly as a local run does.

Workers need nothing from this computer's disk. Each templates folder (with its court formats)
travels once, as a {relative path: bytes} bundle keyed by its content hash, and each worker
unpacks it into a temporary folder named by that hash; the case and the roster's summary travel
in the Worker record. A worker must run the same `filings` and the same font files as this
computer (same fonts, same pages): one that does not refuses every document, and the run fails
naming it and the difference. A worker that dies loses only the documents it had in hand: the
scheduler gives them to another worker, and a document whose workers keep dying (the scheduler's
`allowed-failures`, 3 by default) is reported failed while the run goes on.

`render_seconds` holds there too (`_deadline`): a document still rendering when it runs out ends
its worker process, as a local worker is killed, even when it is stuck in C code where no Python
thread could stop it; the scheduler then treats it as a worker that died. `render_memory_mb`
does not: on a cluster, Dask's own worker memory limit plays its part.
"""

from __future__ import annotations

import hashlib
import math
import shutil
import signal
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from filings import __version__
from filings.build.files import write_atomic
from filings.build.model import Job, Outcome
from filings.build.workers import Worker, _init_worker, discard, failed, render_job
from filings.errors import FilingsError

RETRIES = 2  # a document whose render raised on its worker (a full scratch disk) is tried again
CONNECT_SECONDS = 30
_SET_UPS: dict[tuple, Worker] = {}  # per worker process: the set-up of the runs it serves
_IN_HAND: dict[int, float] = {}  # per worker process: thread -> when its document runs out
_IN_HAND_LOCK = threading.Lock()


class ClusterError(FilingsError):
    """The cluster cannot render this run's documents the way this computer would."""


# -- what must match: the worker's side and the client's side -------------------------------------


def fingerprint() -> dict:
    """This process's filings version and pinned font files (name -> sha256): the same on a
    worker as on the client, or the same document could come out with other pages."""
    import filings

    return {"filings": filings.__version__, "fonts": _font_hashes()}


@cache
def _font_hashes() -> dict[str, str]:
    from filings.glyphs import font_files

    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in font_files()}


def difference(theirs: dict, ours: dict) -> str | None:
    """How a worker's fingerprint differs from ours, in words; None when it does not."""
    said = []
    if theirs["filings"] != ours["filings"]:
        said.append(f"filings {theirs['filings']} there, {ours['filings']} here")
    fonts_t, fonts_o = theirs["fonts"], ours["fonts"]
    differ = sorted(n for n in fonts_o if n in fonts_t and fonts_t[n] != fonts_o[n])
    missing = sorted(set(fonts_o) - set(fonts_t))
    extra = sorted(set(fonts_t) - set(fonts_o))
    for words, names in (
        ("font files differ", differ),
        ("font files missing there", missing),
        ("font files only there", extra),
    ):
        if names:
            said.append(f"{words}: {', '.join(names[:5])}" + (" …" if len(names) > 5 else ""))
    return "; ".join(said) or None


def _refusal(address: str, diff: str) -> str:
    return (
        f"the Dask worker at {address} does not match this computer ({diff}); install the "
        f"same filings ({__version__}) and fonts there (scripts/setup)"
    )


# -- templates folders as bundles -----------------------------------------------------------------


def bundle(folder: Path) -> tuple[str, dict[str, bytes]]:
    """Every file of a templates folder (hidden ones aside) and the hash of them all."""
    files, digest = {}, hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(p.startswith(".") for p in relative.parts):
            files[relative.as_posix()] = data = path.read_bytes()
            digest.update(relative.as_posix().encode() + b"\0" + hashlib.sha256(data).digest())
    return digest.hexdigest(), files


def materialise(key: str, files: dict[str, bytes]) -> Path:
    """The bundle unpacked in this machine's temporary folder, once per hash: a folder is moved
    into place whole, so another worker process never sees it half written."""
    home = Path(tempfile.gettempdir()) / f"filings-templates-{key[:32]}"
    if home.is_dir():
        return home
    staging = Path(tempfile.mkdtemp(prefix=f".{home.name}-"))
    for relative, data in files.items():
        (staging / relative).parent.mkdir(parents=True, exist_ok=True)
        (staging / relative).write_bytes(data)
    try:
        staging.rename(home)
    except OSError:  # another process was first: use its copy
        shutil.rmtree(staging, ignore_errors=True)
    return home


# -- the worker's side ----------------------------------------------------------------------------


def render_remote(
    job: Job, worker: Worker, bundles: list[tuple[str, dict]], expected: dict, run: str
):
    """On a Dask worker: render and check one document in a scratch folder; send back its outcome
    and its files' bytes (kind -> bytes), or ("mismatch", why) from a worker unlike the client."""
    from distributed import get_worker

    diff = difference(fingerprint(), expected)
    if diff:
        return "mismatch", _refusal(get_worker().address, diff), None
    local = _set_up(run, worker, bundles)
    moved = dict(zip(worker.templates_dirs, local.templates_dirs, strict=True))
    template = replace(job.template, folder=moved[job.template.folder.parent] / job.template.name)
    with tempfile.TemporaryDirectory(prefix="filings-doc-") as scratch:
        with _deadline(local.limits.render_seconds):
            outcome = render_job(replace(job, template=template), replace(local, out=Path(scratch)))
        data = {
            kind: (Path(scratch) / out["path"]).read_bytes()
            for kind, out in outcome.outputs.items()
        }
    if outcome.error:  # name the client's folders, not this worker's copies of them
        for theirs, ours in moved.items():
            outcome.error = outcome.error.replace(str(ours), str(theirs))
    outcome.job = job
    return "done", outcome, data


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Past `seconds`, the kernel ends this worker process. SIGALRM is left at its default action
    (which ends the process), so no Python code has to run for it: a render stuck in C, holding
    the interpreter, ends too. The alarm is the process's own, so with several threads it is set
    for whichever document runs out first. Where something has made SIGALRM a Python handler's,
    the limit is not enforced (that handler could never run while the render holds on)."""
    if signal.getsignal(signal.SIGALRM) is not signal.SIG_DFL:
        yield
        return
    me = threading.get_ident()
    with _IN_HAND_LOCK:
        _IN_HAND[me] = time.monotonic() + seconds
        _set_alarm()
    try:
        yield
    finally:
        with _IN_HAND_LOCK:
            del _IN_HAND[me]
            _set_alarm()


def _set_alarm() -> None:
    """The alarm at the first deadline of the documents in hand; none when there are none."""
    if not _IN_HAND:
        signal.alarm(0)
        return
    signal.alarm(max(1, math.ceil(min(_IN_HAND.values()) - time.monotonic())))


def _set_up(run: str, worker: Worker, bundles: list[tuple[str, dict]]) -> Worker:
    """The worker record with the folders unpacked here and the Jinja environment made, once per
    run per worker process."""
    key = (run, tuple(h for h, _ in bundles))
    if key not in _SET_UPS:
        _SET_UPS.clear()  # a worker serves one run at a time; an old set-up is never used again
        folders = tuple(materialise(h, files) for h, files in bundles)
        local = replace(worker, templates_dirs=folders)
        _init_worker(local)
        _SET_UPS[key] = local
    return _SET_UPS[key]


# -- the client's side ----------------------------------------------------------------------------


@dataclass
class DaskCluster:
    """An executor (filings.build.executor) that renders on the cluster of a Dask scheduler."""

    address: str
    client: object = None
    worker: Worker | None = None

    def start(self, worker: Worker) -> None:
        from distributed import Client

        self.worker = worker
        try:
            self.client = Client(self.address, timeout=CONNECT_SECONDS, set_as_default=False)
        except OSError as exc:
            raise ClusterError(
                f"could not reach the Dask scheduler at {self.address}: {exc}"
            ) from None
        try:
            self.client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except TimeoutError:
            raise ClusterError(f"the Dask scheduler at {self.address} has no workers") from None
        ours = fingerprint()
        for address, theirs in sorted(self.client.run(fingerprint).items()):
            diff = difference(theirs, ours)
            if diff:
                raise ClusterError(_refusal(address, diff))

    def run(self, jobs: list[Job]) -> Iterator[Outcome]:
        from distributed import as_completed

        w, client = self.worker, self.client
        # On every worker, not one: a worker that dies would take the only copy with it, and
        # every document still to render would be cancelled with it ("already forgotten").
        [record] = client.scatter([replace(w, env=None)], broadcast=True)
        bundles = []
        for folder in w.templates_dirs:
            key, files = bundle(folder)
            [future] = client.scatter([files], broadcast=True)
            bundles.append((key, future))
        expected = fingerprint()
        run = uuid.uuid4().hex
        futures = {
            client.submit(
                render_remote, job, record, bundles, expected, run, pure=False, retries=RETRIES
            ): job
            for job in jobs
        }
        try:
            for future in as_completed(futures, loop=client.loop):
                yield self._outcome(future, futures[future])
        finally:
            client.cancel([f for f in futures if not f.done()])

    def _outcome(self, future, job: Job) -> Outcome:
        """Write a document's files into OUT from here, the one writer, or fail it."""
        w = self.worker
        try:
            kind, outcome, data = future.result()
        except Exception as exc:  # noqa: BLE001 - its workers died, or its render kept raising
            return failed(job, _lost(exc, w), w.out, w.options.formats)
        if kind == "mismatch":
            raise ClusterError(outcome)
        if outcome.status != "rendered":
            discard(job, w.out, w.options.formats)
        for fmt, out in outcome.outputs.items():
            write_atomic(w.out / out["path"], data[fmt], w.out)
        return outcome

    def close(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None


def _lost(exc: Exception, w: Worker) -> str:
    """Why a document came back with no outcome, in words a reader can act on."""
    reason = f"lost on the cluster ({type(exc).__name__}: {exc})"[:300]
    if type(exc).__name__ == "KilledWorker":  # its worker process ended every time it was tried
        seconds = f"{w.limits.render_seconds:g}"
        reason += (
            f"; each worker rendering it ended before it was done: taking longer than "
            f"{seconds} s (limit render_seconds), running out of memory or crashing ends one"
        )
    return reason
