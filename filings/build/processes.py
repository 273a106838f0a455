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
import threading
from dataclasses import dataclass

from filings.build import files

# What the server imports once for every worker: what rendering and checking a document needs.
PRELOAD = (
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
    """Start the fork server unless it is running, with Ctrl-C ignored. A terminal's Ctrl-C goes
    to every process of the command: the server, still importing, died of it with a traceback
    on the command's stderr. It keeps ignoring it, as do the workers forked from it (Ctrl-C is
    the command's to handle); meanwhile the command's own is held, and comes once it is let go."""
    from multiprocessing import forkserver

    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()  # only the main thread may change a handler
        return
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    handler = signal.signal(signal.SIGINT, signal.SIG_IGN)  # a new process keeps SIG_IGN
    try:
        forkserver.ensure_running()
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
                _run_server()  # not by process.start(): it would start one without the block
            process.start()
        except OSError as exc:
            if ctx.get_start_method() == "spawn":
                raise
            _unavailable.append(str(exc))
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
