"""Where worker processes come from: forked from a server process that imported filings once.

A spawned worker is a fresh interpreter that imports filings, WeasyPrint and the rest itself:
about 1.7 s of CPU each, for every worker of every run, which on a two-core machine is most of
what a run of a hundred documents spends before its first page. multiprocessing's fork server
imports them once, in a clean process of its own that never renders and holds no lock, and forks
each worker from it, so a worker starts in milliseconds and a replacement as quickly. Each worker
still inherits nothing of the command's state: what it needs travels to it (`workers.Worker`),
and it takes the command's working folder, environment and umask (`Surroundings`), which a
spawned process has from the command and a forked one from the server, when it starts.

`start_early` starts the server as the command begins, so its imports run on the other core
while the command reads its case file and roster. Where there is no fork server (Windows), or it
cannot start or be reached (it needs a Unix socket in the temporary folder), workers are spawned
as before.

This module imports next to nothing: the command calls it before its own imports.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from filings.build import files

# What the server imports once for every worker: what rendering and checking a document needs,
# WeasyPrint first and the fonts set up (`preload`).
PRELOAD = (
    "filings.build.preload",
    "filings.build.workers",
    "filings.outputs.pdf",
    "filings.outputs.docx",
    "filings.check.pdf",
    "filings.check.docx",
)


_unavailable: list[str] = []  # why the fork server cannot be used in this process, once known


def context():
    """The multiprocessing context workers start in: the fork server where there is one."""
    if _unavailable or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    found = multiprocessing.get_context("forkserver")
    found.set_forkserver_preload(list(PRELOAD))  # read when the server starts, once
    return found


def start_early() -> None:
    """Start the fork server now, without waiting for its imports to finish."""
    if context().get_start_method() == "forkserver":
        try:
            _run_server()
        except OSError as exc:
            _unavailable.append(str(exc))


def _run_server() -> None:
    """Start the fork server unless it is running: importing what this process would import,
    and deaf to Ctrl-C."""
    from multiprocessing import forkserver

    with _imports_as_here(), _ctrl_c_ignored():
        forkserver.ensure_running()


@contextmanager
def _imports_as_here():
    """Python 3.11's fork server ignores the sys.path it is given (CPython gh-117378, fixed in
    3.12.8 and 3.13.1) and imports from the folder the command runs in first: run there, a
    copy of filings (or any module of that name) took the place of the one the command runs,
    in every worker. As that issue advises, PYTHONPATH carries sys.path to it; PYTHONSAFEPATH
    keeps the folder out. Workers take the command's own environment (`Surroundings`)."""
    saved = {name: os.environ.get(name) for name in ("PYTHONPATH", "PYTHONSAFEPATH")}
    os.environ["PYTHONPATH"] = os.pathsep.join(p or os.getcwd() for p in sys.path)
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value


@contextmanager
def _ctrl_c_ignored():
    """A terminal's Ctrl-C goes to every process of the command: the server, still importing,
    died of it with a traceback on the command's stderr. Started ignoring it, the server keeps
    ignoring it, as do the workers forked from it (Ctrl-C is the command's to handle); the
    command's own is held meanwhile, and comes once it is let go."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may change a handler
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a new process keeps SIG_IGN
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, held)


def start(target, args: tuple, name: str):
    """A started daemon process running target(*args): forked from the server, or spawned when
    the server cannot be used (and from then on in this process)."""
    while True:
        ctx = context()
        process = ctx.Process(target=target, args=args, daemon=True, name=name)
        try:
            if ctx.get_start_method() == "forkserver":
                _run_server()  # not left to process.start(), which would start a plain one
            process.start()
        except (OSError, EOFError) as exc:  # EOFError: the server ended before it forked one
            if ctx.get_start_method() == "spawn":
                raise
            _unavailable.append(f"{type(exc).__name__}: {exc}")
            continue
        return process


def leave_server() -> None:
    """In a worker forked from the server: close this process's copy of the server's "alive"
    pipe. The server runs until every copy is closed, and a worker's parent-death signal comes
    when the server ends (`workers._exit_with_parent`): while workers held copies, a command
    killed outright left the server, and a worker stuck in a document, running on."""
    from multiprocessing import forkserver

    server = forkserver._forkserver  # the fd has no public accessor; it is set in every child
    if forkserver.get_inherited_fds() is not None and server._forkserver_alive_fd is not None:
        os.close(server._forkserver_alive_fd)
        server._forkserver_alive_fd = None


@dataclass(frozen=True)
class Surroundings:
    """What a process takes from the command that starts it: relative paths, FILINGS_FONT_DIRS
    and the files' modes must mean in a worker what they mean to the command."""

    cwd: str
    environ: dict[str, str]
    umask: int

    @classmethod
    def here(cls) -> Surroundings:
        return cls(os.getcwd(), dict(os.environ), files.umask())

    def enter(self) -> None:
        """Make them this process's own (in a worker, before it sets up)."""
        os.environ.clear()
        os.environ.update(self.environ)
        os.chdir(self.cwd)
        os.umask(self.umask)
